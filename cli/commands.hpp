// The verbs of the `ngff` command: each has setup_X (flags) and run_X (calls the library).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace ngff::cli {

// Flags shared by verbs that do long work.
struct ProgressFlags {
  bool quiet = false;
  bool progress = false;
};
void add_progress_flags(CLI::App& app, ProgressFlags& flags);

// The exit status of the verb that ran (set by its callback).
int& exit_status();
// Runs a verb's body, reporting errors on one line and recording the exit status.
void run_verb(const std::function<int()>& body);

void setup_info(CLI::App& app);
void setup_convert(CLI::App& app);
void setup_create(CLI::App& app);
void setup_pyramid(CLI::App& app);
void setup_copy(CLI::App& app);
void setup_validate(CLI::App& app);
void setup_render(CLI::App& app);
#ifdef NGFF_VIEWER
void setup_view(CLI::App& app);
#endif

}  // namespace ngff::cli
