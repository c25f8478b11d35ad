// Opening a store from a URL: a path, `file://`, `memory://`, `http://` and `https://`
// (HttpStore, read-only: OpenMode::write is a UsageError), `s3://bucket/prefix` (S3Store, see
// s3_store.hpp for credentials, region and endpoint from the environment), and zips: a path or
// URL with a segment ending in `.ozx` or `.zip`, or `zip://URL` (ZipStore; what follows the zip
// names a node inside it; writing needs a local file). Remote stores come wrapped in a
// CachingStore (metadata and small ranges kept in memory).
#pragma once

#include <string>
#include <string_view>

#include "ngff/store/store.hpp"

namespace ngff {

enum class OpenMode { read, write };

// A store and the node path inside it that the URL names. For file paths and remote URLs the
// whole path is the store root and `path` is empty.
struct StoreLocation {
  StorePtr store;
  std::string path;
};

StoreLocation open_store(std::string_view url, OpenMode mode = OpenMode::read);

// Whether stores at `url` can be written (false for http:// and https://): callers that open
// for update where possible (Python's open_array) pick the mode with it.
bool url_is_writable(std::string_view url);

}  // namespace ngff
