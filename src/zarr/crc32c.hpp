// CRC-32C (Castagnoli), the checksum of the Zarr v3 `crc32c` codec and of shard indexes.
#pragma once

#include <cstdint>

#include "ngff/store/bytes.hpp"

namespace ngff::zarr {

// The CRC-32C of `data` (reflected polynomial 0x82F63B78, initial value and final xor
// 0xFFFFFFFF: crc32c("123456789") == 0xE3069283). `initial` is the CRC of preceding bytes, so
// that crc32c(b, crc32c(a)) == crc32c(a + b). Uses SSE4.2 when the CPU has it.
uint32_t crc32c(ByteView data, uint32_t initial = 0);

namespace detail {
// The table-driven path alone, whatever the CPU (for tests).
uint32_t crc32c_portable(ByteView data, uint32_t initial = 0);
}  // namespace detail

}  // namespace ngff::zarr
