#include "store/http_client.hpp"

#include <curl/curl.h>
#include <strings.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <thread>

#include "ngff/error.hpp"
#include "store/xml_text.hpp"

namespace ngff::detail {
namespace {

using Clock = std::chrono::steady_clock;

void global_init() {
  // curl_global_init is not thread-safe itself: a function-local static runs it exactly once.
  static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK)
    throw StoreError(std::string("cannot initialise libcurl: ") + curl_easy_strerror(rc));
}

// One multi handle per thread: it owns the connection cache, so connections stay alive between
// the calls of that thread (TBB workers are long-lived) without any locking.
// After fork() (dask and multiprocessing workers) the child must not touch the parent's
// connections: it leaves the inherited handle alone (cleaning it up would close the parent's TLS
// sessions) and makes its own.
CURLM* thread_multi() {
  struct Multi {
    CURLM* handle = nullptr;
    pid_t pid = 0;
    ~Multi() {
      if (handle && pid == ::getpid()) curl_multi_cleanup(handle);
    }
  };
  global_init();
  thread_local Multi multi;
  if (!multi.handle || multi.pid != ::getpid()) {
    multi.handle = curl_multi_init();
    multi.pid = ::getpid();
    if (!multi.handle) throw StoreError("cannot create a libcurl multi handle");
    curl_multi_setopt(multi.handle, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  }
  return multi.handle;
}

long env_long(const char* name, long fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  long n = std::strtol(v, &end, 10);
  if (*end != '\0' || n < 0)
    throw UsageError(std::string("environment variable ") + name + "='" + v +
                     "' is not a non-negative integer");
  return n;
}

// One attempt of one request: the easy handle and what it collects.
struct Transfer {
  size_t index = 0;  // in the batch
  int attempt = 0;
  Clock::time_point not_before{};
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  HttpResponse response;
  char error[CURL_ERROR_SIZE] = {};

  Transfer() = default;
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;
  ~Transfer() { release(); }
  void release() {
    if (easy) curl_easy_cleanup(easy);
    if (headers) curl_slist_free_all(headers);
    easy = nullptr;
    headers = nullptr;
  }
};

// NOLINTNEXTLINE(readability-non-const-parameter): the signature libcurl calls.
size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  auto* p = reinterpret_cast<const std::byte*>(data);
  t->response.body.insert(t->response.body.end(), p, p + size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (line.substr(0, 5) == "HTTP/") {
    t->response.headers.clear();  // a new response (after a redirect or 100 Continue)
    return size * n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string name(line.substr(0, colon));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
    value.remove_suffix(1);
  t->response.headers[name] = std::string(value);
  return size * n;
}

void prepare(Transfer& t, const HttpRequest& r, const HttpOptions& o) {
  t.release();
  t.response = HttpResponse{};
  t.error[0] = '\0';
  t.easy = curl_easy_init();
  if (!t.easy) throw StoreError("cannot create a libcurl handle for " + r.url);
  CURL* e = t.easy;
  curl_easy_setopt(e, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.error);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "identity");
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, o.timeout_seconds);
  // A transfer that moves less than 1 byte/s for the timeout is stalled.
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, o.timeout_seconds);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(e, CURLOPT_USERAGENT, "ngff/0.1");
  if (r.method == "HEAD") {
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else if (r.method == "PUT" || r.method == "POST") {
    // The body as POSTFIELDS (with the method renamed): libcurl then knows the payload and
    // signs its SHA-256 for SigV4.
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
    const char* body = r.body.empty() ? "" : reinterpret_cast<const char*>(r.body.data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
    if (r.method == "PUT") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "PUT");
  } else if (r.method != "GET") {
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r.method.c_str());
  }
  for (const auto& h : r.headers) t.headers = curl_slist_append(t.headers, h.c_str());
  if (r.method == "PUT" || r.method == "POST") {
    // No "Expect:" override: libcurl's SigV4 would sign the empty header and S3 would not.
    bool typed = std::any_of(r.headers.begin(), r.headers.end(), [](const std::string& h) {
      return h.size() > 13 && strncasecmp(h.c_str(), "content-type:", 13) == 0;
    });
    if (!typed) t.headers = curl_slist_append(t.headers, "Content-Type: application/octet-stream");
  }
  if (!r.range.empty()) curl_easy_setopt(e, CURLOPT_RANGE, r.range.substr(6).c_str());
  if (t.headers) curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);
  if (!r.aws_sigv4.empty()) {
    curl_easy_setopt(e, CURLOPT_AWS_SIGV4, r.aws_sigv4.c_str());
    curl_easy_setopt(e, CURLOPT_USERPWD, r.userpwd.c_str());
  }
}

