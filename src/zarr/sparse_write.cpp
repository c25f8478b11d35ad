#include "zarr/sparse_write.hpp"

#include <algorithm>
#include <map>
#include <thread>

#include "ngff/zarr/stored_chunks.hpp"
#include "util/parallel_for.hpp"
#include "zarr/chunk_placement.hpp"

namespace ngff::zarr {

std::vector<TouchedChunk> chunks_touching(const Shape& shape, const Shape& chunks,
                                          const std::vector<Region>& boxes) {
  std::map<Shape, std::vector<size_t>> touched;  // ordered as C order: lexicographic on the index
  for (size_t b = 0; b < boxes.size(); ++b) {
    const Region& box = boxes[b];
    Region clipped = box;
    bool empty = false;
    for (size_t d = 0; d < box.rank(); ++d) {
      if (box.start[d] >= shape[d])
        empty = true;
      else
        clipped.shape[d] = std::min(box.shape[d], shape[d] - box.start[d]);
    }
    if (empty || clipped.num_elements() == 0) continue;
    for (auto& index : chunks_in(clipped, chunks)) touched[std::move(index)].push_back(b);
  }
  std::vector<TouchedChunk> result;
  result.reserve(touched.size());
  for (auto& [index, meeting] : touched) result.push_back({index, std::move(meeting)});
  return result;
}

bool write_touched_chunks(const Array& dst, const std::vector<Region>& boxes,
                          uint64_t bytes_per_element, uint64_t budget, const ProduceChunk& produce,
                          const std::function<void(uint64_t)>& report) {
  const Shape& shape = dst.shape();
  const Shape& chunk = dst.chunk_shape();
  const uint64_t grid_chunks = product(dst.metadata().grid_shape());
  // More boxes than half the grid: dense, without building the set.
  if (boxes.size() * 2 > grid_chunks) return false;
  // Skipping a chunk leaves what dst holds there: only right when dst holds nothing yet.
  const auto existing = stored_chunk_boxes(dst);
  if (!existing || !existing->empty()) return false;
  const std::vector<TouchedChunk> touched = chunks_touching(shape, chunk, boxes);
  if (touched.size() * 2 > grid_chunks) return false;

  const size_t esize = dtype_size(dst.dtype());
  const uint64_t per_chunk = std::max<uint64_t>(1, product(chunk) * bytes_per_element);
  const size_t threads = std::max<size_t>(1, std::thread::hardware_concurrency());
  const size_t batch = std::clamp<size_t>(budget / per_chunk, 1, 2 * threads);
  uint64_t written = 0;
  for (size_t first = 0; first < touched.size(); first += batch) {
    const size_t count = std::min(batch, touched.size() - first);
    std::vector<uint64_t> bytes(count);
    ngff::detail::parallel_for(count, [&](size_t i) {
      const TouchedChunk& touch = touched[first + i];
      Region box = chunk_box(touch.index, chunk);
      for (size_t d = 0; d < box.rank(); ++d)
        box.shape[d] = std::min(box.shape[d], shape[d] - box.start[d]);
      std::vector<Region> parts;
      for (size_t b : touch.boxes) parts.push_back(intersect(boxes[b], box));
      Bytes buffer(box.num_elements() * esize);
      produce(box, parts, buffer.data());
      dst.write(box, buffer.data());
      bytes[i] = buffer.size();
    });
    for (uint64_t b : bytes) {
      written += b;
      if (report) report(b);
    }
  }
  if (report) report(product(shape) * esize - written);
  return true;
}

}  // namespace ngff::zarr
