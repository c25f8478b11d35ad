// The Store interface: the only thing in ngff that touches bytes. A store maps validated keys to
// byte strings. Every store reads and lists; most write (is_writable()).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/store/bytes.hpp"
#include "ngff/store/value_writer.hpp"

namespace ngff {

struct ByteRange {
  uint64_t offset = 0;
  uint64_t length = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // The whole value of `key`, or nullopt when the key does not exist.
  virtual std::optional<Bytes> get(std::string_view key) const = 0;

  // `length` bytes from `offset` (clamped to the end of the value), or nullopt when missing.
  // The default reads the whole value; stores with cheap partial reads override it.
  virtual std::optional<Bytes> get_range(std::string_view key, ByteRange range) const;

  // The last `length` bytes of the value (all of it when shorter), or nullopt when missing: a
  // shard index at the end. The default asks size() then get_range(); HTTP sends one
  // suffix-range request.
  virtual std::optional<Bytes> get_suffix(std::string_view key, uint64_t length) const;

  // Several ranges of one value (inner chunks of a shard), in the order asked; nullopt when the
  // key is missing. The default calls get_range() for each; remote stores overlap the requests.
  virtual std::optional<std::vector<Bytes>> get_ranges(std::string_view key,
                                                       const std::vector<ByteRange>& ranges) const;

  // Reads the whole value into `out` when it is exactly out.size() bytes long (an uncompressed
  // chunk straight into the caller's buffer). Returns the value's size — `out` is untouched when
  // that differs — or nullopt when the key is missing. The default calls get() and copies.
  virtual std::optional<uint64_t> read_into(std::string_view key, MutableByteView out) const;

  // Several values at once; stores with latency (HTTP, S3) override this to overlap requests.
  virtual std::vector<std::optional<Bytes>> get_many(const std::vector<std::string>& keys) const;

  // Stores `value` atomically: a reader sees the old value or the new one, never a torn one.
  virtual void set(std::string_view key, ByteView value) = 0;

  // A value of `key` written in pieces and stored atomically on commit() (see value_writer.hpp).
  // The default holds the pieces in memory and calls set(); the file store writes them to the
  // temporary file that commit() renames into place.
  virtual std::unique_ptr<ValueWriter> begin_value(std::string_view key);
  // Whether begin_value() keeps the pieces out of memory (the file store), so that a writer may
  // have many values under way at once (zarr::StreamingWriter streams shards only then).
  virtual bool streams_values() const { return false; }

  // Removes `key`; removing a missing key is not an error.
  virtual void erase(std::string_view key) = 0;

  // Removes every key under `prefix` (a node and its children).
  virtual void erase_prefix(std::string_view prefix);

  virtual bool exists(std::string_view key) const;

  // The size of the value of `key`, or nullopt when missing.
  virtual std::optional<uint64_t> size(std::string_view key) const;

  // Every key below `prefix` (recursively), relative to the store root, sorted.
  virtual std::vector<std::string> list(std::string_view prefix) const = 0;

  // The immediate children (keys and "directories") of `prefix`, names only, sorted.
  virtual std::vector<std::string> list_dir(std::string_view prefix) const;

  virtual bool is_writable() const { return true; }

  // Finishes writing: stores that build a container (a zip's central directory) write it here,
  // and report failure by throwing. Writers that may hold such a store call it when done (those
  // of OME-Zarr through ome::finish_store, which also gives a zip RFC-9's comment); the default
  // does nothing. Idempotent.
  virtual void close() {}

  // Whether list()/list_dir() work. HTTP cannot list: readers then find nodes by name only
  // (metadata documents, v2 consolidated metadata), and list() throws StoreError.
  virtual bool is_listable() const { return true; }

  // A URL naming this store, used in messages ("file:///data/img.zarr").
  virtual std::string url() const = 0;

  // The URL of one key in this store, for messages.
  std::string key_url(std::string_view key) const;
};

using StorePtr = std::shared_ptr<Store>;

}  // namespace ngff
