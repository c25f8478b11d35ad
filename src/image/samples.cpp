#include "ngff/image/samples.hpp"

#include <cmath>
#include <cstring>
#include <random>

#include "ngff/error.hpp"
#include "util/parallel_for.hpp"
#include "zarr/float16.hpp"

namespace ngff::image {
namespace {

struct Blob {
  double z, y, x, radius, brightness;
};

std::vector<Blob> make_blobs(size_t count, const zarr::Shape& zyx, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<Blob> blobs;
  double smallest = static_cast<double>(std::min({zyx[0] > 1 ? zyx[0] : zyx[1], zyx[1], zyx[2]}));
  for (size_t i = 0; i < count; ++i)
    blobs.push_back({u(rng) * static_cast<double>(zyx[0]), u(rng) * static_cast<double>(zyx[1]),
                     u(rng) * static_cast<double>(zyx[2]), (0.04 + 0.08 * u(rng)) * smallest + 1,
                     0.4 + 0.6 * u(rng)});
  return blobs;
}

// Writes value v (in [0, 1] of the type's display range) as element i of `out`.
void put_value(std::byte* out, size_t i, zarr::DataType t, double v) {
  using zarr::DataType;
  auto put = [&](auto x) { std::memcpy(out + i * sizeof(x), &x, sizeof(x)); };
  auto scaled = [&](double max) { return std::clamp(v, 0.0, 1.0) * max; };
  switch (t) {
    case DataType::boolean:
      put(static_cast<uint8_t>(v > 0.5));
      break;
    case DataType::int8:
      put(static_cast<int8_t>(scaled(127)));
      break;
    case DataType::uint8:
      put(static_cast<uint8_t>(scaled(255)));
      break;
    case DataType::int16:
      put(static_cast<int16_t>(scaled(4095)));
      break;
    case DataType::uint16:
      put(static_cast<uint16_t>(scaled(4095)));
      break;  // 12-bit camera
    case DataType::int32:
      put(static_cast<int32_t>(scaled(65535)));
      break;
    case DataType::uint32:
      put(static_cast<uint32_t>(scaled(65535)));
      break;
    case DataType::int64:
      put(static_cast<int64_t>(scaled(65535)));
      break;
    case DataType::uint64:
      put(static_cast<uint64_t>(scaled(65535)));
      break;
    case DataType::float16:
      put(zarr::float_to_half(static_cast<float>(v)));
      break;
    case DataType::float32:
      put(static_cast<float>(v));
      break;
    case DataType::float64:
      put(v);
      break;
    case DataType::complex64: {
      float c[2] = {static_cast<float>(v), 0.0f};
      std::memcpy(out + i * 8, c, 8);
      break;
    }
    case DataType::complex128: {
      double c[2] = {v, 0.0};
      std::memcpy(out + i * 16, c, 16);
      break;
    }
  }
}

double display_max(zarr::DataType t) {
  using zarr::DataType;
  switch (t) {
    case DataType::uint8:
      return 255;
    case DataType::int8:
      return 127;
    case DataType::int16:
    case DataType::uint16:
      return 4095;
    case DataType::boolean:
    case DataType::float16:
    case DataType::float32:
    case DataType::float64:
    case DataType::complex64:
    case DataType::complex128:
      return 1;
    default:
      return 65535;
  }
}

// Deterministic per-voxel noise in [-1, 1] from its index (a hash, so any region reads the
// same values and voxels can be generated lazily, block by block).
double hash_noise(uint64_t i) {
  i ^= i >> 33;
  i *= 0xff51afd7ed558ccdULL;
  i ^= i >> 33;
  i *= 0xc4ceb9fe1a85ec53ULL;
  i ^= i >> 33;
  return static_cast<double>(i >> 11) / static_cast<double>(1ULL << 52) - 1.0;
}

// A synthetic (t, c, z, y, x) volume of moving blobs plus noise, computed on demand: the sample
// never has to fit in memory. `letters` says which of t, c, z, y, x the array has. As a label
// source it yields the index of the blob (1-based) whose core contains the voxel, else 0.
class SyntheticSource final : public VoxelSource {
 public:
  SyntheticSource(std::string letters, zarr::Shape shape, zarr::DataType dtype,
                  std::vector<std::vector<Blob>> blobs, bool labels)
      : letters_(std::move(letters)),
        shape_(std::move(shape)),
        dtype_(dtype),
        blobs_(std::move(blobs)),
        labels_(labels) {
    for (char c : letters_) axis_.push_back(std::string("tczyx").find(c));
    full_ = {1, 1, 1, 1, 1};
    for (size_t d = 0; d < letters_.size(); ++d) full_[axis_[d]] = shape_[d];
  }
  const zarr::Shape& shape() const override { return shape_; }
  zarr::DataType dtype() const override { return dtype_; }
  void read(const zarr::Region& r, void* out_ptr) const override {
    zarr::check_region(r, shape_);
    auto* out = static_cast<std::byte*>(out_ptr);
    const size_t n = shape_.size();
    if (n == 0) return;
    // One task per row of the last dimension, on all cores.
    const uint64_t row = r.shape[n - 1];
    const uint64_t rows = row == 0 ? 0 : r.num_elements() / row;
    ngff::detail::parallel_for(rows, [&](uint64_t k) {
      uint64_t p[5] = {0, 0, 0, 0, 0};
      uint64_t rest = k;
      for (size_t d = n - 1; d-- > 0;) {
        p[axis_[d]] = r.start[d] + rest % r.shape[d];
        rest /= r.shape[d];
      }
      for (uint64_t j = 0; j < row; ++j) {
        p[axis_[n - 1]] = r.start[n - 1] + j;
        voxel(p, out, k * row + j);
      }
    });
  }

