// ome::validate: the tree walk. Each node's metadata goes through check_metadata
// (validate_metadata.hpp: schemas, raw checks, typed parse); the walk adds the rules that need
// the store (arrays of the datasets, wells and fields, labels, series) and, with `deep`, reads
// every chunk of the arrays it met (validate_deep.hpp).
#include "ngff/ome/validate.hpp"

#include <limits>

#include "json_path.hpp"
#include "ngff/error.hpp"
#include "ngff/ome/bioformats2raw.hpp"
#include "ngff/store/open_store.hpp"
#include "ngff/zarr/array.hpp"
#include "ngff/zarr/group.hpp"
#include "ngff/zarr/node.hpp"
#include "ome_member.hpp"
#include "store/key.hpp"
#include "validate_deep.hpp"
#include "validate_metadata.hpp"
#include "zarr/integer_dtype.hpp"

namespace ngff::ome {
namespace {

using detail::index_path;
using detail::key_path;
using detail::NodeMetadata;
using detail::ValidateContext;

// `relative` ("../../", "0") from the node at `base`, as a store path; nullopt when it leaves the
// store. Throws InvalidKey for a path no store may hold.
std::optional<std::string> resolve_relative(const std::string& base, const std::string& relative) {
  std::vector<std::string> parts;
  std::string joined = base + "/" + relative;
  size_t start = 0;
  while (start <= joined.size()) {
    size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    std::string part = joined.substr(start, end - start);
    if (part == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& p : parts) out = join_key(out, p);
  validate_key(out);  // InvalidKey for what no store may hold
  return out;
}

// The values an integer or boolean data type holds, as doubles; nullopt for the others.
std::optional<std::pair<double, double>> value_range(zarr::DataType t) {
  if (t == zarr::DataType::boolean) return std::pair{0.0, 1.0};
  return zarr::integer_range(t);
}

bool is_integer(zarr::DataType t) {
  auto kind = zarr::dtype_kind(t);
  return kind == zarr::DataTypeKind::signed_int || kind == zarr::DataTypeKind::unsigned_int;
}

class Walker {
 public:
  Walker(StorePtr store, std::string root, ValidateContext& ctx)
      : store_(std::move(store)), root_(std::move(root)), ctx_(ctx) {}

  // Validates the group or array at `path`, and with `descend` what it holds; returns its
  // metadata (kind "missing" when nothing is there, "array" for an array, "unreadable" when its
  // metadata does not parse).
  NodeMetadata node(const std::string& path, bool descend = true) {
    std::string url = store_->key_url(path);
    NodeMetadata md;
    std::optional<zarr::NodeInfo> info;
    try {
      info = zarr::probe_node(*store_, path);
    } catch (const StoreError&) {
      if (path == root_) throw;
      md.kind = "unreadable";
      ctx_.report(Severity::error, url, "", "zarr/metadata", "cannot read the node's metadata");
      return md;
    } catch (const Error& e) {
      md.kind = "unreadable";
      ctx_.report(Severity::error, url, "", "zarr/metadata", e.what());
      return md;
    }
    if (!info) {
      if (path == root_) throw KeyNotFound("no Zarr node at " + url);
      md.kind = "missing";
      return md;
    }
    if (info->type == zarr::NodeType::array) {
      md.kind = "array";
      return md;
    }
    Json attributes;
    try {
      attributes = zarr::Group::open(store_, path).attributes();
    } catch (const StoreError&) {
      if (path == root_) throw;
      md.kind = "unreadable";
      ctx_.report(Severity::error, url, "", "zarr/metadata", "cannot read the group's metadata");
      return md;
    } catch (const Error& e) {
      md.kind = "unreadable";
      ctx_.report(Severity::error, url, "", "zarr/metadata", e.what());
      return md;
    }
    md = detail::check_metadata(attributes, url, info->zarr_format, ctx_);
    // (The metadata-only corpora hold "image-label" documents alone, as fragments.)
    if (md.kind == "image-label" && !ctx_.options.metadata_only)
      ctx_.report(Severity::error, url, md.member_path("image-label"), "labels/multiscales",
                  "\"image-label\" without \"multiscales\": a label image is an image");
    if (md.parsed && descend && !ctx_.options.metadata_only) children(path, md);
    return md;
  }

  std::vector<detail::DeepArray> deep;

 private:
  void children(const std::string& path, const NodeMetadata& md) {
    if (md.image) image(path, md);
    if (md.kind == "labels") labels(path, md);
    if (md.plate) plate(path, md);
    if (md.well) well(path, md, nullptr);
    if (md.kind == "bioformats2raw") bioformats2raw(path);
  }

  // The child `name` of `path` as a store path, or an error at `json_path` (rule `rule`).
  std::optional<std::string> child(const std::string& path, const std::string& name,
                                   const std::string& json_path, const std::string& rule) {
    try {
      return join_key(path, normalize_node_path(name));
    } catch (const InvalidKey& e) {
      ctx_.report(Severity::error, store_->key_url(path), json_path, rule, e.what());
      return std::nullopt;
    }
  }

  void image(const std::string& path, const NodeMetadata& md) {
    const std::string url = store_->key_url(path);
    const ImageAttributes& attrs = *md.image;
    const bool label = attrs.image_label.has_value();
    for (size_t i = 0; i < attrs.multiscales.size(); ++i) {
      const Multiscale& m = attrs.multiscales[i];
      std::string m_path = index_path(md.member_path("multiscales"), i);
      std::optional<zarr::Array> previous;
      std::optional<zarr::DataType> dtype0;
      for (size_t j = 0; j < m.datasets.size(); ++j) {
        std::string ds_path = key_path(index_path(key_path(m_path, "datasets"), j), "path");
        auto a = dataset(path, m.datasets[j].path, ds_path);
        if (!a) continue;
        level_rules(url, m, j, *a, ds_path, previous, dtype0, label);
        if (i == 0 && j == 0 && attrs.omero) window_rules(url, *attrs.omero, a->dtype(), md);
        if (ctx_.options.deep) {
          detail::DeepArray item{*a};
          if (label && j == 0 && !attrs.image_label->colors.empty()) {
            for (const LabelColor& c : attrs.image_label->colors)
              item.label_values.push_back(c.label_value);
            item.node_url = url;
            item.colors_path = key_path(md.member_path("image-label"), "colors");
          }
          deep.push_back(std::move(item));
        }
        previous = std::move(a);
      }
    }
    if (label && attrs.image_label->source_image) source_image(path, md);
    std::string labels_path = join_key(path, "labels");
    if (!label && zarr::node_exists(*store_, labels_path)) node(labels_path);
  }

  // The array of a dataset, or an error (multiscales/dataset-array) when there is none.
  std::optional<zarr::Array> dataset(const std::string& path, const std::string& name,
                                     const std::string& json_path) {
    const std::string url = store_->key_url(path);
    auto child_path = child(path, name, json_path, "multiscales/dataset-array");
    if (!child_path) return std::nullopt;
    auto info = zarr::probe_node(*store_, *child_path);
    if (!info || info->type != zarr::NodeType::array) {
      ctx_.report(Severity::error, url, json_path, "multiscales/dataset-array",
                  "dataset '" + name + "' is not an array: " + (info ? "a group" : "nothing") +
                      " at " + store_->key_url(*child_path));
      return std::nullopt;
    }
    try {
      return zarr::Array::open(store_, *child_path);
    } catch (const StoreError&) {
      throw;
    } catch (const Error& e) {
      ctx_.report(Severity::error, store_->key_url(*child_path), "", "zarr/metadata", e.what());
      return std::nullopt;
    }
  }

  void level_rules(const std::string& url, const Multiscale& m, size_t j, const zarr::Array& a,
                   const std::string& json_path, const std::optional<zarr::Array>& previous,
                   std::optional<zarr::DataType>& dtype0, bool label) {
    if (a.rank() != m.ndim()) {
      ctx_.report(Severity::error, url, json_path, "multiscales/ndim",
                  a.url() + " has " + std::to_string(a.rank()) + " dimensions, the multiscale " +
                      std::to_string(m.ndim()) + " axes");
      return;
    }
    if (!dtype0) dtype0 = a.dtype();
    if (a.dtype() != *dtype0)
      ctx_.report(Severity::error, url, json_path, "multiscales/dtype-equal",
                  a.url() + " is " + std::string(zarr::dtype_name(a.dtype())) + ", level 0 " +
                      std::string(zarr::dtype_name(*dtype0)));
    if (label && !is_integer(a.dtype()))
      ctx_.report(Severity::error, url, json_path, "labels/integer-dtype",
                  "label image level " + a.url() + " is " +
                      std::string(zarr::dtype_name(a.dtype())) + ", not an integer type");
    if (const auto& names = a.metadata().dimension_names; names && names->is_array()) {
      Json axes = m.axis_names();
      if (*names != axes)
        ctx_.report(Severity::error, url, json_path, "zarr/dimension-names",
                    a.url() + " has dimension_names " + detail::describe(*names) +
                        ", the axes are " + detail::describe(axes));
    }
    if (!previous || previous->rank() != a.rank()) return;
    std::vector<double> scale, previous_scale;
    try {
      scale = m.scale(j);
      previous_scale = m.scale(j - 1);
    } catch (const Error&) {
      // A scale given by path: nothing to compare.
    }
    for (size_t d = 0; d < a.rank(); ++d) {
      if (a.shape()[d] > previous->shape()[d])
        ctx_.report(Severity::error, url, json_path, "multiscales/shape-order",
                    "level " + std::to_string(j) + " is larger than level " +
                        std::to_string(j - 1) + " along '" + m.axes[d].name + "' (" +
                        std::to_string(a.shape()[d]) + " > " +
                        std::to_string(previous->shape()[d]) + ")");
      if (d < scale.size() && d < previous_scale.size() && scale[d] < previous_scale[d])
        ctx_.report(Severity::error, url, json_path, "multiscales/scale-order",
                    "level " + std::to_string(j) + " has a smaller scale than level " +
                        std::to_string(j - 1) + " along '" + m.axes[d].name + "' (" +
                        detail::describe(scale[d]) + " < " + detail::describe(previous_scale[d]) +
                        ")");
    }
  }

  void window_rules(const std::string& url, const Omero& omero, zarr::DataType dtype,
                    const NodeMetadata& md) {
    auto range = value_range(dtype);
    if (!range) return;
    for (size_t c = 0; c < omero.channels.size(); ++c) {
      const auto& w = omero.channels[c].window;
      if (!w) continue;
      std::string w_path =
          key_path(index_path(key_path(md.member_path("omero"), "channels"), c), "window");
      for (auto [name, v] :
           {std::pair{"min", w->min}, {"max", w->max}, {"start", w->start}, {"end", w->end}})
        if (v < range->first || v > range->second)
          ctx_.report(Severity::warning, url, key_path(w_path, name), "omero/window-range",
                      detail::describe(v) + " is outside the range of " +
                          std::string(zarr::dtype_name(dtype)) + " (" +
                          detail::describe(range->first) + " to " +
                          detail::describe(range->second) + ")");
    }
  }

  void source_image(const std::string& path, const NodeMetadata& md) {
    const std::string& source = *md.image->image_label->source_image;
    std::string json_path = key_path(key_path(md.member_path("image-label"), "source"), "image");
    std::optional<std::string> target;
    try {
      target = resolve_relative(path, source);
    } catch (const InvalidKey& e) {
      ctx_.report(Severity::error, store_->key_url(path), json_path, "labels/source-image",
                  e.what());
      return;
    }
    // Above the store's root (a label image validated on its own): not ours to look at.
    if (!target) return;
    auto attrs = detail::read_group_attributes(*store_, *target);
    if (!attrs || !has_multiscales(*attrs))
      ctx_.report(
          Severity::error, store_->key_url(path), json_path, "labels/source-image",
          "source image '" + source + "' is not an image group (" + store_->key_url(*target) + ")");
  }

  void labels(const std::string& path, const NodeMetadata& md) {
    const std::string url = store_->key_url(path);
    for (size_t k = 0; k < md.label_names.size(); ++k) {
      const std::string& name = md.label_names[k];
      std::string json_path = index_path(md.member_path("labels"), k);
      auto child_path = child(path, name, json_path, "labels/listed");
      if (!child_path) continue;
      NodeMetadata label = node(*child_path);
      if (label.kind == "missing")
        ctx_.report(Severity::error, url, json_path, "labels/listed",
                    "label '" + name + "' has no group at " + store_->key_url(*child_path));
      else if (label.kind == "image")
        ctx_.report(Severity::warning, url, json_path, "labels/image-label",
                    "label '" + name +
                        "' has no \"image-label\" metadata (the spec says it "
                        "SHOULD)");
      else if (label.kind != "label_image" && label.kind != "unreadable")
        ctx_.report(Severity::error, url, json_path, "labels/listed",
                    "label '" + name + "' is not a label image (" + label.kind + ")");
    }
  }

  void plate(const std::string& path, const NodeMetadata& md) {
    const std::string url = store_->key_url(path);
    const Plate& p = md.plate->plate;
    for (size_t k = 0; k < p.wells.size(); ++k) {
      std::string json_path =
          key_path(index_path(key_path(md.member_path("plate"), "wells"), k), "path");
      auto well_path = child(path, p.wells[k].path, json_path, "plate/well-exists");
      if (!well_path) continue;
      // The well's own checks, then those that need the plate (with its fields).
      NodeMetadata w = node(*well_path, false);
      if (w.kind == "missing") {
        ctx_.report(
            Severity::error, url, json_path, "plate/well-exists",
            "well '" + p.wells[k].path + "' has no group at " + store_->key_url(*well_path));
      } else if (w.kind != "well" && w.kind != "unreadable") {
        ctx_.report(Severity::error, url, json_path, "plate/well-exists",
                    "well '" + p.wells[k].path + "' at " + store_->key_url(*well_path) +
                        " has no \"well\" metadata (" + w.kind + ")");
      } else if (w.well) {
        well(*well_path, w, &p);
      }
    }
  }

  void well(const std::string& path, const NodeMetadata& md, const Plate* p) {
    const std::string url = store_->key_url(path);
    const Well& w = md.well->well;
    std::string well_where = md.member_path("well");
    if (p) {
      try {
        check_well_in_plate(w, *p, well_where);
      } catch (const ValidationError& e) {
        ctx_.report_line(Severity::error, url, e.what(), "plate/acquisition");
      }
      field_counts(url, w, *p, well_where);
    }
    for (size_t k = 0; k < w.images.size(); ++k) {
      std::string json_path = key_path(index_path(key_path(well_where, "images"), k), "path");
      auto field_path = child(path, w.images[k].path, json_path, "well/field-exists");
      if (!field_path) continue;
      NodeMetadata field = node(*field_path);
      if (field.kind == "missing")
        ctx_.report(
            Severity::error, url, json_path, "well/field-exists",
            "field '" + w.images[k].path + "' has no group at " + store_->key_url(*field_path));
      else if (field.kind != "image" && field.kind != "unreadable")
        ctx_.report(Severity::error, url, json_path, "well/field-exists",
                    "field '" + w.images[k].path + "' is not an image (" + field.kind + ")");
    }
  }

  // Fields per well at most the plate's field_count; per acquisition at most its
  // maximumfieldcount.
  void field_counts(const std::string& url, const Well& w, const Plate& p,
                    const std::string& well_where) {
    std::string images_path = key_path(well_where, "images");
    if (p.field_count && static_cast<int64_t>(w.images.size()) > *p.field_count)
      ctx_.report(Severity::error, url, images_path, "plate/field-count",
                  std::to_string(w.images.size()) + " fields, the plate's field_count is " +
                      std::to_string(*p.field_count));
    for (const Acquisition& acq : p.acquisitions) {
      if (!acq.maximum_field_count) continue;
      int64_t n = 0;
      for (const WellImage& image : w.images) n += image.acquisition == acq.id ? 1 : 0;
      if (n > *acq.maximum_field_count)
        ctx_.report(Severity::error, url, images_path, "plate/field-count",
                    std::to_string(n) + " fields of acquisition " + std::to_string(acq.id) +
                        ", its maximumfieldcount is " + std::to_string(*acq.maximum_field_count));
    }
  }

  void bioformats2raw(const std::string& path) {
    const std::string url = store_->key_url(path);
    std::string ome_path = join_key(path, "OME");
    if (zarr::node_exists(*store_, ome_path)) node(ome_path, false);
    std::vector<Series> series;
    try {
      series = bioformats2raw_series(*store_, path);
    } catch (const ValidationError& e) {
      ctx_.report(Severity::error, url, "", "bf2raw/series", e.what());
      return;
    }
    if (series.empty())
      ctx_.report(Severity::error, url, "", "bf2raw/series",
                  "no series: neither OME/ lists any nor is there a group '0'");
    for (const Series& s : series) {
      auto series_path = child(path, s.path, "", "bf2raw/series");
      if (!series_path) continue;
      NodeMetadata image = node(*series_path);
      if (image.kind != "image" && image.kind != "unreadable")
        ctx_.report(Severity::error, url, "", "bf2raw/series",
                    "series '" + s.path + "' at " + store_->key_url(*series_path) +
                        " is not an image (" + image.kind + ")");
    }
  }

  StorePtr store_;
  std::string root_;  // what cannot be read there is the caller's error, not a problem
  ValidateContext& ctx_;
};

ValidationReport make_report(std::string url, const NodeMetadata& md, ValidateContext& ctx) {
  ValidationReport report;
  report.url = std::move(url);
  report.version = md.version;
  report.version_text = md.version ? to_string(*md.version) : md.version_text;
  report.kind = md.kind;
  report.strict = ctx.options.strict;
  if (ctx.schemas) report.schema_dir = ctx.schemas->root;
  auto problems = ctx.take_problems();
  if (!ctx.schemas)
    problems.insert(problems.begin(),
                    Problem{Severity::warning, report.url, "", "schema/unavailable",
                            "the OME-NGFF JSON schemas were not found (set NGFF_SCHEMAS to a "
                            "folder holding 0.4/, 0.5/, 0.6-dev/): only ngff's own rules ran"});
  report.problems = std::move(problems);
  return report;
}

}  // namespace

ValidationReport validate(const StorePtr& store, std::string_view path_in,
                          const ValidateOptions& options) {
  std::string path = normalize_node_path(path_in);
  ValidateContext ctx(options);
  Walker walker(store, path, ctx);
  NodeMetadata md = walker.node(path);
  const std::string url = store->key_url(path);
  if (md.kind == "group" || md.kind == "array")
    ctx.report(Severity::error, url, "", "ome/missing",
               "no OME-NGFF metadata: a plain Zarr " +
                   std::string(md.kind == "array" ? "array" : "group"));
  if (options.deep && !options.metadata_only) detail::read_every_chunk(walker.deep, ctx);
  return make_report(url, md, ctx);
}

ValidationReport validate(std::string_view url, const ValidateOptions& options) {
  auto location = open_store(url);
  return validate(location.store, location.path, options);
}

ValidationReport validate_attributes(const Json& attributes, const ValidateOptions& options,
                                     std::string_view url) {
  ValidateContext ctx(options);
  NodeMetadata md;
  if (!attributes.is_object())
    ctx.report(Severity::error, std::string(url), "attributes", "zarr/metadata",
               "attributes must be a JSON object, got " + detail::describe(attributes));
  else
    md = detail::check_metadata(attributes, std::string(url), std::nullopt, ctx);
  if (md.kind == "group")
    ctx.report(Severity::error, std::string(url), "attributes", "ome/missing",
               "no OME-NGFF metadata");
  return make_report(std::string(url), md, ctx);
}

}  // namespace ngff::ome
