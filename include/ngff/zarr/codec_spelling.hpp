// The command-line spelling of compression (docs/usage.md):
//   raw | gzip[:LEVEL] | zstd[:LEVEL] | blosc[:CNAME[:LEVEL[:SHUFFLE]]] | lz4   [+crc32c]
// parsed into the v3 JSON of the bytes->bytes codecs it names.
#pragma once

#include <string_view>

#include "ngff/util/json.hpp"
#include "ngff/zarr/dtype.hpp"

namespace ngff::zarr {

// The bytes->bytes codecs (v3 JSON list) for `spelling`; blosc gets the typesize of `dtype`.
// `zarr_format` (2 or 3; 0 = either) rejects what the format cannot hold: `lz4` is a Zarr v2
// (numcodecs) codec, `+crc32c` a Zarr v3 one. Throws UsageError naming the bad part.
Json parse_codec_spelling(std::string_view spelling, DataType dtype, int zarr_format = 0);

// The default compression of new arrays: blosc with lz4 level 5 and byte shuffling (bit
// shuffling for 1-byte types, where it compresses better), zarr-python 2's default (numcodecs
// Blosc(), which byte-shuffles every type), so the codec of much of the Zarr data already written.
// On a noisy uint16 microscopy stack its files are 10% larger than blosc with zstd level 1 but 11%
// smaller than plain zstd level 3, and a TIFF conversion takes 36% less time than with blosc:zstd:1
// (zstd was half of its CPU time); lz4 also decodes several times faster than zstd.
inline constexpr std::string_view kDefaultCodecSpelling = "blosc:lz4:5";

}  // namespace ngff::zarr
