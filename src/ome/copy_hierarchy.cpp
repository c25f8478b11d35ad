#include "ngff/ome/copy_hierarchy.hpp"

#include "ngff/error.hpp"
#include "ngff/ome/finish_store.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/store/open_store.hpp"
#include "ome/hierarchy_keys.hpp"

namespace ngff::ome {
namespace {

// The destination as it is now, for a dry run (which must not create anything).
StoreLocation existing_destination(const std::string& url) {
  try {
    return open_store(url, OpenMode::read);
  } catch (const KeyNotFound&) {
    return {std::make_shared<MemoryStore>(), ""};
  }
}

}  // namespace

CopyStats copy_hierarchy(const std::string& src_url, const std::string& dst_url,
                         const CopyOptions& options) {
  auto src = open_store(src_url, OpenMode::read);
  auto keys = node_keys(*src.store, src.path);
  if (keys.empty()) throw KeyNotFound("nothing to copy: no keys under " + src_url);
  if (options.dry_run) {
    auto dst = existing_destination(dst_url);
    return copy_keys(*src.store, src.path, *dst.store, dst.path, keys, options);
  }
  auto dst = open_store(dst_url, OpenMode::write);
  CopyStats stats;
  try {
    stats = copy_keys(*src.store, src.path, *dst.store, dst.path, keys, options);
  } catch (...) {
    try {
      finish_store(*dst.store);  // keep what was copied, for a rerun to resume
    } catch (...) {
    }
    throw;
  }
  finish_store(*dst.store);  // a zip writes its central directory here; errors surface
  return stats;
}

}  // namespace ngff::ome
