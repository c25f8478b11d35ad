// `validate --deep`: every chunk of every array level read and decoded, on the thread pool.
// Internal to ome::validate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ngff/zarr/array.hpp"
#include "validate_context.hpp"

namespace ngff::ome::detail {

struct DeepArray {
  zarr::Array array;
  // Label images' level 0: the "image-label" colours' label-values, each to be found in the data
  // (labels/colour-values), reported at `colors_path` of `node_url`.
  std::vector<int64_t> label_values{};
  std::string node_url{};
  std::string colors_path{};
};

// Reads every chunk of `arrays`: a missing chunk is a warning (the fill value stands in, which
// Zarr allows), one that does not decode to its chunk's size an error. Calls
// ctx.options.progress with (bytes decoded, bytes in total), one call at a time.
void read_every_chunk(const std::vector<DeepArray>& arrays, ValidateContext& ctx);

}  // namespace ngff::ome::detail
