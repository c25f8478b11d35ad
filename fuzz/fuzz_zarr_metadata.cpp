// Fuzzes Zarr array and group metadata: the input is stored as a v3 zarr.json or a v2
// .zarray/.zgroup (the first byte chooses), opened as an array or a group, and when it opens as
// an array of modest size, its first chunk is read (missing: the fill value) — so shapes, chunk
// grids, dtypes, fill values, codec lists and chunk key encodings are all parsed and used.
#include "fuzz_common.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/zarr/array.hpp"
#include "ngff/zarr/group.hpp"

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ngff;
  if (size < 1 || size > fuzz::kMaxInput) return 0;
  static constexpr const char* kKeys[] = {"zarr.json", ".zarray", ".zgroup"};
  const char* key = kKeys[data[0] % 3];
  auto text = fuzz::as_text(data + 1, size - 1);
  auto store = std::make_shared<MemoryStore>();
  store->set(key, as_bytes(text));
  fuzz::expect_clean_failure([&] {
    auto array = zarr::Array::open(store);
    // Read one chunk when it is small: enough to exercise the decode path and the fill value.
    zarr::Region first{zarr::Shape(array.rank(), 0), array.chunk_shape()};
    uint64_t bytes = zarr::dtype_size(array.dtype());
    for (size_t i = 0; i < array.rank(); ++i) {
      first.shape[i] = std::min(first.shape[i], array.shape()[i]);
      if (__builtin_mul_overflow(bytes, first.shape[i], &bytes)) return;
    }
    if (bytes == 0 || bytes > (1u << 22)) return;
    std::vector<std::byte> out(zarr::product(first.shape) * zarr::dtype_size(array.dtype()));
    array.read(first, out.data());
  });
  fuzz::expect_clean_failure([&] { (void)zarr::Group::open(store); });
  return 0;
}
