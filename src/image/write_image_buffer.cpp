// write_image from a caller's buffer in one call (the C++ counterpart of Python's
// ngff.write_image): a SpatialImage over the buffer, axes from letters, the store from a URL.
#include "ngff/error.hpp"
#include "ngff/image/write_image.hpp"
#include "ngff/ome/finish_store.hpp"
#include "ngff/store/open_store.hpp"

namespace ngff::image {

void check_buffer_size(size_t elements, const zarr::Shape& shape, std::string_view url) {
  if (elements != zarr::product(shape))
    throw UsageError("write_image " + std::string(url) + ": the buffer holds " +
                     std::to_string(elements) + " elements, the shape " +
                     std::to_string(zarr::product(shape)));
}

MultiscaleImage write_image(std::string_view url, const void* data, const zarr::Shape& shape,
                            zarr::DataType dtype, std::string_view axes, std::vector<double> scale,
                            const WriteImageOptions& options, const BufferMetadata& metadata) {
  if (axes.size() != shape.size())
    throw UsageError("write_image " + std::string(url) + ": axes \"" + std::string(axes) +
                     "\" name " + std::to_string(axes.size()) + " dimensions, the shape has " +
                     std::to_string(shape.size()));
  SpatialImage image(buffer_source(data, shape, dtype),
                     SpatialImage::axes_from_letters(axes, metadata.space_unit, metadata.time_unit),
                     std::move(scale), {}, metadata.name);
  StoreLocation location = open_store(url, OpenMode::write);
  MultiscaleImage written = write_image(location.store, location.path, image, options);
  // A zip (.ozx) is finished here (its errors surface here) and is read back from the finished
  // file; other stores stay open as written.
  ome::finish_store(*location.store);
  if (!location.store->is_writable()) return MultiscaleImage::open(url);
  return written;
}

}  // namespace ngff::image
