#include "validate_metadata.hpp"

#include <set>

#include "json_path.hpp"
#include "ngff/error.hpp"
#include "ngff/ome/labels.hpp"

namespace ngff::ome::detail {
namespace {

const Json* member(const Json& holder, std::string_view key) {
  return holder.is_object() ? find(holder, key) : nullptr;
}

// What the document is, as it spells it (before any typed parse).
void detect_kind(const Json& attributes, NodeMetadata& md) {
  const Json* ome = member(attributes, "ome");
  md.ome_layout = ome && ome->is_object();
  const Json& holder = md.ome_layout ? *ome : attributes;
  auto has = [&](std::string_view key) { return member(holder, key) != nullptr; };
  if (has("multiscales"))
    md.kind = has("image-label") ? "label_image" : "image";
  else if (has("image-label"))
    md.kind = "image-label";  // the member alone, as the label schema suites have it
  else if (has("plate"))
    md.kind = "plate";
  else if (has("well"))
    md.kind = "well";
  else if (has("bioformats2raw.layout"))
    md.kind = "bioformats2raw";
  else if (has("series"))
    md.kind = "ome";
  else if (has("labels"))
    md.kind = "labels";
  else if (has("scene"))
    md.kind = "scene";
  else
    md.kind = md.ome_layout ? "attributes" : "group";
  if (md.ome_layout) {
    if (const Json* v = member(holder, "version"); v && v->is_string()) md.version_text = *v;
    return;
  }
  // 0.4 and older: the version is inside each member.
  const Json* ms = member(holder, "multiscales");
  const Json* first = ms && ms->is_array() && !ms->empty() ? &(*ms)[0] : nullptr;
  for (const Json* m :
       {first, member(holder, "plate"), member(holder, "well"), member(holder, "image-label")})
    if (const Json* v = m ? member(*m, "version") : nullptr; v && v->is_string()) {
      md.version_text = *v;
      return;
    }
}

// The schema files that judge a kind (0.4's label.schema covers "image-label" only, so a label
// image is checked against the image schema too).
std::vector<std::string> schema_files(const std::string& kind) {
  if (kind == "image") return {"image.schema"};
  if (kind == "label_image") return {"image.schema", "label.schema"};
  if (kind == "plate" || kind == "well" || kind == "ome" || kind == "scene")
    return {kind + ".schema"};
  if (kind == "image-label") return {"label.schema"};
  if (kind == "bioformats2raw") return {"bf2raw.schema"};
  if (kind == "attributes") return {"ome_zarr.schema"};
  return {};
}

// Reports the schema failures; returns the JSON paths of the strict schemas' warnings.
std::set<std::string> check_schemas(const Json& attributes, const std::string& url,
                                    const NodeMetadata& md, ValidateContext& ctx) {
  std::set<std::string> strict_paths;
  auto files = schema_files(md.kind);
  if (!ctx.schemas || files.empty()) return strict_paths;
  // The top-level layout is 0.4's, whatever (wrong) version it names, but for 0.1-0.3, which
  // have no schemas (the typed parsers judge them).
  std::string version = md.version_text;
  if (!md.ome_layout) {
    if (version == "0.1" || version == "0.2" || version == "0.3") return strict_paths;
    version = "0.4";
  }
  std::set<std::string> seen;  // failures already reported, by path and message
  std::vector<SchemaFailure> strict;
  for (const std::string& file : files) {
    auto uri = ctx.schemas->uri(version, file);
    if (!uri) continue;
    for (auto& f : ctx.schemas->registry.validate(attributes, *uri, "attributes"))
      if (seen.insert(f.instance_path + "\n" + f.message).second)
        ctx.report(Severity::error, url, f.instance_path, "schema:" + f.keyword_path, f.message);
    if (auto strict_uri = ctx.schemas->uri(version, "strict_" + file))
      for (auto& f : ctx.schemas->registry.validate(attributes, *strict_uri, "attributes"))
        strict.push_back(std::move(f));
  }
  // What only the strict schemas reject: the spec's SHOULDs.
  for (auto& f : strict)
    if (seen.insert(f.instance_path + "\n" + f.message).second) {
      strict_paths.insert(f.instance_path);
      ctx.report(Severity::warning, url, f.instance_path, "schema-strict:" + f.keyword_path,
                 f.message);
    }
  return strict_paths;
}

// 0.4 and older only in Zarr v2 .zattrs; 0.5 and later only under "ome" in Zarr v3.
void check_layout(const NodeMetadata& md, const std::string& url, std::optional<int> zarr_format,
                  ValidateContext& ctx) {
  if (!zarr_format || md.kind == "group") return;
  if (md.ome_layout && *zarr_format == 2)
    ctx.report(Severity::error, url, "attributes.ome", "version/layout",
               "OME-NGFF metadata under \"ome\" (0.5 and later) in a Zarr v2 group: those "
               "versions are stored in Zarr v3 only");
  else if (!md.ome_layout && *zarr_format == 3)
    ctx.report(Severity::error, url, "attributes", "version/layout",
               "OME-NGFF 0.4-style metadata (top-level keys) in a Zarr v3 group: 0.4 and older "
               "are stored in Zarr v2 .zattrs, 0.5 and later under attributes.ome");
}

// Every scale and translation has one value per axis (the schemas cannot count the axes).
void check_transform_lengths(const Json& holder, const std::string& where, const std::string& url,
                             ValidateContext& ctx) {
  const Json* ms = member(holder, "multiscales");
  if (!ms || !ms->is_array()) return;
  for (size_t i = 0; i < ms->size(); ++i) {
    const Json& m = (*ms)[i];
    const Json* axes = member(m, "axes");
    if (!axes || !axes->is_array()) continue;
    std::string m_path = index_path(key_path(where, "multiscales"), i);
    auto check_list = [&](const Json* list, const std::string& path) {
      if (!list || !list->is_array()) return;
      for (size_t k = 0; k < list->size(); ++k)
        for (std::string_view type : {"scale", "translation"})
          if (const Json* v = member((*list)[k], type);
              v && v->is_array() && v->size() != axes->size())
            ctx.report(Severity::error, url, key_path(index_path(path, k), type),
                       "multiscales/transform-length",
                       std::string(type) + " has " + std::to_string(v->size()) + " values for " +
                           std::to_string(axes->size()) + " axes");
    };
    check_list(member(m, "coordinateTransformations"),
               key_path(m_path, "coordinateTransformations"));
    if (const Json* datasets = member(m, "datasets"); datasets && datasets->is_array())
      for (size_t j = 0; j < datasets->size(); ++j)
        check_list(
            member((*datasets)[j], "coordinateTransformations"),
            key_path(index_path(key_path(m_path, "datasets"), j), "coordinateTransformations"));
  }
}

// A well's path is the names its rowIndex and columnIndex point at, row first.
void check_well_paths(const Json& holder, const std::string& where, const std::string& url,
                      ValidateContext& ctx) {
  const Json* plate = member(holder, "plate");
  const Json* rows = plate ? member(*plate, "rows") : nullptr;
  const Json* columns = plate ? member(*plate, "columns") : nullptr;
  const Json* wells = plate ? member(*plate, "wells") : nullptr;
  if (!rows || !columns || !wells || !rows->is_array() || !columns->is_array() ||
      !wells->is_array())
    return;
  auto name = [](const Json& list, const Json* index) -> const Json* {
    if (!index || !index->is_number_integer() || index->get<int64_t>() < 0 ||
        index->get<uint64_t>() >= list.size())
      return nullptr;
    const Json* n = member(list[index->get<size_t>()], "name");
    return n && n->is_string() ? n : nullptr;
  };
  for (size_t k = 0; k < wells->size(); ++k) {
    const Json& well = (*wells)[k];
    const Json* path = member(well, "path");
    const Json* row = name(*rows, member(well, "rowIndex"));
    const Json* column = name(*columns, member(well, "columnIndex"));
    if (!path || !path->is_string() || !row || !column) continue;
    std::string expected = row->get<std::string>() + "/" + column->get<std::string>();
    if (*path != expected)
      ctx.report(Severity::error, url,
                 key_path(index_path(key_path(key_path(where, "plate"), "wells"), k), "path"),
                 "plate/well-path",
                 "path " + describe(*path) +
                     " is not the row and column its rowIndex and "
                     "columnIndex name ('" +
                     expected + "')");
  }
}

// `warned` holds the paths the strict schemas warned about: the parsers' SHOULD warnings there
// say the same again.
// RFC-5 (ome/ngff rfc/5 "Additional details") names coordinate systems by strings in "input" and
// "output", an array's by its path, and part of the 0.6 conformance corpus does so; the 0.6 text
// says "The `input` and `output` fields are objects" ({"path": ...} / {"name": ...}), as the
// schema does, and the corpus itself calls the string form invalid elsewhere
// (attributes/spec/invalid/image/invalid_multiscale_transform_input_output). So a string is an
// error, one that names the object meant; the rest of the document is then checked with the
// objects in place (the schema would otherwise only repeat "expected type object").
constexpr Severity kIoStringSeverity = Severity::error;

void object_io(Json& transform, const std::string& path, bool input_is_path, const std::string& url,
               ValidateContext& ctx) {
  if (!transform.is_object()) return;
  for (const char* key : {"input", "output"}) {
    auto it = transform.find(key);
    if (it == transform.end() || !it->is_string()) continue;
    std::string member = std::string(key) == "input" && input_is_path ? "path" : "name";
    Json object = {{member, *it}};
    ctx.report(kIoStringSeverity, url, key_path(path, key), "0.6/io-string-form",
               std::string(key) + " " + describe(*it) +
                   " is a string, the spec wants an object: " + describe(object));
    *it = std::move(object);
  }
  for (const char* key : {"transformations", "forward", "inverse", "transformation"}) {
    auto it = transform.find(key);
    if (it == transform.end()) continue;
    if (it->is_array())
      for (size_t i = 0; i < it->size(); ++i)
        object_io((*it)[i], index_path(key_path(path, key), i), false, url, ctx);
    else
      object_io(*it, key_path(path, key), false, url, ctx);
  }
}

void object_io_list(Json* list, const std::string& path, bool input_is_path, const std::string& url,
                    ValidateContext& ctx) {
  if (!list || !list->is_array()) return;
  for (size_t k = 0; k < list->size(); ++k)
    object_io((*list)[k], index_path(path, k), input_is_path, url, ctx);
}

Json* mutable_member(Json& holder, const char* key) {
  auto it = holder.is_object() ? holder.find(key) : holder.end();
  return it == holder.end() ? nullptr : &*it;
}

// The attributes with string inputs and outputs of 0.6 transformations made objects.
Json with_object_io(const Json& attributes, const std::string& url, ValidateContext& ctx) {
  Json out = attributes;
  Json& ome = out["ome"];
  if (Json* ms = mutable_member(ome, "multiscales"); ms && ms->is_array())
    for (size_t i = 0; i < ms->size(); ++i) {
      std::string m_path = index_path("attributes.ome.multiscales", i);
      Json& m = (*ms)[i];
      object_io_list(mutable_member(m, "coordinateTransformations"),
                     key_path(m_path, "coordinateTransformations"), false, url, ctx);
      if (Json* datasets = mutable_member(m, "datasets"); datasets && datasets->is_array())
        for (size_t j = 0; j < datasets->size(); ++j)
          object_io_list(
              mutable_member((*datasets)[j], "coordinateTransformations"),
              key_path(index_path(key_path(m_path, "datasets"), j), "coordinateTransformations"),
              true, url, ctx);
    }
  if (Json* scene = mutable_member(ome, "scene"))
    object_io_list(mutable_member(*scene, "coordinateTransformations"),
                   "attributes.ome.scene.coordinateTransformations", false, url, ctx);
  return out;
}

void parse_typed(const Json& attributes, const std::string& url, NodeMetadata& md,
                 const std::set<std::string>& warned, ValidateContext& ctx) {
  try {
    md.version = detect_version(attributes, "attributes");
  } catch (const ValidationError& e) {
    std::string what = e.what();
    ctx.report_line(Severity::error, url, what,
                    what.find("unsupported OME-NGFF version") != std::string::npos
                        ? "version/unsupported"
                        : "model");
    return;
  }
  try {
    if (md.kind == "image" || md.kind == "label_image") {
      md.image = ImageAttributes::from_json(attributes, "attributes");
      for (const std::string& line : md.image->warnings("attributes"))
        if (!warned.contains(line.substr(0, line.find(": "))))
          ctx.report_line(Severity::warning, url, line, "should/image");
    } else if (md.kind == "plate") {
      md.plate = PlateAttributes::from_json(attributes, "attributes");
    } else if (md.kind == "well") {
      md.well = WellAttributes::from_json(attributes, "attributes");
    } else if (md.kind == "image-label") {
      std::string where = md.member_path("image-label");
      const Json& holder = md.ome_layout ? attributes["ome"] : attributes;
      ImageLabel::from_json(holder["image-label"], where, *md.version);
    } else if (md.kind == "labels") {
      md.label_names = label_names(attributes, "attributes");
    } else if (md.kind == "attributes") {
      ctx.report(Severity::error, url, "attributes.ome", "ome/kind",
                 "no OME-NGFF member ngff knows (multiscales, plate, well, labels, "
                 "bioformats2raw.layout, series)");
      return;
    }
    md.parsed = true;
  } catch (const Error& e) {
    ctx.report_line(Severity::error, url, e.what(), "model");
  }
}

}  // namespace

std::string NodeMetadata::member_path(std::string_view key) const {
  return key_path(ome_layout ? "attributes.ome" : "attributes", key);
}

NodeMetadata check_metadata(const Json& original, const std::string& url,
                            std::optional<int> zarr_format, ValidateContext& ctx) {
  NodeMetadata md;
  detect_kind(original, md);
  if (md.kind == "group") return md;
  std::optional<Json> normalized;
  if (md.ome_layout && md.version_text.rfind("0.6", 0) == 0)
    normalized = with_object_io(original, url, ctx);
  const Json& attributes = normalized ? *normalized : original;
  size_t errors = ctx.errors();
  std::set<std::string> warned = check_schemas(attributes, url, md, ctx);
  check_layout(md, url, zarr_format, ctx);
  const Json& holder = md.ome_layout ? attributes["ome"] : attributes;
  std::string where = md.ome_layout ? "attributes.ome" : "attributes";
  check_transform_lengths(holder, where, url, ctx);
  check_well_paths(holder, where, url, ctx);
  // The typed parse would only repeat what is reported already (the first problem again). It
  // also judges the 0.6 coordinate systems and transformations (names that resolve, parameter
  // shapes, rotations, the graph: the typed 0.6 model's checks).
  if (ctx.errors() == errors) parse_typed(attributes, url, md, warned, ctx);
  return md;
}

}  // namespace ngff::ome::detail
