// The three kinds of Zarr v3 codec (array->array, array->bytes, bytes->bytes). v2 `filters`,
// `compressor` and `order` are expressed as the same kinds, so one pipeline serves both formats.
// Codecs work on bytes plus a description of the chunk (ChunkRepr), never on templated element
// types.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ngff/store/bytes.hpp"
#include "ngff/util/json.hpp"
#include "ngff/zarr/dtype.hpp"

namespace ngff::zarr {

// What a codec is given to encode or decode: the shape of the chunk as it reaches this codec and
// its data type. Decoded arrays are contiguous, C order, native byte order.
struct ChunkRepr {
  std::vector<uint64_t> shape;
  DataType dtype = DataType::uint8;

  uint64_t num_elements() const {
    uint64_t n = 1;
    for (auto s : shape) n *= s;
    return n;
  }
  uint64_t num_bytes() const { return num_elements() * dtype_size(dtype); }
};

class Codec {
 public:
  virtual ~Codec() = default;
  // The v3 name ("gzip", "bytes", ...).
  virtual std::string name() const = 0;
  // The v3 JSON form {"name": ..., "configuration": {...}}.
  virtual Json to_json() const = 0;
  // The v2 (numcodecs) JSON form {"id": ..., ...}, or nullopt when the codec has none.
  virtual std::optional<Json> to_v2_json() const { return std::nullopt; }
};

class ArrayToArrayCodec : public Codec {
 public:
  // The representation produced by encode() from `decoded`.
  virtual ChunkRepr encoded_repr(const ChunkRepr& decoded) const = 0;
  // `in` and `out` both hold decoded.num_bytes() bytes and do not overlap.
  virtual void encode(const ChunkRepr& decoded, ByteView in, MutableByteView out) const = 0;
  virtual void decode(const ChunkRepr& decoded, ByteView in, MutableByteView out) const = 0;
};

class ArrayToBytesCodec : public Codec {
 public:
  virtual Bytes encode(const ChunkRepr& repr, ByteView elements) const = 0;
  // Decodes into `out` (repr.num_bytes() bytes, native order). Throws CodecError on bad input.
  virtual void decode(const ChunkRepr& repr, ByteView encoded, MutableByteView out) const = 0;
};

class BytesToBytesCodec : public Codec {
 public:
  // `repr` is the array the bytes encode (blosc uses its element size as typesize).
  virtual Bytes encode(ByteView in, const ChunkRepr& repr) const = 0;
  virtual Bytes decode(ByteView in, const ChunkRepr& repr) const = 0;
  // Decodes into `out`, which must be exactly the decoded size (the last stage of a chunk's
  // decoding writes straight into the caller's buffer). The default decodes, then copies;
  // compressors that know their decoded size override it. Throws CodecError on a size mismatch.
  virtual void decode_into(ByteView in, MutableByteView out, const ChunkRepr& repr) const;

  // The most bytes one decoding stage may produce for a chunk `repr`: twice its size, plus 64
  // bytes an element (a shard of one-element inner chunks spends up to that on its index and
  // their framing), plus 1 MiB. A header or stream claiming more is a corrupt chunk or a
  // decompression bomb, refused before anything is allocated.
  static uint64_t decode_limit(const ChunkRepr& repr);
  // Throws CodecError naming this codec when `decoded` exceeds decode_limit(repr).
  void check_decode_limit(uint64_t decoded, const ChunkRepr& repr) const;
};

using CodecPtr = std::shared_ptr<const Codec>;

}  // namespace ngff::zarr
