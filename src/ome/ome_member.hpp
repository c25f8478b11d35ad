// Finding and writing one OME metadata key ("plate", "well", ...) of a group's attributes in
// either layout: top level in 0.4, under "ome" in 0.5. Internal to the OME layer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ngff/ome/version.hpp"
#include "ngff/store/store.hpp"
#include "ngff/util/json.hpp"

namespace ngff::ome::detail {

struct OmeMember {
  Version version;
  const Json* value;  // the member itself
  std::string path;   // its JSON path ("attributes.ome.plate")
  Json extra;         // the other top-level attribute keys
  Json ome_extra;     // 0.5: the other keys of "ome" (besides version and `key`)
};

// The member `key` of `attributes` (at `where`), or nullopt when absent. Throws ValidationError
// when the version is unsupported or contradictory.
std::optional<OmeMember> find_ome_member(const Json& attributes, std::string_view where,
                                         std::string_view key);

// The typed attributes (PlateAttributes, WellAttributes) of the member `key`, its value parsed by
// Member::from_json into `Attributes::*field`; nullopt when the attributes hold no `key`.
template <class Attributes, class Member>
std::optional<Attributes> parse_ome_member(const Json& attributes, std::string_view where,
                                           std::string_view key, Member Attributes::*field) {
  auto member = find_ome_member(attributes, where, key);
  if (!member) return std::nullopt;
  Attributes out;
  out.version = member->version;
  out.*field = Member::from_json(*member->value, member->path, member->version);
  out.extra = std::move(member->extra);
  out.ome_extra = std::move(member->ome_extra);
  return out;
}

// Group attributes holding `member` as `key` in `version`'s layout, with the extra keys kept.
Json ome_attributes(std::string_view key, Json member, Version version, const Json& extra,
                    const Json& ome_extra);

// The attributes of the group at `path` (v3 zarr.json "attributes", v2 .zattrs), read from its
// one metadata document (one request over HTTP), or nullopt when there is no group there.
std::optional<Json> read_group_attributes(const Store& store, const std::string& path);

}  // namespace ngff::ome::detail
