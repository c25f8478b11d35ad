// ngff.copy(src, dst): every key of a store or node to another store (folder, .ozx/.zip, ...),
// parallel and resumable, as `ngff copy` does.
#include "binding.hpp"
#include "ngff/ome/copy_hierarchy.hpp"

using namespace nb::literals;

namespace ngff::python {
namespace {

std::map<std::string, uint64_t> py_copy(const std::string& src_url, const std::string& dst_url,
                                        bool overwrite, bool dry_run, int jobs, double memory_mib) {
  if (jobs < 1) throw UsageError("jobs must be at least 1");
  if (!(memory_mib > 0)) throw UsageError("memory_mib must be positive");
  CopyOptions o;
  o.overwrite = overwrite;
  o.dry_run = dry_run;
  o.concurrency = jobs;
  o.max_in_flight_bytes = static_cast<uint64_t>(memory_mib * 1024.0 * 1024.0);
  CopyStats s = ome::copy_hierarchy(src_url, dst_url, o);
  return {{"objects", dry_run ? s.objects_total : s.objects_done},
          {"bytes", dry_run ? s.bytes_total : s.bytes_done},
          {"skipped_objects", s.objects_skipped},
          {"skipped_bytes", s.bytes_skipped},
          {"missing", s.missing}};
}

}  // namespace

void register_copy(nb::module_& m) {
  m.def("copy", &py_copy, "src"_a, "dst"_a, nb::kw_only(), "overwrite"_a = false,
        "dry_run"_a = false, "jobs"_a = 8, "memory_mib"_a = 256.0, ReleaseGil(),
        "Copy every key of a store or node to another store (folder, .ozx/.zip, ...), in\n"
        "parallel. Keys the destination already has with the same size are skipped (rerun to\n"
        "resume); metadata is written last. Returns counts: objects and bytes copied (to be\n"
        "copied with dry_run), skipped_objects/skipped_bytes, missing (walk candidates).\n\n"
        ">>> ngff.copy(\"image.ome.zarr\", \"image.ozx\")\n"
        "{'bytes': 1048576, 'missing': 0, 'objects': 35, 'skipped_bytes': 0, "
        "'skipped_objects': 0}\n"
        ">>> ngff.copy(\"image.ome.zarr\", \"s3://bucket/image.ome.zarr\", jobs=32)");
}

}  // namespace ngff::python
