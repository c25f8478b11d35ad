// Byte buffers exchanged between stores and codecs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace ngff {

using Bytes = std::vector<std::byte>;
using ByteView = std::span<const std::byte>;
using MutableByteView = std::span<std::byte>;

// Resizes a reused scratch buffer whose contents are about to be overwritten. Growing frees the
// old storage first: std::vector::resize would copy the old contents into new storage (of up to
// twice the size) while both are held, a momentary doubling of the buffer's memory that shows as
// peak RSS over the budget.
template <typename T>
void resize_for_overwrite(std::vector<T>& buffer, size_t size) {
  if (size > buffer.capacity()) std::vector<T>().swap(buffer);
  buffer.resize(size);
}

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}
inline std::string_view as_string_view(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline Bytes to_bytes(std::string_view s) {
  auto v = as_bytes(s);
  return Bytes(v.begin(), v.end());
}

}  // namespace ngff
