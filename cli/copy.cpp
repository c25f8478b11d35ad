// ngff copy SRC DST [--dry-run] [--overwrite]: copies every key of a store or node to another
// store (folder, .ozx/.zip, and any store open_store knows), in parallel and resumable.
#include <fmt/core.h>

#include "commands.hpp"
#include "error_exit.hpp"
#include "format.hpp"
#include "ngff/error.hpp"
#include "ngff/ome/copy_hierarchy.hpp"
#include "progress.hpp"

namespace ngff::cli {
namespace {

struct CopyFlags {
  std::string src, dst;
  bool dry_run = false;
  bool overwrite = false;
  int jobs = 8;
  double memory_mib = 256;
  ProgressFlags progress;
};

std::string objects_text(uint64_t n, uint64_t bytes) {
  return fmt::format("{} object{} ({})", n, n == 1 ? "" : "s",
                     human_bytes(static_cast<double>(bytes)));
}

// No DestinationGuard: what a failed copy wrote is kept so that a rerun completes it (metadata is
// written last, so a partial copy never looks complete).
int run_copy(const CopyFlags& f) {
  if (f.jobs < 1) throw UsageError("--jobs must be at least 1");
  if (!(f.memory_mib > 0)) throw UsageError("--memory must be positive");
  CopyOptions o;
  o.overwrite = f.overwrite;
  o.dry_run = f.dry_run;
  o.concurrency = f.jobs;
  o.max_in_flight_bytes = static_cast<uint64_t>(f.memory_mib * (1 << 20));
  ProgressBar bar("copy", !f.dry_run && progress_enabled(f.progress.quiet, f.progress.progress));
  o.progress = [&](const CopyStats& s) {
    bar.update(s.bytes_done, s.bytes_total, s.objects_done, s.objects_total);
  };
  CopyStats s = ome::copy_hierarchy(f.src, f.dst, o);
  bar.finish();
  if (f.dry_run)
    fmt::print("would copy {} from {} to {}; would skip {} already there\n",
               objects_text(s.objects_total, s.bytes_total), f.src, f.dst,
               objects_text(s.objects_skipped, s.bytes_skipped));
  else if (!f.progress.quiet)
    fmt::print(stderr, "copied {} to {}; skipped {} already there\n",
               objects_text(s.objects_done, s.bytes_done), f.dst,
               objects_text(s.objects_skipped, s.bytes_skipped));
  return kOk;
}

}  // namespace

void setup_copy(CLI::App& app) {
  auto f = std::make_shared<CopyFlags>();
  auto* sub = app.add_subcommand(
      "copy",
      "Copy every key of a store or node to another store (folder, .ozx/.zip, ...): parallel and "
      "resumable (keys already in DST with the same size are skipped)");
  sub->add_option("src", f->src,
                  "Source path or URL (a source that cannot list is walked "
                  "from its Zarr/OME metadata)")
      ->required();
  sub->add_option("dst", f->dst,
                  "Destination path or URL (a name ending in .ozx or .zip "
                  "writes a zip)")
      ->required();
  sub->add_flag("--dry-run", f->dry_run,
                "Print what would be copied (count, bytes); write nothing");
  sub->add_flag("--overwrite", f->overwrite, "Copy again what DST already has");
  sub->add_option("-j,--jobs", f->jobs, "Objects read and written at once")->capture_default_str();
  sub->add_option("--memory", f->memory_mib, "At most this many MiB of values in flight")
      ->capture_default_str();
  add_progress_flags(*sub, f->progress);
  sub->callback([f] { run_verb([&] { return run_copy(*f); }); });
}

}  // namespace ngff::cli
