// The "read" example of the OME-Zarr overview, with ngff: open an OME-Zarr image, list its levels,
// read the full-resolution level, and print its axes: voxels together with their metadata.
//
//   read_image URL          (default: a sample written by `ngff create`)
#include <cstdio>
#include <exception>
#include <vector>

#include "ngff/error.hpp"
#include "ngff/image/multiscale_image.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: read_image URL\n");
    return 2;
  }
  try {
    // reader = Reader(parse_url(url)); image_node = nodes[0]
    auto image = ngff::image::MultiscaleImage::open(argv[1]);
    // data = image_node.data: one lazy SpatialImage per pyramid level
    for (size_t i = 0; i < image.num_levels(); ++i) {
      const auto& level = image.level(i);
      std::printf("level %zu: shape", i);
      for (auto s : level.shape()) std::printf(" %llu", static_cast<unsigned long long>(s));
      std::printf(", voxel size");
      for (auto s : level.scale()) std::printf(" %g", s);
      std::printf("\n");
    }
    // full_size_image_data = data[0]: read it (here: all of it) into memory
    const auto& full = image.level(0);
    std::vector<std::byte> voxels(ngff::zarr::product(full.shape()) *
                                  ngff::zarr::dtype_size(full.dtype()));
    full.read(ngff::zarr::Region::whole(full.shape()), voxels.data());
    // axes = "".join(axis["name"] for axis in metadata["axes"])
    std::string axes;
    for (const auto& a : image.axes()) axes += a.name;
    std::printf("axes: %s, %zu bytes of %s read\n", axes.c_str(), voxels.size(),
                std::string(ngff::zarr::dtype_name(full.dtype())).c_str());
  } catch (const std::exception& e) {  // ngff::Error and the standard library's
    std::fprintf(stderr, "read_image: %s\n", e.what());
    return 1;
  }
  return 0;
}
