#include "ngff/store/open_store.hpp"

#include <filesystem>

#include "ngff/error.hpp"
#include "ngff/store/caching_store.hpp"
#include "ngff/store/file_store.hpp"
#include "ngff/store/http_store.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/store/s3_store.hpp"
#include "store/key.hpp"
#include "store/open_zip.hpp"

namespace ngff {
namespace {

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

// Decodes %XX escapes of a file:// URL path.
std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

StoreLocation open_store(std::string_view url, OpenMode mode) {
  if (url.empty()) throw UsageError("empty store URL");
  if (auto zip = open_zip_store(url, mode)) return std::move(*zip);  // .ozx, .zip, zip://
  if (starts_with(url, "memory://")) {
    // Each call makes a fresh, empty store: memory stores are for tests and pipelines that
    // hold the StorePtr themselves.
    return {std::make_shared<MemoryStore>(std::string(url)), ""};
  }
  if (starts_with(url, "http://") || starts_with(url, "https://")) {
    // Remote stores: the URL itself is the store root; small reads are cached.
    if (mode == OpenMode::write)
      throw UsageError("cannot write to '" + std::string(url) +
                       "': HTTP stores are read-only; use s3:// to write to object storage");
    return {std::make_shared<CachingStore>(std::make_shared<HttpStore>(std::string(url))), ""};
  }
  if (starts_with(url, "s3://")) {
    std::string_view rest = url.substr(5);
    auto slash = rest.find('/');
    std::string bucket(rest.substr(0, slash));
    std::string prefix(slash == std::string_view::npos ? "" : rest.substr(slash + 1));
    if (bucket.empty()) throw UsageError("S3 URL '" + std::string(url) + "' has no bucket name");
    return {std::make_shared<CachingStore>(std::make_shared<S3Store>(bucket, prefix)), ""};
  }
  std::string path;
  if (starts_with(url, "file://")) {
    path = percent_decode(url.substr(7));
    if (path.empty() || path.front() != '/')
      throw UsageError("file URL '" + std::string(url) + "' must have an absolute path");
  } else if (url.find("://") != std::string_view::npos) {
    throw UsageError("unsupported URL scheme in '" + std::string(url) +
                     "' (supported: paths, file://, memory://, http://, https://, s3://)");
  } else {
    path = std::string(url);
  }
  std::filesystem::path p(path);
  if (mode == OpenMode::read) {
    std::error_code ec;
    if (!std::filesystem::exists(p, ec))
      throw KeyNotFound("no such file or directory: '" + path + "'");
  }
  return {std::make_shared<FileStore>(p, mode == OpenMode::read), ""};
}

bool url_is_writable(std::string_view url) {
  return !starts_with(url, "http://") && !starts_with(url, "https://");
}

}  // namespace ngff
