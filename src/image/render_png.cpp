// PNG output of render(): libpng writes 8-bit RGB into memory; the file is written in one go.
#include <png.h>

#include <csetjmp>
#include <fstream>

#include "ngff/error.hpp"
#include "ngff/image/render.hpp"

namespace ngff::image {
namespace {

// libpng's png_rw_ptr signature takes a mutable pointer.
// NOLINTNEXTLINE(readability-non-const-parameter)
void append(png_structp png, png_bytep data, png_size_t size) {
  auto* out = static_cast<Bytes*>(png_get_io_ptr(png));
  const auto* bytes = reinterpret_cast<const std::byte*>(data);
  out->insert(out->end(), bytes, bytes + size);
}

void flush(png_structp) {}

}  // namespace

Bytes encode_png(const RgbImage& picture) {
  if (picture.width == 0 || picture.height == 0 ||
      picture.pixels.size() != size_t{picture.width} * picture.height * 3)
    throw UsageError("cannot encode an empty or inconsistent picture as PNG");
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    throw Error("libpng: out of memory");
  }
  Bytes out;
  // libpng reports errors by longjmp; nothing with a destructor is created after this point.
  if (setjmp(png_jmpbuf(png))) {  // NOLINT(cert-err52-cpp): libpng's only way to report errors
    png_destroy_write_struct(&png, &info);
    throw Error("libpng could not encode the picture");
  }
  png_set_write_fn(png, &out, append, flush);
  png_set_IHDR(png, info, picture.width, picture.height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (uint32_t y = 0; y < picture.height; ++y)
    png_write_row(png, picture.pixels.data() + size_t{y} * picture.width * 3);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

void write_png(const std::string& path, const RgbImage& picture) {
  const Bytes data = encode_png(picture);
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  f.close();
  if (!f) throw StoreError("cannot write " + path);
}

}  // namespace ngff::image
