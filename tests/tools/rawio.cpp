// ngff_rawio: a test tool for the interop suite. Moves an array's voxels to and from raw files
// (C order, native byte order) so that Python peers can compare them bit for bit.
//   ngff_rawio read URL OUT.bin [--region A:B,C:D]
//   ngff_rawio write URL IN.bin [--region A:B,C:D]
//   ngff_rawio create URL METADATA.json IN.bin [--attributes ATTRS.json]
//   ngff_rawio metadata URL
//   ngff_rawio zip64 SRC OUT.zip       every key of SRC into a zip with zip64 records forced
//   ngff_rawio walk-copy SRC DST       copy found by the metadata walk (SRC cannot list)
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "../../cli/error_exit.hpp"
#include "ngff/ome/hierarchy_keys.hpp"
#include "ngff/store/copy.hpp"
#include "ngff/store/open_store.hpp"
#include "ngff/store/zip_store.hpp"
#include "ngff/zarr/array.hpp"
#include "ngff/zarr/region_spelling.hpp"
#include "no_list_store.hpp"
#include "tool_io.hpp"

using namespace ngff;
using namespace ngff::zarr;

namespace {

using test::read_file;
using test::write_file;

Array open_array(const std::string& url, OpenMode mode = OpenMode::read) {
  auto loc = open_store(url, mode);
  return Array::open(loc.store, loc.path);
}

Region region_arg(const std::vector<std::string>& args, size_t at, const Shape& shape) {
  if (args.size() > at + 1 && args[at] == "--region") return parse_region(args[at + 1], shape);
  if (args.size() > at) throw UsageError("unexpected argument '" + args[at] + "'");
  return Region::whole(shape);
}

int run(const std::vector<std::string>& args) {
  if (args.size() < 2) throw UsageError("usage: ngff_rawio read|write|create|metadata URL ...");
  const std::string& verb = args[0];
  const std::string& url = args[1];
  if (verb == "read" && args.size() >= 3) {
    Array a = open_array(url);
    Region r = region_arg(args, 3, a.shape());
    Bytes out(r.num_elements() * dtype_size(a.dtype()));
    a.read(r, out.data());
    write_file(args[2], out);
  } else if (verb == "write" && args.size() >= 3) {
    Array a = open_array(url, OpenMode::write);
    Region r = region_arg(args, 3, a.shape());
    std::string in = read_file(args[2]);
    if (in.size() != r.num_elements() * dtype_size(a.dtype()))
      throw UsageError("input has " + std::to_string(in.size()) + " bytes, the region needs " +
                       std::to_string(r.num_elements() * dtype_size(a.dtype())));
    a.write(r, in.data());
  } else if (verb == "create" && args.size() >= 4) {
    Json doc = parse_json(read_file(args[2]), args[2]);
    Json attrs;
    if (args.size() >= 6 && args[4] == "--attributes")
      attrs = parse_json(read_file(args[5]), args[5]);
    ArrayMetadata m = doc.value("zarr_format", 3) == 2
                          ? ArrayMetadata::from_v2_json(doc, attrs, args[2])
                          : ArrayMetadata::from_v3_json(doc, args[2]);
    std::string in = read_file(args[3]);
    if (in.size() != product(m.shape) * dtype_size(m.dtype))
      throw UsageError("input has " + std::to_string(in.size()) + " bytes, the array needs " +
                       std::to_string(product(m.shape) * dtype_size(m.dtype)));
    auto loc = open_store(url, OpenMode::write);
    Array a = Array::create(loc.store, loc.path, m);
    a.write(Region::whole(m.shape), in.data());
  } else if (verb == "zip64" && args.size() == 3) {
    auto src = open_store(url);
    ZipWriteOptions o;
    o.zip64_threshold = 0;  // every size and offset in zip64 fields
    auto zip = ZipStore::create(args[2], o);
    copy_keys(*src.store, src.path, *zip, "", src.store->list(src.path));
    zip->close();
  } else if (verb == "walk-copy" && args.size() == 3) {
    auto src = open_store(url);
    test::NoListStore no_list(src.store);
    auto keys = ome::node_keys(no_list, src.path);
    auto dst = open_store(args[2], OpenMode::write);
    CopyStats s = copy_keys(no_list, src.path, *dst.store, dst.path, keys);
    dst.store->close();
    std::cout << s.objects_done << " copied, " << s.missing << " missing\n";
  } else if (verb == "metadata") {
    Array a = open_array(url);
    std::cout << dump_json(a.metadata().to_json()) << "\n";
  } else {
    throw UsageError("usage: ngff_rawio read|write|create|metadata|zip64|walk-copy URL ...");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return cli::run_reporting_errors("ngff_rawio", [&] { return run(args); });
}
