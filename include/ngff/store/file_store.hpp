// FileStore: keys are files under a root directory. Writes go to a temporary file in the same
// directory and are renamed into place, so a killed writer never leaves a torn value.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>

#include "ngff/store/store.hpp"

namespace ngff {

class FlushBehind;

class FileStore final : public Store {
 public:
  // `read_only`: set() and erase() throw StoreError. The root directory need not exist: the
  // first write creates it.
  explicit FileStore(const std::filesystem::path& root, bool read_only = false);
  ~FileStore() override;

  std::optional<Bytes> get(std::string_view key) const override;
  std::optional<Bytes> get_range(std::string_view key, ByteRange range) const override;
  std::optional<Bytes> get_suffix(std::string_view key, uint64_t length) const override;
  std::optional<uint64_t> read_into(std::string_view key, MutableByteView out) const override;
  std::optional<std::vector<Bytes>> get_ranges(std::string_view key,
                                               const std::vector<ByteRange>& ranges) const override;
  void set(std::string_view key, ByteView value) override;
  std::unique_ptr<ValueWriter> begin_value(std::string_view key) override;
  bool streams_values() const override { return true; }
  void erase(std::string_view key) override;
  void erase_prefix(std::string_view prefix) override;
  bool exists(std::string_view key) const override;
  std::optional<uint64_t> size(std::string_view key) const override;
  std::vector<std::string> list(std::string_view prefix) const override;
  std::vector<std::string> list_dir(std::string_view prefix) const override;
  bool is_writable() const override { return !read_only_; }
  std::string url() const override;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path path_of(std::string_view key) const;
  // Opens the file of `key` once and reads the ranges `choose(file size)` names (each clamped
  // to the end of the file); nullopt when the key is missing.
  std::optional<std::vector<Bytes>> read_ranges(
      std::string_view key, const std::function<std::vector<ByteRange>(uint64_t)>& choose) const;
  void check_writable(std::string_view key) const;
  // The path of `key` for a write, its directory created.
  std::filesystem::path prepare_write(std::string_view key) const;

  std::filesystem::path root_;
  bool read_only_;
  // Keeps what this store writes from filling the page cache (store/flush_behind.hpp).
  std::unique_ptr<FlushBehind> flush_behind_;
};

}  // namespace ngff
