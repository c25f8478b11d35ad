// The v3 `transpose` codec; see src/zarr/codecs/transpose_codec.cpp.
#pragma once

#include <vector>

#include "zarr/codec.hpp"

namespace ngff::zarr {

class TransposeCodec final : public ArrayToArrayCodec {
 public:
  explicit TransposeCodec(std::vector<size_t> order);
  std::string name() const override { return "transpose"; }
  Json to_json() const override;
  ChunkRepr encoded_repr(const ChunkRepr& decoded) const override;
  void encode(const ChunkRepr& decoded, ByteView in, MutableByteView out) const override;
  void decode(const ChunkRepr& decoded, ByteView in, MutableByteView out) const override;
  const std::vector<size_t>& order() const { return order_; }

 private:
  std::vector<size_t> order_;
};

// Copies a C-order array of `shape` (elements of `element_size` bytes) into `out` so that
// out has shape[perm[0]], shape[perm[1]], ... (out axis i is in axis perm[i]).
void permute_axes(const std::byte* in, const std::vector<uint64_t>& shape,
                  const std::vector<size_t>& perm, size_t element_size, std::byte* out);

}  // namespace ngff::zarr
