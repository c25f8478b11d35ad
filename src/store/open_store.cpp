#include "ngff/store/open_store.hpp"

#include <filesystem>

#include "ngff/error.hpp"
#include "ngff/store/file_store.hpp"
#include "ngff/store/key.hpp"
#include "ngff/store/memory_store.hpp"
#include "open_zip.hpp"

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
  std::string path;
  if (starts_with(url, "file://")) {
    path = percent_decode(url.substr(7));
    if (path.empty() || path.front() != '/')
      throw UsageError("file URL '" + std::string(url) + "' must have an absolute path");
  } else if (url.find("://") != std::string_view::npos) {
    throw UsageError("unsupported URL scheme in '" + std::string(url) +
                     "' (supported: paths, file://, memory://)");
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

}  // namespace ngff
