// The v3 `bytes` codec; see src/zarr/codecs/bytes_codec.cpp.
#pragma once

#include "zarr/codec.hpp"

namespace ngff::zarr {

class BytesCodec final : public ArrayToBytesCodec {
 public:
  explicit BytesCodec(Endian endian);
  std::string name() const override { return "bytes"; }
  Json to_json() const override;
  Bytes encode(const ChunkRepr& repr, ByteView elements) const override;
  void decode(const ChunkRepr& repr, ByteView encoded, MutableByteView out) const override;
  Endian endian() const { return endian_; }
  // True when decoding is at most an in-place byte swap of `repr.num_bytes()` bytes (false when
  // the endian is missing for a multi-byte type, which decode() reports).
  bool decodes_in_place(const ChunkRepr& repr) const;
  // True when encoding `repr` changes nothing (native byte order or 1-byte elements): the
  // pipeline then compresses the caller's chunk without a copy.
  bool encodes_unchanged(const ChunkRepr& repr) const {
    return decodes_in_place(repr) && !needs_swap(repr.dtype);
  }
  // The in-place decode: bytes already in `data` put into native byte order.
  void decode_in_place(const ChunkRepr& repr, MutableByteView data) const;

 private:
  bool needs_swap(DataType t) const;
  Endian endian_;
};

}  // namespace ngff::zarr
