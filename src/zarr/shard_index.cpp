#include "zarr/shard_index.hpp"

#include <cstring>
#include <string>

#include "ngff/error.hpp"

namespace ngff::zarr {

Bytes ShardIndex::to_elements() const {
  Bytes out(entries.size() * 16);
  for (size_t i = 0; i < entries.size(); ++i) {
    std::memcpy(out.data() + 16 * i, &entries[i].offset, 8);
    std::memcpy(out.data() + 16 * i + 8, &entries[i].nbytes, 8);
  }
  return out;
}

ShardIndex ShardIndex::from_elements(ByteView elements, std::optional<uint64_t> shard_bytes,
                                     std::string_view where) {
  ShardIndex index;
  index.entries.resize(elements.size() / 16);
  for (size_t i = 0; i < index.entries.size(); ++i) {
    ShardIndexEntry& e = index.entries[i];
    std::memcpy(&e.offset, elements.data() + 16 * i, 8);
    std::memcpy(&e.nbytes, elements.data() + 16 * i + 8, 8);
    if (e.empty()) continue;
    const std::string entry = std::string(where) + ": shard index entry " + std::to_string(i);
    if (e.offset == ShardIndexEntry::kEmpty || e.nbytes == ShardIndexEntry::kEmpty)
      throw CodecError(entry + " has only one of offset and nbytes set to 2^64-1 (corrupt index)");
    if (e.offset > ShardIndexEntry::kEmpty - e.nbytes)
      throw CodecError(entry + " (offset " + std::to_string(e.offset) + ", " +
                       std::to_string(e.nbytes) + " bytes) overflows (corrupt index)");
    // Written as a subtraction: offset + nbytes may overflow in a hostile index.
    if (shard_bytes && (e.offset > *shard_bytes || e.nbytes > *shard_bytes - e.offset))
      throw CodecError(entry + " (offset " + std::to_string(e.offset) + ", " +
                       std::to_string(e.nbytes) + " bytes) reaches past the end of the " +
                       std::to_string(*shard_bytes) + "-byte shard (corrupt index)");
  }
  return index;
}

bool ShardIndex::all_empty() const {
  for (const auto& e : entries)
    if (!e.empty()) return false;
  return true;
}

}  // namespace ngff::zarr
