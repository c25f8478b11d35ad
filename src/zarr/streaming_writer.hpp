// Writing an array from blocks smaller than its shards. A sharded array's chunk is a shard, and
// Array::write of less than a shard reads the shard back, decodes it and rewrites it whole; a
// streaming writer (convert, pyramids) would then need whole shards in memory, or pay for every
// shard many times over. This writer takes blocks of whole inner chunks instead: it encodes
// them as they come and appends them to their shard's value (Store::begin_value: a temporary
// file in a file store, memory elsewhere), keeping only the shard's index; when the shard has
// every inner chunk inside the array, its index is written and the shard is stored atomically.
// Inner chunks lie in a shard in the order they arrived (the index says where).
//
// For arrays written from scratch: an inner chunk never handed over is not stored (fill value)
// when finish() stores its shard, whatever the store held before. Arrays that are not sharded,
// whose sharding codec has other codecs around it, or whose store would hold the pieces in
// memory (Store::streams_values: zip, S3, memory), are written through Array::write with the
// chunk (the shard) as the write unit.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "ngff/store/value_writer.hpp"
#include "ngff/zarr/array.hpp"
#include "zarr/shard_index.hpp"

namespace ngff::zarr {

class ShardingCodec;

class StreamingWriter {
 public:
  explicit StreamingWriter(Array array);
  StreamingWriter(const StreamingWriter&) = delete;
  StreamingWriter& operator=(const StreamingWriter&) = delete;

  // The unit blocks are made of: the inner chunk of a plain sharded array, else the chunk.
  const Shape& write_unit() const { return unit_; }
  static Shape write_unit(const Array& array);
  const Array& array() const { return array_; }

  // Writes `region` from `in` (C order, native byte order). The region is made of whole write
  // units (its end may be the array's edge); throws UsageError otherwise. Safe to call from
  // several threads at once, for disjoint regions.
  void write(const Region& region, const void* in);
  // The smallest block shape covering `wanted` that write() takes: `wanted` itself, rounded up
  // to whole inner chunks when shards are streamed (Array::write takes any region).
  Shape covering_block(const Shape& wanted) const;

  // Calls f for the blocks of `block` (whole write units) tiling the array, in an order that
  // keeps one shard open at a time: shard by shard when the array is sharded (blocks clipped to
  // the shard), else C order.
  void for_each_block(const Shape& block, const std::function<void(const Region&)>& f) const;

  // Stores the shards still open. Not called by the destructor: a writer that is unwinding
  // stores nothing more (the open shards' temporary values are dropped).
  void finish();

  // Encoded bytes written for the shards still open.
  uint64_t open_bytes() const;

 private:
  struct OpenShard {
    std::unique_ptr<ValueWriter> value;  // made at the first stored inner chunk
    ShardIndex index;
    std::vector<uint8_t> written;  // per inner chunk: handed over
    uint64_t received = 0;
    uint64_t expected = 0;  // inner chunks that meet the array
    uint64_t end = 0;       // where the next inner chunk goes
  };
  OpenShard& open_shard(const Shape& shard_index);
  // Where a shard's first inner chunk goes: after an index at the start.
  uint64_t first_offset() const;
  void store(const Shape& shard_index, OpenShard& shard) const;
  uint64_t inner_chunks_inside(const Shape& shard_index) const;

  Array array_;
  const ShardingCodec* sharding_ = nullptr;  // null: written through Array::write
  Shape unit_;
  mutable std::mutex mutex_;
  std::map<Shape, OpenShard> open_;  // by shard index
  uint64_t open_bytes_ = 0;
};

}  // namespace ngff::zarr
