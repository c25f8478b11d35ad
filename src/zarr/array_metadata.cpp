#include "ngff/zarr/array_metadata.hpp"

#include <cstdint>

#include "ngff/error.hpp"
#include "ngff/zarr/limits.hpp"
#include "zarr/codec_registry.hpp"

namespace ngff::zarr {
namespace {

Shape parse_shape(const Json& j, std::string_view field, std::string_view where) {
  std::string w = std::string(where) + ": '" + std::string(field) + "'";
  if (!j.is_array()) throw MetadataError(w + " must be an array of integers, got " + j.dump());
  Shape s;
  for (const auto& v : j) s.push_back(as_uint(v, w));
  return s;
}

void check_chunk_shape(const Shape& chunks, const Shape& shape, std::string_view where) {
  if (chunks.size() != shape.size())
    throw MetadataError(std::string(where) + ": chunk shape has " + std::to_string(chunks.size()) +
                        " dimensions but shape has " + std::to_string(shape.size()));
  for (auto c : chunks)
    if (c == 0) throw MetadataError(std::string(where) + ": chunk sizes must be positive");
}

// The number of elements of `shape` times `factor`; MetadataError when it overflows 64 bits.
uint64_t checked_product(const Shape& shape, uint64_t factor, std::string_view what,
                         std::string_view where) {
  uint64_t n = factor;
  for (uint64_t e : shape) {
    if (e != 0 && n > UINT64_MAX / e)
      throw MetadataError(std::string(where) + ": " + std::string(what) + " " + Json(shape).dump() +
                          " holds more than 2^64 elements");
    n *= e;
  }
  return n;
}

// Products that overflow would make every later size computation wrong, and a chunk is decoded
// whole: a document must not be able to ask for any allocation (limits.hpp).
void check_sizes(const ArrayMetadata& m, std::string_view where) {
  checked_product(m.shape, 1, "shape", where);
  const uint64_t chunk = checked_product(m.chunk_shape, dtype_size(m.dtype), "chunk shape", where);
  if (chunk > max_chunk_bytes())
    throw MetadataError(std::string(where) + ": a chunk of " + Json(m.chunk_shape).dump() + " " +
                        std::string(dtype_name(m.dtype)) + " takes " + std::to_string(chunk) +
                        " bytes, more than the limit of " + std::to_string(max_chunk_bytes()) +
                        " (NGFF_MAX_CHUNK_BYTES raises it)");
}

bool is_ignorable_extension(const Json& value) {
  return value.is_object() && value.contains("must_understand") &&
         value["must_understand"] == false;
}

}  // namespace

ArrayMetadata ArrayMetadata::from_v3_json(const Json& j, std::string_view where) {
  std::string w(where);
  if (!j.is_object()) throw MetadataError(w + ": expected a JSON object");
  ArrayMetadata m;
  m.zarr_format = 3;
  if (require_field(j, "zarr_format", w) != 3)
    throw MetadataError(w + ": 'zarr_format' must be 3, got " + j["zarr_format"].dump());
  if (require_string(j, "node_type", w) != "array")
    throw MetadataError(w + ": 'node_type' must be \"array\", got " + j["node_type"].dump());
  m.shape = parse_shape(require_field(j, "shape", w), "shape", w);

  const Json& dt = require_field(j, "data_type", w);
  if (!dt.is_string())
    throw MetadataError(w + ": 'data_type' must be a string naming a numeric type, got " +
                        dt.dump());
  try {
    m.dtype = dtype_from_name(dt.get<std::string>());
  } catch (const MetadataError& e) {
    throw MetadataError(w + ": " + e.what());
  }

  const Json& grid = require_field(j, "chunk_grid", w);
  if (require_string(grid, "name", w + ": chunk_grid") != "regular")
    throw MetadataError(w + ": unsupported chunk_grid " + grid["name"].dump() +
                        " (expected \"regular\")");
  const Json& grid_config = require_field(grid, "configuration", w + ": chunk_grid");
  m.chunk_shape =
      parse_shape(require_field(grid_config, "chunk_shape", w + ": chunk_grid"), "chunk_shape", w);
  check_chunk_shape(m.chunk_shape, m.shape, w);

  m.chunk_key_encoding =
      ChunkKeyEncoding::from_v3_json(require_field(j, "chunk_key_encoding", w), w);
  m.fill_value = FillValue::from_json(require_field(j, "fill_value", w), m.dtype, 3, w);
  check_sizes(m, w);

  m.codecs = require_field(j, "codecs", w);
  if (!m.codecs.is_array() || m.codecs.empty())
    throw MetadataError(w + ": 'codecs' must be a non-empty array");

  if (j.contains("attributes")) {
    m.attributes = j["attributes"];
    if (!m.attributes.is_object()) throw MetadataError(w + ": 'attributes' must be an object");
  }
  if (j.contains("dimension_names")) {
    const Json& names = j["dimension_names"];
    if (!names.is_null()) {
      if (!names.is_array() || names.size() != m.shape.size())
        throw MetadataError(w + ": 'dimension_names' must be an array of " +
                            std::to_string(m.shape.size()) + " names or nulls, got " +
                            names.dump());
      for (const auto& n : names)
        if (!n.is_string() && !n.is_null())
          throw MetadataError(w + ": 'dimension_names' entries must be strings or null");
    }
    m.dimension_names = names;
  }
  static const char* known[] = {"zarr_format", "node_type",          "shape",      "data_type",
                                "chunk_grid",  "chunk_key_encoding", "fill_value", "codecs",
                                "attributes",  "dimension_names"};
  for (const auto& [key, value] : j.items()) {
    if (std::find(std::begin(known), std::end(known), key) != std::end(known)) continue;
    if (key == "storage_transformers") {
      if (!value.is_array() || !value.empty())
        throw MetadataError(w + ": storage transformers are not supported, got " + value.dump());
    } else if (key != "consolidated_metadata" && !is_ignorable_extension(value)) {
      throw MetadataError(w + ": unknown key '" + key +
                          "' (not marked \"must_understand\": false)");
    }
    m.extra[key] = value;
  }
  return m;
}

ArrayMetadata ArrayMetadata::from_v2_json(const Json& zarray, const Json& attributes,
                                          std::string_view where) {
  std::string w(where);
  if (!zarray.is_object()) throw MetadataError(w + ": expected a JSON object");
  ArrayMetadata m;
  m.zarr_format = 2;
  if (require_field(zarray, "zarr_format", w) != 2)
    throw MetadataError(w + ": 'zarr_format' must be 2, got " + zarray["zarr_format"].dump());
  m.shape = parse_shape(require_field(zarray, "shape", w), "shape", w);
  m.chunk_shape = parse_shape(require_field(zarray, "chunks", w), "chunks", w);
  check_chunk_shape(m.chunk_shape, m.shape, w);

  const Json& dt = require_field(zarray, "dtype", w);
  if (!dt.is_string())
    throw MetadataError(w + ": 'dtype' must be a numeric type string like \"<u2\", got " +
                        dt.dump());
  try {
    auto v2 = dtype_from_v2(dt.get<std::string>());
    m.dtype = v2.type;
    m.v2_endian = v2.endian;
  } catch (const MetadataError& e) {
    throw MetadataError(w + ": " + e.what());
  }
  m.fill_value = FillValue::from_json(require_field(zarray, "fill_value", w), m.dtype, 2, w);
  check_sizes(m, w);

  std::string order = require_string(zarray, "order", w);
  if (order != "C" && order != "F")
    throw MetadataError(w + ": 'order' must be \"C\" or \"F\", got \"" + order + "\"");
  m.v2_order = order[0];

  m.v2_compressor = require_field(zarray, "compressor", w);
  if (!m.v2_compressor.is_null() && !m.v2_compressor.is_object())
    throw MetadataError(w + ": 'compressor' must be null or an object");
  m.v2_filters = zarray.contains("filters") ? zarray["filters"] : Json();
  if (!m.v2_filters.is_null() && !m.v2_filters.is_array())
    throw MetadataError(w + ": 'filters' must be null or an array");

  m.chunk_key_encoding.kind = ChunkKeyEncoding::Kind::v2;
  m.chunk_key_encoding.separator = '.';
  if (zarray.contains("dimension_separator")) {
    m.v2_has_dimension_separator = true;
    const Json& sep = zarray["dimension_separator"];
    if (sep == "/")
      m.chunk_key_encoding.separator = '/';
    else if (sep != ".")
      throw MetadataError(w + ": 'dimension_separator' must be \".\" or \"/\", got " + sep.dump());
  }
  static const char* known[] = {"zarr_format", "shape",      "chunks",
                                "dtype",       "fill_value", "order",
                                "compressor",  "filters",    "dimension_separator"};
  for (const auto& [key, value] : zarray.items())
    if (std::find(std::begin(known), std::end(known), key) == std::end(known)) m.extra[key] = value;
  if (!attributes.is_null() && !attributes.is_object())
    throw MetadataError(w + ": .zattrs must be a JSON object");
  m.attributes = attributes;
  return m;
}

Json ArrayMetadata::to_json() const {
  Json j;
  if (zarr_format == 2) {
    j["zarr_format"] = 2;
    j["shape"] = shape;
    j["chunks"] = chunk_shape;
    j["dtype"] = dtype_to_v2(dtype, v2_endian);
    j["fill_value"] = fill_value.json();
    j["order"] = std::string(1, v2_order);
    j["compressor"] = v2_compressor;
    j["filters"] = v2_filters;
    if (v2_has_dimension_separator || chunk_key_encoding.separator != '.')
      j["dimension_separator"] = std::string(1, chunk_key_encoding.separator);
  } else {
    j["zarr_format"] = 3;
    j["node_type"] = "array";
    j["shape"] = shape;
    j["data_type"] = std::string(dtype_name(dtype));
    j["chunk_grid"] = {{"name", "regular"}, {"configuration", {{"chunk_shape", chunk_shape}}}};
    j["chunk_key_encoding"] = chunk_key_encoding.to_v3_json();
    j["fill_value"] = fill_value.json();
    j["codecs"] = codecs;
    if (!attributes.is_null()) j["attributes"] = attributes;
    if (dimension_names) j["dimension_names"] = *dimension_names;
  }
  for (const auto& [key, value] : extra.items()) j[key] = value;
  return j;
}

Shape ArrayMetadata::grid_shape() const {
  Shape g(shape.size());
  for (size_t i = 0; i < shape.size(); ++i) g[i] = (shape[i] + chunk_shape[i] - 1) / chunk_shape[i];
  return g;
}

Endian ArrayMetadata::stored_endian() const {
  if (dtype_component_size(dtype) == 1) return Endian::not_applicable;
  if (zarr_format == 2) return v2_endian;
  for (const auto& c : codecs)
    if (c.value("name", "") == "bytes" && c.contains("configuration") &&
        c["configuration"].contains("endian"))
      return c["configuration"]["endian"] == "big" ? Endian::big : Endian::little;
  return Endian::little;
}

Json ArrayMetadata::codecs_as_v3() const {
  if (zarr_format == 3) return codecs;
  Json out = Json::array();
  if (v2_order == 'F' && shape.size() > 1) {
    std::vector<size_t> order(shape.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = order.size() - 1 - i;
    out.push_back({{"name", "transpose"}, {"configuration", {{"order", order}}}});
  }
  Json bytes{{"name", "bytes"}, {"configuration", Json::object()}};
  if (dtype_component_size(dtype) > 1)
    bytes["configuration"]["endian"] = v2_endian == Endian::big ? "big" : "little";
  out.push_back(bytes);
  const auto& registry = CodecRegistry::builtin();
  if (v2_filters.is_array())
    for (const auto& f : v2_filters) out.push_back(registry.make_v2(f, "filters")->to_json());
  if (v2_compressor.is_object())
    out.push_back(registry.make_v2(v2_compressor, "compressor")->to_json());
  // v3 blosc needs an explicit typesize, which v2 takes from the dtype.
  for (auto& c : out)
    if (c["name"] == "blosc" && c["configuration"].value("typesize", 0) == 0)
      c["configuration"]["typesize"] = dtype_size(dtype);
  return out;
}

}  // namespace ngff::zarr
