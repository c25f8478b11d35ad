// Zarr v3 `zstd` codec (bytes -> bytes; zarr-extensions codecs/zstd): Zstandard frames (RFC 8878).
//   {"name": "zstd", "configuration": {"level": 0, "checksum": false}}    v3
//   {"id": "zstd", "level": 1}  or  {"id": "zstd", "level": 1, "checksum": true}   v2 (numcodecs)
// `level` is any integer: 0 means zstd's default (3), negative levels are faster; out-of-range
// levels are clamped when compressing, as zstd does. `checksum` adds the frame's XXH64 checksum.
// Decoding accepts several concatenated frames and frames without a content size (streaming
// writers), and checks checksums when present.
#include <zstd.h>

#include <algorithm>
#include <climits>
#include <memory>

#include "ngff/error.hpp"
#include "zarr/codec_registry.hpp"

namespace ngff::zarr {
namespace {

// Every block of a frame takes at least 3 bytes and decodes to at most 128 KiB, which bounds the
// decoded size of honest data; a larger claim comes from a corrupt header.
size_t max_decoded_size(size_t compressed) {
  return (compressed / 3 + 1) * ZSTD_BLOCKSIZE_MAX;
}

std::string zstd_error(size_t code) {
  return ZSTD_getErrorName(code);
}

// Contexts are costly to create and hold large tables, so each thread keeps one of each.
ZSTD_CCtx* thread_cctx() {
  struct Free {
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
  };
  thread_local std::unique_ptr<ZSTD_CCtx, Free> ctx(ZSTD_createCCtx());
  if (!ctx) throw std::bad_alloc();
  ZSTD_CCtx_reset(ctx.get(), ZSTD_reset_session_and_parameters);
  return ctx.get();
}

ZSTD_DCtx* thread_dctx() {
  struct Free {
    void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
  };
  thread_local std::unique_ptr<ZSTD_DCtx, Free> ctx(ZSTD_createDCtx());
  if (!ctx) throw std::bad_alloc();
  ZSTD_DCtx_reset(ctx.get(), ZSTD_reset_session_and_parameters);
  return ctx.get();
}

// The total decoded size of the frames in `in`, or ZSTD_CONTENTSIZE_UNKNOWN when a frame does
// not record it. Throws CodecError for data that is not a sequence of whole frames.
unsigned long long decoded_size(ByteView in) {
  unsigned long long total = 0;
  size_t pos = 0;
  while (pos < in.size()) {
    const void* frame = in.data() + pos;
    const unsigned long long size = ZSTD_getFrameContentSize(frame, in.size() - pos);
    if (size == ZSTD_CONTENTSIZE_ERROR)
      throw CodecError("zstd codec: not a zstd frame at byte " + std::to_string(pos) +
                       " (corrupt or truncated chunk)");
    if (size == ZSTD_CONTENTSIZE_UNKNOWN) return ZSTD_CONTENTSIZE_UNKNOWN;
    const size_t frame_size = ZSTD_findFrameCompressedSize(frame, in.size() - pos);
    if (ZSTD_isError(frame_size))
      throw CodecError("zstd codec: " + zstd_error(frame_size) + " (corrupt or truncated chunk)");
    if (size > max_decoded_size(in.size()) - total)
      throw CodecError("zstd codec: frame header claims " + std::to_string(size) +
                       " decoded bytes from " + std::to_string(in.size()) +
                       " compressed bytes (corrupt chunk)");
    total += size;
    pos += frame_size;
  }
  return total;
}

// A compression buffer per thread, reused: compressing writes into it, and only the compressed
// bytes are copied out, so no chunk-sized buffer is allocated and zeroed per chunk.
MutableByteView thread_output(size_t bytes) {
  thread_local Bytes buffer;
  if (buffer.size() < bytes) buffer.resize(bytes);
  return MutableByteView(buffer.data(), bytes);
}

Bytes decompress(ByteView in, size_t size_hint, size_t limit) {
  if (in.empty()) throw CodecError("zstd codec: empty chunk (a zstd frame takes at least 9 bytes)");
  ZSTD_DCtx* dctx = thread_dctx();
  const unsigned long long size = decoded_size(in);
  if (size != ZSTD_CONTENTSIZE_UNKNOWN) {
    Bytes out(size);
    const size_t r = ZSTD_decompressDCtx(dctx, out.data(), out.size(), in.data(), in.size());
    if (ZSTD_isError(r)) throw CodecError("zstd codec: " + zstd_error(r) + " (corrupt chunk)");
    if (r != size)
      throw CodecError("zstd codec: decoded " + std::to_string(r) + " bytes, frame headers say " +
                       std::to_string(size) + " (corrupt chunk)");
    return out;
  }
  // Streaming frames: grow the output until every frame is decoded.
  const size_t bound = std::min(max_decoded_size(in.size()), limit);
  Bytes out(std::clamp<size_t>(size_hint != 0 ? size_hint : in.size() * 4, 64, bound));
  ZSTD_inBuffer input{in.data(), in.size(), 0};
  size_t produced = 0;
  while (true) {
    if (produced == out.size()) {
      if (out.size() >= bound)
        throw CodecError("zstd codec: decodes to more than " + std::to_string(bound) +
                         " bytes, more than its frames or a chunk can hold (corrupt chunk or "
                         "decompression bomb)");
      out.resize(std::min(out.size() * 2, bound));
    }
    ZSTD_outBuffer output{out.data(), out.size(), produced};
    const size_t r = ZSTD_decompressStream(dctx, &output, &input);
    if (ZSTD_isError(r)) throw CodecError("zstd codec: " + zstd_error(r) + " (corrupt chunk)");
    produced = output.pos;
    if (input.pos == input.size) {
      if (r == 0) break;  // the last frame is decoded and flushed
      if (output.pos < output.size)
        throw CodecError("zstd codec: compressed data ends early (truncated chunk)");
    }
  }
  out.resize(produced);
  return out;
}

class ZstdCodec final : public BytesToBytesCodec {
 public:
  ZstdCodec(int level, bool checksum) : level_(level), checksum_(checksum) {}

