#include "zarr/blocks.hpp"

#include <algorithm>

namespace ngff::zarr {

Shape block_shape(const Shape& shape, const Shape& chunks, uint64_t bytes_per_element,
                  uint64_t budget) {
  const size_t n = shape.size();
  Shape block(n);
  for (size_t i = 0; i < n; ++i) block[i] = std::min(chunks[i], std::max<uint64_t>(shape[i], 1));
  for (size_t d = n; d-- > 0;) {
    uint64_t others = product(block) / block[d] * bytes_per_element;
    uint64_t fit = others == 0 ? shape[d] : budget / others;
    uint64_t want = std::max<uint64_t>(shape[d], 1);
    if (fit >= want) {
      block[d] = want;
      continue;
    }
    block[d] = std::max(block[d], fit / chunks[d] * chunks[d]);
    break;
  }
  return block;
}

void for_each_block(const Shape& shape, const Shape& block,
                    const std::function<void(const Region&)>& f) {
  const size_t n = shape.size();
  if (n == 0) {
    f(Region{});
    return;
  }
  if (product(shape) == 0) return;
  Shape index(n, 0);
  while (true) {
    Region r{index, Shape(n)};
    for (size_t i = 0; i < n; ++i) r.shape[i] = std::min(block[i], shape[i] - index[i]);
    f(r);
    size_t d = n;
    while (d-- > 0) {
      index[d] += block[d];
      if (index[d] < shape[d]) break;
      index[d] = 0;
    }
    if (d == static_cast<size_t>(-1)) return;
  }
}

}  // namespace ngff::zarr
