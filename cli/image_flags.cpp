#include "image_flags.hpp"

#include "ngff/error.hpp"
#include "ngff/zarr/region_spelling.hpp"

namespace ngff::cli {

void ImageFlags::add_to(CLI::App& app) {
  app.add_option("--ome-version", ome_version,
                 "OME-NGFF version: 0.4 (Zarr v2), 0.5 or 0.6 (Zarr v3)")
      ->check(CLI::IsMember({"0.4", "0.5", "0.6"}))
      ->capture_default_str();
  app.add_option("--zarr-format", zarr_format, "Zarr format; must match --ome-version")
      ->check(CLI::IsMember({2, 3}));
  app.add_option("--levels", levels,
                 "Pyramid levels in all, full resolution included (0: until <= 64 voxels)")
      ->capture_default_str();
  app.add_option("--method", method, "Downsampling: nearest, mean, gaussian, mode, min, max")
      ->capture_default_str();
  app.add_option("--chunks", chunks, "Chunk shape, e.g. 1,64,256,256 (default: about 1-2 MiB)");
  app.add_option("--shards", shards,
                 "Shard shape (Zarr v3), a multiple of --chunks, e.g. 1,256,1024,1024");
  app.add_option("--codec", codec, "Compression (raw, gzip[:L], zstd[:L], blosc[:C[:L[:S]]])")
      ->capture_default_str();
  app.add_option("--memory", memory_mib,
                 "Memory budget for decoded blocks in MiB (a ceiling, not a target)")
      ->capture_default_str();
}

image::WriteImageOptions ImageFlags::options() const {
  image::WriteImageOptions o;
  o.version = ome::parse_version(ome_version, "--ome-version");
  if (zarr_format != 0 && zarr_format != ome::zarr_format(o.version))
    throw UsageError("--zarr-format " + std::to_string(zarr_format) +
                     " does not match --ome-version " + ome_version +
                     " (0.4 is Zarr v2, 0.5 and 0.6 are Zarr v3)");
  o.levels = levels;
  o.method = image::parse_downsample_method(method);
  if (!chunks.empty()) o.chunks = zarr::parse_shape(chunks);
  if (!shards.empty()) {
    if (ome::zarr_format(o.version) == 2)
      throw UsageError("--shards needs OME-Zarr 0.5 or 0.6 (Zarr v3); 0.4 is Zarr v2");
    o.shards = zarr::parse_shape(shards);
  }
  o.codec = codec;
  if (!(memory_mib > 0)) throw UsageError("--memory must be positive");
  o.memory_budget = static_cast<uint64_t>(memory_mib * (1 << 20));
  return o;
}

}  // namespace ngff::cli
