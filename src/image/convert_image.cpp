#include "ngff/image/convert_image.hpp"

#include <algorithm>

#include "image/convert_internal.hpp"
#include "ngff/error.hpp"
#include "ngff/image/multiscale_image.hpp"
#include "ngff/image/write_image.hpp"
#include "ngff/ome/labels.hpp"
#include "ngff/zarr/array_spec.hpp"
#include "ngff/zarr/convert.hpp"
#include "ngff/zarr/node.hpp"
#include "store/key.hpp"
#include "store/rollback.hpp"

namespace ngff::image {

bool is_ome_image(const Json& group_attributes) {
  if (!group_attributes.is_object()) return false;
  // An image has multiscales; one with omero but no multiscales is a broken image (and must be
  // reported as such, not copied as a plain group).
  auto image_keys = [](const Json& j) { return j.contains("multiscales") || j.contains("omero"); };
  if (image_keys(group_attributes)) return true;
  return group_attributes.contains("ome") && group_attributes["ome"].is_object() &&
         image_keys(group_attributes["ome"]);
}

namespace detail {

uint64_t image_bytes(const MultiscaleImage& img) {
  uint64_t total = 0;
  for (const auto& level : img.levels())
    total += zarr::product(level.shape()) * zarr::dtype_size(level.dtype());
  for (const auto& name : img.label_names()) total += image_bytes(img.label(name));
  return total;
}

namespace {

bool is_label_method(DownsampleMethod m) {
  return m == DownsampleMethod::mode || m == DownsampleMethod::nearest;
}

void convert_one(const MultiscaleImage& img, const StorePtr& dst, const std::string& dst_path,
                 const ConvertImageOptions& o, ConvertProgress& progress) {
  ome::Version version = o.version.value_or(ome::default_write_version(img.version()));
  int zarr_format = ome::zarr_format(version);
  if (o.levels || o.method) {
    WriteImageOptions w;
    w.version = version;
    w.levels = o.levels.value_or(img.num_levels());
    w.method = o.method.value_or(DownsampleMethod::mean);
    if (img.attributes().image_label) {
      // A mean of label values is a label that may not exist: labels keep one of their voxels.
      if (o.method && !is_label_method(*o.method))
        throw UsageError(img.group().url() + " is a label image: its pyramid is built with mode " +
                         "or nearest, not " + std::string(to_string(*o.method)));
      w.method = o.method.value_or(DownsampleMethod::mode);
    }
    const zarr::Array& a0 = img.level_array(0);
    const auto source_inner = zarr::inner_chunk_shape(a0.metadata());
    // The source's chunks, unless one would take much of the memory budget (ome-zarr-py may
    // write a whole image as one chunk): then ngff's default chunks.
    const zarr::Shape source_chunks = source_inner.value_or(a0.chunk_shape());
    const bool chunks_fit =
        zarr::product(source_chunks) * zarr::dtype_size(a0.dtype()) <= o.memory_budget / 8;
    if (o.chunks)
      w.chunks = *o.chunks;
    else if (chunks_fit)
      w.chunks = source_chunks;
    if (o.shards)
      w.shards = *o.shards;
    else if (source_inner && zarr_format == 3 && (o.chunks || chunks_fit))
      w.shards = a0.chunk_shape();
    if (o.codec)
      w.codec = *o.codec;
    else
      w.compression =
          zarr::conversion_spec(a0.metadata(), zarr_format, std::nullopt, std::nullopt).compression;
    w.omero = img.attributes().omero;
    w.image_label = img.attributes().image_label;
    w.overwrite = o.overwrite;
    w.memory_budget = o.memory_budget;
    uint64_t start = progress.done;
    w.progress = [&](uint64_t done, uint64_t) {
      progress.done = start;
      progress.add(done);
    };
    write_image(dst, dst_path, img.level(0), w);
    return;
  }
  if (!o.overwrite && zarr::node_exists(*dst, dst_path))
    throw StoreError("a Zarr node already exists at " + dst->key_url(dst_path) +
                     " (use overwrite to replace it)");
  // First, so that metadata the target version cannot say fails before anything is written.
  Json attributes = img.attributes().to_json(version);
  zarr::Group group = zarr::Group::create(dst, dst_path, zarr_format, Json::object(), o.overwrite);
  const ome::Multiscale& ms = img.multiscale();
  for (size_t i = 0; i < img.num_levels(); ++i) {
    const zarr::Array& src = img.level_array(i);
    zarr::ArraySpec spec =
        zarr::conversion_spec(src.metadata(), zarr_format, o.chunks, o.codec, o.shards);
    spec.separator = '/';
    spec.dimension_names.clear();
    if (zarr_format == 3)
      for (const auto& a : ms.axes) spec.dimension_names.emplace_back(a.name);
    zarr::Array out =
        group.create_array(ms.datasets[i].path, zarr::make_array_metadata(spec), o.overwrite);
    zarr::copy_array_data(src, out, o.memory_budget, [&](uint64_t b) { progress.add(b); });
  }
  group.set_attributes(attributes);
}

// Chunk or shard sizes given for the image's axes, for a label image's axes matched by name (a
// label image may lack the channel axis); sizes of another length are passed on as they are.
std::optional<zarr::Shape> sizes_for_label(const std::optional<zarr::Shape>& sizes,
                                           const std::vector<ome::Axis>& image_axes,
                                           const std::vector<ome::Axis>& label_axes) {
  if (!sizes || sizes->size() != image_axes.size()) return sizes;
  zarr::Shape out;
  for (const auto& axis : label_axes) {
    auto it = std::find_if(image_axes.begin(), image_axes.end(),
                           [&](const ome::Axis& a) { return a.name == axis.name; });
    if (it == image_axes.end()) return sizes;
    out.push_back((*sizes)[static_cast<size_t>(it - image_axes.begin())]);
  }
  return out;
}

}  // namespace

size_t convert_image_tree(const MultiscaleImage& img, const StorePtr& dst,
                          const std::string& dst_path, const ConvertImageOptions& o,
                          ConvertProgress& progress) {
  convert_one(img, dst, dst_path, o, progress);
  auto names = img.label_names();
  if (names.empty()) return 0;
  ome::Version version = o.version.value_or(ome::default_write_version(img.version()));
  std::string labels_path = join_key(dst_path, "labels");
  zarr::Group::create(dst, labels_path, ome::zarr_format(version),
                      ome::labels_group_attributes(names, version), o.overwrite);
  // The image's method (mean, gaussian, ...) rebuilds its own pyramid; its labels use mode.
  ConvertImageOptions label_options = o;
  if (label_options.method && !is_label_method(*label_options.method))
    label_options.method = DownsampleMethod::mode;
  for (const auto& name : names) {
    MultiscaleImage label = img.label(name);
    label_options.chunks = sizes_for_label(o.chunks, img.axes(), label.axes());
    label_options.shards = sizes_for_label(o.shards, img.axes(), label.axes());
    convert_one(label, dst, join_key(labels_path, name), label_options, progress);
  }
  return names.size();
}

}  // namespace detail

void convert_image(const StorePtr& src, const std::string& src_path, const StorePtr& dst,
                   const std::string& dst_path, const ConvertImageOptions& o) {
  if (o.version) ome::require_writable(*o.version, "convert_image: version");
  MultiscaleImage img = MultiscaleImage::open(src, src_path);
  if (src->url() == dst->url() && normalize_node_path(src_path) == normalize_node_path(dst_path))
    throw UsageError("source and destination are the same image: " + src->key_url(src_path));
  detail::ConvertProgress progress{o};
  progress.total = o.progress ? detail::image_bytes(img) : 0;
  std::string out = normalize_node_path(dst_path);
  RollbackGuard rollback(*dst, out, zarr::node_exists(*dst, out));
  detail::convert_image_tree(img, dst, out, o, progress);
  rollback.commit();
}

}  // namespace ngff::image
