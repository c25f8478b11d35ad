// OME-NGFF "multiscales": the pyramid of an image, as a list of datasets (Zarr arrays, highest
// resolution first) sharing one list of axes.
//   {"version": "0.4",  // before 0.5 only; in 0.5 the version is "ome.version"
//    "name": "example", "axes": [...],
//    "datasets": [{"path": "0", "coordinateTransformations": [{"type": "scale", ...}]}, ...],
//    "coordinateTransformations": [{"type": "scale", "scale": [0.1, 1, 1]}],  // optional
//    "type": "gaussian", "metadata": {...}}
// Rules: axes as in axes.hpp; at least one dataset; every dataset (and the multiscale itself,
// when it has coordinateTransformations) has one scale then at most one translation, with one
// value per axis.
// 0.1-0.3 (read only) have datasets with a "path" alone and axes as names (0.3) or none (0.1,
// 0.2: t c z y x). Their datasets are read without transformations (a scale of 1, as ngff-zarr and
// ome-zarr-py read them) until derive_scales gives them the scales the level shapes imply
// (ImageAttributes writes a scale of 1 for a dataset that still has none).
// 0.6 (RFC-5) replaces "axes" by "coordinateSystems" and gives each dataset one transformation
// (coordinate_transformations.hpp) from its array to the "intrinsic" system (the one every
// dataset's output names): a scale, an identity, or a sequence of a scale then a translation.
//   {"name": "img", "coordinateSystems": [{"name": "intrinsic", "axes": [...]}, ...],
//    "datasets": [{"path": "0", "coordinateTransformations": [{"type": "sequence",
//        "input": {"path": "0"}, "output": {"name": "intrinsic"},
//        "transformations": [{"type": "scale", ...}, {"type": "translation", ...}]}]}],
//    "coordinateTransformations": [{"type": "affine", "input": {"name": "intrinsic"},
//        "output": {"name": "world"}, "affine": [...]}]}  // optional, any type
// The model reads it into the 0.4/0.5 shape as well, so that code written for 0.5 works on 0.6
// images: `axes` are the intrinsic system's, and each Dataset::transforms its scale[/translation].
// Rules of 0.6 besides the systems' (coordinate_systems.hpp): each dataset's input path is its
// path; all datasets name one output system, which exists; the multiscale's own transformations
// have the intrinsic system on one side and, on the other, a system of the multiscale or (with
// "path") one of a child labels group, and then are identity, scale or translation; parameters
// fit the systems' dimensions; all systems are connected by transformations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/ome/axes.hpp"
#include "ngff/ome/coordinate_systems.hpp"
#include "ngff/ome/coordinate_transformations.hpp"
#include "ngff/ome/transforms.hpp"
#include "ngff/ome/version.hpp"
#include "ngff/util/json.hpp"

namespace ngff::ome {

struct Dataset {
  std::string path;
  std::vector<Transform>
      transforms;  // "coordinateTransformations" (0.6: read from `transformation`)
  // 0.6: the transformation as read (written back as is while `transforms` still say the same
  // scale and translation; otherwise the 0.6 form of `transforms` is written).
  std::optional<Transformation> transformation{};
  Json extra = Json::object();

  // A dataset with a scale and, when `translation` is not empty, a translation.
  static Dataset make(std::string path, std::vector<double> scale,
                      std::vector<double> translation = {});

  // `ndim` is the number of axes of the multiscale. Before 0.4 a dataset is only a "path" (other
  // members are kept among the extra ones, but for a "coordinateTransformations", which is
  // dropped).
  static Dataset from_json(const Json& json, std::string_view where, size_t ndim,
                           Version version = Version::v0_4);
  Json to_json() const;

  bool operator==(const Dataset&) const = default;
};

struct Multiscale {
  std::optional<std::string> version;  // before 0.5 only (inside each multiscale)
  std::optional<std::string> name;
  std::vector<Axis> axes;
  std::vector<Dataset> datasets;
  std::vector<Transform> transforms;  // multiscale-level "coordinateTransformations" (optional)
  // 0.6: the coordinate systems, the intrinsic one's name, and the multiscale-level
  // transformations (any type; `transforms` stays empty).
  std::vector<CoordinateSystem> coordinate_systems;
  std::string intrinsic;
  std::vector<Transformation> coordinate_transformations;
  std::optional<std::string> type;  // the downscaling method
  Json metadata;                    // null when absent
  Json extra = Json::object();

  size_t ndim() const { return axes.size(); }
  std::vector<std::string> axis_names() const;
  // The index of the axis called `name`, if any.
  std::optional<size_t> axis_index(std::string_view name) const;

  // Effective scale / translation of dataset `dataset` per axis: the dataset's composed with the
  // multiscale's (scale = s_ds * s_ms; translation = t_ds * s_ms + t_ms), defaults 1 and 0.
  // Throws UsageError for a dataset index out of range, ValidationError for values given by path.
  std::vector<double> scale(size_t dataset) const;
  std::vector<double> translation(size_t dataset) const;

  // Parses one multiscale of a `version` document ("version" is read before 0.5 and must be
  // `version`; in 0.5 a "version" member is kept among the extra members). Throws
  // ValidationError naming `where`.
  static Multiscale from_json(const Json& json, std::string_view where, Version version);
  // The multiscale as `version` lays it out (0.4: with `version` when set; 0.5: without; 0.6:
  // coordinate systems, one "intrinsic" system made from `axes` when there are none, and per
  // dataset a scale, or a sequence of the scale and translation when it has one). A 0.6
  // multiscale written as 0.4/0.5 keeps the intrinsic system's axes, and its multiscale-level
  // transformations only when they are one scale[/translation] from the intrinsic system
  // (folded into the 0.5 one); anything else throws ValidationError "<where>.
  // coordinateTransformations[0]: affine cannot be written as OME-NGFF 0.5 (only scale and
  // translation)". Throws UsageError for 0.1-0.3 (read only).
  Json to_json(Version version, std::string_view where = "multiscale") const;

  // The intrinsic system of a 0.6 multiscale (nullptr for 0.1-0.5).
  const CoordinateSystem* intrinsic_system() const;

  // Gives every dataset without transformations (0.1-0.3) a scale from the shapes of the
  // levels' arrays (`shapes[i]` is dataset i's): level 0's extent over the level's on each axis
  // (shape_0[d] / shape_i[d]; 1 for level 0), the factor ome-zarr-py's 0.4 writer records. No
  // translation: how the levels were sampled is not recorded. Throws UsageError when `shapes`
  // does not hold one shape of ndim() sizes per dataset.
  void derive_scales(const std::vector<std::vector<uint64_t>>& shapes);

  // Checks the rules above on a multiscale built in code.
  void validate(std::string_view where) const;
  // Problems with the SHOULDs (strict schema: name, type, metadata, 0.4 version; units; positive
  // scales; datasets ordered from highest resolution). One "<path>: <message>" line each.
  void warnings(std::string_view where, Version version, std::vector<std::string>& out) const;

  bool operator==(const Multiscale&) const = default;
};

}  // namespace ngff::ome
