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

}  // namespace ngff::zarr
