#include "ngff/zarr/codec_spelling.hpp"

#include <charconv>
#include <string>
#include <vector>

#include "ngff/error.hpp"
#include "util/strings.hpp"

namespace ngff::zarr {
namespace {

int parse_level(std::string_view s, int lo, int hi, std::string_view whole) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi)
    throw UsageError("codec '" + std::string(whole) + "': level '" + std::string(s) +
                     "' must be an integer in " + std::to_string(lo) + ".." + std::to_string(hi));
  return v;
}

Json compressor(const std::vector<std::string_view>& p, DataType dtype, std::string_view whole) {
  const std::string name(p[0]);
  auto too_many = [&](size_t max) {
    if (p.size() > max)
      throw UsageError("codec '" + std::string(whole) + "': too many ':' parts for " + name);
  };
  if (name == "gzip") {
    too_many(2);
    return {{"name", "gzip"},
            {"configuration", {{"level", p.size() > 1 ? parse_level(p[1], 0, 9, whole) : 5}}}};
  }
  if (name == "zstd") {
    too_many(2);
    return {{"name", "zstd"},
            {"configuration",
             {{"level", p.size() > 1 ? parse_level(p[1], -131072, 22, whole) : 3},
              {"checksum", false}}}};
  }
  if (name == "blosc") {
    too_many(4);
    std::string cname(p.size() > 1 && !p[1].empty() ? p[1] : "lz4");
    static const char* cnames[] = {"lz4", "lz4hc", "blosclz", "zstd", "zlib"};
    if (std::find(std::begin(cnames), std::end(cnames), cname) == std::end(cnames))
      throw UsageError("codec '" + std::string(whole) + "': unknown blosc compressor '" + cname +
                       "' (expected lz4, lz4hc, blosclz, zstd or zlib)");
    int level = p.size() > 2 && !p[2].empty() ? parse_level(p[2], 0, 9, whole) : 5;
    std::string shuffle(p.size() > 3 ? p[3] : (dtype_size(dtype) == 1 ? "bitshuffle" : "shuffle"));
    if (shuffle != "noshuffle" && shuffle != "shuffle" && shuffle != "bitshuffle")
      throw UsageError("codec '" + std::string(whole) + "': shuffle '" + shuffle +
                       "' must be noshuffle, shuffle or bitshuffle");
    return {{"name", "blosc"},
            {"configuration",
             {{"cname", cname},
              {"clevel", level},
              {"shuffle", shuffle},
              {"typesize", dtype_size(dtype)},
              {"blocksize", 0}}}};
  }
  if (name == "lz4") {
    too_many(1);
    return {{"name", "numcodecs.lz4"}, {"configuration", {{"acceleration", 1}}}};
  }
  throw UsageError("unknown codec '" + std::string(whole) +
                   "' (expected raw, gzip[:LEVEL], zstd[:LEVEL], "
                   "blosc[:CNAME[:LEVEL[:SHUFFLE]]] or lz4, optionally +crc32c)");
}

}  // namespace

Json parse_codec_spelling(std::string_view spelling, DataType dtype, int zarr_format) {
  Json out = Json::array();
  auto parts = split(spelling, '+');
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    if (part == "crc32c" && zarr_format == 2)
      throw UsageError("codec '" + std::string(spelling) +
                       "': +crc32c is a Zarr v3 checksum (use --zarr-format 3)");
    if (part.substr(0, 3) == "lz4" && i == 0 && zarr_format == 3)
      throw UsageError("codec '" + std::string(spelling) +
                       "': lz4 is a Zarr v2 (numcodecs) codec; in Zarr v3 use blosc:lz4");
    if (part == "crc32c") {
      if (i + 1 != parts.size())
        throw UsageError("codec '" + std::string(spelling) + "': crc32c must come last");
      out.push_back({{"name", "crc32c"}});
    } else if (part == "raw") {
      if (i != 0) throw UsageError("codec '" + std::string(spelling) + "': raw must come first");
    } else if (i == 0) {
      out.push_back(compressor(split(part, ':'), dtype, spelling));
    } else {
      throw UsageError("codec '" + std::string(spelling) + "': only +crc32c may follow a codec");
    }
  }
  return out;
}

}  // namespace ngff::zarr
