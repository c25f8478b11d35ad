// The v3 `sharding_indexed` codec (array -> bytes): a shard holds a grid of inner chunks, each
// encoded with its own codec chain, plus an index of where each one lies. See
// src/zarr/codecs/sharding_codec.cpp.
#pragma once

#include <functional>
#include <optional>

#include "ngff/zarr/fill_value.hpp"
#include "zarr/chunk_placement.hpp"
#include "zarr/codec_pipeline.hpp"
#include "zarr/shard_index.hpp"

namespace ngff::zarr {

class ShardingCodec final : public ArrayToBytesCodec {
 public:
  enum class IndexLocation { start, end };

  // As parsed from metadata; bind() before encoding or decoding.
  ShardingCodec(Shape inner_chunk_shape, Json codecs, Json index_codecs, IndexLocation location);

  std::string name() const override { return "sharding_indexed"; }
  Json to_json() const override;

  // The codec bound to the shard representation it sees (after any array->array codecs) and the
  // array's fill value: checks that inner chunks tile the shard and builds the inner and index
  // pipelines. `depth` counts enclosing sharding codecs. Throws MetadataError/CodecError.
  std::shared_ptr<const ShardingCodec> bind(const ChunkRepr& shard, const FillValue& fill,
                                            int depth, std::string_view where) const;

  // Whole shards (bound codecs only). Inner chunks equal to the fill value are not stored.
  Bytes encode(const ChunkRepr& shard, ByteView elements) const override;
  void decode(const ChunkRepr& shard, ByteView encoded, MutableByteView out) const override;

  // Encodes the shard at `shard_origin` (array coordinates, shape `shard_shape`) straight from a
  // caller's buffer holding `region` (which covers every part of the shard inside the array; the
  // rest is fill value), without a shard-sized copy. nullopt when every inner chunk is the fill
  // value (the shard need not be stored).
  std::optional<Bytes> encode_shard_of(const std::byte* data, const Region& region,
                                       const Shape& shard_origin, const Shape& shard_shape,
                                       size_t element_size) const;

  // --- Shards assembled piece by piece (zarr/streaming_writer.hpp).
  // Encodes the inner chunk whose box (array coordinates) is `box` from a caller's buffer
  // holding `region`; parts of the box outside `region` are the fill value. nullopt when the
  // chunk is the fill value (not stored).
  std::optional<Bytes> encode_inner_chunk(const std::byte* data, const Region& region,
                                          const Region& box, size_t element_size) const;
  // The encoded index (index_bytes() long).
  Bytes encode_index(const ShardIndex& index) const;

  // --- Partial reads (the Array fetches only the index and the inner chunks it needs).
  const Shape& inner_chunk_shape() const { return inner_shape_; }
  // Inner chunks per shard along each dimension.
  const Shape& grid() const { return grid_; }
  uint64_t num_inner_chunks() const { return product(grid_); }
  IndexLocation index_location() const { return location_; }
  // Size of the encoded index (fixed: index codecs may not compress).
  uint64_t index_bytes() const { return index_bytes_; }
  // Decodes an encoded index; `shard_bytes` (when known) bounds the entries. Throws CodecError.
  ShardIndex decode_index(ByteView encoded_index, std::optional<uint64_t> shard_bytes,
                          std::string_view where) const;
  // The index of a whole encoded shard.
  ShardIndex index_of_shard(ByteView shard, std::string_view where) const;
  // C-order position of an inner chunk in the grid.
  uint64_t linear_index(const Shape& inner_index) const;

  // Decodes the inner chunks `inner` (grid indices) of the shard at `shard_origin` (array
  // coordinates) into `out`, in parallel. `bytes_of(linear index)` gives an inner chunk's stored
  // bytes, or nullopt when it is not stored (read as the fill value).
  using InnerBytes = std::function<std::optional<ByteView>(uint64_t linear_index)>;
  void decode_inner_chunks(const std::vector<Shape>& inner, const Shape& shard_origin,
                           const RegionBuffer& out, const InnerBytes& bytes_of) const;

 private:
  // A shard from its encoded inner chunks (C order of the grid, nullopt: not stored) and an
  // index of them; nullopt when none is stored.
  std::optional<Bytes> assemble(const std::vector<std::optional<Bytes>>& inner) const;

  Shape inner_shape_;
  Json codecs_json_;
  Json index_codecs_json_;
  IndexLocation location_;
  // Set by bind().
  Shape grid_;
  std::optional<CodecPipeline> inner_;
  std::optional<CodecPipeline> index_;
  uint64_t index_bytes_ = 0;
  FillValue fill_;
  int depth_ = 0;
};

}  // namespace ngff::zarr
