// ngff_downsample: a test tool for tests/python/test_downsample_reference.py. Downsamples a raw
// array (C order, native byte order) with the library's kernels so that numpy/scipy/scikit-image
// references can be compared with it.
//   ngff_downsample IN.bin OUT.bin --shape 5,7,9 --dtype uint16 --factors 2,2,1 --method mean
//                   [--tile 2,3,1]
// With --tile, the output is computed tile by tile (output tiles of that shape) with
// downsample_region from just the input each tile needs, as the streaming pyramid writer does.
// An empty --shape "" is a 0-d array. Exit codes: 0 ok, 1 failure, 2 usage error.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "ngff/error.hpp"
#include "ngff/image/downsample.hpp"
#include "ngff/zarr/dtype.hpp"
#include "ngff/zarr/region.hpp"
#include "tool_io.hpp"

using namespace ngff;

namespace {

using test::read_file;
using test::write_file;

zarr::Shape parse_list(const std::string& text, const std::string& flag) {
  zarr::Shape out;
  if (text.empty()) return out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      size_t used = 0;
      out.push_back(std::stoull(item, &used));
      if (used != item.size()) throw std::invalid_argument(item);
    } catch (const std::exception&) {
      throw UsageError(flag + ": '" + text + "' is not a comma-separated list of integers");
    }
  }
  return out;
}

int run(const std::vector<std::string>& args) {
  if (args.size() < 2)
    throw UsageError(
        "usage: ngff_downsample IN.bin OUT.bin --shape S --dtype T --factors F --method M "
        "[--tile T]");
  std::string shape_text, dtype_text, factors_text, method_text, tile_text;
  bool have_shape = false, have_tile = false;
  for (size_t i = 2; i < args.size(); i += 2) {
    if (i + 1 >= args.size()) throw UsageError("missing value after '" + args[i] + "'");
    const std::string& v = args[i + 1];
    if (args[i] == "--shape") {
      shape_text = v;
      have_shape = true;
    } else if (args[i] == "--dtype") {
      dtype_text = v;
    } else if (args[i] == "--factors") {
      factors_text = v;
    } else if (args[i] == "--method") {
      method_text = v;
    } else if (args[i] == "--tile") {
      tile_text = v;
      have_tile = true;
    } else {
      throw UsageError("unexpected argument '" + args[i] + "'");
    }
  }
  if (!have_shape || dtype_text.empty() || method_text.empty())
    throw UsageError("--shape, --dtype and --method are required");
  const zarr::Shape shape = parse_list(shape_text, "--shape");
  const zarr::Shape factors =
      factors_text.empty() && shape.empty() ? zarr::Shape{} : parse_list(factors_text, "--factors");
  zarr::DataType dtype;
  try {
    dtype = zarr::dtype_from_name(dtype_text);
  } catch (const MetadataError& e) {
    throw UsageError(e.what());
  }
  const image::DownsampleMethod method = image::parse_downsample_method(method_text);
  const size_t esize = zarr::dtype_size(dtype);

  const std::string in_text = read_file(args[0]);
  if (in_text.size() != zarr::product(shape) * esize)
    throw UsageError("input has " + std::to_string(in_text.size()) + " bytes, the shape needs " +
                     std::to_string(zarr::product(shape) * esize));
  std::vector<std::byte> in(in_text.size());
  if (!in.empty()) std::memcpy(in.data(), in_text.data(), in.size());

  const zarr::Shape out_shape = image::downsampled_shape(shape, factors);
  std::vector<std::byte> out(zarr::product(out_shape) * esize);
  if (!have_tile) {
    image::downsample(in.data(), shape, dtype, factors, method, out.data());
  } else {
    const zarr::Shape tile = parse_list(tile_text, "--tile");
    if (tile.size() != shape.size()) throw UsageError("--tile must have one entry per dimension");
    for (auto t : tile)
      if (t == 0) throw UsageError("--tile entries must be >= 1");
    const size_t rank = shape.size();
    if (zarr::product(out_shape) > 0) {
      zarr::Shape idx(rank, 0);
      std::vector<std::byte> tin, tout;
      while (true) {
        zarr::Region o{zarr::Shape(rank), zarr::Shape(rank)};
        for (size_t d = 0; d < rank; ++d) {
          o.start[d] = idx[d] * tile[d];
          o.shape[d] = std::min(tile[d], out_shape[d] - o.start[d]);
        }
        const zarr::Region r = image::downsample_input_region(o, shape, factors, method);
        tin.resize(r.num_elements() * esize);
        zarr::copy_box(in.data(), shape, r.start, tin.data(), r.shape, zarr::Shape(rank, 0),
                       r.shape, esize);
        tout.resize(o.num_elements() * esize);
        image::downsample_region(tin.data(), r, shape, dtype, factors, method, o, tout.data());
        zarr::copy_box(tout.data(), o.shape, zarr::Shape(rank, 0), out.data(), out_shape, o.start,
                       o.shape, esize);
        size_t d = rank;
        while (d-- > 0) {
          if (++idx[d] * tile[d] < out_shape[d]) break;
          idx[d] = 0;
        }
        if (d == static_cast<size_t>(-1)) break;
      }
    }
  }
  write_file(args[1], out);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return run(args);
  } catch (const UsageError& e) {
    std::cerr << "ngff_downsample: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "ngff_downsample: error: " << e.what() << "\n";
    return 1;
  }
}
