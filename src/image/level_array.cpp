#include "image/level_array.hpp"

#include <algorithm>

#include "ngff/error.hpp"
#include "ngff/zarr/array_spec.hpp"
#include "ngff/zarr/codec_spelling.hpp"
#include "ngff/zarr/node.hpp"
#include "store/key.hpp"
#include "store/rollback.hpp"

namespace ngff::image {

zarr::Array create_level_array(const zarr::Group& group, const std::string& name,
                               const zarr::Shape& shape, zarr::DataType dtype,
                               const zarr::Shape& chunks, const zarr::Shape& shards,
                               const std::vector<ome::Axis>& axes, const Json& compression,
                               ome::Version version) {
  zarr::ArraySpec spec;
  spec.zarr_format = ome::zarr_format(version);
  spec.shape = shape;
  spec.chunks.resize(shape.size());
  for (size_t d = 0; d < shape.size(); ++d)
    spec.chunks[d] = std::min(chunks[d], std::max<uint64_t>(shape[d], 1));
  if (!shards.empty()) {
    if (shards.size() != shape.size())
      throw UsageError("shards have " + std::to_string(shards.size()) + " sizes for " +
                       std::to_string(shape.size()) + " dimensions");
    // No larger than the level, rounded up to whole chunks: still a multiple of the chunks.
    spec.shards.resize(shape.size());
    for (size_t d = 0; d < shape.size(); ++d) {
      uint64_t whole = (std::max<uint64_t>(shape[d], 1) + spec.chunks[d] - 1) / spec.chunks[d];
      spec.shards[d] = std::min(shards[d], whole * spec.chunks[d]);
    }
  }
  spec.dtype = dtype;
  spec.compression = compression;
  spec.separator = '/';
  if (spec.zarr_format == 3)
    for (const auto& a : axes) spec.dimension_names.emplace_back(a.name);
  return group.create_array(name, zarr::make_array_metadata(spec), /*overwrite=*/true);
}

MultiscaleImage create_empty_levels(const StorePtr& store, std::string_view path_in,
                                    const std::vector<zarr::Shape>& shapes, zarr::DataType dtype,
                                    const ome::ImageAttributes& attrs, const WriteImageOptions& o) {
  std::string path = normalize_node_path(path_in);
  const ome::Multiscale& ms = attrs.multiscales.at(0);
  const zarr::Shape& shape0 = shapes.at(0);
  zarr::Shape chunks = o.chunks.empty() ? default_image_chunks(shape0, ms.axes, dtype) : o.chunks;
  if (chunks.size() != shape0.size())
    throw UsageError("chunks have " + std::to_string(chunks.size()) + " sizes for " +
                     std::to_string(shape0.size()) + " dimensions");
  int zarr_format = ome::zarr_format(o.version);
  Json compression = o.compression.empty() ? zarr::parse_codec_spelling(o.codec, dtype, zarr_format)
                                           : o.compression;
  if (!o.overwrite && zarr::node_exists(*store, path))
    throw StoreError("a Zarr node already exists at " + store->key_url(path) +
                     " (use overwrite to replace it)");
  RollbackGuard rollback(*store, path, zarr::node_exists(*store, path));
  zarr::Group group = zarr::Group::create(store, path, zarr_format, Json::object(), o.overwrite);
  for (size_t k = 0; k < shapes.size(); ++k)
    create_level_array(group, ms.datasets.at(k).path, shapes[k], dtype, chunks, o.shards, ms.axes,
                       compression, o.version);
  group.set_attributes(attrs.to_json());
  rollback.commit();
  return MultiscaleImage::open(store, path);
}

}  // namespace ngff::image
