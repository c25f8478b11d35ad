// Array metadata of Zarr v2 (.zarray + .zattrs) and v3 (zarr.json), one struct with an explicit
// zarr_format. Parsing keeps everything needed to serialise the document back exactly
// (parse then serialise = identity, compared as JSON values), including unknown keys that may be
// ignored (v3 extensions with "must_understand": false).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ngff/util/json.hpp"
#include "ngff/zarr/chunk_key_encoding.hpp"
#include "ngff/zarr/dtype.hpp"
#include "ngff/zarr/fill_value.hpp"
#include "ngff/zarr/region.hpp"

namespace ngff::zarr {

struct ArrayMetadata {
  int zarr_format = 3;
  Shape shape;
  Shape chunk_shape;  // the regular chunk grid (v3) / "chunks" (v2)
  DataType dtype = DataType::uint8;
  FillValue fill_value;
  ChunkKeyEncoding chunk_key_encoding;
  // User attributes (v3: "attributes" in zarr.json; v2: the .zattrs document). Absent = null.
  Json attributes;

  // v3: the codec list as written ([{"name": "bytes", ...}, ...]).
  Json codecs = Json::array();
  // v3: one name or null per dimension; absent when the document has none.
  std::optional<Json> dimension_names;
  // Other keys kept as they were (v3 "storage_transformers", extensions with
  // "must_understand": false, "consolidated_metadata"; unknown v2 keys).
  Json extra = Json::object();

  // v2 fields. The byte order lives in the dtype string.
  Endian v2_endian = Endian::little;
  char v2_order = 'C';
  Json v2_compressor;  // null or {"id": ...}
  Json v2_filters;     // null or [{"id": ...}, ...]
  bool v2_has_dimension_separator = false;

  // Parses zarr.json (v3). `where` names the document in errors ("file:///x/zarr.json").
  static ArrayMetadata from_v3_json(const Json& j, std::string_view where);
  // Parses .zarray (v2); `attributes` is the .zattrs document or null.
  static ArrayMetadata from_v2_json(const Json& zarray, const Json& attributes,
                                    std::string_view where);

  // zarr.json for v3, .zarray for v2 (attributes go to .zattrs separately).
  Json to_json() const;

  size_t rank() const { return shape.size(); }
  // Number of chunks along each dimension (ceil(shape / chunk)).
  Shape grid_shape() const;
  // The byte order of elements as stored (for `info`).
  Endian stored_endian() const;
  // The codec list of this array as v3 JSON (v2 compressor/filters/order/endian translated).
  Json codecs_as_v3() const;
};

}  // namespace ngff::zarr
