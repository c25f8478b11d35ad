// Removes a local destination directory that a failed command created, so that bad input leaves
// nothing behind (the library already erased the keys it wrote; this removes the empty root).
// Used by ngff::image::convert and the CLI's create.
#pragma once

#include <filesystem>
#include <string>

namespace ngff {

class DestinationGuard {
 public:
  explicit DestinationGuard(const std::string& url) {
    std::string path = url.rfind("file://", 0) == 0 ? url.substr(7) : url;
    if (path.find("://") != std::string::npos) return;  // not a local path
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) path_ = path;
  }
  DestinationGuard(const DestinationGuard&) = delete;
  DestinationGuard& operator=(const DestinationGuard&) = delete;
  ~DestinationGuard() {
    if (committed_ || path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);  // it did not exist before: all of it is ours
  }
  void commit() { committed_ = true; }

 private:
  std::string path_;
  bool committed_ = false;
};

}  // namespace ngff
