// The files `ngff view` serves besides the data: its page, script and OpenSeadragon, embedded
// into the binary at build time (cmake/embed_files.cmake) so that the page needs nothing from
// the internet or the installation.
#pragma once

#include <cstddef>
#include <vector>

namespace ngff::cli {

struct ViewerAsset {
  const char* url;   // "/", "/viewer.js", ...
  const char* mime;  // "text/html; charset=utf-8"
  const unsigned char* data;
  size_t size;
};

const std::vector<ViewerAsset>& viewer_assets();

}  // namespace ngff::cli
