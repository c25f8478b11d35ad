// Zarr v3 `sharding_indexed` codec (zarr-specs v3/codecs/sharding-indexed):
//   {"name": "sharding_indexed", "configuration": {
//      "chunk_shape": [64, 64, 64],
//      "codecs": [{"name": "bytes", ...}, {"name": "zstd", ...}],
//      "index_codecs": [{"name": "bytes", "configuration": {"endian": "little"}}, {"name":
//      "crc32c"}], "index_location": "end"}}
// A shard is the encoded inner chunks followed (or preceded) by the index: (offset, nbytes) per
// inner chunk in C order, 2^64-1 for both when the chunk is not stored. Offsets count from the
// start of the shard, index included when it comes first.
#include "zarr/codecs/sharding_codec.hpp"

#include <cstring>
#include <set>

#include "ngff/error.hpp"
#include "util/parallel_for.hpp"
#include "zarr/codec_registry.hpp"

namespace ngff::zarr {
namespace {

// Index codecs must give the index a fixed size, so that it can be fetched on its own with one
// range read before anything else is known about the shard.
const std::set<std::string>& fixed_size_codecs() {
  static const std::set<std::string> names{"bytes", "crc32c", "numcodecs.crc32c", "transpose"};
  return names;
}

}  // namespace

ShardingCodec::ShardingCodec(Shape inner_chunk_shape, Json codecs, Json index_codecs,
                             IndexLocation location)
    : inner_shape_(std::move(inner_chunk_shape)),
      codecs_json_(std::move(codecs)),
      index_codecs_json_(std::move(index_codecs)),
      location_(location) {}

Json ShardingCodec::to_json() const {
  return Json{{"name", "sharding_indexed"},
              {"configuration",
               {{"chunk_shape", inner_shape_},
                {"codecs", codecs_json_},
                {"index_codecs", index_codecs_json_},
                {"index_location", location_ == IndexLocation::start ? "start" : "end"}}}};
}

std::shared_ptr<const ShardingCodec> ShardingCodec::bind(const ChunkRepr& shard,
                                                         const FillValue& fill, int depth,
                                                         std::string_view where) const {
  std::string w = std::string(where) + ": sharding_indexed";
  if (depth + 1 >= kScratchSlots)
    throw MetadataError(w + ": sharding nested more than " + std::to_string(kScratchSlots - 1) +
                        " levels deep is not supported");
  if (inner_shape_.size() != shard.shape.size())
    throw MetadataError(w + ": chunk_shape has " + std::to_string(inner_shape_.size()) +
                        " dimensions, the shard has " + std::to_string(shard.shape.size()));
  auto bound = std::make_shared<ShardingCodec>(*this);
  bound->grid_.resize(shard.shape.size());
  for (size_t d = 0; d < shard.shape.size(); ++d) {
    if (inner_shape_[d] == 0 || shard.shape[d] % inner_shape_[d] != 0)
      throw MetadataError(w + ": inner chunk_shape " + Json(inner_shape_).dump() +
                          " does not divide the shard shape " + Json(shard.shape).dump() +
                          " evenly (dimension " + std::to_string(d) + ")");
    bound->grid_[d] = shard.shape[d] / inner_shape_[d];
  }
  for (const auto& c : index_codecs_json_)
    if (!c.is_object() || !fixed_size_codecs().contains(c.value("name", std::string())))
      throw MetadataError(w + ": index_codecs may only hold bytes, crc32c and transpose (the " +
                          "index must have a fixed size), got " + c.dump());
  bound->fill_ = fill;
  bound->depth_ = depth;
  bound->inner_ = CodecPipeline::from_v3(codecs_json_, ChunkRepr{inner_shape_, shard.dtype}, fill,
                                         depth + 1, w + " codecs");
  Shape index_shape = bound->grid_;
  index_shape.push_back(2);
  bound->index_ =
      CodecPipeline::from_v3(index_codecs_json_, ChunkRepr{index_shape, DataType::uint64},
                             FillValue::zero(DataType::uint64), depth + 1, w + " index_codecs");
  ShardIndex empty;
  empty.entries.resize(bound->num_inner_chunks());
  bound->index_bytes_ = bound->encode_index(empty).size();
  return bound;
}

uint64_t ShardingCodec::linear_index(const Shape& inner_index) const {
  uint64_t i = 0;
  for (size_t d = 0; d < grid_.size(); ++d) i = i * grid_[d] + inner_index[d];
  return i;
}

ShardIndex ShardingCodec::decode_index(ByteView encoded_index, std::optional<uint64_t> shard_bytes,
                                       std::string_view where) const {
  if (encoded_index.size() != index_bytes_)
    throw CodecError(std::string(where) + ": shard index holds " +
                     std::to_string(encoded_index.size()) + " bytes, expected " +
                     std::to_string(index_bytes_) + " (truncated shard)");
  Bytes elements(num_inner_chunks() * 16);
  try {
    index_->decode(encoded_index, elements);
  } catch (const CodecError& e) {
    throw CodecError(std::string(where) + ": shard index: " + e.what());
  }
  return ShardIndex::from_elements(elements, shard_bytes, where);
}

ShardIndex ShardingCodec::index_of_shard(ByteView shard, std::string_view where) const {
  if (shard.size() < index_bytes_)
    throw CodecError(std::string(where) + ": shard of " + std::to_string(shard.size()) +
                     " bytes is shorter than its " + std::to_string(index_bytes_) +
                     "-byte index (truncated shard)");
  ByteView encoded =
      location_ == IndexLocation::end ? shard.last(index_bytes_) : shard.first(index_bytes_);
  return decode_index(encoded, shard.size(), where);
}

void ShardingCodec::decode_inner_chunks(const std::vector<Shape>& inner, const Shape& shard_origin,
                                        const RegionBuffer& out, const InnerBytes& bytes_of) const {
  ngff::detail::isolated_parallel_for(inner.size(), [&](size_t i) {
    Region box = chunk_box(inner[i], inner_shape_, shard_origin);
    auto stored = bytes_of(linear_index(inner[i]));
    place_chunk(
        out, box,
        [&](MutableByteView dst) {
          if (!stored) return false;
          inner_->decode(*stored, dst);
          return true;
        },
        depth_ + 1);
  });
}

void ShardingCodec::decode(const ChunkRepr& shard, ByteView encoded, MutableByteView out) const {
  ShardIndex index = index_of_shard(encoded, "shard");
  std::vector<Shape> all = chunks_in(Region::whole(shard.shape), inner_shape_);
  RegionBuffer whole{out.data(), Region::whole(shard.shape), dtype_size(shard.dtype),
                     fill_.element().data()};
  decode_inner_chunks(all, Shape(shard.shape.size(), 0), whole,
                      [&](uint64_t i) -> std::optional<ByteView> {
                        const auto& e = index.entries[i];
                        if (e.empty()) return std::nullopt;
                        return encoded.subspan(e.offset, e.nbytes);
                      });
}

Bytes ShardingCodec::encode(const ChunkRepr& shard, ByteView elements) const {
  Shape origin(shard.shape.size(), 0);
  auto out = encode_shard_of(elements.data(), Region::whole(shard.shape), origin, shard.shape,
                             dtype_size(shard.dtype));
  if (out) return std::move(*out);
  // Every inner chunk is the fill value: the shard is its index alone.
  ShardIndex empty;
  empty.entries.resize(num_inner_chunks());
  return encode_index(empty);
}

std::optional<Bytes> ShardingCodec::encode_shard_of(const std::byte* data, const Region& region,
                                                    const Shape& shard_origin,
                                                    const Shape& shard_shape,
                                                    size_t element_size) const {
  std::vector<Shape> all = chunks_in(Region::whole(shard_shape), inner_shape_);
  std::vector<std::optional<Bytes>> encoded(all.size());
  ngff::detail::isolated_parallel_for(all.size(), [&](size_t i) {
    encoded[i] = encode_inner_chunk(data, region, chunk_box(all[i], inner_shape_, shard_origin),
                                    element_size);
  });
  return assemble(encoded);
}

std::optional<Bytes> ShardingCodec::encode_inner_chunk(const std::byte* data, const Region& region,
                                                       const Region& box,
                                                       size_t element_size) const {
  Region part = intersect(box, region);
  if (part.num_elements() == 0) return std::nullopt;  // wholly past the array's edge: fill value
  MutableByteView chunk = thread_scratch(product(inner_shape_) * element_size, depth_ + 1);
  // Inner chunks reaching past the array's edge are padded with the fill value.
  if (part.shape != box.shape)
    fill_elements(chunk.data(), product(inner_shape_), fill_.element().data(), element_size);
  copy_box(data, region.shape, offset_in(part, region), chunk.data(), inner_shape_,
           offset_in(part, box), part.shape, element_size);
  if (fill_.fills(chunk)) return std::nullopt;
  return inner_->encode(chunk);
}

Bytes ShardingCodec::encode_index(const ShardIndex& index) const {
  return index_->encode(index.to_elements());
}

std::optional<Bytes> ShardingCodec::assemble(const std::vector<std::optional<Bytes>>& inner) const {
  ShardIndex index;
  index.entries.resize(inner.size());
  uint64_t offset = location_ == IndexLocation::start ? index_bytes_ : 0;
  bool any = false;
  for (size_t i = 0; i < inner.size(); ++i) {
    if (!inner[i]) continue;
    index.entries[i] = {offset, inner[i]->size()};
    offset += inner[i]->size();
    any = true;
  }
  if (!any) return std::nullopt;
  Bytes encoded_index = encode_index(index);
  Bytes out;
  out.reserve(offset + (location_ == IndexLocation::end ? index_bytes_ : 0));
  if (location_ == IndexLocation::start)
    out.insert(out.end(), encoded_index.begin(), encoded_index.end());
  for (const auto& chunk : inner)
    if (chunk) out.insert(out.end(), chunk->begin(), chunk->end());
  if (location_ == IndexLocation::end)
    out.insert(out.end(), encoded_index.begin(), encoded_index.end());
  return out;
}

void register_sharding_codec(CodecRegistry& r) {
  r.add_v3("sharding_indexed", [](const Json& config, std::string_view where) -> CodecPtr {
    std::string w(where);
    auto shape = config.find("chunk_shape");
    if (shape == config.end() || !shape->is_array() || shape->empty())
      throw MetadataError(w + ": 'chunk_shape' must be a non-empty array of positive integers");
    Shape inner;
    for (const auto& s : *shape) {
      if (!s.is_number_unsigned() || s.get<uint64_t>() == 0)
        throw MetadataError(w + ": 'chunk_shape' must hold positive integers, got " +
                            shape->dump());
      inner.push_back(s.get<uint64_t>());
    }
    auto codecs = config.find("codecs");
    if (codecs == config.end() || !codecs->is_array() || codecs->empty())
      throw MetadataError(w + ": 'codecs' must be a non-empty array of codecs");
    // The spec requires index_codecs; zarr-python and tensorstore write them. Metadata without
    // them gets the spec's example chain rather than an error.
    Json index = config.value(
        "index_codecs",
        Json::array({Json{{"name", "bytes"}, {"configuration", {{"endian", "little"}}}},
                     Json{{"name", "crc32c"}}}));
    if (!index.is_array() || index.empty())
      throw MetadataError(w + ": 'index_codecs' must be a non-empty array of codecs");
    Json location = config.value("index_location", Json("end"));
    if (location != "start" && location != "end")
      throw MetadataError(w + ": 'index_location' must be \"start\" or \"end\", got " +
                          location.dump());
    return std::make_shared<ShardingCodec>(inner, *codecs, index,
                                           location == "start" ? ShardingCodec::IndexLocation::start
                                                               : ShardingCodec::IndexLocation::end);
  });
}

}  // namespace ngff::zarr
