#include "ngff/zarr/limits.hpp"

#include <atomic>
#include <cstdlib>

namespace ngff::zarr {
namespace {

constexpr uint64_t kDefaultMaxChunkBytes = uint64_t{4} << 30;

uint64_t limit_from_environment() {
  const char* text = std::getenv("NGFF_MAX_CHUNK_BYTES");
  if (text == nullptr || *text == '\0') return kDefaultMaxChunkBytes;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  return (end != nullptr && *end == '\0' && v > 0) ? v : kDefaultMaxChunkBytes;
}

std::atomic<uint64_t>& limit() {
  static std::atomic<uint64_t> value{limit_from_environment()};
  return value;
}

}  // namespace

uint64_t max_chunk_bytes() {
  return limit().load(std::memory_order_relaxed);
}

void set_max_chunk_bytes(uint64_t bytes) {
  limit().store(bytes == 0 ? limit_from_environment() : bytes, std::memory_order_relaxed);
}

}  // namespace ngff::zarr
