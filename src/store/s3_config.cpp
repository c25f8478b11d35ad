// S3Options from the environment: credentials, region, endpoint and the tuning variables that
// s3_store.hpp lists.
#include "store/s3_config.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "ngff/error.hpp"
#include "util/strings.hpp"

namespace ngff {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

bool env_true(const char* name) {
  std::string v = env(name);
  for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return v == "1" || v == "true" || v == "yes";
}

uint64_t env_bytes(const char* name, uint64_t fallback) {
  std::string v = env(name);
  if (v.empty()) return fallback;
  try {
    size_t used = 0;
    uint64_t n = std::stoull(v, &used);
    if (used == v.size() && n > 0) return n;
  } catch (const std::exception&) {
  }
  throw UsageError("environment variable " + std::string(name) + "='" + v +
                   "' is not a positive integer");
}

// The profile a section header names: "[name]", or "[profile name]" as ~/.aws/config spells it.
std::string_view section_name(std::string_view header) {
  std::string_view name = trim(header.substr(1, header.size() - 2));
  if (name.starts_with("profile ")) name = trim(name.substr(8));
  return name;
}

}  // namespace

namespace s3 {

std::optional<S3Credentials> parse_credentials_file(std::string_view text,
                                                    std::string_view profile) {
  bool inside = false;
  S3Credentials c;
  for (std::string_view line : split(text, '\n')) {
    std::string_view t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[' && t.back() == ']') {
      inside = section_name(t) == profile;
      continue;
    }
    if (!inside) continue;
    auto eq = t.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view k = trim(t.substr(0, eq));
    std::string v(trim(t.substr(eq + 1)));
    if (k == "aws_access_key_id") c.access_key_id = v;
    if (k == "aws_secret_access_key") c.secret_access_key = v;
    if (k == "aws_session_token") c.session_token = v;
  }
  if (c.access_key_id.empty() || c.secret_access_key.empty()) return std::nullopt;
  return c;
}

std::optional<S3Credentials> find_credentials() {
  if (env_true("AWS_NO_SIGN_REQUEST")) return std::nullopt;
  S3Credentials c{env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN")};
  if (!c.access_key_id.empty() && !c.secret_access_key.empty()) return c;
  std::string file = env("AWS_SHARED_CREDENTIALS_FILE");
  if (file.empty() && !env("HOME").empty()) file = env("HOME") + "/.aws/credentials";
  if (file.empty()) return std::nullopt;
  std::ifstream in(file);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  std::string profile = env("AWS_PROFILE");
  return parse_credentials_file(text.str(), profile.empty() ? "default" : profile);
}

}  // namespace s3

S3Options S3Options::from_env() {
  S3Options o;
  o.endpoint = env("AWS_ENDPOINT_URL_S3");
  if (o.endpoint.empty()) o.endpoint = env("AWS_ENDPOINT_URL");
  o.region = env("AWS_REGION");
  if (o.region.empty()) o.region = env("AWS_DEFAULT_REGION");
  if (o.region.empty()) o.region = "us-east-1";
  o.credentials = s3::find_credentials();
  o.multipart_threshold = env_bytes("NGFF_S3_MULTIPART_THRESHOLD", o.multipart_threshold);
  o.max_keys = static_cast<int>(std::min<uint64_t>(env_bytes("NGFF_S3_MAX_KEYS", 1000), 1000));
  return o;
}

}  // namespace ngff