bool is_retryable_code(CURLcode c) {
  switch (c) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

std::chrono::milliseconds backoff(const HttpOptions& o, int attempt) {
  thread_local std::minstd_rand rng(std::random_device{}());
  long base = o.backoff_ms << std::min(attempt, 10);
  long jitter = base > 1 ? static_cast<long>(rng() % static_cast<unsigned long>(base / 2)) : 0;
  return std::chrono::milliseconds(base + jitter);
}

// How long a 429 or 503 answer asks the client to wait (Retry-After in seconds; the HTTP-date
// form is not used by object stores and is ignored), at most the timeout.
std::chrono::milliseconds retry_after(const HttpResponse& r, const HttpOptions& o) {
  const std::string value = r.header("retry-after");
  if (value.empty() || value.size() > 9 ||
      value.find_first_not_of("0123456789") != std::string::npos)
    return std::chrono::milliseconds(0);
  return std::chrono::seconds(std::min(std::stol(value), o.timeout_seconds));
}

// The transfers of one perform_many call on the thread's multi handle: at most max_in_flight
// at once, each retried after its backoff, every handle removed from the multi handle when the
// batch ends (returning or throwing).
class Batch {
 public:
  Batch(CURLM* multi, const std::vector<HttpRequest>& requests, const HttpOptions& options)
      : multi_(multi), requests_(requests), options_(options) {
    for (size_t i = 0; i < requests.size(); ++i) {
      transfers_.push_back(std::make_unique<Transfer>());
      transfers_.back()->index = i;
      waiting_.push_back(transfers_.back().get());
    }
  }
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;
  ~Batch() {
    for (auto& t : transfers_)
      if (t->easy) curl_multi_remove_handle(multi_, t->easy);
  }

  bool busy() const { return !waiting_.empty() || active_ > 0; }

  // Starts the waiting transfers whose backoff is over, while there is room in flight; returns
  // when the earliest of the others may start (max() when none waits for its backoff).
  Clock::time_point start_ready() {
    auto now = Clock::now();
    auto next_start = Clock::time_point::max();
    for (size_t k = waiting_.size(); k > 0 && active_ < options_.max_in_flight; --k) {
      Transfer* t = waiting_.front();
      waiting_.pop_front();
      if (t->not_before > now) {
        next_start = std::min(next_start, t->not_before);
        waiting_.push_back(t);
        continue;
      }
      start(*t);
    }
    return next_start;
  }

  // Lets libcurl move the transfers, then settles each one that ended.
  void collect_finished(std::vector<HttpResponse>& out) {
    int running = 0;
    curl_multi_perform(multi_, &running);
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
      CURLcode code = msg->data.result;
      curl_multi_remove_handle(multi_, t->easy);
      --active_;
      settle(*t, code, out);
    }
  }

  // Sleeps until there is something to do: activity on the transfers in flight (polled at least
  // every 100 ms), or the end of the next backoff.
  void wait(Clock::time_point next_start) {
    int wait_ms = 100;
    if (next_start != Clock::time_point::max()) {
      auto d = std::chrono::duration_cast<std::chrono::milliseconds>(next_start - Clock::now());
      if (active_ == 0) {  // only retries are left, waiting for their backoff
        std::this_thread::sleep_for(std::max(d, std::chrono::milliseconds(0)));
        return;
      }
      wait_ms = static_cast<int>(std::clamp<long>(d.count(), 0, 100));
    }
    curl_multi_poll(multi_, nullptr, 0, wait_ms, nullptr);
  }

 private:
  void start(Transfer& t) {
    const HttpRequest& r = requests_[t.index];
    prepare(t, r, options_);
    CURLMcode mc = curl_multi_add_handle(multi_, t.easy);
    if (mc != CURLM_OK)
      throw StoreError("cannot start " + r.method + " " + r.url + ": " + curl_multi_strerror(mc));
    ++active_;
  }

  // An ended transfer: queued again after a backoff when the failure is worth another try and
  // tries are left, else its response goes to `out`, or a transport failure throws.
  void settle(Transfer& t, CURLcode code, std::vector<HttpResponse>& out) {
    long status = 0;
    if (code == CURLE_OK) curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
    t.response.status = status;
    bool retry = code == CURLE_OK ? is_retryable_status(status) : is_retryable_code(code);
    ++t.attempt;
    if (retry && t.attempt < options_.max_tries) {
      const auto wait = code == CURLE_OK ? std::max(backoff(options_, t.attempt - 1),
                                                    retry_after(t.response, options_))
                                         : backoff(options_, t.attempt - 1);
      t.release();
      t.not_before = Clock::now() + wait;
      waiting_.push_back(&t);
      return;
    }
    if (code != CURLE_OK) {
      const HttpRequest& r = requests_[t.index];
      std::string why = t.error[0] ? t.error : curl_easy_strerror(code);
      throw StoreError(r.method + " " + r.url + ": " + why + " (after " +
                       std::to_string(t.attempt) + (t.attempt == 1 ? " try)" : " tries)"));
    }
    out[t.index] = std::move(t.response);
    t.release();
  }

  CURLM* multi_;
  const std::vector<HttpRequest>& requests_;
  const HttpOptions& options_;
  std::vector<std::unique_ptr<Transfer>> transfers_;
  std::deque<Transfer*> waiting_;
  size_t active_ = 0;
};

}  // namespace

