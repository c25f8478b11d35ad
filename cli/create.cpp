// ngff create URL [--sample NAME] ...: writes a synthetic OME-Zarr sample image (with a pyramid,
// channel metadata and, for volumes, a label image), or with --sample plate a small HCS plate.
#include <fmt/core.h>

#include "commands.hpp"
#include "error_exit.hpp"
#include "image_flags.hpp"
#include "ngff/image/samples.hpp"
#include "ngff/image/write_image.hpp"
#include "ngff/image/write_plate.hpp"
#include "ngff/ome/finish_store.hpp"
#include "ngff/store/destination_guard.hpp"
#include "ngff/store/open_store.hpp"
#include "ngff/zarr/region_spelling.hpp"
#include "progress.hpp"

namespace ngff::cli {
namespace {

struct CreateFlags {
  std::string url;
  std::string sample = "volume";
  std::string shape, dtype;
  ImageFlags image;
  bool overwrite = false;
  ProgressFlags progress;
};

// The sizes of `sizes` (per axis of `from`) for the axes of `to`: a volume's labels have its
// axes without the channel, and take the chunk and shard sizes of the axes they share.
zarr::Shape sizes_for_axes(const zarr::Shape& sizes, const std::vector<ome::Axis>& from,
                           const std::vector<ome::Axis>& to) {
  if (sizes.empty()) return sizes;
  zarr::Shape out;
  for (const auto& axis : to)
    for (size_t i = 0; i < from.size(); ++i)
      if (from[i].name == axis.name) out.push_back(sizes[i]);
  return out;
}

// The "plate" sample: a plate group with well groups and a pyramid per field.
int create_plate(const CreateFlags& f, std::optional<zarr::DataType> dtype) {
  image::PlateSample sample = image::make_plate_sample(zarr::parse_shape(f.shape), dtype);
  image::WriteImageOptions o = f.image.options();
  o.omero = sample.omero;
  o.overwrite = f.overwrite;
  DestinationGuard guard(f.url);
  auto loc = open_store(f.url, OpenMode::write);
  image::write_plate(loc.store, loc.path, sample.plate, sample.fields, o);
  ome::finish_store(*loc.store);
  guard.commit();
  size_t fields = 0;
  for (const auto& [well, images] : sample.fields) fields += images.size();
  if (!f.progress.quiet)
    fmt::print(stderr, "wrote sample 'plate' ({} wells, {} fields, OME-NGFF {}) to {}\n",
               sample.plate.wells.size(), fields, ome::to_string(o.version), f.url);
  return kOk;
}

int run_create(const CreateFlags& f) {
  std::optional<zarr::DataType> dtype;
  if (!f.dtype.empty()) dtype = zarr::dtype_from_name(f.dtype);
  if (f.sample == "plate") return create_plate(f, dtype);
  image::Sample sample = image::make_sample(f.sample, zarr::parse_shape(f.shape), dtype);
  image::WriteImageOptions o = f.image.options();
  o.omero = sample.omero;
  o.overwrite = f.overwrite;
  DestinationGuard guard(f.url);
  auto loc = open_store(f.url, OpenMode::write);
  ProgressBar bar("create", progress_enabled(f.progress.quiet, f.progress.progress));
  o.progress = [&](uint64_t done, uint64_t total) { bar.update(done, total); };
  image::MultiscaleImage written = image::write_image(loc.store, loc.path, sample.image, o);
  for (const auto& [name, labels] : sample.labels) {
    image::WriteImageOptions lo = o;
    lo.omero.reset();
    if (lo.method != image::DownsampleMethod::nearest) lo.method = image::DownsampleMethod::mode;
    lo.chunks = sizes_for_axes(o.chunks, sample.image.axes(), labels.axes());
    lo.shards = sizes_for_axes(o.shards, sample.image.axes(), labels.axes());
    image::write_labels(written, name, labels, lo);
  }
  ome::finish_store(*loc.store);  // a zip writes its central directory here; errors surface
  bar.finish();
  guard.commit();
  if (!f.progress.quiet)
    fmt::print(stderr, "wrote sample '{}' ({} levels, OME-NGFF {}) to {}\n", f.sample,
               written.num_levels(), ome::to_string(written.version()), f.url);
  return kOk;
}

}  // namespace

void setup_create(CLI::App& app) {
  auto f = std::make_shared<CreateFlags>();
  auto* sub = app.add_subcommand("create", "Write a sample OME-Zarr image (or plate)");
  sub->add_option("url", f->url, "Where to write the image: a path or s3:// URL")->required();
  std::string names;
  for (const auto& n : image::sample_names()) names += (names.empty() ? "" : ", ") + n;
  sub->add_option("--sample", f->sample, "Sample to write: " + names)->capture_default_str();
  sub->add_option("--shape", f->shape, "Override the sample's shape, e.g. 2,32,128,128");
  sub->add_option("--dtype", f->dtype, "Override the data type (uint8, uint16, float32, ...)");
  f->image.add_to(*sub);
  sub->add_flag("--overwrite", f->overwrite, "Replace an existing node");
  add_progress_flags(*sub, f->progress);
  sub->callback([f] { run_verb([&] { return run_create(*f); }); });
}

}  // namespace ngff::cli
