#include "ngff/zarr/array_spec.hpp"

#include <cmath>

#include "ngff/error.hpp"
#include "zarr/codec_registry.hpp"

namespace ngff::zarr {

Shape default_chunks(const Shape& shape, DataType dtype, uint64_t target_bytes) {
  Shape chunks(shape.size());
  for (size_t i = 0; i < shape.size(); ++i) chunks[i] = std::max<uint64_t>(shape[i], 1);
  // Halve the largest dimension until the chunk fits the target.
  while (product(chunks) * dtype_size(dtype) > target_bytes) {
    size_t largest = 0;
    for (size_t i = 1; i < chunks.size(); ++i)
      if (chunks[i] > chunks[largest]) largest = i;
    if (chunks[largest] <= 1) break;
    chunks[largest] = (chunks[largest] + 1) / 2;
  }
  return chunks;
}

namespace {

// The codec list of a sharded array: the inner chunks get `inner_codecs`; the index is
// little-endian with a CRC-32C, as zarr-python and tensorstore write it.
Json sharded_codecs(const ArraySpec& spec, const Shape& inner, const Json& inner_codecs) {
  if (spec.shards.size() != spec.shape.size())
    throw UsageError("shards have " + std::to_string(spec.shards.size()) +
                     " dimensions, the array has " + std::to_string(spec.shape.size()));
  for (size_t d = 0; d < inner.size(); ++d)
    if (spec.shards[d] == 0 || spec.shards[d] % inner[d] != 0)
      throw UsageError("shard shape " + Json(spec.shards).dump() +
                       " must be a multiple of the chunk shape " + Json(inner).dump());
  Json index = Json::array({Json{{"name", "bytes"}, {"configuration", {{"endian", "little"}}}},
                            Json{{"name", "crc32c"}}});
  return Json::array({Json{{"name", "sharding_indexed"},
                           {"configuration",
                            {{"chunk_shape", inner},
                             {"codecs", inner_codecs},
                             {"index_codecs", index},
                             {"index_location", spec.shard_index_at_start ? "start" : "end"}}}}});
}

}  // namespace

ArrayMetadata make_array_metadata(const ArraySpec& spec) {
  if (spec.zarr_format != 2 && spec.zarr_format != 3)
    throw UsageError("zarr_format must be 2 or 3, got " + std::to_string(spec.zarr_format));
  ArrayMetadata m;
  m.zarr_format = spec.zarr_format;
  m.shape = spec.shape;
  m.chunk_shape = spec.chunks.empty() ? default_chunks(spec.shape, spec.dtype) : spec.chunks;
  if (m.chunk_shape.size() != m.shape.size())
    throw UsageError("chunks have " + std::to_string(m.chunk_shape.size()) +
                     " dimensions, the array has " + std::to_string(m.shape.size()));
  for (auto c : m.chunk_shape)
    if (c == 0) throw UsageError("chunk sizes must be positive");
  m.dtype = spec.dtype;
  m.fill_value = spec.fill_value ? *spec.fill_value : FillValue::zero(spec.dtype);
  if (m.fill_value.is_undefined() && spec.zarr_format == 3)
    m.fill_value = FillValue::zero(spec.dtype);
  m.attributes = spec.attributes;
  if (spec.separator != '/' && spec.separator != '.')
    throw UsageError("chunk key separator must be '/' or '.'");
  const auto& registry = CodecRegistry::builtin();
  if (spec.zarr_format == 3) {
    m.chunk_key_encoding = {ChunkKeyEncoding::Kind::default_, spec.separator, true};
    Json bytes{{"name", "bytes"}, {"configuration", Json::object()}};
    if (dtype_component_size(spec.dtype) > 1)
      bytes["configuration"]["endian"] = spec.endian == Endian::big ? "big" : "little";
    Json codecs = Json::array({bytes});
    for (const auto& c : spec.compression) {
      registry.make_v3(c, "compression");  // validates
      codecs.push_back(c);
    }
    m.codecs = spec.shards.empty() ? codecs : sharded_codecs(spec, m.chunk_shape, codecs);
    if (!spec.shards.empty()) m.chunk_shape = spec.shards;
    if (!spec.dimension_names.empty()) {
      if (spec.dimension_names.size() != spec.shape.size())
        throw UsageError("dimension_names has " + std::to_string(spec.dimension_names.size()) +
                         " names, the array has " + std::to_string(spec.shape.size()) +
                         " dimensions");
      Json names = Json::array();
      for (const auto& n : spec.dimension_names) names.push_back(n ? Json(*n) : Json());
      m.dimension_names = names;
    }
  } else {
    if (!spec.shards.empty()) throw UsageError("sharding needs Zarr v3 (zarr_format 3)");
    m.chunk_key_encoding = {ChunkKeyEncoding::Kind::v2, spec.separator, true};
    m.v2_has_dimension_separator = true;
    m.v2_endian = dtype_component_size(spec.dtype) > 1
                      ? (spec.endian == Endian::big ? Endian::big : Endian::little)
                      : Endian::not_applicable;
    m.v2_order = 'C';
    m.v2_compressor = nullptr;
    m.v2_filters = nullptr;
    Json v2_codecs = Json::array();
    for (const auto& c : spec.compression) {
      auto codec = registry.make_v3(c, "compression");
      auto v2 = codec->to_v2_json();
      if (!v2) throw UsageError("codec '" + codec->name() + "' has no Zarr v2 form");
      v2_codecs.push_back(*v2);
    }
    if (!v2_codecs.empty()) {
      m.v2_compressor = v2_codecs.back();
      v2_codecs.erase(v2_codecs.end() - 1);
      if (!v2_codecs.empty()) m.v2_filters = v2_codecs;
    }
  }
  return m;
}

namespace {

// The configuration of a top-level sharding_indexed codec, or null.
const Json* sharding_configuration(const Json& codecs) {
  for (const auto& c : codecs)
    if (c.is_object() && c.value("name", std::string()) == "sharding_indexed" &&
        c.contains("configuration"))
      return &c["configuration"];
  return nullptr;
}

}  // namespace

Json compression_of(const ArrayMetadata& m) {
  Json out = Json::array();
  const auto& registry = CodecRegistry::builtin();
  Json codecs = m.codecs_as_v3();
  // A sharded array's compression is that of its inner chunks.
  if (const Json* sharding = sharding_configuration(codecs))
    codecs = sharding->value("codecs", Json::array());
  for (const auto& c : codecs) {
    auto codec = registry.make_v3(c, "codecs");
    if (std::dynamic_pointer_cast<const BytesToBytesCodec>(codec)) out.push_back(c);
  }
  return out;
}

std::optional<Shape> inner_chunk_shape(const ArrayMetadata& m) {
  if (m.zarr_format != 3) return std::nullopt;
  const Json* sharding = sharding_configuration(m.codecs);
  if (!sharding || !sharding->contains("chunk_shape")) return std::nullopt;
  return (*sharding)["chunk_shape"].get<Shape>();
}

}  // namespace ngff::zarr
