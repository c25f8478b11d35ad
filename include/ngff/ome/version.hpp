// The OME-NGFF versions this library reads and writes, and how to tell them apart:
//   0.1, 0.2, 0.3 (Zarr v2 .zattrs, read only): laid out as 0.4, the version inside each key
//       ({"multiscales": [{"version": "0.3", ...}]}); 0.1 and 0.2 multiscales have no "axes"
//       (the data is 5D, t c z y x), 0.3 names them (["z", "y", "x"]); none has
//       coordinateTransformations. 0.2 moved the chunk keys to "/", which the arrays' own
//       metadata says, so 0.1 and 0.2 read alike.
//   0.4 (Zarr v2 .zattrs): the metadata keys are top-level attributes and the version is inside
//       each of them ({"multiscales": [{"version": "0.4", ...}]}, "image-label", "plate", ...);
//   0.5 (Zarr v3 zarr.json "attributes"): everything is under "ome", whose "version" is "0.5"
//       ({"ome": {"version": "0.5", "multiscales": [...]}}).
//   0.6 (RFC-5, laid out as 0.5): coordinate systems and general coordinate transformations
//       (coordinate_systems.hpp, coordinate_transformations.hpp). Written as "0.6" (what ngff-zarr
//       writes); read from "0.6", "0.6rc0" (the spec's release candidate) and "0.6.devN" (drafts
//       some writers stamped; version_warning says so).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ngff/util/json.hpp"

namespace ngff::ome {

// In release order, so that versions compare (v < Version::v0_4: the layouts before axes objects
// and coordinate transformations).
enum class Version { v0_1, v0_2, v0_3, v0_4, v0_5, v0_6 };

inline constexpr Version kLatestVersion = Version::v0_5;

// "0.1" ... "0.6".
std::string to_string(Version version);
// Parses "0.1" ... "0.6" (and "0.6rc0", "0.6.devN"); throws ValidationError "<where>: unsupported
// OME-NGFF version '0.7' (supported: 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)" for anything else.
Version parse_version(std::string_view text, std::string_view where);
// A SHOULD-level note on a version string parse_version accepts but ngff would not write
// ("0.6.dev4": a pre-release draft), or nullopt.
std::optional<std::string> version_warning(std::string_view text);

// Whether `version` keeps its metadata under "ome" in Zarr v3 (0.5 and later) rather than as
// top-level attributes with a "version" inside each key (0.1-0.4).
inline bool in_ome_namespace(Version version) {
  return version >= Version::v0_5;
}

// Whether this library writes `version`: 0.4, 0.5 and 0.6 (0.1-0.3 are read, and converted to
// 0.4 or later).
bool is_writable(Version version);
// Throws UsageError "<where>: OME-NGFF 0.3 is read-only: ngff writes 0.4 (Zarr v2), 0.5 or 0.6
// (Zarr v3)" unless `version` is writable.
void require_writable(Version version, std::string_view where);
// parse_version, then require_writable: the version of something to be written.
Version parse_write_version(std::string_view text, std::string_view where);
// What converting an image of `version` writes unless told otherwise: the same version when
// writable, else 0.4 (Zarr v2, like 0.1-0.3).
Version default_write_version(Version version);

// The Zarr format each version is stored in: 0.1-0.4 -> 2, 0.5 and 0.6 -> 3.
int zarr_format(Version version);

// The OME-NGFF version of a group's attributes (`where` names them in errors), or nullopt when
// they hold no OME-NGFF metadata. "ome" means 0.5 or 0.6 ("ome.version" required). Otherwise the
// versions inside the top-level keys (multiscales[i], image-label, plate, well) must be 0.1-0.4;
// the group's version is the multiscales' (which must agree), else the first other key's. A
// multiscale without "version" is 0.4, unless its "axes" are names (0.3) or absent (0.1, as
// ome-zarr-py reads it); a key without any version counts as 0.4. Throws ValidationError for
// unsupported or contradictory versions.
std::optional<Version> detect_version(const Json& attributes, std::string_view where);

}  // namespace ngff::ome
