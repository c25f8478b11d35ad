#include "deflate.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <string>

#include "ngff/error.hpp"

namespace ngff::zarr {
namespace {

// DEFLATE cannot expand data by more than this factor (a 258-byte match in about 2 bits).
constexpr size_t kMaxDeflateRatio = 1032;
constexpr int kAutoDetectWindowBits = 15 + 32;

}  // namespace

int deflate_level_field(const Json& object, int fallback, int lo, int hi, std::string_view where) {
  auto it = object.find("level");
  if (it == object.end()) return fallback;
  if (!it->is_number_integer() || (it->is_number_unsigned() && it->get<uint64_t>() > INT_MAX) ||
      it->get<int64_t>() < lo || it->get<int64_t>() > hi)
    throw MetadataError(std::string(where) + ": 'level' must be an integer from " +
                        std::to_string(lo) + " to " + std::to_string(hi) + ", got " + it->dump());
  return it->get<int>();
}

struct DeflateStream {
  z_stream s{};
  ~DeflateStream() { deflateEnd(&s); }
};
struct InflateStream {
  z_stream s{};
  ~InflateStream() { inflateEnd(&s); }
};

Bytes deflate_bytes(ByteView in, int level, int window_bits, std::string_view codec) {
  DeflateStream z;
  if (deflateInit2(&z.s, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw CodecError(std::string(codec) + " codec: cannot initialise zlib (level " +
                     std::to_string(level) + ")");
  Bytes out(deflateBound(&z.s, in.size()));
  auto* next_in = reinterpret_cast<const Bytef*>(in.data());
  size_t in_left = in.size();
  size_t produced = 0;
  while (true) {
    const auto in_chunk = static_cast<uInt>(std::min<size_t>(in_left, UINT_MAX));
    if (produced == out.size()) out.resize(out.size() + out.size() / 2 + 64);
    const auto out_chunk = static_cast<uInt>(std::min<size_t>(out.size() - produced, UINT_MAX));
    z.s.next_in = const_cast<Bytef*>(next_in);
    z.s.avail_in = in_chunk;
    z.s.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    z.s.avail_out = out_chunk;
    const int ret = deflate(&z.s, in_chunk == in_left ? Z_FINISH : Z_NO_FLUSH);
    next_in += in_chunk - z.s.avail_in;
    in_left -= in_chunk - z.s.avail_in;
    produced += out_chunk - z.s.avail_out;
    if (ret == Z_STREAM_END) break;
    if (ret != Z_OK && ret != Z_BUF_ERROR)
      throw CodecError(std::string(codec) + " codec: compression failed (zlib error " +
                       std::to_string(ret) + ")");
  }
  out.resize(produced);
  return out;
}

// Inflates gzip or zlib streams (one or more, optionally followed by zero bytes). `size_hint` is
// the expected decoded size, or 0 when unknown; more than `limit` bytes is an error.
Bytes inflate_any(ByteView in, size_t size_hint, size_t limit, std::string_view codec) {
  InflateStream z;
  if (inflateInit2(&z.s, kAutoDetectWindowBits) != Z_OK)
    throw CodecError(std::string(codec) + " codec: cannot initialise zlib");
  const size_t bound = std::min(in.size() * kMaxDeflateRatio + 64, limit);
  size_t capacity = size_hint != 0 ? size_hint : in.size() * 4;
  Bytes out(std::clamp<size_t>(capacity, 64, bound));
  auto* next_in = reinterpret_cast<const Bytef*>(in.data());
  size_t in_left = in.size();
  size_t produced = 0;
  while (true) {
    const auto in_chunk = static_cast<uInt>(std::min<size_t>(in_left, UINT_MAX));
    const auto out_chunk = static_cast<uInt>(std::min<size_t>(out.size() - produced, UINT_MAX));
    z.s.next_in = const_cast<Bytef*>(next_in);
    z.s.avail_in = in_chunk;
    z.s.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    z.s.avail_out = out_chunk;
    const int ret = inflate(&z.s, Z_NO_FLUSH);
    next_in += in_chunk - z.s.avail_in;
    in_left -= in_chunk - z.s.avail_in;
    produced += out_chunk - z.s.avail_out;
    if (ret == Z_STREAM_END) {
      while (in_left > 0 && *next_in == 0) {
        ++next_in;
        --in_left;
      }
      if (in_left == 0) break;
      inflateReset(&z.s);  // another member follows
    } else if (ret == Z_BUF_ERROR) {
      // No progress: either the input ran out or the output is full. When it is full, inflate()
      // was first called again with no room, which lets it finish a stream that ends there.
      if (produced < out.size())
        throw CodecError(std::string(codec) +
                         " codec: compressed data ends early (truncated chunk)");
      if (out.size() >= bound)
        throw CodecError(std::string(codec) + " codec: decodes to more than " +
                         std::to_string(bound) +
                         " bytes, more than a chunk can take (corrupt chunk or decompression "
                         "bomb)");
      out.resize(std::min(out.size() * 2, bound));
    } else if (ret != Z_OK) {
      throw CodecError(std::string(codec) + " codec: corrupt compressed data (" +
                       (z.s.msg ? z.s.msg : "zlib error " + std::to_string(ret)) + ")");
    }
  }
  out.resize(produced);
  return out;
}

}  // namespace ngff::zarr
