// Fuzzes every decoder through the public read path: the first byte picks an array of
// chunk_configs.hpp, the rest is stored as its chunk 0, and the whole array is read. A bad chunk
// must give CodecError (naming the key), never a crash, an overread or a hang.
#include <vector>

#include "chunk_configs.hpp"
#include "fuzz_common.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/zarr/array.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ngff;
  if (size < 1 || size > fuzz::kMaxInput) return 0;
  constexpr size_t kCount = std::size(fuzz::kChunkConfigs);
  const auto& config = fuzz::kChunkConfigs[data[0] % kCount];
  auto store = std::make_shared<MemoryStore>();
  store->set(config.key, as_bytes(config.metadata));
  store->set(config.chunk, ByteView(reinterpret_cast<const std::byte*>(data + 1), size - 1));
  auto array = zarr::Array::open(store);  // valid metadata: must open
  std::vector<std::byte> out(zarr::product(array.shape()) * zarr::dtype_size(array.dtype()));
  fuzz::expect_clean_failure([&] { array.read(zarr::Region::whole(array.shape()), out.data()); });
  return 0;
}
