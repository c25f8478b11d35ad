#include "ngff/image/write_image.hpp"

#include <cmath>
#include <numeric>

#include "image/label_colors.hpp"
#include "image/level_array.hpp"
#include "image/pyramid_levels.hpp"
#include "ngff/error.hpp"
#include "ngff/zarr/array_spec.hpp"
#include "ngff/zarr/codec_spelling.hpp"
#include "ngff/zarr/node.hpp"
#include "store/key.hpp"
#include "store/rollback.hpp"
#include "zarr/blocks.hpp"

namespace ngff::image {
namespace {

bool is_space(const ome::Axis& a) {
  return a.type.value_or("") == "space";
}

// Default chunks under shards the caller chose: the chunks rounded to whole tiles where they
// divide the shard, else the plain default (`--shards 1,4096,4096` over a slide's 960 × 2160
// chunks takes 1024 × 2048; shards the plain default does not divide are an error, as before).
zarr::Shape default_chunks_within_shards(zarr::Shape rounded, const zarr::Shape& plain,
                                         const zarr::Shape& shards) {
  if (shards.size() != rounded.size()) return rounded;
  for (size_t d = 0; d < rounded.size(); ++d)
    if (shards[d] != 0 && shards[d] % rounded[d] != 0) rounded[d] = plain[d];
  return rounded;
}

}  // namespace

zarr::Shape default_factors(const std::vector<ome::Axis>& axes) {
  zarr::Shape f;
  for (const auto& a : axes) f.push_back(is_space(a) ? 2 : 1);
  return f;
}

zarr::Shape default_image_chunks(const zarr::Shape& shape, const std::vector<ome::Axis>& axes,
                                 zarr::DataType dtype, const zarr::Shape& source_unit) {
  zarr::Shape space_shape = shape;
  for (size_t d = 0; d < shape.size(); ++d)
    if (!is_space(axes[d])) space_shape[d] = 1;
  // Up to 2 MiB, so chunks are at least 1 MiB whenever the image is that large.
  zarr::Shape chunks = zarr::default_chunks(space_shape, dtype, 2 << 20);
  // Whole source tiles per chunk: the nearest multiple of the tile (and of 2, the pyramid's
  // factor, so that blocks need not double) along each space dimension a chunk splits. A
  // 12000² image's halvings (750 × 1500) cut its 256² tiles, and a slide scanner's 240² tiles
  // share no small multiple with 1024 × 2048: blocks of such chunks decode the tiles on their
  // borders twice (or grow to hold them); 768 × 1536 and 960 × 2160 hold whole tiles. Not for
  // tiles under a sixteenth of the chunk (strips of a few rows: cutting them costs little), nor
  // where the nearest multiple is more than a quarter away (682-pixel tiles under 1024).
  if (source_unit.size() == shape.size())
    for (size_t d = 0; d < shape.size(); ++d) {
      const uint64_t c = chunks[d], step = std::lcm(std::max<uint64_t>(source_unit[d], 1), 2);
      if (!is_space(axes[d]) || source_unit[d] == 0 || source_unit[d] * 16 < c || step >= c ||
          c >= shape[d])
        continue;
      const uint64_t rounded = std::max(step, (c + step / 2) / step * step);
      if (4 * (rounded > c ? rounded - c : c - rounded) <= c)
        chunks[d] = std::min(shape[d], rounded);
    }
  return chunks;
}

MultiscaleImage write_image(const StorePtr& store, std::string_view path_in,
                            const SpatialImage& image, const WriteImageOptions& o) {
  ome::require_writable(o.version, "write_image: version");
  std::string path = normalize_node_path(path_in);
  const auto& axes = image.axes();
  const zarr::Shape& shape0 = image.shape();
  zarr::Shape factors = o.factors.empty() ? default_factors(axes) : o.factors;
  zarr::Shape chunks = o.chunks;
  if (chunks.empty())
    chunks = default_chunks_within_shards(
        default_image_chunks(shape0, axes, image.dtype(), image.source()->preferred_block()),
        default_image_chunks(shape0, axes, image.dtype()), o.shards);
  PyramidPlan plan = plan_pyramid(shape0, factors, o.levels, axes);
  if (chunks.size() != shape0.size())
    throw UsageError("chunks have " + std::to_string(chunks.size()) + " sizes for " +
                     std::to_string(shape0.size()) + " dimensions");
  Json compression = o.compression.empty() ? zarr::parse_codec_spelling(o.codec, image.dtype(),
                                                                        ome::zarr_format(o.version))
                                           : o.compression;
  ome::ImageAttributes attrs =
      image_attributes(image, plan, o.method, o.version, o.omero, o.image_label);
  int zarr_format = ome::zarr_format(o.version);
  if (!o.overwrite && zarr::node_exists(*store, path))
    throw StoreError("a Zarr node already exists at " + store->key_url(path) +
                     " (use overwrite to replace it)");
  RollbackGuard rollback(*store, path, zarr::node_exists(*store, path));
  zarr::Group group = zarr::Group::create(store, path, zarr_format, Json::object(), o.overwrite);

  uint64_t total = plan_bytes(plan, image.dtype());
  uint64_t done = 0;
  auto report = [&](uint64_t bytes) {
    done += bytes;
    if (o.progress) o.progress(done, total);
  };
  std::vector<zarr::Array> levels;
  for (size_t k = 0; k < plan.shapes.size(); ++k)
    levels.push_back(create_level_array(group, std::to_string(k), plan.shapes[k], image.dtype(),
                                        chunks, o.shards, axes, compression, o.version));
  write_levels(*image.source(), levels, factors, o.method, o.memory_budget, true, report);
  // The metadata goes last: a killed writer leaves a group that is not (yet) an image.
  group.set_attributes(attrs.to_json());
  rollback.commit();
  return MultiscaleImage::open(store, path);
}

namespace {

// The shape and dtype of an image whose voxels are not there (create_empty_image).
class NoVoxelsSource final : public VoxelSource {
 public:
  NoVoxelsSource(zarr::Shape shape, zarr::DataType dtype)
      : shape_(std::move(shape)), dtype_(dtype) {}
  const zarr::Shape& shape() const override { return shape_; }
  zarr::DataType dtype() const override { return dtype_; }
  void read(const zarr::Region&, void*) const override {
    throw UsageError("create_empty_image: the image has no voxels to read");
  }

