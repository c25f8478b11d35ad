// HttpStore: read-only access to a Zarr hierarchy served over HTTP(S), by key = URL below a base
// URL. get is a GET; ranges are `Range: bytes=a-b` (a server that ignores Range and answers 200
// with the whole value still works: the range is cut here); a suffix is `Range: bytes=-N`;
// batches (get_many, get_ranges) are overlapped on one connection pool. 404 and 410 mean a missing
// key; so does a 403 that comes from S3 (or an S3-compatible server such as Ceph), which answers
// 403 instead of 404 for missing keys when the bucket does not allow listing. Any other error
// status throws StoreError naming the URL and the status. 429, 5xx and connection faults are
// retried with backoff (NGFF_HTTP_RETRIES, default 4 retries); NGFF_HTTP_TIMEOUT (seconds, default
// 30) bounds connecting and stalls.
//
// HTTP has no listing: list() throws StoreError and is_listable() is false. Reading Zarr needs no
// listing (metadata is read by name; v2 consolidated `.zmetadata` names children).
#pragma once

#include <memory>

#include "ngff/store/store.hpp"

namespace ngff {

namespace detail {
class HttpClient;
struct HttpRequest;
struct HttpResponse;
}  // namespace detail

class HttpStore : public Store {
 public:
  // `base_url`: "https://host/path/img.zarr" (a trailing '/' is ignored).
  explicit HttpStore(std::string base_url);
  ~HttpStore() override;

  std::optional<Bytes> get(std::string_view key) const override;
  std::optional<Bytes> get_range(std::string_view key, ByteRange range) const override;
  std::optional<Bytes> get_suffix(std::string_view key, uint64_t length) const override;
  std::optional<std::vector<Bytes>> get_ranges(std::string_view key,
                                               const std::vector<ByteRange>& ranges) const override;
  std::vector<std::optional<Bytes>> get_many(const std::vector<std::string>& keys) const override;
  bool exists(std::string_view key) const override;
  std::optional<uint64_t> size(std::string_view key) const override;

  // Read-only: set/erase throw StoreError.
  void set(std::string_view key, ByteView value) override;
  void erase(std::string_view key) override;
  std::vector<std::string> list(std::string_view prefix) const override;
  std::vector<std::string> list_dir(std::string_view prefix) const override;
  bool is_writable() const override { return false; }
  bool is_listable() const override { return false; }
  std::string url() const override { return base_url_; }

 protected:
  // A request for `key` (method GET, HEAD, PUT, DELETE, ...): the URL of the key, and for S3
  // the signing options. `query` is appended after '?' when not empty.
  virtual detail::HttpRequest make_request(std::string method, std::string_view key,
                                           const std::string& query = {}) const;
  // Whether a response means "no such key" (404, 410, S3's 403).
  virtual bool is_missing(const detail::HttpResponse& r) const;
  // Throws StoreError unless `r` is a success, "missing" or 416 (a range past the end).
  void check_status(const detail::HttpRequest& request, const detail::HttpResponse& r) const;
  // The response to one request, checked as above.
  detail::HttpResponse perform_checked(const detail::HttpRequest& request) const;
  const detail::HttpClient& client() const { return *client_; }

  std::string base_url_;

 private:
  std::unique_ptr<detail::HttpClient> client_;
};

}  // namespace ngff
