// Zarr v3 `gzip` codec (bytes -> bytes; zarr-specs v3/codecs/gzip): DEFLATE in the gzip format
// (RFC 1952). v2: numcodecs `gzip`.
//   {"name": "gzip", "configuration": {"level": 5}}     v3, level 0..9
//   {"id": "gzip", "level": 1}                          v2, level -1 (zlib's default) .. 9
// Encoding writes one gzip member with a zero mtime, so equal data gives equal bytes. Decoding
// also accepts zlib-wrapped data, several concatenated members and zero padding after the last,
// as Python's gzip module does.
#include <zlib.h>

#include <algorithm>
#include <climits>

#include "deflate.hpp"
#include "ngff/error.hpp"
#include "zarr/codec_registry.hpp"

namespace ngff::zarr {
namespace {

class GzipCodec final : public BytesToBytesCodec {
 public:
  explicit GzipCodec(int level) : level_(level) {}

  std::string name() const override { return "gzip"; }
  Json to_json() const override {
    // v3 has no "default" level; zlib's default is 6.
    return Json{{"name", "gzip"}, {"configuration", {{"level", level_ < 0 ? 6 : level_}}}};
  }
  std::optional<Json> to_v2_json() const override {
    return Json{{"id", "gzip"}, {"level", level_}};
  }

  Bytes encode(ByteView in, const ChunkRepr&) const override {
    return deflate_bytes(in, level_, kGzipWindowBits, "gzip");
  }
  Bytes decode(ByteView in, const ChunkRepr& repr) const override {
    // A single member ends with its decoded size modulo 2^32 (ISIZE), else use the chunk's.
    size_t hint = repr.num_bytes();
    if (in.size() >= 18 && in[0] == std::byte{0x1f} && in[1] == std::byte{0x8b}) {
      uint32_t isize = 0;
      for (size_t i = 0; i < 4; ++i)
        isize |= static_cast<uint32_t>(in[in.size() - 4 + i]) << (8 * i);
      if (isize != 0) hint = isize;
    }
    return inflate_any(in, hint, decode_limit(repr), "gzip");
  }

 private:
  int level_;
};

}  // namespace

void register_gzip_codec(CodecRegistry& r) {
  r.add_v3("gzip", [](const Json& config, std::string_view where) -> CodecPtr {
    return std::make_shared<GzipCodec>(deflate_level_field(config, 5, 0, 9, where));
  });
  r.add_v2("gzip", [](const Json& config, std::string_view where) -> CodecPtr {
    return std::make_shared<GzipCodec>(deflate_level_field(config, 1, -1, 9, where));
  });
}

}  // namespace ngff::zarr
