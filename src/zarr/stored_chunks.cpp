#include "ngff/zarr/stored_chunks.hpp"

#include <algorithm>

#include "store/metadata_keys.hpp"

namespace ngff::zarr {

void for_each_stored_key(
    const Array& array,
    const std::function<void(const std::string& key, const std::optional<Shape>& index)>& f) {
  const ArrayMetadata& m = array.metadata();
  const Shape grid = m.grid_shape();
  const size_t skip = array.path().empty() ? 0 : array.path().size() + 1;
  for (const auto& key : array.store()->list(array.path())) {
    std::string_view name(key);
    name.remove_prefix(std::min(skip, name.size()));
    if (is_metadata_name(name)) continue;
    // Not reset in place: GCC 12 at -O3 then warns of a maybe-uninitialized vector.
    const std::optional<Shape> index = m.chunk_key_encoding.decode(name, m.rank());
    bool inside = index.has_value();
    for (size_t d = 0; inside && d < index->size(); ++d) inside = (*index)[d] < grid[d];
    f(key, inside ? index : std::nullopt);
  }
}

std::optional<std::vector<Region>> stored_chunk_boxes(const Array& array) {
  if (!array.store()->is_listable()) return std::nullopt;
  std::vector<Shape> indices;
  for_each_stored_key(array, [&](const std::string&, const std::optional<Shape>& index) {
    if (index) indices.push_back(*index);
  });
  std::sort(indices.begin(), indices.end());
  std::vector<Region> boxes;
  boxes.reserve(indices.size());
  const Shape& chunk = array.chunk_shape();
  const Shape& shape = array.shape();
  for (const auto& index : indices) {
    Region box{Shape(index.size()), Shape(index.size())};
    for (size_t d = 0; d < index.size(); ++d) {
      box.start[d] = index[d] * chunk[d];
      box.shape[d] = std::min(chunk[d], shape[d] - box.start[d]);
    }
    boxes.push_back(std::move(box));
  }
  return boxes;
}

}  // namespace ngff::zarr
