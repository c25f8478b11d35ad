// Flags shared by the verbs that write OME-Zarr images (create, convert, pyramid).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "ngff/image/write_image.hpp"
#include "ngff/zarr/codec_spelling.hpp"

namespace ngff::cli {

struct ImageFlags {
  std::string ome_version = "0.5";
  int zarr_format = 0;
  size_t levels = 0;
  std::string method = "mean";
  std::string chunks;
  std::string shards;
  std::string codec{zarr::kDefaultCodecSpelling};
  double memory_mib = 512;

  // Adds --ome-version, --zarr-format, --levels, --method, --chunks, --codec, --memory.
  void add_to(CLI::App& app);
  // The write options these flags describe (checks --zarr-format against --ome-version).
  image::WriteImageOptions options() const;
};

}  // namespace ngff::cli
