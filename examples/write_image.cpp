// The "write" example of the OME-Zarr overview, with ngff: write an image with its axes as
// OME-Zarr, with a pyramid of levels generated on the way, in one call.
//
//   write_image OUTPUT.zarr
#include <cmath>
#include <cstdio>
#include <exception>
#include <span>
#include <vector>

#include "ngff/error.hpp"
#include "ngff/image/write_image.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: write_image OUTPUT.zarr\n");
    return 2;
  }
  try {
    // full_size_image_data: a 2-channel 64 x 512 x 512 volume (czyx)
    const uint64_t C = 2, Z = 64, Y = 512, X = 512;
    std::vector<uint16_t> data(C * Z * Y * X);
    for (uint64_t i = 0; i < data.size(); ++i) {
      const auto x = static_cast<double>(i % X), y = static_cast<double>(i / X % Y),
                 z = static_cast<double>(i / (X * Y) % Z);
      data[i] = static_cast<uint16_t>(1000 + 800 * std::sin(x / 25.0) * std::cos(y / 40.0) + z);
    }
    // The image never travels without its metadata: axes, units, pixel size.
    // write_image(image=full_size_image_data, group=root, axes=axes)
    ngff::image::WriteImageOptions options;  // OME-NGFF 0.5, mean pyramid to <= 64 px
    options.overwrite = true;
    auto written = ngff::image::write_image(argv[1], std::span<const uint16_t>(data), {C, Z, Y, X},
                                            "czyx", {1.0, 2.0, 0.325, 0.325}, options,
                                            {.space_unit = "micrometer", .name = "example"});
    std::printf("wrote %s with %zu levels\n", argv[1], written.num_levels());
  } catch (const std::exception& e) {  // ngff::Error and the standard library's
    std::fprintf(stderr, "write_image: %s\n", e.what());
    return 1;
  }
  return 0;
}
