// numcodecs `zlib` codec (bytes -> bytes): DEFLATE in the zlib format (RFC 1950).
//   {"id": "zlib", "level": 1}                                    v2, level -1 (default) .. 9
//   {"name": "numcodecs.zlib", "configuration": {"level": 1}}     v3 (zarr-extensions)
// "zlib" is accepted as a v3 name too. Decoding also accepts gzip-wrapped data and several
// concatenated streams.
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <string>

#include "deflate.hpp"
#include "ngff/error.hpp"
#include "zarr/codec_registry.hpp"

namespace ngff::zarr {
namespace {

class ZlibCodec final : public BytesToBytesCodec {
 public:
  // `v3_name`: "numcodecs.zlib" or "zlib", the name to_json() writes.
  ZlibCodec(int level, std::string v3_name) : level_(level), v3_name_(std::move(v3_name)) {}

  std::string name() const override { return v3_name_; }
  Json to_json() const override {
    return Json{{"name", v3_name_}, {"configuration", {{"level", level_}}}};
  }
  std::optional<Json> to_v2_json() const override {
    return Json{{"id", "zlib"}, {"level", level_}};
  }

  Bytes encode(ByteView in, const ChunkRepr&) const override {
    return deflate_bytes(in, level_, kZlibWindowBits, "zlib");
  }
  Bytes decode(ByteView in, const ChunkRepr& repr) const override {
    return inflate_any(in, repr.num_bytes(), decode_limit(repr), "zlib");
  }

 private:
  int level_;
  std::string v3_name_;
};

}  // namespace

void register_zlib_codec(CodecRegistry& r) {
  for (const char* name : {"numcodecs.zlib", "zlib"})
    r.add_v3(name, [name](const Json& config, std::string_view where) -> CodecPtr {
      return std::make_shared<ZlibCodec>(deflate_level_field(config, 1, -1, 9, where), name);
    });
  r.add_v2("zlib", [](const Json& config, std::string_view where) -> CodecPtr {
    return std::make_shared<ZlibCodec>(deflate_level_field(config, 1, -1, 9, where),
                                       "numcodecs.zlib");
  });
}

}  // namespace ngff::zarr
