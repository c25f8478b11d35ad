// A one-line progress bar on stderr for long work: shown on a terminal, hidden by --quiet, forced
// by --progress when stderr is not a terminal (then it prints a line per 10%).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace ngff::cli {

class ProgressBar {
 public:
  ProgressBar(std::string label, bool enabled);
  ~ProgressBar();
  void update(uint64_t done, uint64_t total);
  // Bytes and objects (files, chunks): the line also shows "N/M objects".
  void update(uint64_t done, uint64_t total, uint64_t objects_done, uint64_t objects_total);
  void finish();

 private:
  std::string label_;
  bool enabled_;
  bool tty_;
  bool finished_ = false;
  int last_decile_ = -1;
  std::chrono::steady_clock::time_point start_, last_draw_;
  uint64_t done_ = 0, total_ = 0;
  uint64_t objects_done_ = 0, objects_total_ = 0;
};

// Whether to show progress given --quiet / --progress and whether stderr is a terminal.
bool progress_enabled(bool quiet, bool force);

}  // namespace ngff::cli
