#include "ngff/zarr/convert.hpp"

#include "ngff/error.hpp"
#include "ngff/zarr/array.hpp"
#include "ngff/zarr/array_spec.hpp"
#include "ngff/zarr/codec_spelling.hpp"
#include "ngff/zarr/group.hpp"
#include "ngff/zarr/stored_chunks.hpp"
#include "store/key.hpp"
#include "store/rollback.hpp"
#include "zarr/blocks.hpp"
#include "zarr/metadata_io.hpp"
#include "zarr/sparse_write.hpp"
#include "zarr/streaming_writer.hpp"

namespace ngff::zarr {
namespace {

Json v2_safe_attributes(const Json& attrs) {
  return attrs.is_null() ? Json::object() : attrs;
}

}  // namespace

ArraySpec conversion_spec(const ArrayMetadata& source, std::optional<int> zarr_format,
                          const std::optional<Shape>& chunks,
                          const std::optional<std::string>& codec,
                          const std::optional<Shape>& shards) {
  ArraySpec spec;
  spec.zarr_format = zarr_format.value_or(source.zarr_format);
  spec.shape = source.shape;
  const std::optional<Shape> source_inner = inner_chunk_shape(source);
  spec.chunks = chunks.value_or(source_inner.value_or(source.chunk_shape));
  if (shards)
    spec.shards = *shards;
  else if (source_inner && spec.zarr_format == 3)
    spec.shards = source.chunk_shape;
  if (!spec.shards.empty() && spec.shards.size() != source.rank())
    throw UsageError("--shards has " + std::to_string(spec.shards.size()) +
                     " sizes but the array has " + std::to_string(source.rank()) + " dimensions");
  if (spec.chunks.size() != source.rank())
    throw UsageError("--chunks has " + std::to_string(spec.chunks.size()) +
                     " sizes but the array has " + std::to_string(source.rank()) + " dimensions");
  spec.dtype = source.dtype;
  spec.fill_value = source.fill_value;
  if (source.fill_value.is_undefined() && spec.zarr_format == 3) spec.fill_value.reset();
  spec.endian = source.stored_endian() == Endian::big ? Endian::big : Endian::little;
  spec.attributes = v2_safe_attributes(source.attributes);
  if (source.dimension_names && source.dimension_names->is_array()) {
    for (const auto& n : *source.dimension_names)
      spec.dimension_names.push_back(n.is_string() ? std::optional(n.get<std::string>())
                                                   : std::nullopt);
  }
  if (codec) {
    spec.compression = parse_codec_spelling(*codec, source.dtype, spec.zarr_format);
  } else {
    spec.compression = compression_of(source);
    if (spec.zarr_format != source.zarr_format) {
      // Keep the source codecs only when each is standard in the target format: numcodecs
      // extensions (zlib, lz4) have no Zarr v3 specification, so v3 output gets zstd instead.
      bool representable = true;
      for (const auto& c : spec.compression) {
        std::string name = c["name"];
        if (spec.zarr_format == 3 && (name == "zlib" || name.rfind("numcodecs.", 0) == 0))
          representable = false;
      }
      if (!representable)
        spec.compression = parse_codec_spelling(kDefaultCodecSpelling, source.dtype);
    }
  }
  return spec;
}

namespace {

void convert_array(const Array& src, const StorePtr& dst, const std::string& dst_path,
                   const ConvertOptions& o, uint64_t& done, uint64_t total) {
  ArraySpec spec = conversion_spec(src.metadata(), o.zarr_format, o.chunks, o.codec, o.shards);
  ArrayMetadata dm = make_array_metadata(spec);
  Array out = Array::create(dst, dst_path, std::move(dm), o.overwrite);
  copy_array_data(src, out, o.memory_budget, [&](uint64_t bytes) {
    done += bytes;
    if (o.progress) o.progress(done, total);
  });
}

void convert_tree(const StorePtr& src, const std::string& src_path, const StorePtr& dst,
                  const std::string& dst_path, const ConvertOptions& o, uint64_t& done,
                  uint64_t total, size_t& arrays, const ConsolidatedMetadata* consolidated) {
  auto info = probe_node(*src, src_path, consolidated);
  if (!info) throw KeyNotFound("no Zarr node at " + src->key_url(src_path));
  if (info->type == NodeType::array) {
    convert_array(Array::open(src, src_path, consolidated), dst, dst_path, o, done, total);
    ++arrays;
    return;
  }
  Group g = Group::open(src, src_path);
  Group::create(dst, dst_path, o.zarr_format.value_or(g.zarr_format()), g.attributes(),
                o.overwrite);
  const ConsolidatedMetadata* c = g.consolidated() ? g.consolidated() : consolidated;
  for (const auto& child : g.children())
    convert_tree(src, join_key(src_path, child.name), dst, join_key(dst_path, child.name), o, done,
                 total, arrays, c);
}

uint64_t logical_bytes_in(const StorePtr& store, const std::string& path,
                          const ConsolidatedMetadata* consolidated) {
  auto info = probe_node(*store, path, consolidated);
  if (!info) return 0;
  if (info->type == NodeType::array) {
    auto m = read_array_metadata(*store, path, consolidated);
    return product(m.shape) * dtype_size(m.dtype);
  }
  Group g = Group::open(store, path);
  const ConsolidatedMetadata* c = g.consolidated() ? g.consolidated() : consolidated;
  uint64_t total = 0;
  for (const auto& child : g.children())
    total += logical_bytes_in(store, join_key(path, child.name), c);
  return total;
}

}  // namespace

void copy_array_data(const Array& src, const Array& dst, uint64_t budget,
                     const std::function<void(uint64_t)>& on_block) {
  const Shape& shape = src.shape();
  if (shape != dst.shape() || src.dtype() != dst.dtype())
    throw UsageError("cannot copy " + src.url() + " into " + dst.url() +
                     ": shapes or data types differ");
  const size_t esize = dtype_size(src.dtype());
  if (src.metadata().fill_value.element() == dst.metadata().fill_value.element())
    if (auto boxes = stored_chunk_boxes(src))
      if (write_touched_chunks(
              dst, *boxes, 2 * esize, budget,
              [&](const Region& r, const std::vector<Region>&, std::byte* out) {
                src.read(r, out);
              },
              on_block))
        return;
  // Blocks of whole write units: a sharded destination's inner chunks, each shard stored when
  // done, so that shards larger than the budget cost no more than it.
  StreamingWriter writer(dst);
  Shape block = block_shape(shape, writer.write_unit(), esize, budget);
  Bytes buffer;
  writer.for_each_block(block, [&](const Region& r) {
    buffer.resize(r.num_elements() * esize);
    src.read(r, buffer.data());
    writer.write(r, buffer.data());
    if (on_block) on_block(buffer.size());
  });
  writer.finish();
}

uint64_t logical_bytes(const StorePtr& store, const std::string& path) {
  return logical_bytes_in(store, path, read_consolidated(*store, path).get());
}

size_t convert_node(const StorePtr& src, const std::string& src_path, const StorePtr& dst,
                    const std::string& dst_path, const ConvertOptions& o) {
  if (o.zarr_format && *o.zarr_format != 2 && *o.zarr_format != 3)
    throw UsageError("--zarr-format must be 2 or 3, got " + std::to_string(*o.zarr_format));
  if (src->url() == dst->url() && normalize_node_path(src_path) == normalize_node_path(dst_path))
    throw UsageError("source and destination are the same node: " + src->key_url(src_path));
  // Check what can be checked before anything is written.
  if (o.codec) parse_codec_spelling(*o.codec, DataType::uint16, o.zarr_format.value_or(0));
  if (!src->exists(join_key(normalize_node_path(src_path), "zarr.json")) &&
      !probe_node(*src, normalize_node_path(src_path)))
    throw KeyNotFound("no Zarr node at " + src->key_url(src_path));
  uint64_t total = o.progress ? logical_bytes(src, src_path) : 0;
  uint64_t done = 0;
  size_t arrays = 0;
  auto consolidated = read_consolidated(*src, normalize_node_path(src_path));
  std::string out = normalize_node_path(dst_path);
  RollbackGuard rollback(*dst, out, node_exists(*dst, out));
  convert_tree(src, normalize_node_path(src_path), dst, out, o, done, total, arrays,
               consolidated.get());
  rollback.commit();
  return arrays;
}

}  // namespace ngff::zarr
