// ngff: the command-line tool. Each verb lives in its own file (info.cpp, convert.cpp, ...);
// this file only assembles them and maps errors to exit codes (error_exit.hpp).
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <string>

#include "commands.hpp"
#include "error_exit.hpp"
#include "ngff/version.hpp"

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

namespace {

// The whole tool: the verbs report their own errors (run_verb); main() guards the rest.
int run(int argc, char** argv) {
  CLI::App app{"ngff: read, write, inspect and convert Zarr v2/v3 and OME-Zarr data"};
  app.footer(
      "URLs: a path, file://, http(s)://HOST/PATH (read-only) or s3://BUCKET/PREFIX.\n"
      "S3 reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (or AWS_PROFILE),\n"
      "AWS_REGION, AWS_ENDPOINT_URL (or --endpoint: another S3 server, path-style) and\n"
      "AWS_NO_SIGN_REQUEST=1 (anonymous). Remote requests: NGFF_HTTP_TIMEOUT (seconds,\n"
      "default 30), NGFF_HTTP_RETRIES (default 4).");
  app.require_subcommand(1);
  app.set_version_flag("--version", "ngff " + std::string(version));
  setup_info(app);
  setup_convert(app);
  setup_create(app);
  setup_pyramid(app);
  setup_copy(app);
  setup_validate(app);
  setup_render(app);
#ifdef NGFF_VIEWER
  setup_view(app);
#endif
  // Every verb opens stores: each takes --endpoint for s3:// URLs.
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    sub->add_option_function<std::string>(
        "--endpoint",
        [](const std::string& url) { ::setenv("AWS_ENDPOINT_URL_S3", url.c_str(), 1); },
        "S3 server for s3:// URLs, e.g. http://127.0.0.1:9000 (default: $AWS_ENDPOINT_URL, "
        "else AWS)");
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
    return kUsage;
  }
  return exit_status();
}

}  // namespace
}  // namespace ngff::cli

int main(int argc, char** argv) {
  // What escapes the verbs' own reporting: CLI set-up errors, out of memory.
  try {
    return ngff::cli::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ngff: error: %s\n", e.what());
    return ngff::cli::exit_code_for(e);
  }
}
