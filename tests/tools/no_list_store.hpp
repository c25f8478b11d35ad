// A test-only store that reads through another store but cannot list (as a plain HTTP server):
// list() throws StoreError, so copies must find keys by walking the metadata.
#pragma once

#include "ngff/error.hpp"
#include "ngff/store/store.hpp"

namespace ngff::test {

class NoListStore final : public Store {
 public:
  explicit NoListStore(StorePtr inner) : inner_(std::move(inner)) {}
  std::optional<Bytes> get(std::string_view key) const override { return inner_->get(key); }
  std::optional<Bytes> get_range(std::string_view key, ByteRange range) const override {
    return inner_->get_range(key, range);
  }
  std::optional<uint64_t> size(std::string_view key) const override { return inner_->size(key); }
  bool exists(std::string_view key) const override { return inner_->exists(key); }
  void set(std::string_view, ByteView) override { throw StoreError("read-only test store"); }
  void erase(std::string_view) override { throw StoreError("read-only test store"); }
  std::vector<std::string> list(std::string_view) const override {
    throw StoreError("this store cannot list (like plain HTTP)");
  }
  bool is_writable() const override { return false; }
  std::string url() const override { return "nolist+" + inner_->url(); }

 private:
  StorePtr inner_;
};

}  // namespace ngff::test
