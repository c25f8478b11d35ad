// numcodecs `lz4` codec (bytes -> bytes): one LZ4 block (not the LZ4 frame format) after the
// decoded size as 4 little-endian bytes.
//   {"id": "lz4", "acceleration": 1}                                   v2
//   {"name": "numcodecs.lz4", "configuration": {"acceleration": 1}}    v3 (zarr-extensions)
// Larger accelerations compress faster and less; values below 1 mean 1.
#include <lz4.h>

#include <climits>

#include "ngff/error.hpp"
#include "zarr/codec_registry.hpp"
#include "zarr/codecs/sized_decompressor.hpp"

namespace ngff::zarr {
namespace {

constexpr size_t kHeaderSize = 4;
// An LZ4 block cannot expand data by more than about 255 times (a match length grows by 255 per
// byte); a header claiming more is corrupt. The margin covers tiny blocks.
constexpr size_t kMaxRatio = 256;
constexpr size_t kRatioSlack = 1024;

class Lz4Codec final : public SizedDecompressor {
 public:
  explicit Lz4Codec(int acceleration) : acceleration_(acceleration) {}

  std::string name() const override { return "numcodecs.lz4"; }
  Json to_json() const override {
    return Json{{"name", "numcodecs.lz4"}, {"configuration", {{"acceleration", acceleration_}}}};
  }
  std::optional<Json> to_v2_json() const override {
    return Json{{"id", "lz4"}, {"acceleration", acceleration_}};
  }

  Bytes encode(ByteView in, const ChunkRepr&) const override {
    if (in.size() > LZ4_MAX_INPUT_SIZE)
      throw CodecError("lz4 codec: " + std::to_string(in.size()) +
                       " bytes are more than LZ4 compresses at once (" +
                       std::to_string(LZ4_MAX_INPUT_SIZE) + ")");
    const int size = static_cast<int>(in.size());
    const int bound = LZ4_compressBound(size);
    Bytes out(kHeaderSize + static_cast<size_t>(bound));
    for (size_t i = 0; i < kHeaderSize; ++i)
      out[i] = static_cast<std::byte>(static_cast<uint32_t>(size) >> (8 * i));
    const int written = LZ4_compress_fast(reinterpret_cast<const char*>(in.data()),
                                          reinterpret_cast<char*>(out.data() + kHeaderSize), size,
                                          bound, acceleration_);
    if (written <= 0) throw CodecError("lz4 codec: compression failed");
    out.resize(kHeaderSize + static_cast<size_t>(written));
    return out;
  }

 private:
  // The decoded size is the 4-byte little-endian prefix.
  size_t decoded_size(ByteView in) const override {
    if (in.size() < kHeaderSize + 1)
      throw CodecError("lz4 codec: " + std::to_string(in.size()) +
                       " bytes are too few for a size header and an LZ4 block (truncated chunk)");
    uint32_t size = 0;
    for (size_t i = 0; i < kHeaderSize; ++i) size |= static_cast<uint32_t>(in[i]) << (8 * i);
    const size_t compressed = in.size() - kHeaderSize;
    if (compressed > INT_MAX || size > LZ4_MAX_INPUT_SIZE ||
        size > compressed * kMaxRatio + kRatioSlack)
      throw CodecError("lz4 codec: header claims " + std::to_string(size) + " bytes from " +
                       std::to_string(compressed) + " compressed bytes (corrupt chunk)");
    return size;
  }

  void decompress_into(ByteView in, MutableByteView out) const override {
    const int r = LZ4_decompress_safe(
        reinterpret_cast<const char*>(in.data() + kHeaderSize), reinterpret_cast<char*>(out.data()),
        static_cast<int>(in.size() - kHeaderSize), static_cast<int>(out.size()));
    if (r < 0) throw CodecError("lz4 codec: corrupt or truncated LZ4 block");
    if (static_cast<size_t>(r) != out.size())
      throw CodecError("lz4 codec: decoded " + std::to_string(r) + " bytes, header says " +
                       std::to_string(out.size()) + " (corrupt chunk)");
  }

  int acceleration_;
};

int acceleration_field(const Json& object, std::string_view where) {
  auto it = object.find("acceleration");
  if (it == object.end()) return 1;
  if (!it->is_number_integer() || (it->is_number_unsigned() && it->get<uint64_t>() > INT_MAX) ||
      it->get<int64_t>() < INT_MIN || it->get<int64_t>() > INT_MAX)
    throw MetadataError(std::string(where) + ": 'acceleration' must be an integer, got " +
                        it->dump());
  return it->get<int>();
}

}  // namespace

void register_lz4_codec(CodecRegistry& r) {
  r.add_v3("numcodecs.lz4", [](const Json& config, std::string_view where) -> CodecPtr {
    return std::make_shared<Lz4Codec>(acceleration_field(config, where));
  });
  r.add_v2("lz4", [](const Json& config, std::string_view where) -> CodecPtr {
    return std::make_shared<Lz4Codec>(acceleration_field(config, where));
  });
}

}  // namespace ngff::zarr