  std::string name() const override { return "zstd"; }
  Json to_json() const override {
    return Json{{"name", "zstd"}, {"configuration", {{"level", level_}, {"checksum", checksum_}}}};
  }
  // "checksum" only when true, as numcodecs writes it: some v2 readers (ngff-zarr's) reject the
  // member they do not know.
  std::optional<Json> to_v2_json() const override {
    Json j{{"id", "zstd"}, {"level", level_}};
    if (checksum_) j["checksum"] = true;
    return j;
  }

  Bytes encode(ByteView in, const ChunkRepr&) const override {
    ZSTD_CCtx* cctx = thread_cctx();
    const int level = std::clamp(level_, ZSTD_minCLevel(), ZSTD_maxCLevel());
    size_t r = ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
    if (!ZSTD_isError(r)) r = ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, checksum_ ? 1 : 0);
    if (ZSTD_isError(r)) throw CodecError("zstd codec: " + zstd_error(r));
    const size_t bound = ZSTD_compressBound(in.size());
    if (ZSTD_isError(bound) || bound == 0)
      throw CodecError("zstd codec: " + std::to_string(in.size()) +
                       " bytes are too many to compress");
    MutableByteView out = thread_output(bound);
    r = ZSTD_compress2(cctx, out.data(), out.size(), in.data(), in.size());
    if (ZSTD_isError(r)) throw CodecError("zstd codec: compression failed: " + zstd_error(r));
    return Bytes(out.begin(), out.begin() + static_cast<ptrdiff_t>(r));
  }

  void decode_into(ByteView in, MutableByteView out, const ChunkRepr& repr) const override {
    // Frames that record their size (all that zstd's one-shot API writes) decode in place;
    // recording another size is refused before anything is allocated.
    const unsigned long long size = in.empty() ? ZSTD_CONTENTSIZE_UNKNOWN : decoded_size(in);
    if (size == ZSTD_CONTENTSIZE_UNKNOWN) return BytesToBytesCodec::decode_into(in, out, repr);
    if (size != out.size())
      throw CodecError("zstd codec: frame headers say " + std::to_string(size) +
                       " decoded bytes, expected " + std::to_string(out.size()) +
                       " (corrupt chunk)");
    const size_t r =
        ZSTD_decompressDCtx(thread_dctx(), out.data(), out.size(), in.data(), in.size());
    if (ZSTD_isError(r)) throw CodecError("zstd codec: " + zstd_error(r) + " (corrupt chunk)");
    if (r != out.size())
      throw CodecError("zstd codec: decoded " + std::to_string(r) + " bytes, frame headers say " +
                       std::to_string(out.size()) + " (corrupt chunk)");
  }

  Bytes decode(ByteView in, const ChunkRepr& repr) const override {
    // Frame headers claiming more than a chunk can take are refused before allocating.
    if (!in.empty()) {
      const unsigned long long size = decoded_size(in);
      if (size != ZSTD_CONTENTSIZE_UNKNOWN) check_decode_limit(size, repr);
    }
    return decompress(in, repr.num_bytes(), decode_limit(repr));
  }

 private:
  int level_;
  bool checksum_;
};

int level_field(const Json& object, int fallback, std::string_view where) {
  auto it = object.find("level");
  if (it == object.end()) return fallback;
  if (!it->is_number_integer() || (it->is_number_unsigned() && it->get<uint64_t>() > INT_MAX) ||
      it->get<int64_t>() < INT_MIN || it->get<int64_t>() > INT_MAX)
    throw MetadataError(std::string(where) + ": 'level' must be an integer, got " + it->dump());
  return it->get<int>();
}

bool checksum_field(const Json& object, std::string_view where) {
  auto it = object.find("checksum");
  if (it == object.end()) return false;
  if (!it->is_boolean())
    throw MetadataError(std::string(where) + ": 'checksum' must be true or false, got " +
                        it->dump());
  return it->get<bool>();
}

}  // namespace

void register_zstd_codec(CodecRegistry& r) {
  r.add_v3("zstd", [](const Json& config, std::string_view where) -> CodecPtr {
    return std::make_shared<ZstdCodec>(level_field(config, 0, where),
                                       checksum_field(config, where));
  });
  r.add_v2("zstd", [](const Json& config, std::string_view where) -> CodecPtr {
    return std::make_shared<ZstdCodec>(level_field(config, 1, where),
                                       checksum_field(config, where));
  });
}

}  // namespace ngff::zarr
