#include "progress.hpp"

#include "format.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <cstdio>

namespace ngff::cli {

bool progress_enabled(bool quiet, bool force) {
  if (quiet) return false;
  return force || ::isatty(STDERR_FILENO);
}

ProgressBar::ProgressBar(std::string label, bool enabled)
    : label_(std::move(label)),
      enabled_(enabled),
      tty_(::isatty(STDERR_FILENO)),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::update(uint64_t done, uint64_t total, uint64_t objects_done,
                         uint64_t objects_total) {
  objects_done_ = objects_done;
  objects_total_ = objects_total;
  update(done, total);
}

void ProgressBar::update(uint64_t done, uint64_t total) {
  done_ = done;
  total_ = total;
  if (!enabled_ || total == 0) return;
  auto now = std::chrono::steady_clock::now();
  double fraction = static_cast<double>(done) / static_cast<double>(total);
  double seconds = std::chrono::duration<double>(now - start_).count();
  double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0;
  // fmt rather than `" " + std::to_string(..)`: GCC 12 at -O3 reports a false -Wrestrict there.
  std::string objects =
      objects_total_ ? fmt::format(" {}/{} objects", objects_done_, objects_total_) : std::string();
  if (tty_) {
    if (now - last_draw_ < std::chrono::milliseconds(100) && done < total) return;
    last_draw_ = now;
    const int width = 30;
    int filled = static_cast<int>(fraction * width);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(width, '-');
    std::fprintf(stderr, "\r%s [%s] %5.1f%% %s/%s%s %s/s ETA %.0fs   ", label_.c_str(), bar.c_str(),
                 100 * fraction, human_bytes(static_cast<double>(done)).c_str(),
                 human_bytes(static_cast<double>(total)).c_str(), objects.c_str(),
                 human_bytes(rate).c_str(), eta);
  } else {
    int decile = static_cast<int>(fraction * 10);
    if (decile == last_decile_) return;
    last_decile_ = decile;
    std::fprintf(stderr, "%s: %d%% (%s of %s%s, %s/s, ETA %.0fs)\n", label_.c_str(), decile * 10,
                 human_bytes(static_cast<double>(done)).c_str(),
                 human_bytes(static_cast<double>(total)).c_str(), objects.c_str(),
                 human_bytes(rate).c_str(), eta);
  }
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (finished_) return;
  finished_ = true;
  if (enabled_ && tty_ && total_ > 0) std::fprintf(stderr, "\n");
}

}  // namespace ngff::cli
