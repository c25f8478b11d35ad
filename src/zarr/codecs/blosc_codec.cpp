// Zarr v3 `blosc` codec (bytes -> bytes; zarr-specs v3/codecs/blosc): a c-blosc 1.x buffer
// (16-byte header, then blocks compressed by an inner compressor after an optional byte or bit
// shuffle of `typesize`-byte elements).
//   {"name": "blosc", "configuration": {"cname": "lz4", "clevel": 5, "shuffle": "shuffle",
//                                       "typesize": 4, "blocksize": 0}}                     v3
//   {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1, "blocksize": 0}          v2
//   numcodecs
// cname: lz4, lz4hc, blosclz, zstd, zlib or snappy; clevel 0..9; blocksize 0 lets blosc choose.
// v3 shuffle is "noshuffle", "shuffle" or "bitshuffle"; v2 uses 0, 1, 2 or -1 (bitshuffle for
// one-byte elements, else shuffle). typesize may be omitted: the chunk's element size is then
// used when compressing (decoding never needs it: the header records everything).
// Missing fields take numcodecs' defaults (lz4, 5, shuffle, 0).
#include <blosc.h>

#include <climits>
#include <cstring>

#include "ngff/error.hpp"
#include "zarr/codec_registry.hpp"
#include "zarr/codecs/sized_decompressor.hpp"

namespace ngff::zarr {
namespace {

// No inner compressor expands data by more than about 32768 times (zstd: a 4-byte RLE block
// decodes to 128 KiB); a header claiming more is corrupt.
constexpr size_t kMaxRatio = 65536;

constexpr const char* kCnames[] = {"lz4", "lz4hc", "blosclz", "zstd", "zlib", "snappy"};
constexpr const char* kShuffleNames[] = {"noshuffle", "shuffle", "bitshuffle"};

enum Shuffle : int { kAutoShuffle = -1, kNoShuffle = 0, kByteShuffle = 1, kBitShuffle = 2 };

struct BloscConfig {
  std::string cname = "lz4";
  int clevel = 5;
  int shuffle = kByteShuffle;  // a Shuffle
  size_t typesize = 0;         // 0: the chunk's element size
  size_t blocksize = 0;        // 0: automatic
};

class BloscCodec final : public SizedDecompressor {
 public:
  explicit BloscCodec(BloscConfig config) : c_(std::move(config)) {}

  std::string name() const override { return "blosc"; }

  Json to_json() const override {
    Json config{{"cname", c_.cname},
                {"clevel", c_.clevel},
                {"shuffle", kShuffleNames[resolved_shuffle(c_.typesize)]}};
    if (c_.typesize != 0) config["typesize"] = c_.typesize;
    config["blocksize"] = c_.blocksize;
    return Json{{"name", "blosc"}, {"configuration", std::move(config)}};
  }

  std::optional<Json> to_v2_json() const override {
    return Json{{"id", "blosc"},
                {"cname", c_.cname},
                {"clevel", c_.clevel},
                {"shuffle", c_.shuffle},
                {"blocksize", c_.blocksize}};
  }

  Bytes encode(ByteView in, const ChunkRepr& repr) const override {
    if (in.size() > BLOSC_MAX_BUFFERSIZE)
      throw CodecError("blosc codec: " + std::to_string(in.size()) +
                       " bytes are more than blosc compresses at once (" +
                       std::to_string(BLOSC_MAX_BUFFERSIZE) + ")");
    if (blosc_compname_to_compcode(c_.cname.c_str()) < 0)
      throw CodecError("blosc codec: compressor '" + c_.cname +
                       "' is not available in this build of c-blosc (it has " +
                       blosc_list_compressors() + ")");
    const size_t typesize = c_.typesize != 0 ? c_.typesize : dtype_size(repr.dtype);
    // A compression buffer per thread, reused; only the compressed bytes are copied out.
    thread_local Bytes out;
    if (out.size() < in.size() + BLOSC_MAX_OVERHEAD) out.resize(in.size() + BLOSC_MAX_OVERHEAD);
    const int r = blosc_compress_ctx(c_.clevel, resolved_shuffle(typesize), typesize, in.size(),
                                     in.data(), out.data(), in.size() + BLOSC_MAX_OVERHEAD,
                                     c_.cname.c_str(), c_.blocksize, 1);
    if (r <= 0)
      throw CodecError("blosc codec: compression failed (error " + std::to_string(r) + ")");
    return Bytes(out.begin(), out.begin() + r);
  }

