// The v3 `bytes` codec; see src/zarr/codecs/bytes_codec.cpp.
#pragma once

#include "ngff/zarr/codec.hpp"

namespace ngff::zarr {

class BytesCodec final : public ArrayToBytesCodec {
 public:
  explicit BytesCodec(Endian endian);
  std::string name() const override { return "bytes"; }
  Json to_json() const override;
  Bytes encode(const ChunkRepr& repr, ByteView elements) const override;
  void decode(const ChunkRepr& repr, ByteView encoded, MutableByteView out) const override;
  Endian endian() const { return endian_; }

 private:
  bool needs_swap(DataType t) const;
  Endian endian_;
};

}  // namespace ngff::zarr
