// ZipStore: one face over the zip Reader (any parent store) and Writer (a local file).
#include "ngff/store/zip_store.hpp"

#include <exception>

#include "ngff/error.hpp"
#include "store/key.hpp"
#include "store/zip_internal.hpp"

namespace ngff {

ZipStore::ZipStore(StorePtr parent, std::string key)
    : reader_(std::make_unique<Reader>(std::move(parent), std::move(key))) {}

std::shared_ptr<ZipStore> ZipStore::create(const std::filesystem::path& path,
                                           ZipWriteOptions options) {
  std::shared_ptr<ZipStore> store(new ZipStore());
  store->writer_ = std::make_unique<Writer>(path, options);
  return store;
}

ZipStore::~ZipStore() {
  if (!writer_ || writer_->closed()) return;
  if (std::uncaught_exceptions() > 0) return;  // unwinding from an error: ~Writer discards
  try {
    writer_->close();
  } catch (...) {
    // Best effort: callers that must know call close() themselves.
  }
}

std::optional<Bytes> ZipStore::get(std::string_view key) const {
  return reader_ ? reader_->get(key) : writer_->get(key);
}

std::optional<Bytes> ZipStore::get_range(std::string_view key, ByteRange range) const {
  return reader_ ? reader_->get_range(key, range) : writer_->get_range(key, range);
}

std::optional<std::vector<Bytes>> ZipStore::get_ranges(std::string_view key,
                                                       const std::vector<ByteRange>& ranges) const {
  if (reader_) return reader_->get_ranges(key, ranges);
  return Store::get_ranges(key, ranges);
}

void ZipStore::set(std::string_view key, ByteView value) {
  if (!writer_)
    throw StoreError("zip " + url() + " is read-only; cannot write '" + std::string(key) + "'");
  writer_->set(key, value);
}

void ZipStore::erase(std::string_view key) {
  if (!writer_)
    throw StoreError("zip " + url() + " is read-only; cannot erase '" + std::string(key) + "'");
  writer_->erase(key);
}

bool ZipStore::exists(std::string_view key) const {
  return size(key).has_value();
}

std::optional<uint64_t> ZipStore::size(std::string_view key) const {
  if (writer_) return writer_->size(key);
  const zip::Entry* e = reader_->find(key);
  if (!e) return std::nullopt;
  return e->size;
}

std::vector<std::string> ZipStore::list(std::string_view prefix) const {
  return reader_ ? reader_->list(prefix) : writer_->list(prefix);
}

bool ZipStore::is_writable() const {
  return writer_ && !writer_->closed();
}

std::string ZipStore::url() const {
  return reader_ ? reader_->url() : writer_->url();
}

void ZipStore::close() {
  if (writer_) writer_->close();
}

std::string ZipStore::comment() const {
  return reader_ ? reader_->comment() : std::string();
}

void ZipStore::set_comment(std::string comment) {
  if (!writer_) throw StoreError("zip " + url() + " is read-only; cannot set its comment");
  writer_->set_comment(std::move(comment));
}

}  // namespace ngff
