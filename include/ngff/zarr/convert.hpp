// Converting an array or a group tree between Zarr formats, chunkings and codecs: every array is
// re-encoded block by block (memory stays bounded by `memory_budget`), attributes are copied.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "ngff/store/store.hpp"
#include "ngff/util/json.hpp"
#include "ngff/zarr/array_spec.hpp"
#include "ngff/zarr/region.hpp"

namespace ngff::zarr {

class Array;

struct ConvertOptions {
  std::optional<int> zarr_format{};  // default: the source's
  std::optional<Shape> chunks{};     // default: the source's (inner chunks when sharded)
  // Shard shape; empty = not sharded; default: the source's sharding when the output is v3.
  std::optional<Shape> shards{};
  std::optional<std::string> codec{};  // spelling (codec_spelling.hpp); default: the source's
  bool overwrite = false;
  uint64_t memory_budget = 256ull << 20;  // bytes of decoded data held at once per array
  // Called with (bytes done, bytes total) as blocks complete.
  std::function<void(uint64_t, uint64_t)> progress{};
};

// Converts the node at src_path (array or group tree) to dst_path. Returns the number of arrays
// written.
size_t convert_node(const StorePtr& src, const std::string& src_path, const StorePtr& dst,
                    const std::string& dst_path, const ConvertOptions& options);

// Copies every element of `src` into `dst` (same shape and dtype) in blocks aligned to dst's
// chunks, at most `memory_budget` bytes per block. `on_block(bytes)` reports progress. When
// `src` is sparse (its listing shows few stored chunks), dst is new and both have the same fill
// value, only dst's chunks that meet a stored src chunk are read and written: the cost follows
// the data, not the chunk grid.
void copy_array_data(const Array& src, const Array& dst, uint64_t memory_budget,
                     const std::function<void(uint64_t)>& on_block = {});

// The spec of a converted copy of an array with metadata `source`: same shape, dtype, fill value,
// byte order, attributes and dimension names; format, chunks, shards and codec from the arguments
// when given (the source's compression is kept when the target format has it; its sharding when
// the target is v3 and `shards` is not given, an empty `shards` meaning none).
ArraySpec conversion_spec(const ArrayMetadata& source, std::optional<int> zarr_format,
                          const std::optional<Shape>& chunks,
                          const std::optional<std::string>& codec,
                          const std::optional<Shape>& shards = std::nullopt);

// The logical size in bytes of every array under a node (for progress totals).
uint64_t logical_bytes(const StorePtr& store, const std::string& path);

}  // namespace ngff::zarr
