#include "ngff/ome/image_attributes.hpp"

#include "json_path.hpp"

namespace ngff::ome {

using detail::fail;
using detail::index_path;
using detail::key_path;

namespace {

// The keys of the OME namespace an image uses (top-level in 0.4, under "ome" in 0.5).
constexpr std::string_view kMultiscales = "multiscales";
constexpr std::string_view kOmero = "omero";
constexpr std::string_view kImageLabel = "image-label";

// Parses the OME keys of `holder` (the attributes in 0.4, "ome" in 0.5) at `path`.
void parse_members(ImageAttributes& image, const Json& holder, const std::string& path) {
  std::string multiscales_path = key_path(path, kMultiscales);
  const Json& multiscales = detail::required(holder, kMultiscales, path);
  detail::expect_array(multiscales, multiscales_path);
  if (multiscales.empty()) fail(multiscales_path, "expected at least one multiscale, got none");
  for (size_t i = 0; i < multiscales.size(); ++i)
    image.multiscales.push_back(
        Multiscale::from_json(multiscales[i], index_path(multiscales_path, i), image.version));
  if (const Json* omero = detail::find(holder, kOmero))
    image.omero = Omero::from_json(*omero, key_path(path, kOmero));
  if (const Json* label = detail::find(holder, kImageLabel))
    image.image_label = ImageLabel::from_json(*label, key_path(path, kImageLabel), image.version);
}

// Writes the OME keys into `holder` in `version`'s layout; `fill_version` (converting to 0.4)
// writes "version": "0.4" into each multiscale and the image-label. A dataset read from 0.1-0.3
// without the scales of its level shapes (Multiscale::derive_scales) gets a scale of 1.
void write_members(const ImageAttributes& image, Json& holder, Version version, bool fill_version) {
  // Errors name the multiscale as it was read (a 0.6 transformation 0.5 cannot say).
  std::string source = key_path(in_ome_namespace(image.version) ? "ome" : "", kMultiscales);
  Json ms = Json::array();
  for (size_t i = 0; i < image.multiscales.size(); ++i) {
    Multiscale m = image.multiscales[i];
    for (Dataset& d : m.datasets)
      if (image.version < Version::v0_4 && d.transforms.empty())
        d.transforms.push_back(Transform::make_scale(std::vector<double>(m.ndim(), 1.0)));
    Json j = m.to_json(version, index_path(source, i));
    if (fill_version) j["version"] = to_string(Version::v0_4);
    ms.push_back(std::move(j));
  }
  holder[std::string(kMultiscales)] = std::move(ms);
  if (image.omero) {
    Omero omero = *image.omero;
    // An upgraded omero does not keep claiming 0.1-0.3 (0.5's omero has no version of its own).
    if (image.version < Version::v0_4 && omero.version)
      omero.version = version == Version::v0_4 ? std::optional(to_string(version)) : std::nullopt;
    holder[std::string(kOmero)] = omero.to_json();
  }
  if (image.image_label) {
    Json j = image.image_label->to_json(version);
    if (fill_version) j["version"] = to_string(Version::v0_4);
    holder[std::string(kImageLabel)] = std::move(j);
  }
}

}  // namespace

ImageAttributes ImageAttributes::from_json(const Json& attributes, std::string_view where) {
  detail::expect_object(attributes, where);
  std::optional<Version> version = detect_version(attributes, where);
  if (!version)
    fail(where,
         "missing required field 'multiscales' (not an OME-NGFF image: no 'ome' key and "
         "no 0.4 'multiscales')");
  ImageAttributes image;
  image.version = *version;
  if (!in_ome_namespace(image.version)) {  // 0.1-0.4: the keys are top-level attributes
    parse_members(image, attributes, std::string(where));
    image.extra = detail::extra_members(attributes, {kMultiscales, kOmero, kImageLabel});
  } else {
    const Json& ome = attributes["ome"];
    parse_members(image, ome, key_path(where, "ome"));
    image.ome_extra = detail::extra_members(ome, {"version", kMultiscales, kOmero, kImageLabel});
    image.extra = detail::extra_members(attributes, {"ome"});
  }
  return image;
}

Json ImageAttributes::to_json(Version v) const {
  require_writable(v, "image attributes");
  Json j = extra.is_object() ? extra : Json::object();
  bool converted = v != version;
  if (!in_ome_namespace(v)) {
    write_members(*this, j, v, converted);
    detail::merge_extra(j, ome_extra);
  } else {
    Json ome = Json::object();
    ome["version"] = to_string(v);
    write_members(*this, ome, v, false);
    detail::merge_extra(ome, ome_extra);
    j["ome"] = std::move(ome);
  }
  return j;
}

void ImageAttributes::validate(std::string_view where) const {
  from_json(to_json(default_write_version(version)), where);
}

std::vector<std::string> ImageAttributes::warnings(std::string_view where) const {
  std::vector<std::string> out;
  std::string path = in_ome_namespace(version) ? key_path(where, "ome") : std::string(where);
  std::string multiscales_path = key_path(path, kMultiscales);
  for (size_t i = 0; i < multiscales.size(); ++i)
    multiscales[i].warnings(index_path(multiscales_path, i), version, out);
  if (omero) omero->warnings(key_path(path, kOmero), out);
  if (image_label) image_label->warnings(key_path(path, kImageLabel), version, out);
  return out;
}

bool has_multiscales(const Json& attributes) {
  if (!attributes.is_object()) return false;
  if (const Json* ome = detail::find(attributes, "ome"))
    return ome->is_object() && detail::find(*ome, kMultiscales);
  return detail::find(attributes, kMultiscales) != nullptr;
}

}  // namespace ngff::ome
