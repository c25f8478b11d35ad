// A bytes->bytes codec whose encoded form states its decoded size up front (blosc's header,
// numcodecs lz4's 4-byte prefix): decoding checks that size, then decompresses into a buffer of
// exactly that size — the caller's own buffer when it is the chunk's last stage. A size above
// decode_limit (a decompression bomb), or other than the caller's buffer, is refused before
// anything is allocated.
#pragma once

#include <string>

#include "ngff/error.hpp"
#include "zarr/codec.hpp"

namespace ngff::zarr {

class SizedDecompressor : public BytesToBytesCodec {
 public:
  Bytes decode(ByteView in, const ChunkRepr& repr) const final {
    const size_t size = decoded_size(in);
    check_decode_limit(size, repr);
    Bytes out(size);
    decompress_into(in, out);
    return out;
  }

  void decode_into(ByteView in, MutableByteView out, const ChunkRepr&) const final {
    const size_t size = decoded_size(in);
    if (size != out.size())
      throw CodecError(name() + " codec: header says " + std::to_string(size) +
                       " decoded bytes, expected " + std::to_string(out.size()) +
                       " (corrupt chunk)");
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
