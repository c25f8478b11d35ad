// Fuzzes the zip reader (.ozx): the input is a whole zip file; it is opened (end of central
// directory, zip64 records, central directory), every entry listed, sized and read (local
// headers, stored and deflated data, CRC-32 checks), and a range of each read.
#include "fuzz_common.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/store/zip_store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ngff;
  if (size > fuzz::kMaxInput) return 0;
  auto parent = std::make_shared<MemoryStore>();
  parent->set("image.ozx", ByteView(reinterpret_cast<const std::byte*>(data), size));
  fuzz::expect_clean_failure([&] {
    ZipStore zip(parent, "image.ozx");
    (void)zip.comment();
    for (const auto& key : zip.list("")) {
      fuzz::expect_clean_failure([&] {
        (void)zip.size(key);
        (void)zip.get(key);
        (void)zip.get_range(key, ByteRange{1, 7});
      });
    }
  });
  return 0;
}
