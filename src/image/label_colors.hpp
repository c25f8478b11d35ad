// Default colours for a label image written without any: the label values found in level 0
// (0, the background, excepted), each with a stable colour of a golden-ratio hue sequence.
// Viewers then show distinct labels distinctly, and the image-label metadata has the "colors"
// the strict schema and the spec's SHOULD ask for.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "ngff/ome/labels.hpp"
#include "ngff/zarr/array.hpp"

namespace ngff::image {

// The stable colour of label value `value` (opaque), also what render() draws unlisted values in.
std::array<uint8_t, 4> label_rgba(int64_t value);

// At most `limit` label values of `level0` (an integer array) with their colours, ascending;
// read block by block within `memory_budget` bytes.
std::vector<ome::LabelColor> default_label_colors(const zarr::Array& level0, uint64_t memory_budget,
                                                  size_t limit = 4096);

}  // namespace ngff::image
