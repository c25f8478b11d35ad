// The HTTP side of `ngff view`: a read-only server on one dataset. Routes:
//   /, /viewer.js, /openseadragon.min.js   the page (viewer_assets.hpp)
//   /info.json?image=P                      size, levels, z/t extents, channels with resolved
//                                           windows, labels, physical pixel size; the plate grid
//   /tile/L/C_R.png?image=&z=&t=&mip=&ch=&win=&col=&labels=&opacity=
//                                           a deep-zoom tile (level L of ceil(log2(max side)),
//                                           column C, row R) rendered by image::render
//   /data/KEY                               the store's bytes at KEY (CORS, ranges)
// An `image` parameter names one of the plate's field images ("" for the dataset itself);
// nothing else is reachable: keys with "..", "." or empty segments get 403, other paths 404.
// For a local dataset /data also refuses (403) a key whose real path, links resolved, lies
// outside the dataset's real folder: links inside it are served, a link leading out is not.
// Tiles are drawn through every link, as `ngff render` reads (docs/reliability.md).
#pragma once

#include <memory>
#include <string>

namespace ngff::cli {

class ViewServer {
 public:
  // Opens the dataset at `url` (image, label image, well, plate, bioformats2raw root).
  explicit ViewServer(const std::string& url);
  ~ViewServer();
  ViewServer(const ViewServer&) = delete;
  ViewServer& operator=(const ViewServer&) = delete;
  // Binds `host`:`port` (0: any free port) and returns the port. Throws StoreError on failure.
  int bind(const std::string& host, int port);
  // Serves until stop() (or the process ends).
  void run();
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ngff::cli
