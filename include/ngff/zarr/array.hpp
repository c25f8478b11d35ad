// A Zarr array (v2 or v3) on a store: metadata, a codec pipeline bound to it, and chunk-parallel
// reads and writes of any region into or from a caller's buffer.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ngff/store/store.hpp"
#include "ngff/zarr/array_metadata.hpp"
#include "ngff/zarr/region.hpp"

namespace ngff::zarr {

// Metadata documents of a hierarchy held in one place (v2 .zmetadata); keys are store keys
// relative to the store root ("a/b/.zarray").
struct ConsolidatedMetadata {
  Json documents = Json::object();
  const Json* find(const std::string& key) const;
};

class Array {
 public:
  // Opens the array at `path`: zarr.json (v3) if present, else .zarray/.zattrs (v2). Throws
  // KeyNotFound when neither exists, MetadataError/CodecError when they are not understood.
  static Array open(const StorePtr& store, std::string_view path = "",
                    const ConsolidatedMetadata* consolidated = nullptr);

  // Writes the metadata of a new array. Throws StoreError when a node exists at `path` unless
  // `overwrite` (then the old node and its chunks are erased first).
  static Array create(StorePtr store, std::string_view path, ArrayMetadata metadata,
                      bool overwrite = false);

  const ArrayMetadata& metadata() const;
  const Shape& shape() const;
  const Shape& chunk_shape() const;
  DataType dtype() const;
  size_t rank() const;
  int zarr_format() const;
  const StorePtr& store() const;
  const std::string& path() const;
  std::string url() const;

  // Reads `region` into `out`: C order, native byte order, region.num_elements() elements.
  // Missing chunks read as the fill value.
  void read(const Region& region, void* out) const;
  // Writes `region` from `in`. Partial chunks are read-modify-write; chunks that end up equal to
  // the fill value are erased instead of stored.
  void write(const Region& region, const void* in) const;

  // The store key of one chunk ("path/c/0/1").
  std::string chunk_key(const Shape& chunk_index) const;
  // Decodes one chunk (the full chunk shape) into `out`; returns false (and fills `out` with the
  // fill value) when the chunk is missing.
  bool read_chunk(const Shape& chunk_index, MutableByteView out) const;
  // Encodes and stores one full chunk, or erases it when it equals the fill value.
  void write_chunk(const Shape& chunk_index, ByteView chunk) const;

  // Replaces the user attributes and rewrites the metadata.
  void set_attributes(const Json& attributes);
  // Rewrites the metadata documents (zarr.json, or .zarray + .zattrs).
  void write_metadata() const;

  // The implementation's state: store, path, metadata and the codec pipeline bound to them
  // (src/zarr/array_state.hpp). Opaque here, so that the codec machinery stays out of the API.
  struct State;
  const State& state() const { return *state_; }

 private:
  explicit Array(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

}  // namespace ngff::zarr
