#include "zarr/blocks.hpp"

#include <algorithm>
#include <numeric>
#include <thread>

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

Shape aligned_unit(const Shape& unit, const Shape& source_unit, const Shape& shape,
                   uint64_t bytes_per_element, uint64_t limit) {
  const size_t n = unit.size();
  if (source_unit.size() != n) return unit;
  Shape aligned = unit;
  uint64_t bytes = product(unit) * bytes_per_element;
  if (bytes > limit) return unit;
  // Per dimension: the aligned extent `want`, and whether it pays: a source unit of extent s
  // meets 1 + (s - gcd(s, u)) / u blocks of extent u on average (and is decoded that often), and
  // aligning multiplies the block by want / u. Aligned when the decoding saved is at least the
  // memory spent: interleaved RGB samples (3 decodes, 3× the block), 256² tiles under 128²
  // chunks (2, 2×); not 240-pixel tiles under 1500-pixel chunks (1.12 decodes, 4× the block).
  // The cheapest first, as far as `limit` allows.
  Shape want(n), order;
  for (size_t d = 0; d < n; ++d) {
    const uint64_t extent = std::max<uint64_t>(shape[d], 1);
    const uint64_t whole = (extent + unit[d] - 1) / unit[d] * unit[d];
    const uint64_t source = std::clamp<uint64_t>(source_unit[d], 1, extent);
    want[d] = std::min(std::lcm(unit[d], source), whole);
    if (want[d] != unit[d] && unit[d] + source - std::gcd(unit[d], source) >= want[d])
      order.push_back(d);
  }
  std::stable_sort(order.begin(), order.end(), [&](uint64_t a, uint64_t b) {
    return want[a] * unit[b] < want[b] * unit[a];  // want/unit, compared without division
  });
  for (uint64_t d : order) {
    const uint64_t grow = want[d] / unit[d];
    if (bytes > limit / grow) continue;
    aligned[d] = want[d];
    bytes *= grow;
  }
  return aligned;
}

uint64_t useful_block_budget(uint64_t budget, uint64_t unit_bytes, uint64_t in_flight) {
  const uint64_t cores = std::max<uint64_t>(1, std::thread::hardware_concurrency());
  const uint64_t units = (cores + in_flight - 1) / std::max<uint64_t>(in_flight, 1);
  return std::min(budget, std::max<uint64_t>(uint64_t{4} << 20, unit_bytes * units));
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

void for_each_block_by_shard(const Shape& shape, const Shape& shard, const Shape& block,
                             const std::function<void(const Region&)>& f) {
  Shape inside(block.size());
  for (size_t d = 0; d < block.size(); ++d) inside[d] = std::min(block[d], shard[d]);
  for_each_block(shape, shard, [&](const Region& s) {
    for_each_block(s.shape, inside, [&](const Region& r) {
      Region b = r;
      for (size_t d = 0; d < b.rank(); ++d) b.start[d] += s.start[d];
      f(b);
    });
  });
}

}  // namespace ngff::zarr
