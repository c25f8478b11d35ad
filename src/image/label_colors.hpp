// Default colours for a label image written without any: the label values found in level 0
// (0, the background, excepted), each with a stable colour of a golden-ratio hue sequence.
// Viewers then show distinct labels distinctly, and the image-label metadata has the "colors"
// the strict schema and the spec's SHOULD ask for.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

#include "ngff/image/voxel_source.hpp"
#include "ngff/ome/labels.hpp"
#include "ngff/zarr/array.hpp"

namespace ngff::image {

// The stable colour of label value `value` (opaque), also what render() draws unlisted values in.
std::array<uint8_t, 4> label_rgba(int64_t value);

// At most `limit` label values of `level0` (an integer array) with their colours, ascending;
// read block by block within `memory_budget` bytes.
std::vector<ome::LabelColor> default_label_colors(const zarr::Array& level0, uint64_t memory_budget,
                                                  size_t limit = 4096);

// `base` as it is, noting the label values (0 excepted) of every read, from any thread, until
// `limit` of them are noted: write_labels reads its labels through one so that the write's own
// read finds the values, and level 0 is not read again for them.
class LabelValueTap final : public VoxelSource {
 public:
  explicit LabelValueTap(VoxelSourcePtr base, size_t limit = 4096);
  const zarr::Shape& shape() const override { return base_->shape(); }
  zarr::DataType dtype() const override { return base_->dtype(); }
  void read(const zarr::Region& region, void* out) const override;
  zarr::Shape preferred_block() const override { return base_->preferred_block(); }
  std::optional<StoredBoxes> stored_boxes() const override { return base_->stored_boxes(); }

  // The colours of the values read (as default_label_colors gives them) when they are fewer than
  // the limit; nullopt otherwise, as which `limit` values to keep would then depend on the order
  // of the reads (default_label_colors keeps the first in block order).
  std::optional<std::vector<ome::LabelColor>> colors() const;

 private:
  VoxelSourcePtr base_;
  size_t limit_;
  mutable std::mutex mutex_;
  mutable std::set<int64_t> values_;
};

}  // namespace ngff::image
