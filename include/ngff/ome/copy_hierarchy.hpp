// Copying a store or node named by URL to another URL (`ngff copy`, `ngff.copy`): the keys come
// from listing the source or, when it cannot list, from a walk of its metadata;
// copy_keys (store/copy.hpp) does the parallel, resumable copy.
#pragma once

#include <string>

#include "ngff/store/copy.hpp"

namespace ngff::ome {

// Throws KeyNotFound when the source is missing or holds nothing. A dry run opens the
// destination only for reading (nothing is created). When the copy fails, what was copied is
// kept (a zip is finished without its metadata) so that a rerun resumes; the error is rethrown.
CopyStats copy_hierarchy(const std::string& src_url, const std::string& dst_url,
                         const CopyOptions& options = {});

}  // namespace ngff::ome
