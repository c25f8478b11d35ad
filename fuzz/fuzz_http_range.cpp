// Fuzzes the handling of answers to HTTP range requests: the status (200 or 206), a
// Content-Range header and the body come from the input; the requested range from its first
// bytes. The result must be exactly the requested bytes or a StoreError, never other bytes.
#include <cstring>

#include "fuzz_common.hpp"
#include "store/http_client.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ngff;
  if (size < 8 || size > fuzz::kMaxInput) return 0;
  uint16_t offset = 0, length = 0;
  std::memcpy(&offset, data, 2);
  std::memcpy(&length, data + 2, 2);
  bool suffix = (data[4] & 1) != 0;
  detail::HttpResponse response;
  response.status = (data[4] & 2) != 0 ? 206 : 200;
  // The header runs up to the first newline after byte 5, the body is the rest.
  auto rest = fuzz::as_text(data + 5, size - 5);
  auto newline = rest.find('\n');
  if (newline == std::string_view::npos) return 0;
  response.headers["content-range"] = std::string(rest.substr(0, newline));
  auto body = rest.substr(newline + 1);
  response.body = Bytes(reinterpret_cast<const std::byte*>(body.data()),
                        reinterpret_cast<const std::byte*>(body.data()) + body.size());
  fuzz::expect_clean_failure([&] {
    Bytes got = detail::slice_range_response(response, offset, length, suffix);
    if (got.size() > length) __builtin_trap();  // more bytes than asked for is a bug
  });
  return 0;
}
