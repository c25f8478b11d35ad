// Bounds on what metadata may ask ngff to allocate. A chunk (or shard) is decoded into memory
// whole, so metadata read from anyone must not be able to make ngff allocate without limit:
// arrays whose chunk exceeds the limit, or whose shape or chunk products overflow 64 bits, are
// refused with MetadataError when their metadata is parsed, and decoders refuse streams that
// claim to decode to more than a chunk of their array can hold (CodecError) before allocating.
#pragma once

#include <cstdint>

namespace ngff::zarr {

// The most bytes one decoded chunk or shard may take: 4 GiB unless the environment variable
// NGFF_MAX_CHUNK_BYTES (read once) or set_max_chunk_bytes says otherwise.
uint64_t max_chunk_bytes();
// Sets the limit for the whole process (0 restores the default). Not meant to change while
// arrays are being opened on other threads.
void set_max_chunk_bytes(uint64_t bytes);

}  // namespace ngff::zarr
