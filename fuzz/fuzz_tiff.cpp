// Fuzzes the TIFF / OME-TIFF reader through the path `ngff convert` takes: the input is a file
// (libtiff opens by path, so it lives in a memfd named by /proc/self/fd), open_tiff reads its
// pages and OME-XML, and a corner of every series is read. A bad file must give MetadataError or
// StoreError naming it, never a crash, an overread or a hang.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "ngff/image/tiff_image.hpp"

namespace {

// At most this many bytes of voxels are read per series: enough to reach every strip/tile
// decoder, few enough that a file claiming a huge page stays fast.
constexpr uint64_t kMaxRead = 1 << 20;

int memory_file() {
  static const int fd = memfd_create("fuzz.tif", 0);
  return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ngff;
  if (size > fuzz::kMaxInput) return 0;
  const int fd = memory_file();
  if (fd < 0 || ftruncate(fd, 0) != 0) return 0;
  if (pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) return 0;
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  fuzz::expect_clean_failure([&] {
    image::TiffFile file = image::open_tiff(path);
    for (const image::TiffSeries& series : file.series) {
      const zarr::Shape& shape = series.image.shape();
      zarr::Region corner{zarr::Shape(shape.size(), 0), shape};
      // The last two axes (y, x) up to 64, the others (t, c, z) up to 2.
      for (size_t d = 0; d < shape.size(); ++d)
        corner.shape[d] = std::min<uint64_t>(shape[d], d + 2 >= shape.size() ? 64 : 2);
      const uint64_t bytes = corner.num_elements() * zarr::dtype_size(series.image.dtype());
      if (bytes == 0 || bytes > kMaxRead) continue;
      std::vector<std::byte> out(bytes);
      series.image.read(corner, out.data());
    }
  });
  return 0;
}
