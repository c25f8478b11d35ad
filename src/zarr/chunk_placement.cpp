#include "zarr/chunk_placement.hpp"

#include <array>

namespace ngff::zarr {
namespace {

// True when chunk `box` lies wholly inside `region` and is one contiguous run of the C-order
// output: every dimension after the first is as wide in the chunk as in the region.
bool lands_contiguously(const Region& box, const Region& part, const Region& region) {
  for (size_t d = 0; d < box.rank(); ++d) {
    if (part.shape[d] != box.shape[d]) return false;
    if (d > 0 && box.shape[d] != region.shape[d]) return false;
  }
  return true;
}

}  // namespace

MutableByteView thread_scratch(size_t bytes, int slot) {
  // Grown, never shrunk: a thread reuses its pages for every chunk of every read.
  thread_local std::array<Bytes, kScratchSlots> buffers;
  Bytes& b = buffers.at(static_cast<size_t>(slot));
  if (b.size() < bytes) resize_for_overwrite(b, bytes);
  return MutableByteView(b.data(), bytes);
}

void place_chunk(const RegionBuffer& out, const Region& box, const ChunkDecoder& decode, int slot) {
  const Region& region = out.region;
  const Region part = intersect(box, region);
  const size_t esize = out.element_size;
  const uint64_t chunk_bytes = product(box.shape) * esize;
  if (lands_contiguously(box, part, region)) {
    uint64_t offset = 0;
    for (size_t d = 0; d < region.rank(); ++d)
      offset = offset * region.shape[d] + (part.start[d] - region.start[d]);
    MutableByteView dst(out.data + offset * esize, chunk_bytes);
    if (!decode(dst)) fill_elements(dst.data(), product(box.shape), out.fill_element, esize);
    return;
  }
  MutableByteView scratch = thread_scratch(chunk_bytes, slot);
  if (!decode(scratch)) {
    fill_box(out.data, region.shape, offset_in(part, region), part.shape, out.fill_element, esize);
    return;
  }
  copy_box(scratch.data(), box.shape, offset_in(part, box), out.data, region.shape,
           offset_in(part, region), part.shape, esize);
}

std::vector<Shape> chunks_in(const Region& region, const Shape& chunk_shape) {
  const size_t n = region.rank();
  std::vector<Shape> out;
  if (region.num_elements() == 0) return out;
  Shape lo(n), hi(n);
  for (size_t i = 0; i < n; ++i) {
    lo[i] = region.start[i] / chunk_shape[i];
    hi[i] = (region.start[i] + region.shape[i] - 1) / chunk_shape[i];
  }
  Shape idx = lo;
  while (true) {
    out.push_back(idx);
    size_t d = n;
    while (d-- > 0) {
      if (idx[d] < hi[d]) {
        ++idx[d];
        break;
      }
      idx[d] = lo[d];
    }
    if (d == static_cast<size_t>(-1)) break;
  }
  return out;
}

Region chunk_box(const Shape& index, const Shape& chunk_shape, const Shape& origin) {
  Region r{Shape(index.size()), chunk_shape};
  for (size_t i = 0; i < index.size(); ++i)
    r.start[i] = (origin.empty() ? 0 : origin[i]) + index[i] * chunk_shape[i];
  return r;
}

}  // namespace ngff::zarr