 private:
  zarr::Shape shape_;
  zarr::DataType dtype_;
};

}  // namespace

MultiscaleImage create_empty_image(const StorePtr& store, std::string_view path_in,
                                   const zarr::Shape& shape0, zarr::DataType dtype,
                                   std::vector<ome::Axis> axes_in, std::vector<double> scale,
                                   std::vector<double> translation, std::string name,
                                   const WriteImageOptions& o) {
  ome::require_writable(o.version, "create_empty_image: version");
  SpatialImage image(std::make_shared<NoVoxelsSource>(shape0, dtype), std::move(axes_in),
                     std::move(scale), std::move(translation), std::move(name));
  zarr::Shape factors = o.factors.empty() ? default_factors(image.axes()) : o.factors;
  PyramidPlan plan = plan_pyramid(shape0, factors, o.levels, image.axes());
  ome::ImageAttributes attrs =
      image_attributes(image, plan, o.method, o.version, o.omero, o.image_label);
  return create_empty_levels(store, path_in, plan.shapes, dtype, attrs, o);
}

SpatialImage labels_in_image_space(const MultiscaleImage& image, VoxelSourcePtr voxels,
                                   const std::vector<std::string>& axes) {
  const SpatialImage& base = image.level(0);
  if (axes.size() != voxels->shape().size())
    throw UsageError("labels: " + std::to_string(axes.size()) + " axes for " +
                     std::to_string(voxels->shape().size()) + " dimensions");
  std::vector<ome::Axis> label_axes;
  std::vector<double> scale, translation;
  for (const auto& name : axes) {
    size_t i = 0;
    try {
      i = base.axis_index(name);
    } catch (const UsageError&) {
      throw UsageError("labels: axis '" + name + "' is not an axis of " + image.group().url());
    }
    label_axes.push_back(base.axes()[i]);
    scale.push_back(base.scale()[i]);
    translation.push_back(base.translation()[i]);
  }
  return SpatialImage(std::move(voxels), std::move(label_axes), std::move(scale),
                      std::move(translation), base.name());
}

namespace {

// Checks `labels` against `image` and completes the options as write_labels documents.
WriteImageOptions label_options(const MultiscaleImage& image, std::string_view name,
                                const SpatialImage& labels, WriteImageOptions o) {
  std::string where = image.group().url() + ": labels '" + std::string(name) + "'";
  if (name.empty() || name.find('/') != std::string_view::npos)
    throw UsageError(where + ": a label name is one non-empty path segment");
  validate_key(name);
  auto kind = zarr::dtype_kind(labels.dtype());
  if (kind != zarr::DataTypeKind::signed_int && kind != zarr::DataTypeKind::unsigned_int)
    throw UsageError(where + ": a label image holds integers, not " +
                     std::string(zarr::dtype_name(labels.dtype())));
  // A mean (or gaussian, min, max) of label values is a label that may not exist.
  if (o.method != DownsampleMethod::mode && o.method != DownsampleMethod::nearest)
    throw UsageError(where + ": label pyramids are built with mode or nearest, not " +
                     std::string(to_string(o.method)));
  // Label axes are the image's (an axis may be dropped), each with the image's extent or 1 (the
  // spec's "irrelevant" dimension, e.g. one label image for all channels).
  const SpatialImage& base = image.level(0);
  for (size_t d = 0; d < labels.rank(); ++d) {
    const std::string& axis = labels.axes()[d].name;
    size_t i = 0;
    try {
      i = base.axis_index(axis);
    } catch (const UsageError&) {
      throw UsageError(where + ": axis '" + axis + "' is not an axis of the image");
    }
    if (labels.shape()[d] != base.shape()[i] && labels.shape()[d] != 1)
      throw UsageError(where + ": axis '" + axis + "' has " + std::to_string(labels.shape()[d]) +
                       " voxels, the image has " + std::to_string(base.shape()[i]));
  }
  // The pyramid follows the image's: as many levels, the same factor per axis between levels.
  if (o.levels == 0) o.levels = image.num_levels();
  if (o.factors.empty() && image.num_levels() > 1) {
    const SpatialImage& next = image.level(1);
    for (size_t d = 0; d < labels.rank(); ++d) {
      size_t i = base.axis_index(labels.axes()[d].name);
      o.factors.push_back(labels.shape()[d] == 1
                              ? 1
                              : std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(
                                                          next.scale()[i] / base.scale()[i]))));
    }
  }
  o.version = image.version();
  o.omero.reset();
  if (!o.image_label) o.image_label = ome::ImageLabel{};
  if (!o.image_label->source_image) o.image_label->source_image = "../../";
  if (o.version == ome::Version::v0_4 && !o.image_label->version)
    o.image_label->version = ome::to_string(o.version);
  return o;
}

