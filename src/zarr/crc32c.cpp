// CRC-32C (Castagnoli). Hand-written because Debian packages no CRC32C library (Google's crc32c
// is not in Debian) and the algorithm is small: the SSE4.2 `crc32` instruction when the CPU has it
// (checked once at run time), otherwise slice-by-8 tables.
#include "zarr/crc32c.hpp"

#include <array>
#include <bit>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <nmmintrin.h>
#define NGFF_CRC32C_X86 1
#endif

namespace ngff::zarr {
namespace {

constexpr uint32_t kPolynomial = 0x82F63B78u;  // reflected Castagnoli polynomial

using Tables = std::array<std::array<uint32_t, 256>, 8>;

constexpr Tables make_tables() {
  Tables t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ kPolynomial : c >> 1;
    t[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; ++i)
    for (size_t s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
  return t;
}

constexpr Tables kTables = make_tables();

inline uint64_t load_le64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

// `crc` is the running (non-inverted) register.
uint32_t update_portable(uint32_t crc, const unsigned char* p, size_t n) {
  while (n >= 8) {
    const uint64_t v = load_le64(p) ^ crc;
    crc = kTables[7][v & 0xFF] ^ kTables[6][(v >> 8) & 0xFF] ^ kTables[5][(v >> 16) & 0xFF] ^
          kTables[4][(v >> 24) & 0xFF] ^ kTables[3][(v >> 32) & 0xFF] ^
          kTables[2][(v >> 40) & 0xFF] ^ kTables[1][(v >> 48) & 0xFF] ^ kTables[0][v >> 56];
    p += 8;
    n -= 8;
  }
  while (n--) crc = (crc >> 8) ^ kTables[0][(crc ^ *p++) & 0xFF];
  return crc;
}

#ifdef NGFF_CRC32C_X86
__attribute__((target("sse4.2"))) uint32_t update_sse42(uint32_t crc, const unsigned char* p,
                                                        size_t n) {
#if defined(__x86_64__)
  uint64_t c = crc;
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    c = _mm_crc32_u64(c, v);
    p += 8;
    n -= 8;
  }
  crc = static_cast<uint32_t>(c);
#endif
  while (n >= 4) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    crc = _mm_crc32_u32(crc, v);
    p += 4;
    n -= 4;
  }
  while (n--) crc = _mm_crc32_u8(crc, *p++);
  return crc;
}
#endif

using UpdateFn = uint32_t (*)(uint32_t, const unsigned char*, size_t);

UpdateFn choose_update() {
#ifdef NGFF_CRC32C_X86
  __builtin_cpu_init();  // in case this runs from another file's static initialiser
  if (__builtin_cpu_supports("sse4.2")) return update_sse42;
#endif
  return update_portable;
}

}  // namespace

uint32_t crc32c(ByteView data, uint32_t initial) {
  static const UpdateFn update = choose_update();
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  return ~update(~initial, p, data.size());
}

namespace detail {
uint32_t crc32c_portable(ByteView data, uint32_t initial) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  return ~update_portable(~initial, p, data.size());
}
}  // namespace detail

}  // namespace ngff::zarr
