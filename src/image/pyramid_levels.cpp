#include "image/pyramid_levels.hpp"

#include <algorithm>
#include <thread>
#include <utility>

#include "ngff/error.hpp"
#include "ngff/zarr/stored_chunks.hpp"
#include "util/parallel_for.hpp"
#include "zarr/blocks.hpp"
#include "zarr/sparse_write.hpp"
#include "zarr/streaming_writer.hpp"

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

void check_same_layout(const VoxelSource& source, const zarr::Array& dst) {
  if (source.shape() != dst.shape() || source.dtype() != dst.dtype())
    throw UsageError("source and destination " + dst.url() + " differ in shape or data type");
}

void copy_to_array(const VoxelSource& source, const zarr::Array& dst, uint64_t budget,
                   const BytesDone& report) {
  check_same_layout(source, dst);
  const size_t esize = zarr::dtype_size(dst.dtype());
  if (auto stored = source.stored_boxes())
    if (stored->fill == dst.metadata().fill_value.element() &&
        zarr::write_touched_chunks(
            dst, stored->boxes, 2 * esize, budget,
            [&](const zarr::Region& r, const std::vector<zarr::Region>&, std::byte* out) {
              source.read(r, out);
            },
            report))
      return;
  // Blocks of whole source units when they fit (a tile under two blocks is decoded twice).
  const zarr::Shape source_chunk = source.preferred_block();
  // Half the budget for the block, half for what writing it holds: each thread's chunk scratch
  // and encoded chunk (a block of the whole budget went over it by those).
  const uint64_t block_budget = budget / 2;
  // Blocks of whole write units: a sharded array's inner chunks, each shard stored when done.
  zarr::StreamingWriter writer(dst);
  const zarr::Shape unit =
      zarr::aligned_unit(writer.write_unit(), source_chunk, dst.shape(), esize, block_budget);
  zarr::Shape block =
      zarr::block_shape(dst.shape(), unit, esize,
                        zarr::useful_block_budget(block_budget, zarr::product(unit) * esize));
  // A source chunk larger than the block would be decoded once per block inside it: read whole
  // source chunks instead, each once (the one decoded chunk is what a larger chunk must cost),
  // walked in C order even when that keeps several shards open (a walk shard by shard would cut
  // the chunk at every shard).
  const bool whole_source_chunks =
      source_chunk.size() == block.size() && zarr::product(source_chunk) > zarr::product(block);
  if (whole_source_chunks) block = writer.covering_block(source_chunk);
  Bytes buffer;
  auto copy_block = [&](const zarr::Region& r) {
    resize_for_overwrite(buffer, r.num_elements() * esize);
    source.read(r, buffer.data());
    writer.write(r, buffer.data());
    if (report) report(buffer.size());
  };
  if (whole_source_chunks)
    zarr::for_each_block(dst.shape(), block, copy_block);
  else
    writer.for_each_block(block, copy_block);
  writer.finish();
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

// `out` cut into contiguous_pieces whose input (of `input_bytes` for the whole) is at most
// `limit` bytes, each with the C-order offset of its first element in `out`: a block of one
// shard is made from eight shards of the level below, computed slab by slab.
std::vector<std::pair<zarr::Region, uint64_t>> contiguous_slabs(const zarr::Region& out,
                                                                uint64_t input_bytes,
                                                                uint64_t limit) {
  std::vector<std::pair<zarr::Region, uint64_t>> slabs;
  for (zarr::Region& slab :
       contiguous_pieces(out, static_cast<size_t>((input_bytes + limit - 1) / limit))) {
    uint64_t offset = 0;
    for (size_t d = 0; d < out.rank(); ++d)
      offset = offset * out.shape[d] + (slab.start[d] - out.start[d]);
    slabs.emplace_back(std::move(slab), offset);
  }
  return slabs;
}

// The Gaussian kernel holds two doubles per input element of its piece (halo included): a piece
// of a large block would need gigabytes. So the block is cut into boxes whose scratch stays under
// `max_scratch` bytes, at least `wanted` of them for the cores. Axes that are not smoothed are cut
// first (no halo is re-read along them), then the longest smoothed one.
std::vector<zarr::Region> bounded_pieces(const zarr::Region& out, const zarr::Shape& factors,
                                         const zarr::Shape& halo, uint64_t max_scratch,
                                         size_t wanted) {
  const size_t n = out.rank();
  zarr::Shape piece = out.shape;
  auto scratch = [&] {
    uint64_t elements = 2 * sizeof(double);
    for (size_t d = 0; d < n; ++d) elements *= piece[d] * factors[d] + 2 * halo[d];
    return elements;
  };
  auto count = [&] {
    uint64_t c = 1;
    for (size_t d = 0; d < n; ++d) c *= (out.shape[d] + piece[d] - 1) / piece[d];
    return c;
  };
  while (scratch() > max_scratch || count() < wanted) {
    size_t best = n;
    for (size_t d = 0; d < n; ++d) {
      if (piece[d] <= 1) continue;
      auto cost = [&](size_t i) {
        return halo[i] == 0 ? UINT64_MAX / 2 + piece[i] : piece[i] * factors[i];
      };
      if (best == n || cost(d) > cost(best)) best = d;
    }
    if (best == n) break;  // single elements: as small as pieces get
    piece[best] = (piece[best] + 1) / 2;
  }
  std::vector<zarr::Region> pieces;
  zarr::for_each_block(out.shape, piece, [&](const zarr::Region& r) {
    zarr::Region p = r;
    for (size_t d = 0; d < n; ++d) p.start[d] += out.start[d];
    pieces.push_back(std::move(p));
  });
  return pieces;
}

// Input elements needed for the output box `out` (its blocks and the halo, clipped).
zarr::Region input_box(const zarr::Region& out, const zarr::Shape& src_shape,
                       const zarr::Shape& factors, const zarr::Shape& halo) {
  const size_t n = out.rank();
  zarr::Region in{zarr::Shape(n), zarr::Shape(n)};
  for (size_t d = 0; d < n; ++d) {
    uint64_t lo = out.start[d] * factors[d];
    uint64_t hi = std::min(src_shape[d], (out.start[d] + out.shape[d]) * factors[d]);
    lo = lo > halo[d] ? lo - halo[d] : 0;
    hi = std::min(src_shape[d], hi + halo[d]);
    in.start[d] = lo;
    in.shape[d] = hi - lo;
  }
  return in;
}

}  // namespace

