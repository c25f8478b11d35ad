#include "ngff/image/convert_url.hpp"

#include "ngff/error.hpp"
#include "ngff/image/convert_image.hpp"
#include "ngff/image/import_tiff.hpp"
#include "ngff/image/tiff_image.hpp"
#include "ngff/ome/finish_store.hpp"
#include "ngff/store/destination_guard.hpp"
#include "ngff/store/open_store.hpp"
#include "ngff/zarr/convert.hpp"
#include "ngff/zarr/group.hpp"
#include "ngff/zarr/node.hpp"

namespace ngff::image {
namespace {

std::optional<ome::Version> output_version(const ConvertRequest& r) {
  if (!r.zarr_format) return r.version;
  if (*r.zarr_format != 2 && *r.zarr_format != 3)
    throw UsageError("zarr_format must be 2 or 3, not " + std::to_string(*r.zarr_format));
  if (r.version && ome::zarr_format(*r.version) != *r.zarr_format)
    throw UsageError("zarr format " + std::to_string(*r.zarr_format) +
                     " does not match OME-NGFF version " + ome::to_string(*r.version));
  return r.version ? r.version : (*r.zarr_format == 2 ? ome::Version::v0_4 : ome::Version::v0_5);
}

// The request's options onto fresh options of a writer: the TIFF import's WriteImageOptions (plain
// fields), ConvertImageOptions or zarr::ConvertOptions (optional fields). What the request leaves
// unset keeps the writer's default: its value, or "as the source has it".
template <class Options>
void set_common_options(const ConvertRequest& r, Options& o) {
  if (r.chunks) o.chunks = *r.chunks;
  if (r.shards) o.shards = *r.shards;
  if (r.codec) o.codec = *r.codec;
  o.overwrite = r.overwrite;
  o.memory_budget = r.memory_budget;
  o.progress = r.progress;
}

// The same, with the OME version and the pyramid, for the writers of OME-Zarr images.
template <class Options>
void set_image_options(const ConvertRequest& r, Options& o) {
  if (auto v = output_version(r)) o.version = *v;
  set_common_options(r, o);
  if (r.levels) o.levels = *r.levels;
  if (r.method) o.method = *r.method;
}

ConvertResult from_tiff(std::string_view src, std::string_view dst, const ConvertRequest& r) {
  TiffImportOptions o;
  o.stack_axis = r.stack_axis;
  o.series = r.series;
  set_image_options(r, o.write);
  auto out = open_store(dst, OpenMode::write);
  TiffImportSummary s = import_tiff(std::string(src), out.store, out.path, o);
  ome::finish_store(*out.store);
  return {"tiff", s.kind, s.series, 0, 0, 0, s.notes};
}

bool is_ome(const StoreLocation& src) {
  auto info = zarr::probe_node(*src.store, src.path);
  return info && info->type == zarr::NodeType::group &&
         is_ome_node(zarr::Group::open(src.store, src.path).attributes());
}

ConvertResult from_zarr(std::string_view src_url, std::string_view dst_url,
                        const ConvertRequest& r) {
  if (r.series || r.stack_axis != 'z')
    throw UsageError("series and stack axis apply to TIFF input; " + std::string(src_url) +
                     " is not TIFF");
  auto src = open_store(src_url, OpenMode::read);
  if (is_ome(src)) {
    ConvertImageOptions o;
    set_image_options(r, o);
    auto dst = open_store(dst_url, OpenMode::write);
    ConvertSummary s = convert_ome(src.store, src.path, dst.store, dst.path, o);
    ome::finish_store(*dst.store);  // a zip writes its central directory here
    return {"ome-zarr", s.kind, s.images, s.labels, s.groups, 0, {}};
  }
  if (r.levels || r.method)
    throw UsageError("levels and method apply to OME-Zarr images, plates and series; " +
                     std::string(src_url) + " is none of them");
  zarr::ConvertOptions o;
  if (r.zarr_format)
    o.zarr_format = r.zarr_format;
  else if (r.version)
    o.zarr_format = ome::zarr_format(*r.version);
  set_common_options(r, o);
  auto dst = open_store(dst_url, OpenMode::write);
  size_t arrays = zarr::convert_node(src.store, src.path, dst.store, dst.path, o);
  ome::finish_store(*dst.store);
  return {"zarr", "zarr", 0, 0, 0, arrays, {}};
}

}  // namespace

ConvertResult convert(std::string_view src_url, std::string_view dst_url,
                      const ConvertRequest& request) {
  if (request.stack_axis != 'z' && request.stack_axis != 't' && request.stack_axis != 'c')
    throw UsageError(std::string("stack axis must be z, t or c, not '") + request.stack_axis + "'");
  DestinationGuard guard{std::string(dst_url)};
  ConvertResult result = is_tiff_input(src_url) ? from_tiff(src_url, dst_url, request)
                                                : from_zarr(src_url, dst_url, request);
  guard.commit();
  return result;
}

}  // namespace ngff::image
