// Zarr v3 `transpose` codec (array -> array): permutes the axes of the chunk.
//   {"name": "transpose", "configuration": {"order": [2, 0, 1]}}
// Encoded axis i is decoded axis order[i]. The permutation need not be its own inverse, so decode
// applies the inverse permutation. v2 arrays with "order": "F" map onto this codec with the
// reversed axis order.
#include "zarr/codecs/transpose_codec.hpp"

#include <cstring>

#include "ngff/error.hpp"
#include "zarr/codec_registry.hpp"

namespace ngff::zarr {

void permute_axes(const std::byte* in, const std::vector<uint64_t>& shape,
                  const std::vector<size_t>& perm, size_t element_size, std::byte* out) {
  const size_t n = shape.size();
  if (n == 0) {
    std::memcpy(out, in, element_size);
    return;
  }
  std::vector<uint64_t> in_strides(n);
  uint64_t s = element_size;
  for (size_t i = n; i-- > 0;) {
    in_strides[i] = s;
    s *= shape[i];
  }
  if (s == 0) return;
  // Walk the output in C order; the input offset of output axis i moves by in_strides[perm[i]].
  std::vector<uint64_t> out_shape(n), step(n), index(n, 0);
  for (size_t i = 0; i < n; ++i) {
    out_shape[i] = shape[perm[i]];
    step[i] = in_strides[perm[i]];
  }
  const uint64_t inner = out_shape[n - 1];
  const uint64_t inner_step = step[n - 1];
  uint64_t in_offset = 0;
  std::byte* o = out;
  while (true) {
    const std::byte* p = in + in_offset;
    switch (element_size) {
      case 1:
        for (uint64_t k = 0; k < inner; ++k) o[k] = p[k * inner_step];
        break;
      case 2:
        for (uint64_t k = 0; k < inner; ++k) std::memcpy(o + 2 * k, p + k * inner_step, 2);
        break;
      case 4:
        for (uint64_t k = 0; k < inner; ++k) std::memcpy(o + 4 * k, p + k * inner_step, 4);
        break;
      case 8:
        for (uint64_t k = 0; k < inner; ++k) std::memcpy(o + 8 * k, p + k * inner_step, 8);
        break;
      default:
        for (uint64_t k = 0; k < inner; ++k)
          std::memcpy(o + element_size * k, p + k * inner_step, element_size);
    }
    o += inner * element_size;
    // Advance the outer index (all axes but the last).
    size_t d = n - 1;
    while (d-- > 0) {
      in_offset += step[d];
      if (++index[d] < out_shape[d]) break;
      in_offset -= step[d] * out_shape[d];
      index[d] = 0;
    }
    if (d == static_cast<size_t>(-1)) return;
  }
}

TransposeCodec::TransposeCodec(std::vector<size_t> order) : order_(std::move(order)) {}

Json TransposeCodec::to_json() const {
  return {{"name", "transpose"}, {"configuration", {{"order", order_}}}};
}

ChunkRepr TransposeCodec::encoded_repr(const ChunkRepr& decoded) const {
  if (decoded.shape.size() != order_.size())
    throw CodecError("transpose codec: order has " + std::to_string(order_.size()) +
                     " axes but the chunk has " + std::to_string(decoded.shape.size()));
  ChunkRepr r = decoded;
  for (size_t i = 0; i < order_.size(); ++i) r.shape[i] = decoded.shape[order_[i]];
  return r;
}

void TransposeCodec::encode(const ChunkRepr& decoded, ByteView in, MutableByteView out) const {
  encoded_repr(decoded);  // checks the rank
  permute_axes(in.data(), decoded.shape, order_, dtype_size(decoded.dtype), out.data());
}

void TransposeCodec::decode(const ChunkRepr& decoded, ByteView in, MutableByteView out) const {
  ChunkRepr enc = encoded_repr(decoded);
  std::vector<size_t> inverse(order_.size());
  for (size_t i = 0; i < order_.size(); ++i) inverse[order_[i]] = i;
  permute_axes(in.data(), enc.shape, inverse, dtype_size(decoded.dtype), out.data());
}

void register_transpose_codec(CodecRegistry& r) {
  r.add_v3("transpose", [](const Json& config, std::string_view where) -> CodecPtr {
    std::string w(where);
    const Json& order = require_field(config, "order", w);
    if (!order.is_array())
      throw MetadataError(w + ": 'order' must be an array of axis indices, got " + order.dump());
    std::vector<size_t> perm;
    std::vector<bool> seen(order.size(), false);
    for (const auto& v : order) {
      uint64_t i = as_uint(v, w + ": 'order'");
      if (i >= order.size() || seen[i])
        throw MetadataError(w + ": 'order' " + order.dump() + " is not a permutation");
      seen[i] = true;
      perm.push_back(static_cast<size_t>(i));
    }
    return std::make_shared<TransposeCodec>(std::move(perm));
  });
}

}  // namespace ngff::zarr
