// Zarr v3 `bytes` codec (array -> bytes): elements in C order with a fixed byte order.
//   {"name": "bytes", "configuration": {"endian": "little"}}
// `endian` may be omitted for one-byte types. v2 has no codec for this: the byte order is part
// of the dtype string ("<u2"), which the v2 metadata maps onto this codec.
#include <cstring>

#include "ngff/error.hpp"
#include "zarr/codec_registry.hpp"
#include "zarr/codecs/bytes_codec.hpp"

namespace ngff::zarr {

BytesCodec::BytesCodec(Endian endian) : endian_(endian) {}

Json BytesCodec::to_json() const {
  Json j{{"name", "bytes"}};
  if (endian_ != Endian::not_applicable)
    j["configuration"] = {{"endian", endian_ == Endian::big ? "big" : "little"}};
  else
    j["configuration"] = Json::object();
  return j;
}

bool BytesCodec::needs_swap(DataType t) const {
  return endian_ != Endian::not_applicable && dtype_component_size(t) > 1 &&
         endian_ != native_endian();
}

Bytes BytesCodec::encode(const ChunkRepr& repr, ByteView elements) const {
  Bytes out(elements.begin(), elements.end());
  if (needs_swap(repr.dtype)) byteswap_elements(out.data(), repr.num_elements(), repr.dtype);
  return out;
}

void BytesCodec::decode(const ChunkRepr& repr, ByteView encoded, MutableByteView out) const {
  if (encoded.size() != repr.num_bytes())
    throw CodecError("bytes codec: chunk holds " + std::to_string(encoded.size()) +
                     " bytes, expected " + std::to_string(repr.num_bytes()) +
                     " (truncated or corrupt chunk)");
  if (endian_ == Endian::not_applicable && dtype_component_size(repr.dtype) > 1)
    throw CodecError("bytes codec: 'endian' is required for data type " +
                     std::string(dtype_name(repr.dtype)));
  std::memcpy(out.data(), encoded.data(), encoded.size());
  if (needs_swap(repr.dtype)) byteswap_elements(out.data(), repr.num_elements(), repr.dtype);
}

bool BytesCodec::decodes_in_place(const ChunkRepr& repr) const {
  return !(endian_ == Endian::not_applicable && dtype_component_size(repr.dtype) > 1);
}

void BytesCodec::decode_in_place(const ChunkRepr& repr, MutableByteView data) const {
  if (needs_swap(repr.dtype)) byteswap_elements(data.data(), repr.num_elements(), repr.dtype);
}

void register_bytes_codec(CodecRegistry& r) {
  r.add_v3("bytes", [](const Json& config, std::string_view where) -> CodecPtr {
    Endian e = Endian::not_applicable;
    if (config.contains("endian")) {
      const Json& v = config["endian"];
      if (v == "little")
        e = Endian::little;
      else if (v == "big")
        e = Endian::big;
      else
        throw MetadataError(std::string(where) + ": 'endian' must be \"little\" or \"big\", got " +
                            v.dump());
    }
    return std::make_shared<BytesCodec>(e);
  });
  // zarr-python 2 era metadata sometimes names it "endian".
  r.add_v3("endian", [](const Json& config, std::string_view) -> CodecPtr {
    return std::make_shared<BytesCodec>(config.value("endian", "little") == "big" ? Endian::big
                                                                                  : Endian::little);
  });
}

}  // namespace ngff::zarr
