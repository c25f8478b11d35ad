// libtiff behind a small C++ face: handles whose errors become exceptions naming the file, a pool
// of handles so that blocks of one file are read in parallel (a libtiff handle is not
// thread-safe), each page's layout, and the read of a box of one page (any strip/tile layout,
// chunky or planar samples) into a caller's C-order [sample][y][x] buffer.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "ngff/zarr/dtype.hpp"

struct tiff;  // libtiff's TIFF

namespace ngff::image {

// One TIFF page (IFD) as ngff reads it.
struct TiffPage {
  uint32_t width = 0, height = 0;
  uint16_t samples = 1;
  zarr::DataType dtype = zarr::DataType::uint8;
  bool planar_separate = false;  // each sample in its own strips/tiles
  bool tiled = false;
  uint32_t block_width = 0, block_height = 0;  // tile size, or width x rows per strip
  bool compressed = true;                      // false: blocks stored as raw samples
  bool reduced = false;                        // a reduced-resolution image (NewSubfileType bit 0)
  std::string description;                     // ImageDescription ("" when absent)

  bool same_layout(const TiffPage& o) const {
    return width == o.width && height == o.height && samples == o.samples && dtype == o.dtype;
  }
};

class TiffHandle;

// Opened handles of one file, reused across reads.
class TiffFilePool {
 public:
  explicit TiffFilePool(std::string path);
  ~TiffFilePool();
  TiffFilePool(const TiffFilePool&) = delete;
  TiffFilePool& operator=(const TiffFilePool&) = delete;

  const std::string& path() const { return path_; }
  // A handle for the calling thread's read, returned to the pool when the pointer goes.
  std::shared_ptr<TiffHandle> acquire() const;

 private:
  std::string path_;
  mutable std::mutex mutex_;
  mutable std::vector<std::unique_ptr<TiffHandle>> free_;
};

class TiffHandle {
 public:
  explicit TiffHandle(const std::string& path);
  ~TiffHandle();
  TiffHandle(const TiffHandle&) = delete;
  TiffHandle& operator=(const TiffHandle&) = delete;

  bool bigtiff() const;
  // The number of top-level pages (IFDs); SubIFDs are not counted.
  uint32_t page_count();
  TiffPage page(uint32_t index);
  // Reads rows [y0, y0 + h), columns [x0, x0 + w) of samples [s0, s0 + ns) of page `index` into
  // `out`, laid out [sample][row][column] in native byte order, each sample's plane `out_rows`
  // (>= h) rows apart: a band of a taller region's rows.
  void read(uint32_t index, const TiffPage& page, uint32_t y0, uint32_t h, uint32_t x0, uint32_t w,
            uint16_t s0, uint16_t ns, uint8_t* out, uint32_t out_rows);
  // Whether the first page lists SubIFDs (a pyramid ngff does not read).
  bool has_sub_ifds();

  std::string last_error;  // what libtiff last complained about, for the exception's message

 private:
  void select(uint32_t index);
  // Where the strips/tiles of an uncompressed page lie (no offsets: compressed, or laid out
  // unlike the series' first page), learnt once per page.
  struct RawPage {
    bool swapped = false;  // samples in the other byte order
    std::vector<uint64_t> offsets, sizes;
  };
  const RawPage& raw_page(uint32_t index, const TiffPage& page);
  // Decodes the strip or tile holding (top, left) [of `sample` when planar] into block_; the
  // number of whole rows it holds. Of a raw page, only rows [first_row, end_row) are read,
  // straight from the file.
  uint32_t decode_block(uint32_t index, const TiffPage& page, uint32_t top, uint32_t left,
                        uint16_t sample, size_t row_bytes, uint32_t first_row, uint32_t end_row,
                        const RawPage& raw);
  [[noreturn]] void fail(const std::string& what) const;

  static constexpr uint32_t kNoPage = UINT32_MAX;

  std::string path_;
  struct tiff* tif_ = nullptr;
  uint32_t current_ = 0;           // the page libtiff has read (0 after opening), or kNoPage
  std::vector<uint64_t> offsets_;  // the IFD offsets of pages 0, 1, ... as far as learnt
  std::vector<uint8_t> block_;
  std::unordered_map<uint32_t, RawPage> raw_pages_;
};

}  // namespace ngff::image
