// ngff pyramid URL [--levels N] [--method M]: (re)builds the levels of an existing image from its
// full-resolution level.
#include <fmt/core.h>

#include "commands.hpp"
#include "error_exit.hpp"
#include "ngff/image/write_image.hpp"
#include "ngff/ome/finish_store.hpp"
#include "ngff/store/open_store.hpp"
#include "progress.hpp"

namespace ngff::cli {
namespace {

struct PyramidFlags {
  std::string url;
  size_t levels = 0;
  std::string method = "mean";
  double memory_mib = 512;
  ProgressFlags progress;
};

int run_pyramid(const PyramidFlags& f) {
  image::WriteImageOptions o;
  o.levels = f.levels;
  o.method = image::parse_downsample_method(f.method);
  o.memory_budget = static_cast<uint64_t>(f.memory_mib * (1 << 20));
  auto loc = open_store(f.url, OpenMode::write);
  ProgressBar bar("pyramid", progress_enabled(f.progress.quiet, f.progress.progress));
  o.progress = [&](uint64_t done, uint64_t total) { bar.update(done, total); };
  auto img = image::rebuild_pyramid(loc.store, loc.path, o);
  ome::finish_store(*loc.store);  // a zip writes its central directory here; errors surface
  bar.finish();
  if (!f.progress.quiet)
    fmt::print(stderr, "{} now has {} levels ({})\n", f.url, img.num_levels(), f.method);
  return kOk;
}

}  // namespace

void setup_pyramid(CLI::App& app) {
  auto f = std::make_shared<PyramidFlags>();
  auto* sub = app.add_subcommand("pyramid", "Rebuild the pyramid levels of an OME-Zarr image");
  sub->add_option("url", f->url, "The image: a path or s3:// URL")->required();
  sub->add_option("--levels", f->levels,
                  "Levels in all, full resolution included (0: until <= 64 voxels)")
      ->capture_default_str();
  sub->add_option("--method", f->method, "nearest, mean, gaussian, mode, min or max")
      ->capture_default_str();
  sub->add_option("--memory", f->memory_mib, "Memory budget in MiB (a ceiling, not a target)")
      ->capture_default_str();
  add_progress_flags(*sub, f->progress);
  sub->callback([f] { run_verb([&] { return run_pyramid(*f); }); });
}

}  // namespace ngff::cli
