// Copying keys from one store to another (any kinds: folder, zip, memory, HTTP, S3): parallel,
// with bounded memory, resumable and with a dry run. Which keys to copy is the caller's choice:
// Store::list() where the source can list, else a walk of the Zarr hierarchy from its metadata
// (ome::copy_hierarchy does both), which needs Zarr and OME knowledge and so lives above this
// layer.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ngff/store/store.hpp"

namespace ngff {

struct CopyStats {
  uint64_t objects_total = 0, bytes_total = 0;      // to copy (after skipping)
  uint64_t objects_done = 0, bytes_done = 0;        // copied so far
  uint64_t objects_skipped = 0, bytes_skipped = 0;  // already in the destination, same size
  uint64_t missing = 0;  // keys asked for that the source does not have (walk candidates)
};

struct CopyOptions {
  // Copy even what the destination already has with the same size.
  bool overwrite = false;
  // Count what would be copied; write nothing.
  bool dry_run = false;
  // At most this many bytes of values held in memory at once (a larger value goes alone).
  uint64_t max_in_flight_bytes = 256ull << 20;
  // Values read and written at once (I/O bound: more than the cores).
  int concurrency = 8;
  // Called after each value (serialised; from worker threads).
  std::function<void(const CopyStats&)> progress{};
};

// Copies `keys` (keys of `src`, each under `src_prefix`) to the same relative keys under
// `dst_prefix` of `dst`. Data first, metadata documents (zarr.json, .zarray, ...) last and the
// deepest first, so that an interrupted copy has no root metadata and is not mistaken for a
// complete dataset; a rerun skips what is already there (same size) and completes it.
CopyStats copy_keys(const Store& src, std::string_view src_prefix, Store& dst,
                    std::string_view dst_prefix, const std::vector<std::string>& keys,
                    const CopyOptions& options = {});

}  // namespace ngff
