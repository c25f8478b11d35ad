// A value written in pieces and stored whole: a shard assembled as its inner chunks arrive
// (zarr's streaming writer) need not be held in memory when the store can keep the pieces
// itself. Nothing of it is visible under its key until commit(), which stores it atomically
// like Store::set; a writer destroyed without commit() stores nothing.
#pragma once

#include <cstdint>

#include "ngff/store/bytes.hpp"

namespace ngff {

class ValueWriter {
 public:
  virtual ~ValueWriter() = default;
  // Writes `bytes` at `offset`; the value's size is the end of its furthest write (gaps read as
  // zero bytes). Not safe to call from two threads at once.
  virtual void write_at(ByteView bytes, uint64_t offset) = 0;
  // Stores the value under its key. Call once.
  virtual void commit() = 0;
};

}  // namespace ngff
