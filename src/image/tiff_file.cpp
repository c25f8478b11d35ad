#include "image/tiff_file.hpp"

#include <tiffio.h>

#include <algorithm>
#include <cstdarg>
#include <cstring>

#include "ngff/error.hpp"
#include "ngff/store/bytes.hpp"
#include "store/posix_file.hpp"

namespace ngff::image {
namespace {

// libtiff reports through printf-style callbacks; keep the message on the handle that failed.
int keep_error(TIFF*, void* user_data, const char* module, const char* fmt, va_list args) {
  char text[512];
  std::vsnprintf(text, sizeof text, fmt, args);
  auto* handle = static_cast<TiffHandle*>(user_data);
  handle->last_error = std::string(module ? module : "libtiff") + ": " + text;
  return 1;
}
// Warnings (unknown tags, ...) are not errors for an import: dropped.
int drop_warning(TIFF*, void*, const char*, const char*, va_list) {
  return 1;
}

zarr::DataType page_dtype(uint16_t format, uint16_t bits, const std::string& where) {
  using zarr::DataType;
  if (format == SAMPLEFORMAT_UINT || format == SAMPLEFORMAT_VOID) {
    if (bits == 8) return DataType::uint8;
    if (bits == 16) return DataType::uint16;
    if (bits == 32) return DataType::uint32;
    if (bits == 64) return DataType::uint64;
  } else if (format == SAMPLEFORMAT_INT) {
    if (bits == 8) return DataType::int8;
    if (bits == 16) return DataType::int16;
    if (bits == 32) return DataType::int32;
    if (bits == 64) return DataType::int64;
  } else if (format == SAMPLEFORMAT_IEEEFP) {
    if (bits == 32) return DataType::float32;
    if (bits == 64) return DataType::float64;
  }
  throw MetadataError(where + ": samples of " + std::to_string(bits) + " bits, sample format " +
                      std::to_string(format) +
                      " cannot be imported (8, 16, 32 or 64-bit integers, 32 or 64-bit floats)");
}

// Copies every `stride`-th element of `src` (one sample of interleaved pixels) into `count`
// consecutive elements of `dst`. Typed per element size: a memcpy call per element made this
// loop the larger part of converting an RGB TIFF.
template <typename T>
void deinterleave_as(const uint8_t* src, size_t stride, uint8_t* dst, size_t count) {
  for (size_t x = 0; x < count; ++x) {
    T v;
    std::memcpy(&v, src + x * stride * sizeof(T), sizeof(T));
    std::memcpy(dst + x * sizeof(T), &v, sizeof(T));
  }
}

void deinterleave(const uint8_t* src, size_t stride, uint8_t* dst, size_t count, size_t esize) {
  switch (esize) {
    case 1:
      return deinterleave_as<uint8_t>(src, stride, dst, count);
    case 2:
      return deinterleave_as<uint16_t>(src, stride, dst, count);
    case 4:
      return deinterleave_as<uint32_t>(src, stride, dst, count);
    case 8:
      return deinterleave_as<uint64_t>(src, stride, dst, count);
    default:
      for (size_t x = 0; x < count; ++x)
        std::memcpy(dst + x * esize, src + x * stride * esize, esize);
  }
}

// One pass over `count` interleaved pixels of S samples each, into S planes: constant strides
// and unaliased outputs, so the loop vectorizes where S strided passes (deinterleave, once per
// sample) took the most time of converting an RGB TIFF after compression.
template <typename T, size_t S>
void split_pixels_as(const uint8_t* src, uint8_t* const* planes, size_t count) {
  const uint8_t* __restrict in = src;
  uint8_t* __restrict p0 = planes[0];
  uint8_t* __restrict p1 = planes[1];
  uint8_t* __restrict p2 = planes[2];
  uint8_t* __restrict p3 = S == 4 ? planes[3] : nullptr;
  constexpr size_t e = sizeof(T);
  for (size_t x = 0; x < count; ++x) {
    std::memcpy(p0 + x * e, in + (x * S) * e, e);
    std::memcpy(p1 + x * e, in + (x * S + 1) * e, e);
    std::memcpy(p2 + x * e, in + (x * S + 2) * e, e);
    if constexpr (S == 4) std::memcpy(p3 + x * e, in + (x * S + 3) * e, e);
  }
}

// Splits `count` pixels of `samples` interleaved samples into the `planes`, one per sample: in
// one pass for 3 or 4 samples of 1 or 2 bytes (RGB, RGBA: the common interleaved TIFFs), else a
// strided pass per sample.
void split_pixels(const uint8_t* src, size_t samples, size_t esize, uint8_t* const* planes,
                  size_t count) {
  if (samples == 3 && esize == 1)
    split_pixels_as<uint8_t, 3>(src, planes, count);
  else if (samples == 4 && esize == 1)
    split_pixels_as<uint8_t, 4>(src, planes, count);
  else if (samples == 3 && esize == 2)
    split_pixels_as<uint16_t, 3>(src, planes, count);
  else if (samples == 4 && esize == 2)
    split_pixels_as<uint16_t, 4>(src, planes, count);
  else
    for (size_t s = 0; s < samples; ++s)
      deinterleave(src + s * esize, samples, planes[s], count, esize);
}

}  // namespace

TiffHandle::TiffHandle(const std::string& path) : path_(path) {
  TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
  TIFFOpenOptionsSetErrorHandlerExtR(options, keep_error, this);
  TIFFOpenOptionsSetWarningHandlerExtR(options, drop_warning, nullptr);
  // "m": no memory mapping. Mapped file pages count as the process's memory, once per handle:
  // a 3 GiB file read through the handle pool showed 5 GiB of RSS. read() costs nothing more here
  // (tiles are copied into libtiff's buffer either way) and keeps the budget honest.
  tif_ = TIFFOpenExt(path.c_str(), "rm", options);
  TIFFOpenOptionsFree(options);
  if (!tif_)
    throw StoreError(path + ": cannot be opened as a TIFF" +
                     (last_error.empty() ? std::string() : " (" + last_error + ")"));
}

TiffHandle::~TiffHandle() {
  if (tif_) TIFFClose(tif_);
}

void TiffHandle::fail(const std::string& what) const {
  throw MetadataError(path_ + ": " + what + (last_error.empty() ? "" : " (" + last_error + ")"));
}

bool TiffHandle::bigtiff() const {
  return TIFFIsBigTIFF(tif_) != 0;
}

uint32_t TiffHandle::page_count() {
  last_error.clear();
  const auto count = static_cast<uint32_t>(TIFFNumberOfDirectories(tif_));
  // A next-page offset past the end of the file (a writer killed mid-file, a truncated copy)
  // ends libtiff's count with an error: the file's last pages are lost, not absent.
  if (!last_error.empty())
    fail("the chain of pages breaks after page " + std::to_string(count == 0 ? 0 : count - 1) +
         " (the file is truncated or corrupt)");
  return count;
}

bool TiffHandle::has_sub_ifds() {
  select(0);
  uint16_t count = 0;
  void* offsets = nullptr;
  return TIFFGetField(tif_, TIFFTAG_SUBIFD, &count, &offsets) == 1 && count > 0;
}

void TiffHandle::select(uint32_t index) {
  if (current_ == index) return;
  const uint32_t was = current_;
  current_ = kNoPage;  // until the page is read: an exception on the way leaves it unknown
  last_error.clear();
  const auto cannot = [&] { fail("page " + std::to_string(index) + " cannot be read"); };
  // TIFFSetDirectory(n) walks the chain of IFDs from the first one: two reads per page passed,
  // so a 512-page stack read block by block made hundreds of thousands of read() calls. Each
  // page's IFD offset is learnt once, walking forward, then the page is read from its offset.
  if (index >= offsets_.size()) {
    if (offsets_.empty()) {
      if (was != 0 && !TIFFSetDirectory(tif_, 0)) cannot();
      offsets_.push_back(TIFFCurrentDirOffset(tif_));
    } else if (was != offsets_.size() - 1 && !TIFFSetSubDirectory(tif_, offsets_.back())) {
      cannot();
    }
    while (offsets_.size() <= index) {
      if (!TIFFReadDirectory(tif_)) cannot();
      offsets_.push_back(TIFFCurrentDirOffset(tif_));
    }
  } else if (!TIFFSetSubDirectory(tif_, offsets_[index])) {
    cannot();
  }
  current_ = index;
}

TiffPage TiffHandle::page(uint32_t index) {
  select(index);
  std::string where = path_ + " page " + std::to_string(index);
  TiffPage p;
  uint16_t bits = 1, format = SAMPLEFORMAT_UINT, planar = PLANARCONFIG_CONTIG, photometric = 0;
  uint32_t subfile = 0;
  TIFFGetField(tif_, TIFFTAG_IMAGEWIDTH, &p.width);
  TIFFGetField(tif_, TIFFTAG_IMAGELENGTH, &p.height);
  TIFFGetFieldDefaulted(tif_, TIFFTAG_SAMPLESPERPIXEL, &p.samples);
  TIFFGetFieldDefaulted(tif_, TIFFTAG_BITSPERSAMPLE, &bits);
  TIFFGetFieldDefaulted(tif_, TIFFTAG_SAMPLEFORMAT, &format);
  TIFFGetFieldDefaulted(tif_, TIFFTAG_PLANARCONFIG, &planar);
  TIFFGetField(tif_, TIFFTAG_PHOTOMETRIC, &photometric);
  if (TIFFGetField(tif_, TIFFTAG_SUBFILETYPE, &subfile))
    p.reduced = (subfile & FILETYPE_REDUCEDIMAGE) != 0;
  char* description = nullptr;
  if (TIFFGetField(tif_, TIFFTAG_IMAGEDESCRIPTION, &description) && description)
    p.description = description;
  if (p.width == 0 || p.height == 0) throw MetadataError(where + ": the page has no pixels");
  p.dtype = page_dtype(format, bits, where);
  uint16_t compression = COMPRESSION_NONE;
  TIFFGetFieldDefaulted(tif_, TIFFTAG_COMPRESSION, &compression);
  p.compressed = compression != COMPRESSION_NONE;
  if (photometric == PHOTOMETRIC_YCBCR) {
    // JPEG-compressed YCbCr is converted to RGB by libjpeg; subsampled raw YCbCr is not.
    if (compression != COMPRESSION_JPEG)
      throw MetadataError(where + ": YCbCr samples without JPEG compression cannot be imported");
    TIFFSetField(tif_, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
  }
  p.planar_separate = planar == PLANARCONFIG_SEPARATE && p.samples > 1;
  p.tiled = TIFFIsTiled(tif_) != 0;
  if (p.tiled) {
    TIFFGetField(tif_, TIFFTAG_TILEWIDTH, &p.block_width);
    TIFFGetField(tif_, TIFFTAG_TILELENGTH, &p.block_height);
  } else {
    uint32_t rows = 0;
    TIFFGetFieldDefaulted(tif_, TIFFTAG_ROWSPERSTRIP, &rows);
    p.block_width = p.width;
    p.block_height = std::min(std::max<uint32_t>(rows, 1), p.height);
  }
  if (p.block_width == 0 || p.block_height == 0) throw MetadataError(where + ": empty tiles");
  return p;
}

const TiffHandle::RawPage& TiffHandle::raw_page(uint32_t index, const TiffPage& p) {
  if (auto it = raw_pages_.find(index); it != raw_pages_.end()) return it->second;
  const TiffPage here = page(index);
  uint16_t fill_order = FILLORDER_MSB2LSB;
  TIFFGetFieldDefaulted(tif_, TIFFTAG_FILLORDER, &fill_order);
  RawPage raw;
  // Raw samples in the file's bit order, laid out as the series' first page.
  if (!here.compressed && fill_order == FILLORDER_MSB2LSB && here.tiled == p.tiled &&
      here.block_width == p.block_width && here.block_height == p.block_height) {
    raw.swapped = TIFFIsByteSwapped(tif_) != 0;
    const uint32_t count = p.tiled ? TIFFNumberOfTiles(tif_) : TIFFNumberOfStrips(tif_);
    raw.offsets.resize(count);
    raw.sizes.resize(count);
    for (uint32_t i = 0; i < count; ++i) {
      raw.offsets[i] = TIFFGetStrileOffset(tif_, i);
      raw.sizes[i] = TIFFGetStrileByteCount(tif_, i);
    }
  }
  return raw_pages_.emplace(index, std::move(raw)).first->second;
}

uint32_t TiffHandle::decode_block(uint32_t index, const TiffPage& p, uint32_t top, uint32_t left,
                                  uint16_t sample, size_t row_bytes, uint32_t first_row,
                                  uint32_t end_row, const RawPage& raw) {
  last_error.clear();
  tmsize_t got = 0;
  const uint16_t plane = p.planar_separate ? sample : 0;
  // Which block, for errors (built only when one is thrown).
  const auto what = [&] {
    return "page " + std::to_string(index) + ": the " + (p.tiled ? "tile" : "strip") + " at row " +
           std::to_string(top) + ", column " + std::to_string(left);
  };
  if (!raw.offsets.empty()) {
    // Stored as raw samples: only the asked rows, read from where they lie, without making the
    // page libtiff's current one (which re-reads its IFD). libtiff reads a whole tile or strip,
    // so blocks that split tiles would read each tile twice.
    const uint64_t across = (uint64_t{p.width} + p.block_width - 1) / p.block_width;
    const uint64_t down = (uint64_t{p.height} + p.block_height - 1) / p.block_height;
    const uint64_t block = (plane * down + top / p.block_height) * across + left / p.block_width;
    if (block >= raw.offsets.size() || raw.sizes[block] == 0)
      fail(what() + " is missing (no bytes stored for it)");
    const uint64_t begin = uint64_t{first_row} * row_bytes;
    const uint64_t end = std::min<uint64_t>(uint64_t{end_row} * row_bytes, raw.sizes[block]);
    if (p.tiled && end < uint64_t{end_row} * row_bytes)
      fail(what() + " holds " + std::to_string(raw.sizes[block]) + " bytes, fewer than a tile's " +
           std::to_string(uint64_t{p.block_height} * row_bytes));
    if (end <= begin) return static_cast<uint32_t>(raw.sizes[block] / row_bytes);
    const MutableByteView rows(reinterpret_cast<std::byte*>(block_.data()) + begin, end - begin);
    if (read_at(TIFFFileno(tif_), rows, raw.offsets[block] + begin, path_) < rows.size())
      fail(what() + " cannot be read (the file ends inside it)");
    if (raw.swapped)
      zarr::byteswap_elements(rows.data(), rows.size() / zarr::dtype_size(p.dtype), p.dtype);
    return static_cast<uint32_t>(end / row_bytes);
  }
  const uint32_t block =
      p.tiled ? TIFFComputeTile(tif_, left, top, 0, plane) : TIFFComputeStrip(tif_, top, plane);
  // A block with no bytes (offset and count 0: a writer that never wrote it) reads as zeros in
  // libtiff's unmapped path; it is missing data, so it is an error here.
  if (TIFFGetStrileByteCount(tif_, block) == 0)
    fail(what() + " is missing (no bytes stored for it)");
  if (p.tiled)
    got = TIFFReadEncodedTile(tif_, block, block_.data(), static_cast<tmsize_t>(block_.size()));
  else
    got = TIFFReadEncodedStrip(tif_, block, block_.data(), static_cast<tmsize_t>(block_.size()));
  if (got < 0) fail(what() + " cannot be decoded");
  // A strip that decodes short (the file's last one) holds only its rows.
  return static_cast<uint32_t>(static_cast<size_t>(got) / row_bytes);
}

void TiffHandle::read(uint32_t index, const TiffPage& p, uint32_t y0, uint32_t h, uint32_t x0,
                      uint32_t w, uint16_t s0, uint16_t ns, uint8_t* out, uint32_t out_rows) {
  const RawPage& raw = raw_page(index, p);
  if (raw.offsets.empty()) {
    select(index);
    // Re-applied after select(): JPEGCOLORMODE is per directory.
    uint16_t photometric = 0;
    if (p.dtype == zarr::DataType::uint8 && TIFFGetField(tif_, TIFFTAG_PHOTOMETRIC, &photometric) &&
        photometric == PHOTOMETRIC_YCBCR)
      TIFFSetField(tif_, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
  }
  const size_t esize = zarr::dtype_size(p.dtype);
  // Samples in one block: all of them (chunky) or one (planar, one block per sample).
  const size_t block_samples = p.planar_separate ? 1 : p.samples;
  const size_t row_bytes = size_t{p.block_width} * block_samples * esize;
  resize_for_overwrite(block_, row_bytes * p.block_height);
  const uint32_t by_first = y0 / p.block_height, by_last = (y0 + h - 1) / p.block_height;
  const uint32_t bx_first = x0 / p.block_width, bx_last = (x0 + w - 1) / p.block_width;
  const size_t planes = p.planar_separate ? ns : 1;
  const size_t samples_per_plane = p.planar_separate ? 1 : ns;
  // Each row's output per sample, when the box asks for every sample of interleaved pixels.
  std::vector<uint8_t*> all_samples(block_samples > 1 && ns == block_samples ? ns : 0);
  for (size_t plane = 0; plane < planes; ++plane) {
    for (uint32_t by = by_first; by <= by_last; ++by) {
      for (uint32_t bx = bx_first; bx <= bx_last; ++bx) {
        const uint32_t top = by * p.block_height, left = bx * p.block_width;
        // The block's intersection with the asked box, row by row, sample by sample.
        const uint32_t ry0 = std::max(y0, top), ry1 = std::min(y0 + h, top + p.block_height);
        const uint32_t rx0 = std::max(x0, left), rx1 = std::min(x0 + w, left + p.block_width);
        const uint32_t rows_held =
            decode_block(index, p, top, left, static_cast<uint16_t>(s0 + plane), row_bytes,
                         ry0 - top, ry1 - top, raw);
        for (uint32_t y = ry0; y < ry1; ++y) {
          if (y - top >= rows_held)
            fail("page " + std::to_string(index) + ": row " + std::to_string(y) +
                 " is missing from its strip");
          const uint8_t* src_row = block_.data() + size_t{y - top} * row_bytes;
          auto out_row = [&](size_t out_sample) {
            return out + ((out_sample * out_rows + (y - y0)) * w + (rx0 - x0)) * esize;
          };
          if (!all_samples.empty()) {  // every sample of interleaved pixels: one split
            for (size_t s = 0; s < block_samples; ++s) all_samples[s] = out_row(s);
            split_pixels(src_row + size_t{rx0 - left} * block_samples * esize, block_samples, esize,
                         all_samples.data(), rx1 - rx0);
            continue;
          }
          for (size_t s = 0; s < samples_per_plane; ++s) {
            const size_t out_sample = plane + s;
            const size_t in_sample = p.planar_separate ? 0 : size_t{s0} + s;
            uint8_t* dst = out_row(out_sample);
            if (block_samples == 1)  // one sample per pixel: the row's run at once
              std::memcpy(dst, src_row + size_t{rx0 - left} * esize, size_t{rx1 - rx0} * esize);
            else
              deinterleave(src_row + (size_t{rx0 - left} * block_samples + in_sample) * esize,
                           block_samples, dst, rx1 - rx0, esize);
          }
        }
      }
    }
  }
}

TiffFilePool::TiffFilePool(std::string path) : path_(std::move(path)) {}
TiffFilePool::~TiffFilePool() = default;

std::shared_ptr<TiffHandle> TiffFilePool::acquire() const {
  std::unique_ptr<TiffHandle> handle;
  {
    std::lock_guard lock(mutex_);
    if (!free_.empty()) {
      handle = std::move(free_.back());
      free_.pop_back();
    }
  }
  if (!handle) handle = std::make_unique<TiffHandle>(path_);
  return std::shared_ptr<TiffHandle>(handle.release(), [this](TiffHandle* h) {
    h->last_error.clear();
    std::lock_guard lock(mutex_);
    free_.emplace_back(h);
  });
}

}  // namespace ngff::image
