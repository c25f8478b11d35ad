// The zip branch of open_store (kept apart so that other schemes can be added beside it).
#pragma once

#include <optional>
#include <string_view>

#include "ngff/store/open_store.hpp"

namespace ngff {

// A ZipStore when `url` names a zip (`zip://URL`, or a path or URL with a segment ending in
// `.ozx` / `.zip`; segments after it name a node inside the zip: `img.ozx/labels/cells`), else
// nullopt. Reading opens the store holding the file (open_store of the parent URL, so any
// scheme that can read ranges can hold a zip); writing needs a local file.
std::optional<StoreLocation> open_zip_store(std::string_view url, OpenMode mode);

}  // namespace ngff
