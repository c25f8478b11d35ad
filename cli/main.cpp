// ngff: the command-line tool. Each verb lives in its own file (info.cpp, convert.cpp, ...);
// this file only assembles them and maps errors to exit codes (error_exit.hpp).
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "error_exit.hpp"

namespace ngff::cli {

void add_progress_flags(CLI::App& app, ProgressFlags& flags) {
  app.add_flag("-q,--quiet", flags.quiet, "Hide the progress bar");
  app.add_flag("--progress", flags.progress, "Show progress even when stderr is not a terminal");
}

int& exit_status() {
  static int status = kOk;
  return status;
}

void run_verb(const std::function<int()>& body) {
  exit_status() = run_reporting_errors("ngff", body);
}

}  // namespace ngff::cli

int main(int argc, char** argv) {
  CLI::App app{"ngff: read, write, inspect and convert Zarr v2/v3 and OME-Zarr data"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "ngff 0.1.0");
  ngff::cli::setup_info(app);
  ngff::cli::setup_convert(app);
  ngff::cli::setup_create(app);
  ngff::cli::setup_pyramid(app);
  ngff::cli::setup_copy(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "ngff: error: %s (see ngff --help)\n", e.what());
    return ngff::cli::kUsage;
  }
  return ngff::cli::exit_status();
}