 private:
  void voxel(const uint64_t p[5], std::byte* out, uint64_t i) const {
    const auto& blobs = blobs_[p[1] % blobs_.size()];
    double t = static_cast<double>(p[0]);
    double value = 0.05;
    uint32_t label = 0;
    for (size_t b = 0; b < blobs.size(); ++b) {
      const Blob& blob = blobs[b];
      double dz = full_[2] > 1 ? static_cast<double>(p[2]) - blob.z : 0.0;
      double dy = static_cast<double>(p[3]) - blob.y - 2.0 * t;
      double dx = static_cast<double>(p[4]) - blob.x + 1.5 * t;
      double r2 = (dz * dz + dy * dy + dx * dx) / (blob.radius * blob.radius);
      if (r2 < 9) value += blob.brightness * std::exp(-r2);
      if (r2 < 1 && label == 0) label = static_cast<uint32_t>(b + 1);
    }
    if (labels_) {
      std::memcpy(out + i * 4, &label, 4);
      return;
    }
    uint64_t flat =
        ((((p[0] * full_[1] + p[1]) * full_[2] + p[2]) * full_[3] + p[3]) * full_[4]) + p[4];
    put_value(out, i, dtype_, value * 0.8 + 0.03 * hash_noise(flat));
  }

  std::string letters_;
  zarr::Shape shape_;
  zarr::DataType dtype_;
  std::vector<std::vector<Blob>> blobs_;
  bool labels_;
  std::vector<size_t> axis_;
  zarr::Shape full_;
};

ome::Channel channel(const char* label, const char* color, zarr::DataType t) {
  ome::Channel c;
  c.label = label;
  c.color = color;
  c.active = true;
  c.coefficient = 1;
  c.family = "linear";
  c.inverted = false;
  double max = display_max(t);
  c.window = ome::Window{0, max * 0.8, 0, max};
  return c;
}

}  // namespace

std::vector<std::string> sample_names() {
  return {"volume", "rgb", "timelapse", "plane", "plate"};
}

Sample make_sample(std::string_view name, const zarr::Shape& shape_in,
                   std::optional<zarr::DataType> dtype_in) {
  return make_sample(name, shape_in, dtype_in, 0);
}

Sample make_sample(std::string_view name, const zarr::Shape& shape_in,
                   std::optional<zarr::DataType> dtype_in, uint32_t seed) {
  std::string letters;
  zarr::Shape shape;
  zarr::DataType dtype = zarr::DataType::uint16;
  std::vector<std::pair<const char*, const char*>> channels;
  bool with_labels = false;
  if (name == "volume") {
    letters = "czyx";
    shape = {2, 64, 256, 256};
    channels = {{"DAPI", "0000FF"}, {"GFP", "00FF00"}};
    with_labels = true;
  } else if (name == "rgb") {
    letters = "cyx";
    shape = {3, 512, 512};
    dtype = zarr::DataType::uint8;
    channels = {{"red", "FF0000"}, {"green", "00FF00"}, {"blue", "0000FF"}};
  } else if (name == "timelapse") {
    letters = "tczyx";
    shape = {4, 2, 16, 128, 128};
    channels = {{"membrane", "FF00FF"}, {"nuclei", "00FFFF"}};
    with_labels = true;
  } else if (name == "plane") {
    letters = "yx";
    shape = {512, 512};
  } else if (name == "field") {  // one field of view of the "plate" sample
    letters = "cyx";
    shape = {2, 128, 128};
    channels = {{"DAPI", "0000FF"}, {"GFP", "00FF00"}};
  } else {
    std::string names;
    for (const auto& n : sample_names()) names += (names.empty() ? "" : ", ") + n;
    throw UsageError("unknown sample '" + std::string(name) + "' (expected " + names + ")");
  }
  if (!shape_in.empty()) {
    if (shape_in.size() != shape.size())
      throw UsageError("sample '" + std::string(name) + "' has axes " + letters +
                       ": --shape needs " + std::to_string(shape.size()) + " sizes");
    shape = shape_in;
  }
  if (dtype_in) dtype = *dtype_in;
  zarr::Shape full{1, 1, 1, 1, 1};
  for (size_t d = 0; d < letters.size(); ++d)
    full[std::string("tczyx").find(letters[d])] = shape[d];
  zarr::Shape zyx{full[2], full[3], full[4]};
  std::vector<std::vector<Blob>> blobs;
  for (uint64_t c = 0; c < std::max<uint64_t>(full[1], 1); ++c)
    blobs.push_back(make_blobs(24, zyx, 7 + static_cast<uint32_t>(c) + 101 * seed));

  Sample s;
  auto axes = SpatialImage::axes_from_letters(letters, "micrometer", "second");
  std::vector<double> scale;
  for (char c : letters) scale.push_back(c == 'z' ? 2.0 : (c == 'y' || c == 'x') ? 0.5 : 1.0);
  s.image = SpatialImage(
      std::make_shared<SyntheticSource>(letters, shape, dtype, blobs, /*labels=*/false), axes,
      scale, {}, std::string(name));
  if (!channels.empty()) {
    ome::Omero omero;
    omero.name = std::string(name);
    for (uint64_t c = 0; c < full[1]; ++c) {
      const auto& [label, color] = channels[c % channels.size()];
      omero.channels.push_back(channel(label, color, dtype));
    }
    omero.rdefs = Json{{"defaultT", 0}, {"defaultZ", full[2] / 2}, {"model", "color"}};
    s.omero = omero;
  }
  if (with_labels) {
    std::string label_letters;
    zarr::Shape label_shape;
    std::vector<double> label_scale;
    for (size_t d = 0; d < letters.size(); ++d)
      if (letters[d] != 'c') {
        label_letters += letters[d];
        label_shape.push_back(shape[d]);
        label_scale.push_back(scale[d]);
      }
    auto label_axes = SpatialImage::axes_from_letters(label_letters, "micrometer", "second");
    s.labels.emplace_back(
        "cells", SpatialImage(std::make_shared<SyntheticSource>(label_letters, label_shape,
                                                                zarr::DataType::uint32, blobs,
                                                                /*labels=*/true),
                              label_axes, label_scale, {}, "cells"));
  }
  return s;
}

PlateSample make_plate_sample(const zarr::Shape& shape, std::optional<zarr::DataType> dtype) {
  // A 2 x 3 plate with three wells filled, two fields each: enough to show a sparse grid.
  const std::vector<std::string> wells = {"A/1", "A/2", "B/3"};
  PlateSample out;
  uint32_t seed = 1;
  for (const std::string& well : wells)
    for (int field = 0; field < 2; ++field) {
      Sample s = make_sample("field", shape, dtype, seed++);
      out.omero = s.omero;
      out.fields[well].push_back(std::move(s.image));
    }
  out.plate = plate_layout({"A", "B"}, {"1", "2", "3"}, out.fields, "sample plate");
  ome::Acquisition acquisition;
  acquisition.id = 0;
  acquisition.name = "sample acquisition";
  acquisition.maximum_field_count = 2;
  out.plate.acquisitions.push_back(std::move(acquisition));
  return out;
}

}  // namespace ngff::image
