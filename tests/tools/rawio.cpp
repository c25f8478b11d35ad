// ngff_rawio: a test tool for the interop suite. Moves an array's voxels to and from raw files
// (C order, native byte order) so that Python peers can compare them bit for bit.
//   ngff_rawio read URL OUT.bin [--region A:B,C:D]
//   ngff_rawio write URL IN.bin [--region A:B,C:D]
//   ngff_rawio create URL METADATA.json IN.bin [--attributes ATTRS.json]
//   ngff_rawio metadata URL
//   ngff_rawio zip64 SRC OUT.zip       every key of SRC into a zip with zip64 records forced
//   ngff_rawio walk-copy SRC DST       copy found by the metadata walk (SRC cannot list)
//   ngff_rawio store URL get|size|list|range|suffix|ranges|many|set|erase|erase_prefix ARGS..
//     one Store call on the store that open_store gives for URL; prints its result as JSON
//     (values as hex strings, null when missing): the remote store tests drive stores with it
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "../../cli/error_exit.hpp"
#include "ngff/ome/finish_store.hpp"
#include "ngff/store/copy.hpp"
#include "ngff/store/open_store.hpp"
#include "ngff/store/zip_store.hpp"
#include "ngff/zarr/array.hpp"
#include "ngff/zarr/region_spelling.hpp"
#include "no_list_store.hpp"
#include "ome/hierarchy_keys.hpp"
#include "tool_io.hpp"
#include "util/strings.hpp"

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

std::string hex(const Bytes& b) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (std::byte x : b) {
    s += digits[static_cast<unsigned>(x) >> 4];
    s += digits[static_cast<unsigned>(x) & 15];
  }
  return s;
}

Json hex_or_null(const std::optional<Bytes>& b) {
  return b ? Json(hex(*b)) : Json();
}

ByteRange parse_range(std::string_view s) {
  auto p = split(s, ':');
  if (p.size() != 2) throw UsageError("expected OFFSET:LENGTH, got '" + std::string(s) + "'");
  return {std::stoull(std::string(p[0])), std::stoull(std::string(p[1]))};
}

// ngff_rawio store URL OP ...: one Store call, its result as JSON on stdout.
Json store_call(const std::vector<std::string>& args) {
  const std::string& op = args.size() > 2 ? args[2] : std::string();
  bool writes = op == "set" || op == "erase" || op == "erase_prefix";
  auto loc = open_store(args[1], writes ? OpenMode::write : OpenMode::read);
  Store& store = *loc.store;
  auto arg = [&](size_t i) -> const std::string& {
    if (args.size() <= i) throw UsageError("ngff_rawio store " + op + ": missing argument");
    return args[i];
  };
  if (op == "get") return hex_or_null(store.get(arg(3)));
  if (op == "size") {
    auto n = store.size(arg(3));
    return n ? Json(*n) : Json();
  }
  if (op == "list") return store.list(args.size() > 3 ? args[3] : std::string());
  if (op == "list_dir") return store.list_dir(args.size() > 3 ? args[3] : std::string());
  if (op == "range") return hex_or_null(store.get_range(arg(3), parse_range(arg(4))));
  if (op == "suffix") return hex_or_null(store.get_suffix(arg(3), std::stoull(arg(4))));
  if (op == "ranges") {
    std::vector<ByteRange> ranges;
    for (const auto& r : split(arg(4), ',')) ranges.push_back(parse_range(r));
    auto parts = store.get_ranges(arg(3), ranges);
    if (!parts) return Json();
    Json out = Json::array();
    for (const auto& p : *parts) out.push_back(hex(p));
    return out;
  }
  if (op == "many") {
    Json out = Json::array();
    auto parts = split(arg(3), ',');
    std::vector<std::string> keys(parts.begin(), parts.end());
    for (const auto& v : store.get_many(keys)) out.push_back(hex_or_null(v));
    return out;
  }
  if (op == "set") {
    store.set(arg(3), as_bytes(read_file(arg(4))));
    return true;
  }
  if (op == "erase") {
    store.erase(arg(3));
    return true;
  }
  if (op == "erase_prefix") {
    store.erase_prefix(arg(3));
    return true;
  }
  throw UsageError("ngff_rawio store: unknown operation '" + op + "'");
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
    ome::finish_store(*zip);
  } else if (verb == "walk-copy" && args.size() == 3) {
    auto src = open_store(url);
    test::NoListStore no_list(src.store);
    auto keys = ome::node_keys(no_list, src.path);
    auto dst = open_store(args[2], OpenMode::write);
    CopyStats s = copy_keys(no_list, src.path, *dst.store, dst.path, keys);
    ome::finish_store(*dst.store);
    std::cout << s.objects_done << " copied, " << s.missing << " missing\n";
  } else if (verb == "store") {
    std::cout << dump_json(Json{{"result", store_call(args)}}) << "\n";
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
