// The arrays whose chunks fuzz_chunk_decode feeds with fuzzed bytes: one per codec chain that
// reaches a decoder (every compressor, crc32c, big-endian bytes, transpose, v2 F order, and
// sharding with the index at either end), each small so an input decodes fast.
// make_fuzz_seeds writes a valid chunk of each as a seed.
#pragma once

#include <string_view>

namespace ngff::fuzz {

struct ChunkConfig {
  std::string_view key;       // the metadata document's key
  std::string_view metadata;  // its text
  std::string_view chunk;     // the key of chunk 0
};

inline constexpr ChunkConfig kChunkConfigs[] = {
// clang-format off
#define NGFF_V3(codecs)                                                                      \
  {"zarr.json",                                                                              \
   R"({"zarr_format": 3, "node_type": "array", "shape": [24, 20], "data_type": "uint16",)"   \
   R"("chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [16, 16]}},)"       \
   R"("chunk_key_encoding": {"name": "default"}, "fill_value": 7, "codecs": )" codecs "}",   \
   "c/0/0"}
    // clang-format on
    NGFF_V3(R"([{"name": "bytes", "configuration": {"endian": "little"}}])"),
    NGFF_V3(R"([{"name": "bytes", "configuration": {"endian": "big"}}])"),
    NGFF_V3(R"([{"name": "transpose", "configuration": {"order": [1, 0]}},
                {"name": "bytes", "configuration": {"endian": "little"}}])"),
    NGFF_V3(R"([{"name": "bytes", "configuration": {"endian": "little"}},
                {"name": "gzip", "configuration": {"level": 5}}])"),
    NGFF_V3(R"([{"name": "bytes", "configuration": {"endian": "little"}},
                {"name": "numcodecs.zlib", "configuration": {"level": 5}}])"),
    NGFF_V3(R"([{"name": "bytes", "configuration": {"endian": "little"}},
                {"name": "zstd", "configuration": {"level": 3, "checksum": true}}])"),
    NGFF_V3(R"([{"name": "bytes", "configuration": {"endian": "little"}},
                {"name": "blosc", "configuration": {"cname": "lz4", "clevel": 5,
                 "shuffle": "shuffle", "typesize": 2, "blocksize": 0}}])"),
    NGFF_V3(R"([{"name": "bytes", "configuration": {"endian": "little"}},
                {"name": "blosc", "configuration": {"cname": "zstd", "clevel": 5,
                 "shuffle": "bitshuffle", "typesize": 2, "blocksize": 256}}])"),
    NGFF_V3(R"([{"name": "bytes", "configuration": {"endian": "little"}},
                {"name": "numcodecs.lz4", "configuration": {"acceleration": 1}}])"),
    NGFF_V3(R"([{"name": "bytes", "configuration": {"endian": "little"}},
                {"name": "crc32c"}])"),
    NGFF_V3(R"([{"name": "sharding_indexed", "configuration": {"chunk_shape": [8, 8],
                 "codecs": [{"name": "bytes", "configuration": {"endian": "little"}},
                            {"name": "zstd", "configuration": {"level": 1, "checksum": false}}],
                 "index_codecs": [{"name": "bytes", "configuration": {"endian": "little"}},
                                  {"name": "crc32c"}],
                 "index_location": "end"}}])"),
    NGFF_V3(R"([{"name": "sharding_indexed", "configuration": {"chunk_shape": [4, 8],
                 "codecs": [{"name": "bytes", "configuration": {"endian": "big"}}],
                 "index_codecs": [{"name": "bytes", "configuration": {"endian": "little"}}],
                 "index_location": "start"}}])"),
#undef NGFF_V3
    {".zarray",
     R"({"zarr_format": 2, "shape": [24, 20], "chunks": [16, 16], "dtype": ">i4", "order": "F",
         "fill_value": -1, "filters": null, "compressor": {"id": "blosc", "cname": "zlib",
         "clevel": 1, "shuffle": 1, "blocksize": 0}, "dimension_separator": "/"})",
     "0/0"},
    {".zarray",
     R"({"zarr_format": 2, "shape": [24, 20], "chunks": [16, 16], "dtype": "<f8", "order": "C",
         "fill_value": "NaN", "filters": null, "compressor": {"id": "zstd", "level": 1}})",
     "0.0"},
};

}  // namespace ngff::fuzz