// Lists `name` in the image's labels group (created when missing).
void add_label_name(const MultiscaleImage& image, std::string_view name) {
  const zarr::Group& g = image.group();
  std::vector<std::string> names = image.label_names();
  if (std::find(names.begin(), names.end(), std::string(name)) == names.end())
    names.emplace_back(name);
  zarr::Group::create(g.store(), join_key(g.path(), "labels"), g.zarr_format(),
                      ome::labels_group_attributes(names, image.version()));
}

std::string label_path(const MultiscaleImage& image, std::string_view name) {
  return join_key(join_key(image.group().path(), "labels"), name);
}

}  // namespace

MultiscaleImage write_labels(const MultiscaleImage& image, std::string_view name,
                             const SpatialImage& labels, WriteImageOptions options) {
  WriteImageOptions o = label_options(image, name, labels, std::move(options));
  // No colours given: those of the values present (viewers and the strict schema want them),
  // noted as write_image reads the labels. It reads every voxel that can be other than 0 (a
  // sparse source's other voxels are the fill value, 0), so the values noted are all there are.
  const bool default_colors = o.image_label->colors.empty();
  std::shared_ptr<const LabelValueTap> tap;
  SpatialImage source = labels;
  if (default_colors) {
    tap = std::make_shared<LabelValueTap>(labels.source());
    source = SpatialImage(tap, labels.axes(), labels.scale(), labels.translation(), labels.name());
    if (labels.affine()) source.set_affine(*labels.affine(), labels.affine_target());
  }
  MultiscaleImage written = write_image(image.group().store(), label_path(image, name), source, o);
  ome::ImageAttributes attrs = written.attributes();
  if (default_colors && attrs.image_label) {
    // The limit reached: level 0 read back picks the values kept (the first in block order),
    // the same ones on every run.
    auto colors = tap->colors();
    attrs.image_label->colors =
        colors ? std::move(*colors) : default_label_colors(written.level_array(0), o.memory_budget);
    if (!attrs.image_label->colors.empty()) {
      zarr::Group group = written.group();
      group.set_attributes(attrs.to_json());
      written = MultiscaleImage::open(group.store(), group.path());
    }
  }
  add_label_name(image, name);
  return written;
}

