// ngff convert SRC DST [--zarr-format 2|3] [--ome-version 0.4|0.5] [--chunks ..] [--shards ..]
// [--codec ..]: imports a TIFF / OME-TIFF or a stack of 2-D TIFFs (import_tiff.hpp); rewrites an
// OME-Zarr image, plate, well or bioformats2raw root (every image, label image and metadata
// document, in the version's layout), or else any array or group tree, with a new format,
// chunking, sharding or compression.
#include <fmt/core.h>

#include <optional>

#include "commands.hpp"
#include "error_exit.hpp"
#include "ngff/image/convert_url.hpp"
#include "ngff/ome/version.hpp"
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

zarr::Shape parse_shards(const std::string& spelling) {
  return spelling == "none" ? zarr::Shape{} : zarr::parse_shape(spelling);
}

int run_convert(const ConvertFlags& f) {
  image::ConvertRequest r;
  if (!f.ome_version.empty()) r.version = ome::parse_version(f.ome_version, "--ome-version");
  if (f.zarr_format) r.zarr_format = f.zarr_format;
  if (f.levels) r.levels = f.levels;
  if (!f.method.empty()) r.method = image::parse_downsample_method(f.method);
  if (!f.chunks.empty()) r.chunks = zarr::parse_shape(f.chunks);
  if (!f.shards.empty()) r.shards = parse_shards(f.shards);
  if (!f.codec.empty()) r.codec = f.codec;
  r.overwrite = f.overwrite;
  r.memory_budget = static_cast<uint64_t>(f.memory_mib * (1 << 20));
  r.series = f.series;
  r.stack_axis = f.stack_axis.at(0);
  ProgressBar bar("convert", progress_enabled(f.progress.quiet, f.progress.progress));
  r.progress = [&](uint64_t done, uint64_t total) { bar.update(done, total); };
  image::ConvertResult s = image::convert(f.src, f.dst, r);
  bar.finish();
  if (f.progress.quiet) return kOk;
  for (const auto& note : s.notes) fmt::print(stderr, "note: {}\n", note);
  if (s.source == "tiff" && s.kind == "image")
    fmt::print(stderr, "converted TIFF {} to the OME-Zarr image {}\n", f.src, f.dst);
  else if (s.source == "tiff")
    fmt::print(stderr, "converted TIFF {} ({} series) to the bioformats2raw layout {}\n", f.src,
               s.images, f.dst);
  else if (s.kind == "image")
    fmt::print(stderr, "converted OME-Zarr image ({} label image(s)) to {}\n", s.labels, f.dst);
  else if (s.source == "ome-zarr")
    fmt::print(stderr,
               "converted OME-Zarr {} ({} image(s), {} label image(s), {} group(s)) to {}\n",
               s.kind, s.images, s.labels, s.groups, f.dst);
  else
    fmt::print(stderr, "converted {} array(s) to {}\n", s.arrays, f.dst);
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
  sub->add_option("--memory", f->memory_mib,
                  "Memory budget per array in MiB (a ceiling, not a target)")
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
