// ngff convert SRC DST [--zarr-format 2|3] [--chunks ..] [--codec ..]: rewrites an array or a
// group tree with a new format, chunking or compression, copying attributes.
#include <fmt/core.h>

#include "commands.hpp"
#include "error_exit.hpp"
#include "ngff/store/open_store.hpp"
#include "ngff/zarr/convert.hpp"
#include "ngff/zarr/region_spelling.hpp"
#include "progress.hpp"

namespace ngff::cli {
namespace {

struct ConvertFlags {
  std::string src, dst;
  int zarr_format = 0;
  std::string chunks, codec;
  bool overwrite = false;
  double memory_mib = 256;
  ProgressFlags progress;
};

int run_convert(const ConvertFlags& f) {
  zarr::ConvertOptions o;
  if (f.zarr_format) o.zarr_format = f.zarr_format;
  if (!f.chunks.empty()) o.chunks = zarr::parse_shape(f.chunks);
  if (!f.codec.empty()) o.codec = f.codec;
  o.overwrite = f.overwrite;
  o.memory_budget = static_cast<uint64_t>(f.memory_mib * (1 << 20));
  auto src = open_store(f.src, OpenMode::read);
  auto dst = open_store(f.dst, OpenMode::write);
  ProgressBar bar("convert", progress_enabled(f.progress.quiet, f.progress.progress));
  o.progress = [&](uint64_t done, uint64_t total) { bar.update(done, total); };
  size_t arrays = zarr::convert_node(src.store, src.path, dst.store, dst.path, o);
  bar.finish();
  if (!f.progress.quiet) fmt::print(stderr, "converted {} array(s) to {}\n", arrays, f.dst);
  return kOk;
}

}  // namespace

void setup_convert(CLI::App& app) {
  auto f = std::make_shared<ConvertFlags>();
  auto* sub = app.add_subcommand("convert", "Convert a Zarr array or group tree (format, chunks, codec)");
  sub->add_option("src", f->src, "Source path or URL")->required();
  sub->add_option("dst", f->dst, "Destination path or URL")->required();
  sub->add_option("--zarr-format", f->zarr_format, "Zarr format of the output: 2 or 3")
      ->check(CLI::IsMember({2, 3}));
  sub->add_option("--chunks", f->chunks, "Chunk shape of the output arrays, e.g. 64,64,64");
  sub->add_option("--codec", f->codec,
                  "Compression: raw, gzip[:LEVEL], zstd[:LEVEL], blosc[:CNAME[:LEVEL[:SHUFFLE]]], "
                  "lz4; append +crc32c for checksums");
  sub->add_flag("--overwrite", f->overwrite, "Replace existing arrays at the destination");
  sub->add_option("--memory", f->memory_mib, "Memory budget per array in MiB")
      ->capture_default_str();
  add_progress_flags(*sub, f->progress);
  sub->callback([f] { run_verb([&] { return run_convert(*f); }); });
}

}  // namespace ngff::cli
