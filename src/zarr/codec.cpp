#include "zarr/codec.hpp"

#include <cstring>

#include "ngff/error.hpp"

namespace ngff::zarr {

void BytesToBytesCodec::decode_into(ByteView in, MutableByteView out, const ChunkRepr& repr) const {
  Bytes decoded = decode(in, repr);
  if (decoded.size() != out.size())
    throw CodecError(name() + " codec: decodes to " + std::to_string(decoded.size()) +
                     " bytes, expected " + std::to_string(out.size()) + " (corrupt chunk)");
  if (!decoded.empty()) std::memcpy(out.data(), decoded.data(), decoded.size());
}

uint64_t BytesToBytesCodec::decode_limit(const ChunkRepr& repr) {
  return 2 * repr.num_bytes() + 64 * repr.num_elements() + (uint64_t{1} << 20);
}

void BytesToBytesCodec::check_decode_limit(uint64_t decoded, const ChunkRepr& repr) const {
  if (decoded > decode_limit(repr))
    throw CodecError(name() + " codec: decodes to more than " + std::to_string(decode_limit(repr)) +
                     " bytes, more than a chunk of " + std::to_string(repr.num_bytes()) +
                     " bytes can take (corrupt chunk or decompression bomb)");
}

}  // namespace ngff::zarr
