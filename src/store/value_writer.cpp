#include "ngff/store/value_writer.hpp"

#include <cstring>

#include "ngff/store/store.hpp"

namespace ngff {
namespace {

// Store::begin_value's default, what any store can do: the pieces held in memory, stored with
// set() on commit.
class BufferedValueWriter final : public ValueWriter {
 public:
  BufferedValueWriter(Store& store, std::string_view key) : store_(store), key_(key) {}
  void write_at(ByteView bytes, uint64_t offset) override {
    if (offset + bytes.size() > value_.size()) value_.resize(offset + bytes.size());
    if (!bytes.empty()) std::memcpy(value_.data() + offset, bytes.data(), bytes.size());
  }
  void commit() override { store_.set(key_, value_); }

 private:
  Store& store_;
  std::string key_;
  Bytes value_;
};

}  // namespace

std::unique_ptr<ValueWriter> Store::begin_value(std::string_view key) {
  return std::make_unique<BufferedValueWriter>(*this, key);
}

}  // namespace ngff
