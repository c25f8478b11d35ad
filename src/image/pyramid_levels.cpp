#include "image/pyramid_levels.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <thread>

#include "ngff/error.hpp"
#include "zarr/blocks.hpp"

namespace ngff::image {

PyramidPlan plan_pyramid(const zarr::Shape& shape0, const zarr::Shape& factors, size_t levels,
                         const std::vector<ome::Axis>& axes) {
  if (factors.size() != shape0.size())
    throw UsageError("downsampling factors have " + std::to_string(factors.size()) +
                     " values for " + std::to_string(shape0.size()) + " dimensions");
  for (size_t d = 0; d < factors.size(); ++d) {
    if (factors[d] == 0) throw UsageError("downsampling factors must be at least 1");
    std::string type = axes[d].type.value_or("");
    if (factors[d] != 1 && (type == "channel" || type == "time"))
      throw UsageError("axis '" + axes[d].name + "' is a " + type +
                       " axis and cannot be downsampled");
  }
  PyramidPlan plan;
  plan.factors = factors;
  plan.shapes.push_back(shape0);
  plan.cumulative.emplace_back(shape0.size(), 1);
  const size_t max_levels = levels == 0 ? 12 : levels;
  while (plan.shapes.size() < max_levels) {
    const zarr::Shape& last = plan.shapes.back();
    if (levels == 0) {
      uint64_t largest = 0;
      for (size_t d = 0; d < last.size(); ++d)
        if (axes[d].type.value_or("") == "space") largest = std::max(largest, last[d]);
      if (largest <= 64) break;
    }
    zarr::Shape next = downsampled_shape(last, factors);
    if (levels == 0 && next == last) break;
    zarr::Shape cumulative = plan.cumulative.back();
    for (size_t d = 0; d < cumulative.size(); ++d) cumulative[d] *= factors[d];
    plan.shapes.push_back(std::move(next));
    plan.cumulative.push_back(std::move(cumulative));
  }
  return plan;
}

uint64_t plan_bytes(const PyramidPlan& plan, zarr::DataType dtype) {
  uint64_t total = 0;
  for (const auto& s : plan.shapes) total += zarr::product(s) * zarr::dtype_size(dtype);
  return total;
}

std::vector<ome::Dataset> level_datasets(const PyramidPlan& plan, const std::vector<double>& scale0,
                                         const std::vector<double>& translation0,
                                         DownsampleMethod method) {
  std::vector<ome::Dataset> datasets;
  const size_t n = scale0.size();
  const bool centred = method != DownsampleMethod::nearest;
  bool any_translation =
      std::any_of(translation0.begin(), translation0.end(), [](double t) { return t != 0; });
  if (centred && plan.shapes.size() > 1)
    for (size_t d = 0; d < n; ++d) any_translation |= plan.factors[d] != 1;
  for (size_t k = 0; k < plan.shapes.size(); ++k) {
    ome::Dataset ds;
    ds.path = std::to_string(k);
    ome::Transform scale{ome::Transform::Kind::scale, std::vector<double>(n), std::nullopt};
    ome::Transform translation{ome::Transform::Kind::translation, std::vector<double>(n),
                               std::nullopt};
    for (size_t d = 0; d < n; ++d) {
      double f = static_cast<double>(plan.cumulative[k][d]);
      scale.values[d] = scale0[d] * f;
      translation.values[d] = translation0[d] + (centred ? (f - 1) / 2 * scale0[d] : 0.0);
    }
    ds.transforms.push_back(std::move(scale));
    if (any_translation) ds.transforms.push_back(std::move(translation));
    datasets.push_back(std::move(ds));
  }
  return datasets;
}

ome::ImageAttributes image_attributes(std::string name, std::vector<ome::Axis> axes,
                                      std::vector<ome::Dataset> datasets, ome::Version version,
                                      const std::optional<ome::Omero>& omero,
                                      const std::optional<ome::ImageLabel>& image_label) {
  ome::ImageAttributes attrs;
  attrs.version = version;
  ome::Multiscale ms;
  if (version == ome::Version::v0_4) ms.version = "0.4";
  ms.name = std::move(name);
  ms.axes = std::move(axes);
  ms.datasets = std::move(datasets);
  attrs.multiscales.push_back(std::move(ms));
  attrs.omero = omero;
  attrs.image_label = image_label;
  return attrs;
}

ome::ImageAttributes image_attributes(const SpatialImage& image, const PyramidPlan& plan,
                                      DownsampleMethod method, ome::Version version,
                                      const std::optional<ome::Omero>& omero,
                                      const std::optional<ome::ImageLabel>& image_label) {
  ome::ImageAttributes attrs = image_attributes(
      image.name(), image.axes(), level_datasets(plan, image.scale(), image.translation(), method),
      version, omero, image_label);
  ome::Multiscale& ms = attrs.multiscales[0];
  ms.type = std::string(to_string(method));
  ms.metadata = Json{{"method", "ngff." + std::string(to_string(method))},
                     {"version", "0.1"},
                     {"kwargs", {{"factors", plan.factors}}}};
  if (image.affine()) {
    // The image's affine to another system, as a 0.6 multiscale-level transformation (0.5 can
    // say it only when it is a scale and translation; Multiscale::to_json refuses otherwise).
    ms.intrinsic = "intrinsic";
    ms.coordinate_systems = {{ms.intrinsic, ms.axes, Json::object()},
                             {image.affine_target(), ms.axes, Json::object()}};
    ome::Transformation t;
    t.type = ome::Transformation::Type::affine;
    t.matrix = image.affine()->matrix;
    t.input = ome::SystemRef{ms.intrinsic, std::nullopt, false, Json::object()};
    t.output = ome::SystemRef{image.affine_target(), std::nullopt, false, Json::object()};
    ms.coordinate_transformations.push_back(std::move(t));
  }
  return attrs;
}

void copy_to_array(const VoxelSource& source, const zarr::Array& dst, uint64_t budget,
                   const BytesDone& report) {
  if (source.shape() != dst.shape() || source.dtype() != dst.dtype())
    throw UsageError("source and destination " + dst.url() + " differ in shape or data type");
  const size_t esize = zarr::dtype_size(dst.dtype());
  zarr::Shape block = zarr::block_shape(dst.shape(), dst.chunk_shape(), esize, budget);
  Bytes buffer;
  zarr::for_each_block(dst.shape(), block, [&](const zarr::Region& r) {
    buffer.resize(r.num_elements() * esize);
    source.read(r, buffer.data());
    dst.write(r, buffer.data());
    if (report) report(buffer.size());
  });
}

namespace {

// Splits `out` into pieces along its first dimension with an extent > 1 whose leading
// dimensions are all 1, so that each piece is a contiguous run of the output buffer.
std::vector<zarr::Region> contiguous_pieces(const zarr::Region& out, size_t wanted) {
  size_t d = 0;
  while (d + 1 < out.rank() && out.shape[d] == 1) ++d;
  std::vector<zarr::Region> pieces;
  if (out.rank() == 0 || out.shape[d] <= 1 || wanted <= 1) return {out};
  uint64_t step = (out.shape[d] + wanted - 1) / wanted;
  for (uint64_t s = 0; s < out.shape[d]; s += step) {
    zarr::Region p = out;
    p.start[d] += s;
    p.shape[d] = std::min(step, out.shape[d] - s);
    pieces.push_back(p);
  }
  return pieces;
}

}  // namespace

void downsample_array(const zarr::Array& src, const zarr::Array& dst, const zarr::Shape& factors,
                      DownsampleMethod method, uint64_t budget, const BytesDone& report) {
  const size_t n = src.rank();
  const size_t esize = zarr::dtype_size(src.dtype());
  if (dst.shape() != downsampled_shape(src.shape(), factors))
    throw UsageError("level " + dst.url() + " does not have the downsampled shape");
  uint64_t per_output = esize * (zarr::product(factors) + 1);
  zarr::Shape block = zarr::block_shape(dst.shape(), dst.chunk_shape(), per_output, budget);
  zarr::Shape halo = downsample_halo(factors, method);
  const size_t threads = std::max<size_t>(1, std::thread::hardware_concurrency());
  Bytes input, output;
  zarr::for_each_block(dst.shape(), block, [&](const zarr::Region& out) {
    zarr::Region in{zarr::Shape(n), zarr::Shape(n)};
    for (size_t d = 0; d < n; ++d) {
      uint64_t lo = out.start[d] * factors[d];
      uint64_t hi = std::min(src.shape()[d], (out.start[d] + out.shape[d]) * factors[d]);
      lo = lo > halo[d] ? lo - halo[d] : 0;
      hi = std::min(src.shape()[d], hi + halo[d]);
      in.start[d] = lo;
      in.shape[d] = hi - lo;
    }
    input.resize(in.num_elements() * esize);
    src.read(in, input.data());
    output.resize(out.num_elements() * esize);
    auto pieces = contiguous_pieces(out, 2 * threads);
    tbb::parallel_for(size_t{0}, pieces.size(), [&](size_t i) {
      const zarr::Region& piece = pieces[i];
      uint64_t offset = 0;
      for (size_t d = 0; d < n; ++d)
        offset = offset * out.shape[d] + (piece.start[d] - out.start[d]);
      downsample_region(input.data(), in, src.shape(), src.dtype(), factors, method, piece,
                        output.data() + offset * esize);
    });
    dst.write(out, output.data());
    if (report) report(output.size());
  });
}

}  // namespace ngff::image