MultiscaleImage create_empty_labels(const MultiscaleImage& image, std::string_view name,
                                    const zarr::Shape& shape, zarr::DataType dtype,
                                    const std::vector<std::string>& axes,
                                    WriteImageOptions options) {
  SpatialImage labels =
      labels_in_image_space(image, std::make_shared<NoVoxelsSource>(shape, dtype), axes);
  WriteImageOptions o = label_options(image, name, labels, std::move(options));
  MultiscaleImage written =
      create_empty_image(image.group().store(), label_path(image, name), shape, dtype,
                         labels.axes(), labels.scale(), labels.translation(), labels.name(), o);
  add_label_name(image, name);
  return written;
}

MultiscaleImage rebuild_pyramid(const StorePtr& store, std::string_view path,
                                const WriteImageOptions& o) {
  MultiscaleImage old = MultiscaleImage::open(store, path);
  // Checked before any level is erased: 0.1-0.3 images are converted, never rewritten in place.
  ome::require_writable(old.version(), old.group().url());
  const SpatialImage& base = old.level(0);
  zarr::Shape factors = o.factors.empty() ? default_factors(base.axes()) : o.factors;
  PyramidPlan plan = plan_pyramid(base.shape(), factors, o.levels, base.axes());
  ome::ImageAttributes attrs = old.attributes();
  ome::Multiscale& ms = attrs.multiscales[0];
  // Level 0 keeps its own dataset transforms; the multiscale-level ones stay as they are.
  std::vector<double> scale0(base.rank(), 1.0), translation0(base.rank(), 0.0);
  for (const auto& t : ms.datasets[0].transforms) {
    if (t.kind == ome::Transform::Kind::scale) scale0 = t.values;
    if (t.kind == ome::Transform::Kind::translation) translation0 = t.values;
  }
  std::string level0_path = ms.datasets[0].path;
  for (size_t i = 1; i < ms.datasets.size(); ++i)
    store->erase_prefix(join_key(old.group().path(), ms.datasets[i].path));
  ms.datasets = level_datasets(plan, scale0, translation0, o.method);
  ms.datasets[0].path = level0_path;
  // New levels are named 1, 2, ...; creating one erases whatever is stored under its name, so
  // names that are level 0's path, a folder holding it or inside it (an image whose datasets
  // were "2", "3", "4", or "1/0") are skipped.
  auto clashes = [&](const std::string& name) {
    auto inside = [](const std::string& a, const std::string& b) {
      return a.size() > b.size() && a.compare(0, b.size(), b) == 0 && a[b.size()] == '/';
    };
    return name == level0_path || inside(level0_path, name) || inside(name, level0_path);
  };
  uint64_t next_name = 1;
  for (size_t k = 1; k < ms.datasets.size(); ++k) {
    while (clashes(std::to_string(next_name))) ++next_name;
    ms.datasets[k].path = std::to_string(next_name++);
  }
  ms.type = std::string(to_string(o.method));
  const zarr::Array& level0 = old.level_array(0);
  Json compression = zarr::compression_of(level0.metadata());
  // Keep level 0's layout: its inner chunks and shards when sharded.
  const auto inner = zarr::inner_chunk_shape(level0.metadata());
  const zarr::Shape chunks = inner.value_or(level0.chunk_shape());
  const zarr::Shape shards = inner ? level0.chunk_shape() : zarr::Shape{};
  uint64_t level0_bytes = zarr::product(base.shape()) * zarr::dtype_size(base.dtype());
  uint64_t total = plan_bytes(plan, base.dtype()) - level0_bytes;
  uint64_t done = 0;
  auto report = [&](uint64_t b) {
    done += b;
    if (o.progress) o.progress(done, total);
  };
  std::vector<zarr::Array> levels{level0};
  for (size_t k = 1; k < plan.shapes.size(); ++k)
    levels.push_back(create_level_array(old.group(), ms.datasets[k].path, plan.shapes[k],
                                        base.dtype(), chunks, shards, base.axes(), compression,
                                        old.version()));
  write_levels(*array_source(level0), levels, factors, o.method, o.memory_budget, false, report);
  zarr::Group g = old.group();
  g.set_attributes(attrs.to_json());
  // Label images follow their image: same number of levels, same factors per axis, mode.
  for (const auto& name : old.label_names()) {
    MultiscaleImage label = old.label(name);
    WriteImageOptions lo = o;
    lo.levels = plan.shapes.size();
    if (lo.method != DownsampleMethod::nearest) lo.method = DownsampleMethod::mode;
    lo.factors.clear();
    for (const auto& axis : label.axes()) lo.factors.push_back(factors[base.axis_index(axis.name)]);
    lo.progress = nullptr;
    rebuild_pyramid(store, label.group().path(), lo);
  }
  return MultiscaleImage::open(store, path);
}

}  // namespace ngff::image
