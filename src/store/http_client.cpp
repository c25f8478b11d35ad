#include "http_client.hpp"

#include <curl/curl.h>
#include <strings.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <memory>
#include <random>
#include <thread>

#include "ngff/error.hpp"

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
  CURLM* multi = thread_multi();
  std::vector<std::unique_ptr<Transfer>> transfers;
  std::deque<Transfer*> waiting;
  for (size_t i = 0; i < requests.size(); ++i) {
    transfers.push_back(std::make_unique<Transfer>());
    transfers.back()->index = i;
    waiting.push_back(transfers.back().get());
  }
  size_t active = 0;
  // Removes every transfer still in the multi handle: on return and when an error escapes.
  struct Detach {
    CURLM* multi;
    std::vector<std::unique_ptr<Transfer>>& transfers;
    ~Detach() {
      for (auto& t : transfers)
        if (t->easy) curl_multi_remove_handle(multi, t->easy);
    }
  } detach{multi, transfers};

  while (!waiting.empty() || active > 0) {
    auto now = Clock::now();
    auto next_start = Clock::time_point::max();
    for (size_t k = waiting.size(); k > 0 && active < options_.max_in_flight; --k) {
      Transfer* t = waiting.front();
      waiting.pop_front();
      if (t->not_before > now) {
        next_start = std::min(next_start, t->not_before);
        waiting.push_back(t);
        continue;
      }
      prepare(*t, requests[t->index], options_);
      CURLMcode mc = curl_multi_add_handle(multi, t->easy);
      if (mc != CURLM_OK)
        throw StoreError("cannot start " + requests[t->index].method + " " +
                         requests[t->index].url + ": " + curl_multi_strerror(mc));
      ++active;
    }
    int running = 0;
    curl_multi_perform(multi, &running);
    CURLMsg* msg;
    int left = 0;
    while ((msg = curl_multi_info_read(multi, &left))) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
      CURLcode code = msg->data.result;
      curl_multi_remove_handle(multi, t->easy);
      --active;
      const HttpRequest& r = requests[t->index];
      long status = 0;
      if (code == CURLE_OK) curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
      t->response.status = status;
      bool retry = code == CURLE_OK ? is_retryable_status(status) : is_retryable_code(code);
      ++t->attempt;
      if (retry && t->attempt < options_.max_tries) {
        t->release();
        t->not_before = Clock::now() + backoff(options_, t->attempt - 1);
        waiting.push_back(t);
        continue;
      }
      if (code != CURLE_OK) {
        std::string why = t->error[0] ? t->error : curl_easy_strerror(code);
        throw StoreError(r.method + " " + r.url + ": " + why + " (after " +
                         std::to_string(t->attempt) + (t->attempt == 1 ? " try)" : " tries)"));
      }
      out[t->index] = std::move(t->response);
      t->release();
    }
    if (waiting.empty() && active == 0) break;
    int wait_ms = 100;
    if (active == 0 && next_start != Clock::time_point::max()) {
      // Only retries are left, waiting for their backoff.
      auto d = std::chrono::duration_cast<std::chrono::milliseconds>(next_start - Clock::now());
      std::this_thread::sleep_for(std::max(d, std::chrono::milliseconds(0)));
      continue;
    }
    if (next_start != Clock::time_point::max()) {
      auto d = std::chrono::duration_cast<std::chrono::milliseconds>(next_start - Clock::now());
      wait_ms = static_cast<int>(std::clamp<long>(d.count(), 0, 100));
    }
    curl_multi_poll(multi, nullptr, 0, wait_ms, nullptr);
  }
  return out;
}

void throw_http_error(const HttpRequest& request, const HttpResponse& response) {
  std::string msg =
      "HTTP " + std::to_string(response.status) + " for " + request.method + " " + request.url;
  std::string_view body = response.text();
  // S3 error documents: <Error><Code>..</Code><Message>..</Message></Error>.
  auto element = [&](std::string_view name) -> std::string {
    std::string open = "<" + std::string(name) + ">", close = "</" + std::string(name) + ">";
    auto a = body.find(open);
    if (a == std::string_view::npos) return {};
    auto b = body.find(close, a);
    if (b == std::string_view::npos) return {};
    return std::string(body.substr(a + open.size(), b - a - open.size()));
  };
  std::string code = element("Code"), message = element("Message");
  if (!code.empty()) msg += ": " + code + (message.empty() ? "" : " (" + message + ")");
  if (response.status == 403 && code.empty()) msg += ": access denied";
  if (response.status == 416) msg += ": range not satisfiable";
  throw StoreError(msg);
}

Bytes slice_range_response(const HttpResponse& r, uint64_t offset, uint64_t length, bool suffix) {
  if (r.status == 206) return r.body;
  const Bytes& whole = r.body;
  uint64_t n = whole.size();
  uint64_t begin = suffix ? (n > length ? n - length : 0) : std::min(offset, n);
  uint64_t end = suffix ? n : begin + std::min(length, n - begin);
  return Bytes(whole.begin() + static_cast<ptrdiff_t>(begin),
               whole.begin() + static_cast<ptrdiff_t>(end));
}

}  // namespace ngff::detail
