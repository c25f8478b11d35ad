#include "ngff/ome/transforms.hpp"

#include "json_path.hpp"
#include "ngff/error.hpp"

namespace ngff::ome {

using detail::fail;
using detail::index_path;
using detail::key_path;

Transform Transform::make_scale(std::vector<double> values) {
  Transform t;
  t.kind = Kind::scale;
  t.values = std::move(values);
  return t;
}

Transform Transform::make_translation(std::vector<double> values) {
  Transform t;
  t.kind = Kind::translation;
  t.values = std::move(values);
  return t;
}

std::string to_string(Transform::Kind kind) {
  switch (kind) {
    case Transform::Kind::identity:
      return "identity";
    case Transform::Kind::scale:
      return "scale";
    case Transform::Kind::translation:
      return "translation";
  }
  return "?";
}

Transform Transform::from_json(const Json& json, std::string_view where) {
  detail::expect_object(json, where);
  Transform t;
  std::string type_path = key_path(where, "type");
  std::string type = detail::as_string(detail::required(json, "type", where), type_path);
  if (type == "identity") {
    t.kind = Kind::identity;
  } else if (type == "scale") {
    t.kind = Kind::scale;
  } else if (type == "translation") {
    t.kind = Kind::translation;
  } else {
    fail(type_path, "unsupported coordinate transformation type '" + type +
                        "' (expected scale, translation or identity)");
  }
  if (t.kind == Kind::identity) {
    t.extra = detail::extra_members(json, {"type"});
    return t;
  }
  const Json* values = detail::find(json, type);
  t.path = detail::optional_string(json, "path", where);
  if (values && t.path)
    fail(where, "a " + type + " transformation has either '" + type + "' or 'path', not both");
  if (!values && !t.path) fail(where, "missing required field '" + type + "'");
  if (values) {
    std::string values_path = key_path(where, type);
    detail::expect_array(*values, values_path);
    for (size_t i = 0; i < values->size(); ++i)
      t.values.push_back(detail::as_number((*values)[i], index_path(values_path, i)));
  }
  t.extra = detail::extra_members(json, {"type", type, "path"});
  return t;
}

Json Transform::to_json() const {
  Json j = Json::object();
  std::string type = to_string(kind);
  j["type"] = type;
  if (kind != Kind::identity) {
    if (path)
      j["path"] = *path;
    else
      j[type] = values;
  }
  detail::merge_extra(j, extra);
  return j;
}

void validate_scale_translation(const std::vector<Transform>& transforms, size_t ndim,
                                std::string_view where) {
  if (transforms.empty())
    fail(where,
         "expected one scale transformation (optionally followed by one translation), "
         "got an empty list");
  if (transforms.size() > 2)
    fail(where, "expected one scale transformation optionally followed by one translation, got " +
                    std::to_string(transforms.size()) + " transformations");
  for (size_t i = 0; i < transforms.size(); ++i) {
    const Transform& t = transforms[i];
    Transform::Kind expected = i == 0 ? Transform::Kind::scale : Transform::Kind::translation;
    std::string path = index_path(where, i);
    if (t.kind != expected)
      fail(key_path(path, "type"),
           i == 0 ? "the first transformation must be a scale, got '" + to_string(t.kind) + "'"
                  : "the second transformation must be a translation, "
                    "got '" +
                        to_string(t.kind) + "'");
    if (!t.path && t.values.size() != ndim)
      fail(key_path(path, to_string(t.kind)), "expected " + std::to_string(ndim) +
                                                  " values (one per axis), got " +
                                                  std::to_string(t.values.size()));
  }
}

std::vector<Transform> scale_translation_from_json(const Json& json, std::string_view where,
                                                   size_t ndim) {
  detail::expect_array(json, where);
  std::vector<Transform> transforms;
  for (size_t i = 0; i < json.size(); ++i)
    transforms.push_back(Transform::from_json(json[i], index_path(where, i)));
  validate_scale_translation(transforms, ndim, where);
  return transforms;
}

Json transforms_to_json(const std::vector<Transform>& transforms) {
  Json j = Json::array();
  for (const Transform& t : transforms) j.push_back(t.to_json());
  return j;
}

namespace {

std::vector<double> values_of(const std::vector<Transform>& transforms, size_t ndim,
                              Transform::Kind kind, double fallback) {
  for (const Transform& t : transforms) {
    if (t.kind != kind) continue;
    if (t.path)
      throw ValidationError("the " + to_string(kind) + " is stored in '" + *t.path +
                            "'; read it from the store");
    if (t.values.size() != ndim)
      throw ValidationError("the " + to_string(kind) + " has " + std::to_string(t.values.size()) +
                            " values, expected " + std::to_string(ndim));
    return t.values;
  }
  return std::vector<double>(ndim, fallback);
}

}  // namespace

std::vector<double> scale_of(const std::vector<Transform>& transforms, size_t ndim) {
  return values_of(transforms, ndim, Transform::Kind::scale, 1.0);
}

std::vector<double> translation_of(const std::vector<Transform>& transforms, size_t ndim) {
  return values_of(transforms, ndim, Transform::Kind::translation, 0.0);
}

}  // namespace ngff::ome