void downsample_on_all_cores(const std::byte* input, const zarr::Region& in,
                             const zarr::Shape& src_shape, zarr::DataType dtype,
                             const zarr::Shape& factors, DownsampleMethod method,
                             const zarr::Region& out, std::byte* output) {
  const size_t n = out.rank();
  const size_t esize = zarr::dtype_size(dtype);
  const size_t threads = std::max<size_t>(1, std::thread::hardware_concurrency());
  auto pieces = contiguous_pieces(out, 2 * threads);
  ngff::detail::parallel_for(pieces.size(), [&](size_t i) {
    const zarr::Region& piece = pieces[i];
    uint64_t offset = 0;
    for (size_t d = 0; d < n; ++d) offset = offset * out.shape[d] + (piece.start[d] - out.start[d]);
    downsample_region(input, in, src_shape, dtype, factors, method, piece, output + offset * esize);
  });
}

void downsample_array(const zarr::Array& src, const zarr::Array& dst, const zarr::Shape& factors,
                      DownsampleMethod method, uint64_t budget, const BytesDone& report) {
  const size_t n = src.rank();
  const size_t esize = zarr::dtype_size(src.dtype());
  if (dst.shape() != downsampled_shape(src.shape(), factors))
    throw UsageError("level " + dst.url() + " does not have the downsampled shape");
  const zarr::Shape halo = downsample_halo(factors, method);
  const size_t threads = std::max<size_t>(1, std::thread::hardware_concurrency());
  const bool smoothing = method == DownsampleMethod::gaussian;
  // The budget pays for the block's input and output, and for the Gaussian's per-thread scratch:
  // a quarter of it, at most 16 MiB a thread (larger pieces gain nothing).
  const uint64_t piece_scratch =
      smoothing
          ? std::clamp<uint64_t>(budget / (4 * threads), uint64_t{1} << 20, uint64_t{16} << 20)
          : 0;
  const uint64_t per_output = esize * (zarr::product(factors) + 1);
  // Blocks of whole write units: a sharded level's inner chunks, each shard stored when done.
  zarr::StreamingWriter writer(dst);
  const zarr::Shape& unit = writer.write_unit();
  const uint64_t block_budget = zarr::useful_block_budget(
      budget > threads * piece_scratch * 2 ? budget - threads * piece_scratch : budget / 2,
      zarr::product(unit) * per_output);
  zarr::Shape block = zarr::block_shape(dst.shape(), unit, per_output, block_budget);
  // The halo widens thin blocks' input: shrink the outermost cut axis while the block overflows.
  auto block_bytes = [&] {
    zarr::Region whole{zarr::Shape(n, 0), block};
    return (input_box(whole, src.shape(), factors, halo).num_elements() + zarr::product(block)) *
           esize;
  };
  for (size_t d = 0; d < n && block_bytes() > block_budget; ++d) {
    const uint64_t c = unit[d];
    while (block[d] > c && block_bytes() > block_budget)
      block[d] = std::max(c, (block[d] - 1) / c * c);
  }
  // Computes the output box `out` into `output` (C order), reading its input into `input`.
  auto compute = [&](const zarr::Region& out, Bytes& input, std::byte* output) {
    const zarr::Region in = input_box(out, src.shape(), factors, halo);
    resize_for_overwrite(input, in.num_elements() * esize);
    src.read(in, input.data());
    if (smoothing) {
      auto pieces = bounded_pieces(out, factors, halo, piece_scratch, 2 * threads);
      ngff::detail::parallel_for(pieces.size(), [&](size_t i) {
        const zarr::Region& piece = pieces[i];
        thread_local Bytes result;
        resize_for_overwrite(result, piece.num_elements() * esize);
        downsample_region(input.data(), in, src.shape(), src.dtype(), factors, method, piece,
                          result.data());
        zarr::Shape at(n);
        for (size_t d = 0; d < n; ++d) at[d] = piece.start[d] - out.start[d];
        zarr::copy_box(result.data(), piece.shape, zarr::Shape(n, 0), output, out.shape, at,
                       piece.shape, esize);
      });
    } else {
      downsample_on_all_cores(input.data(), in, src.shape(), src.dtype(), factors, method, out,
                              output);
    }
  };
  // A block is at least one write unit of `dst` (a chunk, or an inner chunk, whose input may be
  // over the budget): its input is read in slabs of at most this many bytes (contiguous_slabs).
  const uint64_t block_output = zarr::product(block) * esize;
  const uint64_t input_limit =
      std::max(block_budget / 2, block_budget > block_output ? block_budget - block_output : 0);
  // Sparse levels: only the output chunks whose input meets a stored chunk, when the rest is
  // the fill value (a block of fill values downsamples to the fill value: always for the methods
  // that pick an element, and for a zero fill whatever the method).
  const Bytes& fill = src.metadata().fill_value.element();
  const bool picks_element = method != DownsampleMethod::mean && !smoothing;
  const bool fill_is_zero =
      std::all_of(fill.begin(), fill.end(), [](std::byte b) { return b == std::byte{0}; });
  if ((picks_element || fill_is_zero) && fill == dst.metadata().fill_value.element()) {
    if (auto stored = zarr::stored_chunk_boxes(src)) {
      std::vector<zarr::Region> out_boxes;
      for (const auto& box : *stored) {
        zarr::Region o{zarr::Shape(n), zarr::Shape(n)};
        for (size_t d = 0; d < n; ++d) {
          const uint64_t lo = box.start[d] > halo[d] ? box.start[d] - halo[d] : 0;
          const uint64_t hi = box.start[d] + box.shape[d] + halo[d];
          o.start[d] = lo / factors[d];
          o.shape[d] = (hi + factors[d] - 1) / factors[d] - o.start[d];
        }
        out_boxes.push_back(std::move(o));
      }
      const uint64_t per_output_bytes = per_output + 8 * zarr::product(factors) * smoothing;
      if (zarr::write_touched_chunks(
              dst, out_boxes, per_output_bytes, block_budget,
              [&](const zarr::Region& out, const std::vector<zarr::Region>& parts,
                  std::byte* output) {
                Bytes input;
                // Within the chunk, only the parts that meet stored input are computed (the
                // Gaussian is costly): a chunk at the edge of the data is mostly fill value.
                // Many parts (overlapping halos) cost more than the whole chunk.
                if (parts.size() > 64 || (parts.size() == 1 && parts[0] == out)) {
                  compute(out, input, output);
                  return;
                }
                zarr::fill_box(output, out.shape, zarr::Shape(n, 0), out.shape, fill.data(), esize);
                Bytes result;
                for (const auto& part : parts) {
                  resize_for_overwrite(result, part.num_elements() * esize);
                  compute(part, input, result.data());
                  zarr::Shape at(n);
                  for (size_t d = 0; d < n; ++d) at[d] = part.start[d] - out.start[d];
                  zarr::copy_box(result.data(), part.shape, zarr::Shape(n, 0), output, out.shape,
                                 at, part.shape, esize);
                }
              },
              report))
        return;
    }
  }
  Bytes input, output;
  writer.for_each_block(block, [&](const zarr::Region& out) {
    resize_for_overwrite(output, out.num_elements() * esize);
    const uint64_t in_bytes = input_box(out, src.shape(), factors, halo).num_elements() * esize;
    for (const auto& [slab, offset] : contiguous_slabs(out, in_bytes, input_limit))
      compute(slab, input, output.data() + offset * esize);
    writer.write(out, output.data());
    if (report) report(output.size());
  });
  writer.finish();
}

}  // namespace ngff::image
