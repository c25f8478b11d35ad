// Regions (hyperslabs) of an array and the N-d box copies that move data between a chunk and a
// caller's buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ngff::zarr {

using Shape = std::vector<uint64_t>;

// A box: `start` (inclusive) and `shape` per dimension.
struct Region {
  Shape start;
  Shape shape;

  static Region whole(const Shape& array_shape) {
    return {Shape(array_shape.size(), 0), array_shape};
  }
  uint64_t num_elements() const;
  size_t rank() const { return shape.size(); }
  // "[0:10, 5:7]"
  std::string to_string() const;
  bool operator==(const Region&) const = default;
};

uint64_t product(const Shape& shape);

// Checks that `region` lies inside `array_shape`; throws UsageError naming both.
void check_region(const Region& region, const Shape& array_shape);

// Where box `inner` starts relative to box `outer` (which contains it).
Shape offset_in(const Region& inner, const Region& outer);

// The intersection of two boxes; empty (some shape 0) when they do not overlap.
Region intersect(const Region& a, const Region& b);

// Copies the box `box_shape` from position `src_start` of a C-order array of shape `src_shape` to
// position `dst_start` of a C-order array of shape `dst_shape`. Runs of contiguous memory are
// merged into single memcpy calls.
void copy_box(const std::byte* src, const Shape& src_shape, const Shape& src_start, std::byte* dst,
              const Shape& dst_shape, const Shape& dst_start, const Shape& box_shape,
              size_t element_size);

// Fills the box `box_shape` at `dst_start` of a C-order array of `dst_shape` with `element`.
void fill_box(std::byte* dst, const Shape& dst_shape, const Shape& dst_start,
              const Shape& box_shape, const std::byte* element, size_t element_size);

// Fills `count` elements at `dst` with `element` (fast paths for zero and small patterns).
void fill_elements(std::byte* dst, uint64_t count, const std::byte* element, size_t element_size);

}  // namespace ngff::zarr
