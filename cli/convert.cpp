// ngff convert SRC DST [--zarr-format 2|3] [--ome-version 0.4|0.5] [--chunks ..] [--shards ..]
// [--codec ..]: imports a TIFF / OME-TIFF or a stack of 2-D TIFFs (import_tiff.hpp); rewrites an
// OME-Zarr image, plate, well or bioformats2raw root (every image, label image and metadata
// document, in the version's layout), or else any array or group tree, with a new format,
// chunking, sharding or compression.
#include <fmt/core.h>

#include <optional>

#include "commands.hpp"
#include "destination_guard.hpp"
#include "error_exit.hpp"
#include "ngff/image/convert_image.hpp"
#include "ngff/image/import_tiff.hpp"
#include "ngff/image/tiff_image.hpp"
#include "ngff/ome/finish_store.hpp"
#include "ngff/store/open_store.hpp"
#include "ngff/zarr/convert.hpp"
#include "ngff/zarr/group.hpp"
#include "ngff/zarr/region_spelling.hpp"
#include "progress.hpp"

namespace ngff::cli {
namespace {

struct ConvertFlags {
  std::string src, dst;
  int zarr_format = 0;
  std::string ome_version;
  size_t levels = 0;
  std::string method;
  std::string chunks, shards, codec;
  bool overwrite = false;
  double memory_mib = 256;
  std::optional<size_t> series;  // TIFF input: import only this series
  std::string stack_axis = "z";  // TIFF input: the axis pages / files are stacked along
  ProgressFlags progress;
};

int convert_any(const ConvertFlags& f);

// "none" drops the source's sharding; otherwise a shard shape.
zarr::Shape parse_shards(const std::string& spelling) {
  return spelling == "none" ? zarr::Shape{} : zarr::parse_shape(spelling);
}

bool source_is_ome(const StoreLocation& src) {
  auto info = zarr::probe_node(*src.store, src.path);
  return info && info->type == zarr::NodeType::group &&
         image::is_ome_node(zarr::Group::open(src.store, src.path).attributes());
}

int run_ome_convert(const ConvertFlags& f, const StoreLocation& src, const StoreLocation& dst) {
  image::ConvertImageOptions o;
  if (!f.ome_version.empty()) o.version = ome::parse_version(f.ome_version, "--ome-version");
  if (f.zarr_format) {
    if (o.version && ome::zarr_format(*o.version) != f.zarr_format)
      throw UsageError("--zarr-format " + std::to_string(f.zarr_format) +
                       " does not match --ome-version " + f.ome_version);
    if (!o.version) o.version = f.zarr_format == 2 ? ome::Version::v0_4 : ome::Version::v0_5;
  }
  if (!f.chunks.empty()) o.chunks = zarr::parse_shape(f.chunks);
  if (!f.shards.empty()) o.shards = parse_shards(f.shards);
  if (!f.codec.empty()) o.codec = f.codec;
  if (f.levels) o.levels = f.levels;
  if (!f.method.empty()) o.method = image::parse_downsample_method(f.method);
  o.overwrite = f.overwrite;
  o.memory_budget = static_cast<uint64_t>(f.memory_mib * (1 << 20));
  ProgressBar bar("convert", progress_enabled(f.progress.quiet, f.progress.progress));
  o.progress = [&](uint64_t done, uint64_t total) { bar.update(done, total); };
  image::ConvertSummary s = image::convert_ome(src.store, src.path, dst.store, dst.path, o);
  ome::finish_store(*dst.store);  // a zip writes its central directory here; errors surface
  bar.finish();
  if (f.progress.quiet) return kOk;
  if (s.kind == "image")
    fmt::print(stderr, "converted OME-Zarr image ({} label image(s)) to {}\n", s.labels, f.dst);
  else
    fmt::print(stderr,
               "converted OME-Zarr {} ({} image(s), {} label image(s), {} group(s)) to {}\n",
               s.kind, s.images, s.labels, s.groups, f.dst);
  return kOk;
}

// A TIFF / OME-TIFF file or a stack of 2-D TIFFs to an OME-Zarr image (or, for several OME
// series, a bioformats2raw layout).
int run_tiff_import(const ConvertFlags& f) {
  image::TiffImportOptions o;
  o.stack_axis = f.stack_axis.at(0);
  o.series = f.series;
  image::WriteImageOptions& w = o.write;
  if (!f.ome_version.empty()) w.version = ome::parse_version(f.ome_version, "--ome-version");
  if (f.zarr_format) w.version = f.zarr_format == 2 ? ome::Version::v0_4 : ome::Version::v0_5;
  if (!f.chunks.empty()) w.chunks = zarr::parse_shape(f.chunks);
  if (!f.shards.empty()) w.shards = parse_shards(f.shards);
  if (!f.codec.empty()) w.codec = f.codec;
  w.levels = f.levels;
  if (!f.method.empty()) w.method = image::parse_downsample_method(f.method);
  w.overwrite = f.overwrite;
  w.memory_budget = static_cast<uint64_t>(f.memory_mib * (1 << 20));
  ProgressBar bar("convert", progress_enabled(f.progress.quiet, f.progress.progress));
  w.progress = [&](uint64_t done, uint64_t total) { bar.update(done, total); };
  auto dst = open_store(f.dst, OpenMode::write);
  image::TiffImportSummary s = image::import_tiff(f.src, dst.store, dst.path, o);
  ome::finish_store(*dst.store);
  bar.finish();
  if (f.progress.quiet) return kOk;
  for (const auto& note : s.notes) fmt::print(stderr, "note: {}\n", note);
  if (s.kind == "image")
    fmt::print(stderr, "converted TIFF {} to the OME-Zarr image {}\n", f.src, f.dst);
  else
    fmt::print(stderr, "converted TIFF {} ({} series) to the bioformats2raw layout {}\n", f.src,
               s.series, f.dst);
  return kOk;
}

int run_convert(const ConvertFlags& f) {
  DestinationGuard guard(f.dst);
  int code = convert_any(f);
  guard.commit();
  return code;
}

int convert_any(const ConvertFlags& f) {
  if (image::is_tiff_input(f.src)) return run_tiff_import(f);
  if (f.series || f.stack_axis != "z")
    throw UsageError("--series and --stack-axis apply to TIFF input; " + f.src + " is not TIFF");
  auto src_loc = open_store(f.src, OpenMode::read);
  if (source_is_ome(src_loc))
    return run_ome_convert(f, src_loc, open_store(f.dst, OpenMode::write));
  if (f.levels || !f.method.empty())
    throw UsageError("--levels and --method apply to OME-Zarr images, plates and series; " + f.src +
                     " is none of them");
  zarr::ConvertOptions o;
  if (f.zarr_format) o.zarr_format = f.zarr_format;
  if (!f.ome_version.empty() && !f.zarr_format)
    o.zarr_format = ome::zarr_format(ome::parse_version(f.ome_version, "--ome-version"));
  if (!f.chunks.empty()) o.chunks = zarr::parse_shape(f.chunks);
  if (!f.shards.empty()) o.shards = parse_shards(f.shards);
  if (!f.codec.empty()) o.codec = f.codec;
  o.overwrite = f.overwrite;
  o.memory_budget = static_cast<uint64_t>(f.memory_mib * (1 << 20));
  auto& src = src_loc;
  auto dst = open_store(f.dst, OpenMode::write);
  ProgressBar bar("convert", progress_enabled(f.progress.quiet, f.progress.progress));
  o.progress = [&](uint64_t done, uint64_t total) { bar.update(done, total); };
  size_t arrays = zarr::convert_node(src.store, src.path, dst.store, dst.path, o);
  ome::finish_store(*dst.store);
  bar.finish();
  if (!f.progress.quiet) fmt::print(stderr, "converted {} array(s) to {}\n", arrays, f.dst);
  return kOk;
}

}  // namespace

void setup_convert(CLI::App& app) {
  auto f = std::make_shared<ConvertFlags>();
  auto* sub = app.add_subcommand(
      "convert",
      "Convert a TIFF / OME-TIFF (or a folder or glob of 2-D TIFFs) to OME-Zarr; an OME-Zarr "
      "image, plate or bioformats2raw root between 0.4, 0.5 and 0.6; or any Zarr array or group "
      "tree "
      "(format, chunks, codec)");
  sub->add_option("src", f->src,
                  "Source path or URL (file, http(s)://, s3://), or a TIFF file, folder of TIFFs "
                  "or glob such as 'planes/*.tif'")
      ->required();
  sub->add_option("dst", f->dst, "Destination path or URL (file or s3://)")->required();
  sub->add_option("--zarr-format", f->zarr_format, "Zarr format of the output: 2 or 3")
      ->check(CLI::IsMember({2, 3}));
  sub->add_option("--ome-version", f->ome_version,
                  "OME-NGFF version of the output (image, plate, bioformats2raw): 0.4 (Zarr v2), "
                  "0.5 or 0.6 (Zarr v3)")
      ->check(CLI::IsMember({"0.4", "0.5", "0.6"}));
  sub->add_option("--levels", f->levels, "Rebuild the pyramid with this many levels in all");
  sub->add_option("--method", f->method,
                  "Rebuild the pyramid with nearest, mean, gaussian, mode, min or max");
  sub->add_option("--chunks", f->chunks, "Chunk shape of the output arrays, e.g. 64,64,64");
  sub->add_option("--shards", f->shards,
                  "Shard shape of the output arrays (Zarr v3), a multiple of the chunks, e.g. "
                  "256,256,256; 'none' to unshard (default: keep the source's sharding)");
  sub->add_option("--codec", f->codec,
                  "Compression: raw, gzip[:LEVEL], zstd[:LEVEL], blosc[:CNAME[:LEVEL[:SHUFFLE]]], "
                  "lz4; append +crc32c for checksums");
  sub->add_flag("--overwrite", f->overwrite, "Replace existing arrays at the destination");
  sub->add_option("--memory", f->memory_mib, "Memory budget per array in MiB")
      ->capture_default_str();
  sub->add_option("--series", f->series,
                  "TIFF input: import only this series of a multi-series OME-TIFF (0-based; "
                  "default: all, as a bioformats2raw layout)");
  sub->add_option("--stack-axis", f->stack_axis,
                  "TIFF input: the axis that the pages of a plain TIFF, or the files of a stack, "
                  "are stacked along")
      ->check(CLI::IsMember({"z", "t", "c"}))
      ->capture_default_str();
  add_progress_flags(*sub, f->progress);
  sub->callback([f] { run_verb([&] { return run_convert(*f); }); });
}

}  // namespace ngff::cli
