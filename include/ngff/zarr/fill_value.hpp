// Fill values: the element that a missing chunk is made of. Parsed from each spec's JSON
// encoding (numbers; "NaN", "Infinity", "-Infinity"; v3 hex bit patterns "0x7fc00000"; [re, im]
// for complex; v2 null = undefined) into one native-endian element. The JSON as written is kept
// so that serialising the metadata gives back exactly what was read.
#pragma once

#include <string_view>

#include "ngff/store/bytes.hpp"
#include "ngff/util/json.hpp"
#include "ngff/zarr/dtype.hpp"

namespace ngff::zarr {

class FillValue {
 public:
  // A null Json cannot throw: the check sees an unreachable throw in nlohmann's constructor.
  // NOLINTNEXTLINE(bugprone-exception-escape): false positive, see above
  FillValue() = default;

  // `where` names the metadata document for errors. `zarr_format` selects which encodings are
  // allowed (null only in v2).
  static FillValue from_json(const Json& j, DataType type, int zarr_format, std::string_view where);
  // The canonical JSON of one native-endian element (NaN as "NaN", etc.).
  static FillValue from_element(const void* element, DataType type);
  static FillValue zero(DataType type);
  // v2 `null`: undefined; chunks that are missing read as zeros.
  static FillValue undefined(DataType type);

  bool is_undefined() const { return undefined_; }
  // One element, native byte order (zeros when undefined).
  const Bytes& element() const { return element_; }
  const Json& json() const { return json_; }

  // True when every element of `data` equals the fill value bit for bit (so the chunk need not
  // be stored). NaN fill values match NaN elements with the same bits.
  bool fills(ByteView data) const;

 private:
  Bytes element_;
  Json json_;
  bool undefined_ = false;
};

// Canonical JSON for one native-endian element; used for fill values and for `ngff info`.
Json element_to_json(const void* element, DataType type);

}  // namespace ngff::zarr
