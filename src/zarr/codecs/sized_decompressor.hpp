// A bytes->bytes codec whose encoded form states its decoded size up front (blosc's header,
// numcodecs lz4's 4-byte prefix): decoding checks that size, then decompresses into a buffer of
// exactly that size — the caller's own buffer when it is the chunk's last stage.
#pragma once

#include "zarr/codec.hpp"

namespace ngff::zarr {

class SizedDecompressor : public BytesToBytesCodec {
 public:
  Bytes decode(ByteView in, const ChunkRepr&) const final {
    Bytes out(decoded_size(in));
    decompress_into(in, out);
    return out;
  }

  void decode_into(ByteView in, MutableByteView out, const ChunkRepr& repr) const final {
    if (decoded_size(in) != out.size()) return BytesToBytesCodec::decode_into(in, out, repr);
    decompress_into(in, out);
  }

 protected:
  // The decoded size that the header of `in` gives, after checking the header is sane. Throws
  // CodecError.
  virtual size_t decoded_size(ByteView in) const = 0;
  // Decompresses `in` into `out` (decoded_size(in) bytes). Throws CodecError.
  virtual void decompress_into(ByteView in, MutableByteView out) const = 0;
};

}  // namespace ngff::zarr
