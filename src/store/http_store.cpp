#include "ngff/store/http_store.hpp"

#include "ngff/error.hpp"
#include "store/http_client.hpp"
#include "store/key.hpp"

namespace ngff {

using detail::HttpRequest;
using detail::HttpResponse;

namespace {

std::string range_header(ByteRange r) {
  return "bytes=" + std::to_string(r.offset) + "-" + std::to_string(r.offset + r.length - 1);
}

}  // namespace

HttpStore::HttpStore(std::string base_url)
    : base_url_(std::move(base_url)), client_(std::make_unique<detail::HttpClient>()) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

HttpStore::~HttpStore() = default;

HttpRequest HttpStore::make_request(std::string method, std::string_view key,
                                    const std::string& query) const {
  validate_key(key);
  HttpRequest r;
  r.method = std::move(method);
  // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict on `"/" + string`.
  r.url = base_url_;
  if (!key.empty()) {
    r.url += '/';
    r.url += detail::uri_encode(key, true);
  }
  if (!query.empty()) {
    r.url += '?';
    r.url += query;
  }
  return r;
}

bool HttpStore::is_missing(const HttpResponse& r) const {
  return r.status == 404 || r.status == 410 || detail::is_s3_access_denied(r);
}

void HttpStore::check_status(const HttpRequest& request, const HttpResponse& r) const {
  // Success, "missing", or a range past the end (416: the value exists) are answers; anything
  // else (errors, and redirects libcurl could not follow, such as S3's wrong-region 301) throws.
  bool ok = (r.status >= 200 && r.status < 300) || r.status == 416 || is_missing(r);
  if (!ok) detail::throw_http_error(request, r);
}

HttpResponse HttpStore::perform_checked(const HttpRequest& request) const {
  HttpResponse r = client_->perform(request);
  check_status(request, r);
  return r;
}

std::optional<Bytes> HttpStore::get(std::string_view key) const {
  HttpResponse r = perform_checked(make_request("GET", key));
  if (is_missing(r)) return std::nullopt;
  return std::move(r.body);
}

std::optional<Bytes> HttpStore::get_range(std::string_view key, ByteRange range) const {
  if (range.length == 0) return exists(key) ? std::optional<Bytes>(Bytes{}) : std::nullopt;
  if (range.length > UINT64_MAX - range.offset) range.length = UINT64_MAX - range.offset;
  auto parts = get_ranges(key, {range});
  if (!parts) return std::nullopt;
  return std::move((*parts)[0]);
}

std::optional<Bytes> HttpStore::get_suffix(std::string_view key, uint64_t length) const {
  if (length == 0) return exists(key) ? std::optional<Bytes>(Bytes{}) : std::nullopt;
  HttpRequest req = make_request("GET", key);
  req.range = "bytes=-" + std::to_string(length);
  HttpResponse r = perform_checked(req);
  if (is_missing(r)) return std::nullopt;
  if (r.status == 416) return Bytes{};  // an empty value has no suffix to give
  return detail::slice_range_response(r, 0, length, true, key_url(key));
}

std::optional<std::vector<Bytes>> HttpStore::get_ranges(
    std::string_view key, const std::vector<ByteRange>& ranges) const {
  std::vector<HttpRequest> requests;
  std::vector<size_t> asked;  // index in `ranges` of each request (empty ranges need none)
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (ranges[i].length == 0) continue;
    requests.push_back(make_request("GET", key));
    ByteRange r = ranges[i];
    r.length = std::min(r.length, UINT64_MAX - r.offset);
    requests.back().range = range_header(r);
    asked.push_back(i);
  }
  if (requests.empty()) {
    if (!exists(key)) return std::nullopt;
    return std::vector<Bytes>(ranges.size());
  }
  auto responses = client_->perform_many(requests);
  std::vector<Bytes> out(ranges.size());
  for (size_t k = 0; k < responses.size(); ++k) {
    const HttpResponse& r = responses[k];
    check_status(requests[k], r);
    if (is_missing(r)) return std::nullopt;
    if (r.status == 416) continue;  // the range starts past the end: nothing there
    const ByteRange& br = ranges[asked[k]];
    out[asked[k]] = detail::slice_range_response(r, br.offset, br.length, false, key_url(key));
  }
  return out;
}

std::vector<std::optional<Bytes>> HttpStore::get_many(const std::vector<std::string>& keys) const {
  std::vector<HttpRequest> requests;
  requests.reserve(keys.size());
  for (const auto& k : keys) requests.push_back(make_request("GET", k));
  auto responses = client_->perform_many(requests);
  std::vector<std::optional<Bytes>> out(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    check_status(requests[i], responses[i]);
    if (is_missing(responses[i])) continue;
    out[i] = std::move(responses[i].body);
  }
  return out;
}

bool HttpStore::exists(std::string_view key) const {
  return size(key).has_value();
}

std::optional<uint64_t> HttpStore::size(std::string_view key) const {
  HttpResponse r = perform_checked(make_request("HEAD", key));
  if (is_missing(r)) return std::nullopt;
  std::string length = r.header("content-length");
  if (!length.empty()) {
    try {
      return std::stoull(length);
    } catch (const std::exception&) {
    }
  }
  // No usable Content-Length on HEAD: fetch the value to measure it.
  auto value = get(key);
  if (!value) return std::nullopt;
  return value->size();
}

void HttpStore::set(std::string_view key, ByteView) {
  throw StoreError("cannot write '" + std::string(key) + "': HTTP store " + url() +
                   " is read-only (use s3:// to write to object storage)");
}

void HttpStore::erase(std::string_view key) {
  throw StoreError("cannot erase '" + std::string(key) + "': HTTP store " + url() +
                   " is read-only (use s3:// to write to object storage)");
}

std::vector<std::string> HttpStore::list(std::string_view prefix) const {
  throw StoreError("cannot list " + key_url(prefix) +
                   ": HTTP has no directory listing (read nodes by name, use a v2 hierarchy with "
                   "consolidated .zmetadata, or s3:// for object storage)");
}

std::vector<std::string> HttpStore::list_dir(std::string_view prefix) const {
  return list(prefix);
}

}  // namespace ngff
