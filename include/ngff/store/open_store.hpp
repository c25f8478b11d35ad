// Opening a store from a URL: a path, `file://`, `memory://` (more schemes as stores are added).
#pragma once

#include <string>
#include <string_view>

#include "ngff/store/store.hpp"

namespace ngff {

enum class OpenMode { read, write };

// A store and the node path inside it that the URL names. For file paths the whole path is the
// store root and `path` is empty.
struct StoreLocation {
  StorePtr store;
  std::string path;
};

StoreLocation open_store(std::string_view url, OpenMode mode = OpenMode::read);

}  // namespace ngff
