#include "ngff/zarr/array.hpp"

#include <cstring>

#include "ngff/error.hpp"
#include "store/key.hpp"
#include "util/parallel_for.hpp"
#include "zarr/array_state.hpp"
#include "zarr/chunk_placement.hpp"
#include "zarr/codecs/sharding_codec.hpp"
#include "zarr/metadata_io.hpp"

namespace ngff::zarr {
namespace {

// Calls f(index, box, part) for every chunk meeting `region`, on the thread pool: `box` is the
// chunk's box in the array, `part` its intersection with `region`.
template <typename F>
void parallel_over_chunks(const Shape& chunk_shape, const Region& region, F&& f) {
  auto chunks = chunks_in(region, chunk_shape);
  ngff::detail::parallel_for(chunks.size(), [&](size_t i) {
    Region box = chunk_box(chunks[i], chunk_shape);
    f(chunks[i], box, intersect(box, region));
  });
}

}  // namespace

const Json* ConsolidatedMetadata::find(const std::string& key) const {
  auto it = documents.find(key);
  return it == documents.end() ? nullptr : &*it;
}

Array Array::open(const StorePtr& store, std::string_view path_in,
                  const ConsolidatedMetadata* consolidated) {
  std::string path = normalize_node_path(path_in);
  auto state = std::make_shared<State>();
  state->store = store;
  state->path = path;
  state->metadata = read_array_metadata(*store, path, consolidated);
  state->pipeline = CodecPipeline::for_array(
      state->metadata, store->key_url(metadata_key(state->metadata.zarr_format, path)));
  return Array(std::move(state));
}

Array Array::create(StorePtr store, std::string_view path_in, ArrayMetadata metadata,
                    bool overwrite) {
  std::string path = normalize_node_path(path_in);
  if (!store->is_writable()) throw StoreError("store " + store->url() + " is read-only");
  auto state = std::make_shared<State>();
  state->pipeline = CodecPipeline::for_array(
      metadata, store->key_url(metadata_key(metadata.zarr_format, path)));  // validates first
  if (node_exists(*store, path)) {
    if (!overwrite)
      throw StoreError("a Zarr node already exists at " + store->key_url(path) +
                       " (use overwrite to replace it)");
    store->erase_prefix(path);
  }
  state->store = std::move(store);
  state->path = path;
  state->metadata = std::move(metadata);
  Array a(std::move(state));
  a.write_metadata();
  return a;
}

const ArrayMetadata& Array::metadata() const {
  return state_->metadata;
}
const Shape& Array::shape() const {
  return state_->metadata.shape;
}
const Shape& Array::chunk_shape() const {
  return state_->metadata.chunk_shape;
}
DataType Array::dtype() const {
  return state_->metadata.dtype;
}
size_t Array::rank() const {
  return state_->metadata.rank();
}
int Array::zarr_format() const {
  return state_->metadata.zarr_format;
}
const StorePtr& Array::store() const {
  return state_->store;
}
const std::string& Array::path() const {
  return state_->path;
}
std::string Array::url() const {
  return state_->store->key_url(state_->path);
}

void Array::write_metadata() const {
  write_array_metadata(*state_->store, state_->path, metadata());
}

void Array::set_attributes(const Json& attributes) {
  if (!attributes.is_object()) throw UsageError("attributes must be a JSON object");
  state_->metadata.attributes = attributes;
  write_metadata();
}

std::string Array::chunk_key(const Shape& index) const {
  return join_key(state_->path, state_->metadata.chunk_key_encoding.encode(index));
}

bool Array::read_chunk(const Shape& index, MutableByteView out) const {
  const auto& m = state_->metadata;
  const std::string key = chunk_key(index);
  bool present = false;
  try {
    if (state_->pipeline.is_raw()) {
      // Uncompressed: the store reads straight into the output.
      auto size = state_->store->read_into(key, out);
      if (size && *size != out.size())
        throw CodecError("bytes codec: chunk holds " + std::to_string(*size) + " bytes, expected " +
                         std::to_string(out.size()) + " (truncated or corrupt chunk)");
      present = size.has_value();
      if (present) state_->pipeline.decode_in_place(out);
    } else if (auto encoded = state_->store->get(key)) {
      present = true;
      state_->pipeline.decode(*encoded, out);
    }
  } catch (const CodecError& e) {
    throw CodecError("chunk " + state_->store->key_url(key) + ": " + e.what());
  }
  if (!present)
    fill_elements(out.data(), out.size() / dtype_size(m.dtype), m.fill_value.element().data(),
                  dtype_size(m.dtype));
  return present;
}

void Array::write_chunk(const Shape& index, ByteView chunk) const {
  std::string key = chunk_key(index);
  if (state_->metadata.fill_value.fills(chunk)) {
    state_->store->erase(key);
    return;
  }
  Bytes encoded = state_->pipeline.encode(chunk);
  state_->store->set(key, encoded);
}

void Array::read(const Region& region, void* out_ptr) const {
  const auto& m = state_->metadata;
  check_region(region, m.shape);
  const size_t esize = dtype_size(m.dtype);
  auto* out = static_cast<std::byte*>(out_ptr);
  if (m.rank() == 0) {
    Bytes chunk(esize);
    read_chunk({}, chunk);
    std::memcpy(out, chunk.data(), esize);
    return;
  }
  if (region.num_elements() == 0) return;
  RegionBuffer buffer{out, region, esize, m.fill_value.element().data()};
  if (state_->pipeline.sharding()) {
    read_sharded(*state_, buffer);
    return;
  }
  auto chunks = chunks_in(region, m.chunk_shape);
  ngff::detail::parallel_for(chunks.size(), [&](size_t i) {
    place_chunk(buffer, chunk_box(chunks[i], m.chunk_shape),
                [&](MutableByteView dst) { return read_chunk(chunks[i], dst); });
  });
}

void Array::write(const Region& region, const void* in_ptr) const {
  const auto& m = state_->metadata;
  check_region(region, m.shape);
  if (!state_->store->is_writable())
    throw StoreError("store " + state_->store->url() + " is read-only");
  const size_t esize = dtype_size(m.dtype);
  const auto* in = static_cast<const std::byte*>(in_ptr);
  if (m.rank() == 0) {
    write_chunk({}, ByteView(in, esize));
    return;
  }
  const uint64_t chunk_bytes = product(m.chunk_shape) * esize;
  parallel_over_chunks(
      m.chunk_shape, region, [&](const Shape& index, const Region& box, const Region& part) {
        bool covers_chunk = true;
        for (size_t d = 0; d < m.rank(); ++d) {
          // Elements past the array's edge are not the caller's: they stay fill value.
          uint64_t valid = std::min(box.shape[d], m.shape[d] - box.start[d]);
          if (part.shape[d] != valid) covers_chunk = false;
        }
        const ShardingCodec* sharding = state_->pipeline.sharding();
        if (covers_chunk && sharding) {
          // A whole shard: inner chunks are encoded straight from the caller's buffer.
          auto shard = sharding->encode_shard_of(in, region, box.start, box.shape, esize);
          if (shard)
            state_->store->set(chunk_key(index), *shard);
          else
            state_->store->erase(chunk_key(index));
          return;
        }
        bool edge = false;
        for (size_t d = 0; d < m.rank(); ++d)
          if (box.start[d] + box.shape[d] > m.shape[d]) edge = true;
        MutableByteView buffer = thread_scratch(chunk_bytes);
        if (!covers_chunk) {
          read_chunk(index, buffer);
        } else if (edge) {
          fill_elements(buffer.data(), product(m.chunk_shape), m.fill_value.element().data(),
                        esize);
        }
        copy_box(in, region.shape, offset_in(part, region), buffer.data(), m.chunk_shape,
                 offset_in(part, box), part.shape, esize);
        write_chunk(index, buffer);
      });
}

}  // namespace ngff::zarr
