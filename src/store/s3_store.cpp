#include "ngff/store/s3_store.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "http_client.hpp"
#include "ngff/error.hpp"
#include "store/key.hpp"

namespace ngff {

using detail::HttpRequest;
using detail::HttpResponse;

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

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// The text of every <name>..</name> element in `xml` (not nested in itself).
std::vector<std::string_view> elements(std::string_view xml, std::string_view name) {
  std::vector<std::string_view> out;
  std::string open = "<" + std::string(name) + ">", close = "</" + std::string(name) + ">";
  size_t pos = 0;
  while ((pos = xml.find(open, pos)) != std::string_view::npos) {
    size_t begin = pos + open.size();
    size_t end = xml.find(close, begin);
    if (end == std::string_view::npos) break;
    out.push_back(xml.substr(begin, end - begin));
    pos = end + close.size();
  }
  return out;
}

std::string first_element(std::string_view xml, std::string_view name) {
  auto all = elements(xml, name);
  return all.empty() ? std::string() : s3::xml_unescape(all[0]);
}

}  // namespace

// ---- Pure helpers ------------------------------------------------------------------------------

namespace s3 {

std::string xml_unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += s[i];
      continue;
    }
    std::string_view ent = s.substr(i + 1, semi - i - 1);
    uint32_t cp = 0;
    bool numeric = false;
    if (ent == "amp") {
      out += '&';
    } else if (ent == "lt") {
      out += '<';
    } else if (ent == "gt") {
      out += '>';
    } else if (ent == "quot") {
      out += '"';
    } else if (ent == "apos") {
      out += '\'';
    } else if (ent.size() > 1 && ent[0] == '#') {
      numeric = true;
      bool hex = ent[1] == 'x' || ent[1] == 'X';
      try {
        cp = static_cast<uint32_t>(
            std::stoul(std::string(ent.substr(hex ? 2 : 1)), nullptr, hex ? 16 : 10));
      } catch (const std::exception&) {
        out += s[i];
        continue;
      }
    } else {
      out += s[i];
      continue;
    }
    if (numeric) {  // UTF-8
      if (cp < 0x80) {
        out += static_cast<char>(cp);
      } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      }
    }
    i = semi;
  }
  return out;
}

ListPage parse_list_objects(std::string_view xml) {
  ListPage page;
  for (auto contents : elements(xml, "Contents"))
    for (auto key : elements(contents, "Key")) page.keys.push_back(xml_unescape(key));
  for (auto common : elements(xml, "CommonPrefixes"))
    for (auto p : elements(common, "Prefix")) page.prefixes.push_back(xml_unescape(p));
  page.truncated = trim(first_element(xml, "IsTruncated")) == "true";
  page.next_token = first_element(xml, "NextContinuationToken");
  return page;
}

