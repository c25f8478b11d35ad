// ngff view URL: serves a viewer for the dataset on loopback (view_server.hpp) and opens it in
// the browser. The server reads the data, so every store ngff opens can be viewed.
#include <fmt/core.h>
#include <spawn.h>
#include <unistd.h>  // environ

#include <cstdlib>

#include "commands.hpp"
#include "error_exit.hpp"
#include "view_server.hpp"

namespace ngff::cli {
namespace {

struct ViewFlags {
  std::string url;
  std::string host = "127.0.0.1";
  int port = 8765;
  bool no_browser = false;
};

// Starts the desktop's browser on `address` when there is a desktop; failure is not an error
// (the address is printed).
void open_browser(const std::string& address) {
#ifdef __APPLE__
  const char* opener = "open";
#else
  const char* opener = "xdg-open";
  if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) return;
#endif
  std::string prog = opener, arg = address;
  char* argv[] = {prog.data(), arg.data(), nullptr};
  pid_t pid = 0;
  if (posix_spawnp(&pid, opener, nullptr, nullptr, argv, environ) != 0) return;
}

int run_view(const ViewFlags& f) {
  ViewServer server(f.url);
  const int port = server.bind(f.host, f.port);
  const std::string host = f.host.find(':') != std::string::npos ? "[" + f.host + "]" : f.host;
  const std::string address = fmt::format("http://{}:{}/", host, port);
  fmt::print("ngff view: {} at {} (Ctrl-C stops)\n", f.url, address);
  std::fflush(stdout);
  if (!f.no_browser) open_browser(address);
  server.run();
  return kOk;
}

}  // namespace

void setup_view(CLI::App& app) {
  auto f = std::make_shared<ViewFlags>();
  auto* sub = app.add_subcommand(
      "view", "Serve a viewer for an OME-Zarr image or plate in the browser (read-only)");
  sub->add_option("url", f->url, "Image, label image, well, plate or bioformats2raw root")
      ->required();
  sub->add_option("--host", f->host,
                  "Address to listen on (loopback by default; anything else exposes the data)")
      ->capture_default_str();
  sub->add_option("--port", f->port, "Port (0: any free port)")->capture_default_str();
  sub->add_flag("--no-browser", f->no_browser, "Do not open a browser; print the address only");
  sub->callback([f] { run_verb([&] { return run_view(*f); }); });
}

}  // namespace ngff::cli
