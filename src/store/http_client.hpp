// The HTTP transport shared by HttpStore and S3Store (internal: not installed). Requests go
// through libcurl's multi interface on a per-thread multi handle, which keeps connections alive
// between calls (and multiplexes HTTP/2 where the server offers it). Each request is retried with
// exponential backoff on 429, 5xx and connection faults, a bounded number of times; every
// transfer has a connect timeout and a stall timeout, so a dead server gives an error, not a hang.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/store/bytes.hpp"

namespace ngff::detail {

struct HttpOptions {
  // Seconds to connect, and seconds a transfer may make no progress (env NGFF_HTTP_TIMEOUT).
  long timeout_seconds = 30;
  // Tries per request, the first included (env NGFF_HTTP_RETRIES gives the retries: tries - 1).
  int max_tries = 5;
  // Delay before the first retry; doubled for each further one.
  long backoff_ms = 100;
  // Requests of one batch in flight at once.
  size_t max_in_flight = 16;

  // The defaults, overridden by NGFF_HTTP_TIMEOUT and NGFF_HTTP_RETRIES when set.
  static HttpOptions from_env();
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string range;                 // "bytes=0-99", "bytes=-16" or empty
  ByteView body;                     // for PUT and POST; must outlive the request
  // SigV4 signing by libcurl: "aws:amz:REGION:s3" and "KEY:SECRET"; empty: unsigned.
  std::string aws_sigv4;
  std::string userpwd;
};

struct HttpResponse {
  long status = 0;
  Bytes body;
  std::map<std::string, std::string> headers;  // names lower-case; the last response's only

  // The value of a header (name in lower case), or "".
  std::string header(const std::string& name) const;
  std::string_view text() const { return as_string_view(body); }
};

// Whether a status is worth another try (429 and 5xx).
bool is_retryable_status(long status);

// Whether a 403 looks like S3's answer for a missing key in a bucket that does not allow listing
// (an S3 request id, or an AccessDenied error document).
bool is_s3_access_denied(const HttpResponse& r);

// "a b/c" -> "a%20b/c": percent-encodes all but RFC 3986 unreserved characters (and '/' when
// `keep_slash`), as SigV4's canonical form wants.
std::string uri_encode(std::string_view s, bool keep_slash);

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options = HttpOptions::from_env()) : options_(options) {}

  // One request, retried as described above. Throws StoreError (naming the method and URL) when
  // the transport still fails after the last try; an HTTP error status is returned, not thrown.
  HttpResponse perform(const HttpRequest& request) const;

  // Several requests overlapped (at most max_in_flight at once); responses in request order.
  std::vector<HttpResponse> perform_many(const std::vector<HttpRequest>& requests) const;

  const HttpOptions& options() const { return options_; }

 private:
  HttpOptions options_;
};

// Throws StoreError "HTTP <status> for <method> <url>" with the first line of an error body.
[[noreturn]] void throw_http_error(const HttpRequest& request, const HttpResponse& response);

// Slices the answer to a range request: a 206 body is the range already; a 200 body (the server
// ignored Range) is the whole value, cut here. `suffix`: the last `length` bytes. A 206 whose
// Content-Range is missing, unreadable or not the range asked for (another start, more bytes than
// asked, a body of another length) throws StoreError naming `what` (the URL): a proxy or server
// that answers with other bytes must not have them taken for the chunk.
Bytes slice_range_response(const HttpResponse& r, uint64_t offset, uint64_t length, bool suffix,
                           std::string_view what = "HTTP range request");

}  // namespace ngff::detail