std::optional<S3Credentials> parse_credentials_file(std::string_view text,
                                                    std::string_view profile) {
  std::istringstream in{std::string(text)};
  std::string line;
  bool inside = false;
  S3Credentials c;
  while (std::getline(in, line)) {
    std::string t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[' && t.back() == ']') {
      std::string name = trim(std::string_view(t).substr(1, t.size() - 2));
      if (name.rfind("profile ", 0) == 0) name = trim(std::string_view(name).substr(8));
      inside = name == profile;
      continue;
    }
    if (!inside) continue;
    auto eq = t.find('=');
    if (eq == std::string::npos) continue;
    std::string k = trim(std::string_view(t).substr(0, eq));
    std::string v = trim(std::string_view(t).substr(eq + 1));
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

// ---- S3Store -----------------------------------------------------------------------------------

namespace {

std::string bucket_base(const std::string& bucket, const S3Options& o) {
  if (bucket.empty()) throw UsageError("S3 URL without a bucket name");
  if (!o.endpoint.empty()) {
    std::string e = o.endpoint;
    while (!e.empty() && e.back() == '/') e.pop_back();
    return e + "/" + bucket;
  }
  if (bucket.find('.') != std::string::npos)  // dots break virtual-host TLS names
    return "https://s3." + o.region + ".amazonaws.com/" + bucket;
  return "https://" + bucket + ".s3." + o.region + ".amazonaws.com";
}

}  // namespace

S3Store::S3Store(std::string bucket, std::string prefix, S3Options options)
    : HttpStore(bucket_base(bucket, options)),
      bucket_(std::move(bucket)),
      prefix_(normalize_node_path(prefix)),
      options_(std::move(options)) {}

std::string S3Store::url() const {
  return "s3://" + bucket_ + (prefix_.empty() ? "" : "/" + prefix_);
}

std::string S3Store::full_key(std::string_view key) const {
  validate_key(key);
  return join_key(prefix_, key);
}

std::string S3Store::object_url(const std::string& full) const {
  return base_url_ + "/" + detail::uri_encode(full, true);
}

HttpRequest S3Store::make_request(std::string method, std::string_view key,
                                  const std::string& query) const {
  HttpRequest r;
  r.method = std::move(method);
  r.url = object_url(full_key(key));
  if (!query.empty()) r.url += "?" + query;
  if (options_.credentials) {
    r.aws_sigv4 = "aws:amz:" + options_.region + ":s3";
    r.userpwd = options_.credentials->access_key_id + ":" + options_.credentials->secret_access_key;
    r.headers.push_back("x-amz-content-sha256: UNSIGNED-PAYLOAD");
    if (!options_.credentials->session_token.empty())
      r.headers.push_back("x-amz-security-token: " + options_.credentials->session_token);
  }
  return r;
}

bool S3Store::is_missing(const HttpResponse& r) const {
  if (r.status == 404) return true;
  // Anonymous readers of a bucket without list permission get 403 for missing keys.
  return !options_.credentials && detail::is_s3_access_denied(r);
}

s3::ListPage S3Store::list_page(const std::string& full_prefix, bool delimited,
                                const std::string& token) const {
  // Query parameters sorted by name and encoded: the canonical form SigV4 signs.
  std::string q;
  if (!token.empty()) q += "continuation-token=" + detail::uri_encode(token, false) + "&";
  if (delimited) q += "delimiter=%2F&";
  q += "list-type=2&max-keys=" + std::to_string(options_.max_keys);
  q += "&prefix=" + detail::uri_encode(full_prefix, false);
  HttpRequest req = make_request("GET", "", q);
  req.url = base_url_ + "/?" + q;
  HttpResponse r = client().perform(req);
  if (r.status != 200) detail::throw_http_error(req, r);
  return s3::parse_list_objects(r.text());
}

std::vector<std::string> S3Store::list_keys(std::string_view prefix, bool delimited,
                                            std::vector<std::string>* dirs) const {
  std::string base = full_key(prefix);
  if (!base.empty()) base += "/";
  std::vector<std::string> keys;
  std::string token;
  do {
    s3::ListPage p = list_page(base, delimited, token);
    for (auto& k : p.keys)
      if (k.size() > base.size() && k.compare(0, base.size(), base) == 0)
        keys.push_back(k.substr(prefix_.empty() ? 0 : prefix_.size() + 1));
    if (dirs)
      for (auto& d : p.prefixes) {
        std::string name = d.substr(std::min(base.size(), d.size()));
        while (!name.empty() && name.back() == '/') name.pop_back();
        if (!name.empty()) dirs->push_back(name);
      }
    if (p.truncated && p.next_token.empty())
      throw StoreError("listing " + key_url(prefix) +
                       ": truncated page without a continuation "
                       "token");
    token = p.truncated ? p.next_token : std::string();
  } while (!token.empty());
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::vector<std::string> S3Store::list(std::string_view prefix) const {
  return list_keys(prefix, false, nullptr);
}

std::vector<std::string> S3Store::list_dir(std::string_view prefix) const {
  std::vector<std::string> dirs;
  auto keys = list_keys(prefix, true, &dirs);
  std::string base = prefix.empty() ? std::string() : std::string(prefix) + "/";
  for (auto& k : keys) dirs.push_back(k.substr(base.size()));
  std::sort(dirs.begin(), dirs.end());
  dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
  return dirs;
}

void S3Store::set(std::string_view key, ByteView value) {
  if (key.empty()) throw InvalidKey("cannot write a value at the store root of " + url());
  if (value.size() > options_.multipart_threshold) {
    put_multipart(std::string(key), value);
    return;
  }
  HttpRequest req = make_request("PUT", key);
  req.body = value;
  HttpResponse r = client().perform(req);
  if (r.status >= 300) detail::throw_http_error(req, r);
}

void S3Store::put_multipart(const std::string& key, ByteView value) {
  HttpRequest start = make_request("POST", key, "uploads=");
  HttpResponse r = client().perform(start);
  if (r.status != 200) detail::throw_http_error(start, r);
  std::string upload_id = first_element(r.text(), "UploadId");
  if (upload_id.empty())
    throw StoreError("S3 CreateMultipartUpload for " + key_url(key) + " returned no UploadId");
  std::string id_query = "uploadId=" + detail::uri_encode(upload_id, false);
  try {
    // Parts of the threshold's size (S3 allows at most 10000 parts).
    uint64_t part = std::max<uint64_t>(options_.multipart_threshold, 1);
    part = std::max<uint64_t>(part, (value.size() + 9999) / 10000);
    std::vector<HttpRequest> parts;
    for (uint64_t off = 0, n = 1; off < value.size(); off += part, ++n) {
      parts.push_back(make_request("PUT", key, "partNumber=" + std::to_string(n) + "&" + id_query));
      parts.back().body = value.subspan(off, std::min<uint64_t>(part, value.size() - off));
    }
    auto answers = client().perform_many(parts);
    std::string xml = "<CompleteMultipartUpload>";
    for (size_t i = 0; i < answers.size(); ++i) {
      if (answers[i].status != 200) detail::throw_http_error(parts[i], answers[i]);
      std::string etag = answers[i].header("etag");
      if (etag.empty())
        throw StoreError("S3 UploadPart " + std::to_string(i + 1) + " of " + key_url(key) +
                         " returned no ETag");
      xml += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" + etag +
             "</ETag></Part>";
    }
    xml += "</CompleteMultipartUpload>";
    HttpRequest done = make_request("POST", key, id_query);
    done.body = as_bytes(xml);
    done.headers.push_back("Content-Type: application/xml");
    HttpResponse d = client().perform(done);
    // S3 may answer 200 and report the failure in the body.
    if (d.status != 200 || d.text().find("<Error>") != std::string_view::npos)
      detail::throw_http_error(done, d.status == 200 ? HttpResponse{500, d.body, d.headers} : d);
  } catch (...) {
    try {
      client().perform(make_request("DELETE", key, id_query));
    } catch (...) {
      // Best effort: the upload's own error is what the caller must see.
    }
    throw;
  }
}

void S3Store::erase(std::string_view key) {
  HttpRequest req = make_request("DELETE", key);
  HttpResponse r = client().perform(req);
  if (r.status >= 300 && r.status != 404) detail::throw_http_error(req, r);
}

void S3Store::erase_prefix(std::string_view prefix) {
  std::vector<std::string> keys = list(prefix);
  if (!prefix.empty()) keys.push_back(std::string(prefix));  // a value at the prefix itself
  std::vector<HttpRequest> requests;
  for (const auto& k : keys) requests.push_back(make_request("DELETE", k));
  auto answers = client().perform_many(requests);
  for (size_t i = 0; i < answers.size(); ++i)
    if (answers[i].status >= 300 && answers[i].status != 404)
      detail::throw_http_error(requests[i], answers[i]);
}

}  // namespace ngff