 private:
  size_t decoded_size(ByteView in) const override {
    size_t nbytes = 0;
    if (in.size() < BLOSC_MIN_HEADER_LENGTH ||
        blosc_cbuffer_validate(in.data(), in.size(), &nbytes) != 0)
      throw CodecError("blosc codec: not a blosc buffer of " + std::to_string(in.size()) +
                       " bytes (its header is missing or gives another size: corrupt or "
                       "truncated chunk)");
    if (nbytes > in.size() * kMaxRatio)
      throw CodecError("blosc codec: header claims " + std::to_string(nbytes) + " bytes from " +
                       std::to_string(in.size()) + " compressed bytes (corrupt chunk)");
    return nbytes;
  }

  void decompress_into(ByteView in, MutableByteView out) const override {
    const int r = blosc_decompress_ctx(in.data(), out.data(), out.size(), 1);
    if (r < 0 || static_cast<size_t>(r) != out.size())
      throw CodecError("blosc codec: corrupt compressed data (decompression returned " +
                       std::to_string(r) + ", expected " + std::to_string(out.size()) + " bytes)");
  }

  // The shuffle for elements of `typesize` bytes (0: unknown), resolving numcodecs' -1.
  int resolved_shuffle(size_t typesize) const {
    if (c_.shuffle != kAutoShuffle) return c_.shuffle;
    return typesize == 1 ? kBitShuffle : kByteShuffle;
  }

  BloscConfig c_;
};

// Reads an integer field from lo to hi, keeping `value` when the field is absent.
template <typename T>
void int_field(const Json& object, const char* key, int64_t lo, int64_t hi, std::string_view where,
               T& value) {
  auto it = object.find(key);
  if (it == object.end()) return;
  if (!it->is_number_integer() || (it->is_number_unsigned() && it->get<uint64_t>() > INT64_MAX) ||
      it->get<int64_t>() < lo || it->get<int64_t>() > hi)
    throw MetadataError(std::string(where) + ": '" + key + "' must be an integer from " +
                        std::to_string(lo) + " to " + std::to_string(hi) + ", got " + it->dump());
  value = static_cast<T>(it->get<int64_t>());
}

// The fields v2 and v3 share: cname, clevel, typesize, blocksize.
BloscConfig common_fields(const Json& object, std::string_view where) {
  BloscConfig c;
  if (auto it = object.find("cname"); it != object.end()) {
    bool known = false;
    if (it->is_string())
      for (const char* name : kCnames) known = known || *it == name;
    if (!known)
      throw MetadataError(std::string(where) +
                          ": 'cname' must be one of lz4, lz4hc, blosclz, zstd, zlib, snappy, got " +
                          it->dump());
    c.cname = it->get<std::string>();
  }
  int_field(object, "clevel", 0, 9, where, c.clevel);
  int_field(object, "typesize", 0, INT_MAX, where, c.typesize);
  int_field(object, "blocksize", 0, INT_MAX, where, c.blocksize);
  return c;
}

}  // namespace

void register_blosc_codec(CodecRegistry& r) {
  r.add_v3("blosc", [](const Json& config, std::string_view where) -> CodecPtr {
    BloscConfig c = common_fields(config, where);
    if (auto it = config.find("shuffle"); it != config.end()) {
      int shuffle = -1;
      for (int i = 0; i < 3; ++i)
        if (*it == kShuffleNames[i]) shuffle = i;
      if (shuffle < 0)
        throw MetadataError(std::string(where) +
                            ": 'shuffle' must be \"noshuffle\", \"shuffle\" or \"bitshuffle\", "
                            "got " +
                            it->dump());
      c.shuffle = shuffle;
    }
    return std::make_shared<BloscCodec>(std::move(c));
  });
  r.add_v2("blosc", [](const Json& config, std::string_view where) -> CodecPtr {
    BloscConfig c = common_fields(config, where);
    int_field(config, "shuffle", -1, 2, where, c.shuffle);
    return std::make_shared<BloscCodec>(std::move(c));
  });
}

}  // namespace ngff::zarr