HttpOptions HttpOptions::from_env() {
  HttpOptions o;
  o.timeout_seconds = std::max(1L, env_long("NGFF_HTTP_TIMEOUT", o.timeout_seconds));
  o.max_tries = static_cast<int>(env_long("NGFF_HTTP_RETRIES", o.max_tries - 1)) + 1;
  return o;
}

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

bool is_retryable_status(long status) {
  return status == 429 || (status >= 500 && status <= 599);
}

bool is_s3_access_denied(const HttpResponse& r) {
  return r.status == 403 && (!r.header("x-amz-request-id").empty() ||
                             r.text().find("<Code>AccessDenied</Code>") != std::string_view::npos);
}

std::string uri_encode(std::string_view s, bool keep_slash) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

HttpResponse HttpClient::perform(const HttpRequest& request) const {
  return std::move(perform_many({request})[0]);
}

std::vector<HttpResponse> HttpClient::perform_many(const std::vector<HttpRequest>& requests) const {
  std::vector<HttpResponse> out(requests.size());
  if (requests.empty()) return out;
  Batch batch(thread_multi(), requests, options_);
  while (batch.busy()) {
    Clock::time_point next_start = batch.start_ready();
    batch.collect_finished(out);
    if (batch.busy()) batch.wait(next_start);
  }
  return out;
}

void throw_http_error(const HttpRequest& request, const HttpResponse& response) {
  std::string msg =
      "HTTP " + std::to_string(response.status) + " for " + request.method + " " + request.url;
  std::string_view body = response.text();
  // S3 error documents: <Error><Code>..</Code><Message>..</Message></Error>.
  std::string code(xml_first_element(body, "Code")), message(xml_first_element(body, "Message"));
  if (!code.empty()) msg += ": " + code + (message.empty() ? "" : " (" + message + ")");
  if (response.status == 403 && code.empty()) msg += ": access denied";
  if (response.status == 416) msg += ": range not satisfiable";
  throw StoreError(msg);
}

namespace {

struct ContentRange {
  uint64_t first = 0, last = 0;
  std::optional<uint64_t> total;  // "*" when the server does not say
};

// "bytes 0-99/1234" or "bytes 0-99/*" (RFC 9110 14.4); nullopt for anything else.
std::optional<ContentRange> parse_content_range(std::string_view text) {
  auto number = [&text](uint64_t& out) {
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (error != std::errc() || end == text.data()) return false;
    text.remove_prefix(static_cast<size_t>(end - text.data()));
    return true;
  };
  auto skip = [&text](std::string_view token) {
    if (text.substr(0, token.size()) != token) return false;
    text.remove_prefix(token.size());
    return true;
  };
  ContentRange range;
  if (!skip("bytes ") || !number(range.first) || !skip("-") || !number(range.last) ||
      range.last < range.first || !skip("/"))
    return std::nullopt;
  if (!skip("*")) {
    uint64_t total = 0;
    if (!number(total) || total <= range.last) return std::nullopt;
    range.total = total;
  }
  return text.empty() ? std::optional(range) : std::nullopt;
}

}  // namespace

Bytes slice_range_response(const HttpResponse& r, uint64_t offset, uint64_t length, bool suffix,
                           std::string_view what) {
  if (r.status == 206) {
    std::string header = r.header("content-range");
    auto range = parse_content_range(header);
    auto wrong = [&](std::string_view why) {
      return StoreError(
          std::string(what) + ": the server answered a range request for " +
          (suffix ? "the last " + std::to_string(length) + " bytes"
                  : "bytes " + std::to_string(offset) + ".." + std::to_string(offset + length)) +
          " with Content-Range '" + header + "' and " + std::to_string(r.body.size()) +
          " bytes: " + std::string(why));
    };
    if (!range) throw wrong("not a byte range (expected 'bytes FIRST-LAST/TOTAL')");
    uint64_t count = range->last - range->first + 1;
    if (count != r.body.size()) throw wrong("the body is not the length the range says");
    if (count > length) throw wrong("more bytes than asked for");
    if (suffix) {
      if (range->total && range->last + 1 != *range->total) throw wrong("not the end of the value");
    } else if (range->first != offset) {
      throw wrong("another start than asked for");
    } else if (count < length && range->total && range->last + 1 != *range->total) {
      throw wrong("fewer bytes than asked for, before the end of the value");
    }
    return r.body;
  }
  const Bytes& whole = r.body;
  uint64_t n = whole.size();
  uint64_t begin = suffix ? (n > length ? n - length : 0) : std::min(offset, n);
  uint64_t end = suffix ? n : begin + std::min(length, n - begin);
  return Bytes(whole.begin() + static_cast<ptrdiff_t>(begin),
               whole.begin() + static_cast<ptrdiff_t>(end));
}

}  // namespace ngff::detail
