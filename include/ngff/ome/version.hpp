// The OME-NGFF versions this library reads and writes, and how to tell them apart:
//   0.4 (Zarr v2 .zattrs): the metadata keys are top-level attributes and the version is inside
//       each of them ({"multiscales": [{"version": "0.4", ...}]}, "image-label", "plate", ...);
//   0.5 (Zarr v3 zarr.json "attributes"): everything is under "ome", whose "version" is "0.5"
//       ({"ome": {"version": "0.5", "multiscales": [...]}}).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ngff/util/json.hpp"

namespace ngff::ome {

enum class Version { v0_4, v0_5 };

inline constexpr Version kLatestVersion = Version::v0_5;

// "0.4" / "0.5".
std::string to_string(Version version);
// Parses "0.4" / "0.5"; throws ValidationError "<where>: unsupported OME-NGFF version '0.3'
// (supported: 0.4, 0.5)" for anything else.
Version parse_version(std::string_view text, std::string_view where);

// The Zarr format each version is stored in: 0.4 -> 2, 0.5 -> 3.
int zarr_format(Version version);

// The OME-NGFF version of a group's attributes (`where` names them in errors), or nullopt when
// they hold no OME-NGFF metadata. "ome" means 0.5 ("ome.version" required); otherwise the
// versions inside the 0.4 top-level keys (multiscales[i], image-label, plate, well) must all be
// 0.4, and a 0.4 key without any version counts as 0.4. Throws ValidationError for unsupported or
// contradictory versions.
std::optional<Version> detect_version(const Json& attributes, std::string_view where);

}  // namespace ngff::ome
