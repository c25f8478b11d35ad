// DEFLATE through zlib, shared by the gzip and zlib codecs (they differ only in the stream
// wrapper: gzip, RFC 1952, or zlib, RFC 1950).
#pragma once

#include <string_view>

#include "ngff/store/bytes.hpp"
#include "ngff/util/json.hpp"

namespace ngff::zarr {

inline constexpr int kZlibWindowBits = 15;
inline constexpr int kGzipWindowBits = 15 + 16;

// The integer "level" of a codec configuration, `fallback` when absent; MetadataError naming
// `where` when it is not an integer in [lo, hi].
int deflate_level_field(const Json& object, int fallback, int lo, int hi, std::string_view where);

// Compresses `in` as one stream with the wrapper `window_bits` selects.
Bytes deflate_bytes(ByteView in, int level, int window_bits, std::string_view codec);

// Inflates gzip or zlib streams (one or more, optionally followed by zero bytes). `size_hint` is
// the expected decoded size, or 0 when unknown. CodecError names `codec` on corrupt input.
Bytes inflate_any(ByteView in, size_t size_hint, size_t limit, std::string_view codec);

}  // namespace ngff::zarr
