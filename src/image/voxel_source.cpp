#include "ngff/image/voxel_source.hpp"

#include <cstring>

#include "ngff/error.hpp"
#include "ngff/zarr/array_spec.hpp"
#include "ngff/zarr/stored_chunks.hpp"

namespace ngff::image {
namespace {

class ArraySource final : public VoxelSource {
 public:
  explicit ArraySource(zarr::Array a) : array_(std::move(a)) {}
  const zarr::Shape& shape() const override { return array_.shape(); }
  zarr::DataType dtype() const override { return array_.dtype(); }
  void read(const zarr::Region& r, void* out) const override { array_.read(r, out); }
  // The inner chunk of a sharded array: a shard is read chunk by chunk, and may be huge.
  zarr::Shape preferred_block() const override {
    return zarr::inner_chunk_shape(array_.metadata()).value_or(array_.chunk_shape());
  }
  std::optional<StoredBoxes> stored_boxes() const override {
    auto boxes = zarr::stored_chunk_boxes(array_);
    if (!boxes) return std::nullopt;
    return StoredBoxes{std::move(*boxes), array_.metadata().fill_value.element()};
  }

 private:
  zarr::Array array_;
};

class BufferSource final : public VoxelSource {
 public:
  BufferSource(const void* data, zarr::Shape shape, zarr::DataType t, Bytes owned = {})
      : owned_(std::move(owned)),
        data_(owned_.empty() ? static_cast<const std::byte*>(data) : owned_.data()),
        shape_(std::move(shape)),
        dtype_(t) {}
  const zarr::Shape& shape() const override { return shape_; }
  zarr::DataType dtype() const override { return dtype_; }
  void read(const zarr::Region& r, void* out) const override {
    zarr::check_region(r, shape_);
    size_t esize = zarr::dtype_size(dtype_);
    if (shape_.empty()) {
      std::memcpy(out, data_, esize);
      return;
    }
    zarr::copy_box(data_, shape_, r.start, static_cast<std::byte*>(out), r.shape,
                   zarr::Shape(r.rank(), 0), r.shape, esize);
  }

 private:
  Bytes owned_;
  const std::byte* data_;
  zarr::Shape shape_;
  zarr::DataType dtype_;
};

class RegionSource final : public VoxelSource {
 public:
  RegionSource(VoxelSourcePtr base, zarr::Region region)
      : base_(std::move(base)), region_(std::move(region)) {
    zarr::check_region(region_, base_->shape());
  }
  const zarr::Shape& shape() const override { return region_.shape; }
  zarr::DataType dtype() const override { return base_->dtype(); }
  void read(const zarr::Region& r, void* out) const override {
    zarr::check_region(r, region_.shape);
    zarr::Region shifted = r;
    for (size_t d = 0; d < r.rank(); ++d) shifted.start[d] += region_.start[d];
    base_->read(shifted, out);
  }
  zarr::Shape preferred_block() const override { return base_->preferred_block(); }
  std::optional<StoredBoxes> stored_boxes() const override {
    auto stored = base_->stored_boxes();
    if (!stored) return std::nullopt;
    std::vector<zarr::Region> boxes;
    for (const auto& box : stored->boxes) {
      zarr::Region part = zarr::intersect(box, region_);
      if (part.num_elements() == 0) continue;
      for (size_t d = 0; d < part.rank(); ++d) part.start[d] -= region_.start[d];
      boxes.push_back(std::move(part));
    }
    stored->boxes = std::move(boxes);
    return stored;
  }

 private:
  VoxelSourcePtr base_;
  zarr::Region region_;
};

}  // namespace

VoxelSourcePtr array_source(zarr::Array array) {
  return std::make_shared<ArraySource>(std::move(array));
}

VoxelSourcePtr buffer_source(const void* data, zarr::Shape shape, zarr::DataType dtype) {
  if (!data && zarr::product(shape) != 0) throw UsageError("buffer_source: null data");
  return std::make_shared<BufferSource>(data, std::move(shape), dtype);
}

VoxelSourcePtr owned_buffer_source(Bytes data, zarr::Shape shape, zarr::DataType dtype) {
  if (data.size() != zarr::product(shape) * zarr::dtype_size(dtype))
    throw UsageError("owned_buffer_source: " + std::to_string(data.size()) +
                     " bytes do not match the shape and data type");
  return std::make_shared<BufferSource>(nullptr, std::move(shape), dtype, std::move(data));
}

VoxelSourcePtr region_source(VoxelSourcePtr base, zarr::Region region) {
  return std::make_shared<RegionSource>(std::move(base), std::move(region));
}

}  // namespace ngff::image
