// A codec pipeline bound to one array: its codecs (array->array*, array->bytes, bytes->bytes*)
// with the chunk representation each stage sees, computed once when the array is opened.
#pragma once

#include <vector>

#include "ngff/zarr/array_metadata.hpp"
#include "ngff/zarr/fill_value.hpp"
#include "zarr/codec.hpp"

namespace ngff::zarr {

class BytesCodec;
class ShardingCodec;

class CodecPipeline {
 public:
  CodecPipeline() = default;

  // Builds the pipeline of an array from its metadata (v3 codecs, or v2 order/dtype/filters/
  // compressor). Throws CodecError for unknown codecs and MetadataError for a bad order of kinds
  // or bad configurations, naming `where`.
  static CodecPipeline for_array(const ArrayMetadata& metadata, std::string_view where);
  // The pipeline of a v3 codec list for chunks of `chunk` (inner chunks of a shard, shard
  // indexes). `depth` counts enclosing sharding codecs.
  static CodecPipeline from_v3(const Json& codecs, const ChunkRepr& chunk, const FillValue& fill,
                               int depth, std::string_view where);

  // Encodes one whole chunk (C order, native byte order, chunk_repr().num_bytes() bytes).
  Bytes encode(ByteView chunk) const;
  // Decodes one stored chunk into `out` (chunk_repr().num_bytes() bytes). Throws CodecError.
  void decode(ByteView encoded, MutableByteView out) const;

  const ChunkRepr& chunk_repr() const { return chunk_; }
  // The sharding codec when the pipeline is that codec alone (no array->array or bytes->bytes
  // codec around it): chunks are shards whose inner chunks can be read one by one.
  const ShardingCodec* sharding() const;
  // True when a stored chunk is its elements, at most byte-swapped (the `bytes` codec alone):
  // the store can read it straight into the output, then decode_in_place() finishes it.
  bool is_raw() const { return in_place_bytes_ && bytes_to_bytes_.empty(); }
  void decode_in_place(MutableByteView chunk) const;
  // The sharding codec wherever it stands in the pipeline, or null.
  const ShardingCodec* any_sharding() const;
  // The v3 JSON of every codec, in order.
  Json to_json() const;

  struct Stages;

 private:
  static CodecPipeline build(Stages stages, const ChunkRepr& chunk, const FillValue& fill,
                             int depth, const std::string& where);

  ChunkRepr chunk_;
  std::vector<std::shared_ptr<const ArrayToArrayCodec>> array_to_array_;
  std::vector<ChunkRepr> array_to_array_input_;  // decoded repr at each array->array stage
  std::shared_ptr<const ArrayToBytesCodec> array_to_bytes_;
  ChunkRepr array_to_bytes_input_;
  std::vector<std::shared_ptr<const BytesToBytesCodec>> bytes_to_bytes_;
  const ShardingCodec* sharding_ = nullptr;  // array_to_bytes_ when it is sharding_indexed
  // Set when the array->bytes stage is a `bytes` codec that decodes in place and nothing comes
  // before it: the last bytes->bytes stage then decodes straight into the output.
  std::shared_ptr<const BytesCodec> in_place_bytes_;
  // Set when that `bytes` codec leaves the elements as they are and a compressor follows: the
  // hot path of encode(), where the first compressor reads the caller's chunk (no copy).
  bool compress_caller_chunk_ = false;
};

}  // namespace ngff::zarr
