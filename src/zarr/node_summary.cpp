#include "ngff/zarr/node_summary.hpp"

#include <algorithm>

#include "ngff/error.hpp"
#include "ngff/zarr/group.hpp"
#include "ngff/zarr/stored_chunks.hpp"
#include "store/key.hpp"
#include "zarr/array_state.hpp"
#include "zarr/codecs/sharding_codec.hpp"

namespace ngff::zarr {
namespace {

Json summarize(const StorePtr& store, const std::string& path, const SummaryOptions& options,
               int depth, const ConsolidatedMetadata* consolidated) {
  auto info = probe_node(*store, path, consolidated);
  if (!info) throw KeyNotFound("no Zarr node at " + store->key_url(path));
  if (info->type == NodeType::array)
    return summarize_array(Array::open(store, path, consolidated), options);
  Group g = Group::open(store, path);
  Json j{{"node_type", "group"},
         {"zarr_format", g.zarr_format()},
         {"path", path},
         {"url", g.url()},
         {"attributes", g.attributes()}};
  if (g.is_implicit()) j["implicit"] = true;
  if (g.consolidated()) j["consolidated"] = true;
  Json children = Json::array();
  if (depth < options.max_depth) {
    std::vector<ChildNode> found;
    if (store->is_listable() || g.consolidated()) {
      found = g.children();
    } else {
      // Children by name only: those the consolidated metadata of an ancestor holds, else those
      // the attributes mention, that have metadata.
      j["children_listed"] = false;
      std::vector<std::string> names;
      if (consolidated) {
        std::string base = path.empty() ? "" : path + "/";
        for (const auto& [key, doc] : consolidated->documents.items()) {
          if (key.compare(0, base.size(), base) != 0) continue;
          std::string rest = key.substr(base.size());
          auto slash = rest.find('/');
          if (slash != std::string::npos) names.push_back(rest.substr(0, slash));
        }
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
      } else if (options.child_names) {
        names = options.child_names(g.attributes());
      }
      for (const auto& name : names) {
        std::string child = join_key(path, name);
        try {
          validate_key(child);
        } catch (const InvalidKey&) {
          continue;
        }
        if (auto child_info = probe_node(*store, child, consolidated))
          found.push_back({name, *child_info});
      }
    }
    for (const auto& child : found) {
      Json c = summarize(store, join_key(path, child.name), options, depth + 1,
                         g.consolidated() ? g.consolidated() : consolidated);
      c["name"] = child.name;
      children.push_back(std::move(c));
    }
  }
  j["children"] = std::move(children);
  return j;
}

}  // namespace

Json summarize_array(const Array& a, const SummaryOptions& options) {
  const ArrayMetadata& m = a.metadata();
  Json j{{"node_type", "array"},
         {"zarr_format", m.zarr_format},
         {"path", a.path()},
         {"url", a.url()},
         {"shape", m.shape},
         {"chunks", m.chunk_shape},
         {"data_type", std::string(dtype_name(m.dtype))},
         {"fill_value", m.fill_value.json()},
         {"codecs", m.codecs_as_v3()},
         {"attributes", m.attributes.is_null() ? Json::object() : m.attributes}};
  Endian e = m.stored_endian();
  j["endian"] = e == Endian::not_applicable ? Json() : Json(e == Endian::big ? "big" : "little");
  if (m.zarr_format == 2) {
    j["order"] = std::string(1, m.v2_order);
    j["dtype"] = dtype_to_v2(m.dtype, m.v2_endian);
  }
  if (m.dimension_names) j["dimension_names"] = *m.dimension_names;
  j["chunk_key_separator"] = std::string(1, m.chunk_key_encoding.separator);
  Shape grid = m.grid_shape();
  uint64_t chunks_total = product(grid);
  // Sharded: "chunks" are the inner chunks (as zarr-python reports them), "shards" the stored
  // objects.
  const char* stored_name = "chunks_stored";
  if (const ShardingCodec* sharding = a.state().pipeline.sharding()) {
    j["chunks"] = sharding->inner_chunk_shape();
    j["shards"] = m.chunk_shape;
    j["shards_total"] = chunks_total;
    j["chunks_per_shard"] = sharding->num_inner_chunks();
    j["shard_index_location"] =
        sharding->index_location() == ShardingCodec::IndexLocation::start ? "start" : "end";
    chunks_total *= sharding->num_inner_chunks();
    stored_name = "shards_stored";
  }
  uint64_t chunk_bytes = product(m.chunk_shape) * dtype_size(m.dtype);
  j["chunks_total"] = chunks_total;
  j["bytes_logical"] = product(m.shape) * dtype_size(m.dtype);
  if (options.measure_storage && a.store()->is_listable()) {
    uint64_t stored = 0, chunks_stored = 0, other_keys = 0;
    const Store& store = *a.store();
    for_each_stored_key(a, [&](const std::string& key, const std::optional<Shape>& index) {
      if (!index) {
        ++other_keys;
      } else if (auto n = store.size(key)) {
        stored += *n;
        ++chunks_stored;
      }
    });
    j["bytes_stored"] = stored;
    j[stored_name] = chunks_stored;
    j["other_keys"] = other_keys;
    Json warnings = Json::array();
    // The classic silent failure: chunks written under another separator read as fill value.
    if (chunks_stored == 0 && other_keys > 0)
      warnings.push_back("no stored key is a chunk key of this array (separator '" +
                         std::string(1, m.chunk_key_encoding.separator) + "'), but " +
                         std::to_string(other_keys) +
                         " other keys exist: is the dimension separator wrong? The array reads "
                         "as fill value");
    j["warnings"] = warnings;
    // Decoded size of the stored chunks over their stored size (missing chunks do not count).
    j["compression_ratio"] =
        stored == 0
            ? Json()
            : Json(static_cast<double>(chunks_stored * chunk_bytes) / static_cast<double>(stored));
  }
  return j;
}

Json summarize_node(const StorePtr& store, const std::string& path, const SummaryOptions& options) {
  return summarize(store, path, options, 0, nullptr);
}

}  // namespace ngff::zarr
