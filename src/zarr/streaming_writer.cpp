#include "zarr/streaming_writer.hpp"

#include <algorithm>

#include "ngff/error.hpp"
#include "ngff/util/json.hpp"
#include "util/parallel_for.hpp"
#include "zarr/array_state.hpp"
#include "zarr/blocks.hpp"
#include "zarr/codecs/sharding_codec.hpp"

namespace ngff::zarr {
namespace {

// Shards are streamed only to stores that keep the pieces out of memory: elsewhere every open
// shard would be held encoded in memory, and a walk may keep thousands open.
const ShardingCodec* streamed_sharding(const Array& array) {
  const ShardingCodec* sharding = array.state().pipeline.sharding();
  return sharding && array.store()->streams_values() ? sharding : nullptr;
}

}  // namespace

StreamingWriter::StreamingWriter(Array array)
    : array_(std::move(array)), sharding_(streamed_sharding(array_)), unit_(write_unit(array_)) {}

Shape StreamingWriter::write_unit(const Array& array) {
  const ShardingCodec* sharding = streamed_sharding(array);
  return sharding ? sharding->inner_chunk_shape() : array.chunk_shape();
}

Shape StreamingWriter::covering_block(const Shape& wanted) const {
  if (!sharding_) return wanted;
  Shape block(wanted.size());
  for (size_t d = 0; d < wanted.size(); ++d)
    block[d] = (wanted[d] + unit_[d] - 1) / unit_[d] * unit_[d];
  return block;
}

uint64_t StreamingWriter::inner_chunks_inside(const Shape& shard_index) const {
  const Shape& shape = array_.shape();
  const Shape& shard = array_.chunk_shape();
  uint64_t count = 1;
  for (size_t d = 0; d < shape.size(); ++d) {
    const uint64_t start = shard_index[d] * shard[d];
    const uint64_t extent = std::min(shard[d], shape[d] - start);
    count *= (extent + unit_[d] - 1) / unit_[d];
  }
  return count;
}

uint64_t StreamingWriter::first_offset() const {
  return sharding_->index_location() == ShardingCodec::IndexLocation::start
             ? sharding_->index_bytes()
             : 0;
}

StreamingWriter::OpenShard& StreamingWriter::open_shard(const Shape& shard_index) {
  auto [it, created] = open_.try_emplace(shard_index);
  OpenShard& shard = it->second;
  if (created) {
    const uint64_t n = sharding_->num_inner_chunks();
    shard.index.entries.resize(n);
    shard.written.resize(n, 0);
    shard.expected = inner_chunks_inside(shard_index);
    // An index at the start takes its fixed size there; it is written when the shard is done.
    shard.end = first_offset();
  }
  return shard;
}

void StreamingWriter::write(const Region& region, const void* in_ptr) {
  check_region(region, array_.shape());
  if (!sharding_) {
    array_.write(region, in_ptr);
    return;
  }
  const Shape& shape = array_.shape();
  for (size_t d = 0; d < region.rank(); ++d) {
    const uint64_t end = region.start[d] + region.shape[d];
    if (region.start[d] % unit_[d] != 0 || (end % unit_[d] != 0 && end != shape[d]))
      throw UsageError("streaming write to " + array_.url() + ": region " + region.to_string() +
                       " is not made of whole inner chunks " + Json(unit_).dump());
  }
  const auto* in = static_cast<const std::byte*>(in_ptr);
  const size_t esize = dtype_size(array_.dtype());
  const std::vector<Shape> chunks = chunks_in(region, unit_);
  std::vector<std::optional<Bytes>> encoded(chunks.size());
  ngff::detail::parallel_for(chunks.size(), [&](size_t i) {
    encoded[i] = sharding_->encode_inner_chunk(in, region, chunk_box(chunks[i], unit_), esize);
  });
  // Each encoded chunk goes to its shard's value; shards completed here are stored after the
  // lock (their last write and the rename).
  const Shape& grid = sharding_->grid();
  std::vector<std::pair<Shape, OpenShard>> complete;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i = 0; i < chunks.size(); ++i) {
      Shape shard_index(grid.size()), inner_index(grid.size());
      for (size_t d = 0; d < grid.size(); ++d) {
        shard_index[d] = chunks[i][d] / grid[d];
        inner_index[d] = chunks[i][d] % grid[d];
      }
      OpenShard& shard = open_shard(shard_index);
      const uint64_t at = sharding_->linear_index(inner_index);
      if (shard.written[at])
        throw UsageError("streaming write to " + array_.url() + ": inner chunk " +
                         Json(chunks[i]).dump() + " written twice");
      shard.written[at] = 1;
      ++shard.received;
      if (const auto& bytes = encoded[i]) {  // else the fill value: not stored
        if (!shard.value) shard.value = array_.store()->begin_value(array_.chunk_key(shard_index));
        shard.value->write_at(*bytes, shard.end);
        shard.index.entries[at] = {shard.end, bytes->size()};
        shard.end += bytes->size();
        open_bytes_ += bytes->size();
      }
      if (shard.received == shard.expected) {
        auto it = open_.find(shard_index);
        complete.emplace_back(it->first, std::move(it->second));
        open_.erase(it);
      }
    }
    for (const auto& [index, shard] : complete) open_bytes_ -= shard.end - first_offset();
  }
  for (auto& [index, shard] : complete) store(index, shard);
}

void StreamingWriter::store(const Shape& shard_index, OpenShard& shard) const {
  if (!shard.value) {
    array_.store()->erase(array_.chunk_key(shard_index));  // every inner chunk is the fill value
    return;
  }
  const bool at_start = first_offset() != 0;
  shard.value->write_at(sharding_->encode_index(shard.index), at_start ? 0 : shard.end);
  shard.value->commit();
}

void StreamingWriter::for_each_block(const Shape& block,
                                     const std::function<void(const Region&)>& f) const {
  if (sharding_)
    for_each_block_by_shard(array_.shape(), array_.chunk_shape(), block, f);
  else
    zarr::for_each_block(array_.shape(), block, f);
}

void StreamingWriter::finish() {
  std::map<Shape, OpenShard> open;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    open.swap(open_);
    open_bytes_ = 0;
  }
  for (auto& [index, shard] : open) store(index, shard);
}

uint64_t StreamingWriter::open_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return open_bytes_;
}

}  // namespace ngff::zarr
