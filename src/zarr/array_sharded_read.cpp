// Reading a region of a sharded array: per shard, one read of the index (a suffix or prefix
// range), then range reads of only the inner chunks the region needs, with ranges that lie close
// together in the shard merged into one read. A region covering a whole shard reads the shard in
// one request instead, index included.

#include <algorithm>

#include "ngff/error.hpp"
#include "store/key.hpp"
#include "util/parallel_for.hpp"
#include "zarr/array_state.hpp"
#include "zarr/codecs/sharding_codec.hpp"

namespace ngff::zarr {
namespace {

// Gaps up to this size between needed inner chunks are read rather than split into another
// request: one larger read costs less than a second round trip (a syscall locally, a request
// remotely).
constexpr uint64_t kCoalesceGap = 64 * 1024;

struct InnerRead {
  uint64_t linear;  // inner chunk position in the shard
  ShardIndexEntry entry;
};

// Fetches the stored bytes of `reads` (non-empty entries) with merged ranges. Returns buffers
// and, per read, a view into them.
struct FetchedChunks {
  std::vector<Bytes> buffers;
  std::vector<std::pair<uint64_t, ByteView>> views;  // (linear index, bytes)
};

FetchedChunks fetch_inner_chunks(const Store& store, const std::string& key,
                                 std::vector<InnerRead> reads) {
  std::sort(reads.begin(), reads.end(),
            [](const InnerRead& a, const InnerRead& b) { return a.entry.offset < b.entry.offset; });
  std::vector<ByteRange> ranges;
  std::vector<size_t> range_of(reads.size());
  for (size_t i = 0; i < reads.size(); ++i) {
    const auto& e = reads[i].entry;
    if (!ranges.empty()) {
      ByteRange& last = ranges.back();
      uint64_t last_end = last.offset + last.length;
      if (e.offset >= last.offset && e.offset <= last_end + kCoalesceGap) {
        last.length = std::max(last_end, e.offset + e.nbytes) - last.offset;
        range_of[i] = ranges.size() - 1;
        continue;
      }
    }
    ranges.push_back({e.offset, e.nbytes});
    range_of[i] = ranges.size() - 1;
  }
  FetchedChunks out;
  auto got = store.get_ranges(key, ranges);
  if (!got) throw StoreError("shard " + store.key_url(key) + " disappeared while being read");
  out.buffers = std::move(*got);
  for (size_t i = 0; i < reads.size(); ++i) {
    const ByteRange& r = ranges[range_of[i]];
    const Bytes& buffer = out.buffers[range_of[i]];
    const uint64_t begin = reads[i].entry.offset - r.offset;
    if (buffer.size() < begin + reads[i].entry.nbytes)
      throw CodecError("shard " + store.key_url(key) + ": inner chunk " +
                       std::to_string(reads[i].linear) + " (offset " +
                       std::to_string(reads[i].entry.offset) + ", " +
                       std::to_string(reads[i].entry.nbytes) +
                       " bytes) reaches past the end of the shard (corrupt index)");
    out.views.emplace_back(reads[i].linear, ByteView(buffer.data() + begin, reads[i].entry.nbytes));
  }
  return out;
}

// The inner-chunk grid positions of `shard_box` that meet `region`.
std::vector<Shape> inner_chunks_needed(const ShardingCodec& codec, const Region& shard_box,
                                       const Region& region) {
  Region part = intersect(shard_box, region);
  for (size_t d = 0; d < part.rank(); ++d) part.start[d] -= shard_box.start[d];
  return chunks_in(part, codec.inner_chunk_shape());
}

}  // namespace

void read_sharded(const Array::State& state, const RegionBuffer& out) {
  const auto& m = state.metadata;
  const Store& store = *state.store;
  const ShardingCodec& codec = *state.pipeline.sharding();
  auto shards = chunks_in(out.region, m.chunk_shape);
  ngff::detail::parallel_for(shards.size(), [&](size_t s) {
    const Region shard_box = chunk_box(shards[s], m.chunk_shape);
    const std::string key = join_key(state.path, m.chunk_key_encoding.encode(shards[s]));
    const std::string where = "shard " + store.key_url(key);
    auto fill_part = [&] {
      Region part = intersect(shard_box, out.region);
      fill_box(out.data, out.region.shape, offset_in(part, out.region), part.shape,
               out.fill_element, out.element_size);
    };
    std::vector<Shape> needed = inner_chunks_needed(codec, shard_box, out.region);
    try {
      if (needed.size() == codec.num_inner_chunks()) {
        // Every inner chunk is needed: one read of the whole shard.
        auto shard = store.get(key);
        if (!shard) return fill_part();
        ShardIndex index = codec.index_of_shard(*shard, where);
        ByteView bytes = *shard;
        codec.decode_inner_chunks(needed, shard_box.start, out,
                                  [&](uint64_t i) -> std::optional<ByteView> {
                                    const auto& e = index.entries[i];
                                    if (e.empty()) return std::nullopt;
                                    return bytes.subspan(e.offset, e.nbytes);
                                  });
        return;
      }
      const uint64_t index_bytes = codec.index_bytes();
      auto encoded_index = codec.index_location() == ShardingCodec::IndexLocation::end
                               ? store.get_suffix(key, index_bytes)
                               : store.get_range(key, ByteRange{0, index_bytes});
      if (!encoded_index) return fill_part();
      ShardIndex index = codec.decode_index(*encoded_index, std::nullopt, where);
      std::vector<InnerRead> reads;
      for (const auto& inner : needed) {
        uint64_t linear = codec.linear_index(inner);
        if (!index.entries[linear].empty()) reads.push_back({linear, index.entries[linear]});
      }
      FetchedChunks fetched = fetch_inner_chunks(store, key, std::move(reads));
      std::vector<std::optional<ByteView>> by_linear(codec.num_inner_chunks());
      for (const auto& [linear, view] : fetched.views) by_linear[linear] = view;
      codec.decode_inner_chunks(needed, shard_box.start, out,
                                [&](uint64_t i) { return by_linear[i]; });
    } catch (const CodecError& e) {
      std::string what = e.what();
      if (what.rfind("shard ", 0) == 0) throw;
      throw CodecError(where + ": " + what);
    }
  });
}

}  // namespace ngff::zarr
