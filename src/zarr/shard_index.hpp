// The index of a shard (zarr-specs v3 codecs/sharding-indexed): one (offset, nbytes) pair of
// unsigned 64-bit integers per inner chunk, in C order of the inner-chunk grid. An inner chunk
// that is not stored has both set to 2^64-1.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "ngff/store/bytes.hpp"

namespace ngff::zarr {

struct ShardIndexEntry {
  static constexpr uint64_t kEmpty = UINT64_MAX;
  uint64_t offset = kEmpty;
  uint64_t nbytes = kEmpty;
  bool empty() const { return offset == kEmpty && nbytes == kEmpty; }
};

struct ShardIndex {
  std::vector<ShardIndexEntry> entries;

  // The index as native-endian uint64 pairs (what the index codecs encode).
  Bytes to_elements() const;
  // From native-endian uint64 pairs. Checks every entry: both or neither empty, and when
  // `shard_bytes` is known, offset + nbytes inside the shard (no overflow). Throws CodecError
  // naming `where`.
  static ShardIndex from_elements(ByteView elements, std::optional<uint64_t> shard_bytes,
                                  std::string_view where);
  bool all_empty() const;
};

}  // namespace ngff::zarr
