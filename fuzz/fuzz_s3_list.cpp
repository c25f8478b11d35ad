// Fuzzes the reading of S3 ListObjectsV2 answers (XML from the network): keys, common prefixes,
// the truncation flag and the continuation token, with entity unescaping.
#include "fuzz_common.hpp"
#include "store/s3_list.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > ngff::fuzz::kMaxInput) return 0;
  ngff::fuzz::expect_clean_failure(
      [&] { (void)ngff::s3::parse_list_objects(ngff::fuzz::as_text(data, size)); });
  return 0;
}
