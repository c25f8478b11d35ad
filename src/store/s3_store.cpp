// S3Store: keys as objects under a bucket prefix, signed requests, listing and writes.
#include "ngff/store/s3_store.hpp"

#include <algorithm>

#include "ngff/error.hpp"
#include "store/http_client.hpp"
#include "store/key.hpp"
#include "store/s3_list.hpp"
#include "store/s3_multipart.hpp"

namespace ngff {

using detail::HttpRequest;
using detail::HttpResponse;

namespace {

std::string bucket_base(const std::string& bucket, const S3Options& o) {
  if (bucket.empty()) throw UsageError("S3 URL without a bucket name");
  if (!o.endpoint.empty()) {
    std::string e = o.endpoint;
    while (!e.empty() && e.back() == '/') e.pop_back();
    return e + "/" + bucket;
  }
  if (bucket.find('.') != std::string::npos)  // dots break virtual-host TLS names
    return "https://s3." + o.region + ".amazonaws.com/" + bucket;
  return "https://" + bucket + ".s3." + o.region + ".amazonaws.com";
}

}  // namespace

S3Store::S3Store(std::string bucket, const std::string& prefix, S3Options options)
    : HttpStore(bucket_base(bucket, options)),
      bucket_(std::move(bucket)),
      prefix_(normalize_node_path(prefix)),
      options_(std::move(options)) {}

std::string S3Store::url() const {
  return "s3://" + bucket_ + (prefix_.empty() ? "" : "/" + prefix_);
}

std::string S3Store::full_key(std::string_view key) const {
  validate_key(key);
  return join_key(prefix_, key);
}

std::string S3Store::object_url(const std::string& full) const {
  return base_url_ + "/" + detail::uri_encode(full, true);
}

HttpRequest S3Store::make_request(std::string method, std::string_view key,
                                  const std::string& query) const {
  HttpRequest r;
  r.method = std::move(method);
  r.url = object_url(full_key(key));
  if (!query.empty()) r.url += "?" + query;
  if (options_.credentials) {
    r.aws_sigv4 = "aws:amz:" + options_.region + ":s3";
    r.userpwd = options_.credentials->access_key_id + ":" + options_.credentials->secret_access_key;
    r.headers.emplace_back("x-amz-content-sha256: UNSIGNED-PAYLOAD");
    if (!options_.credentials->session_token.empty())
      r.headers.push_back("x-amz-security-token: " + options_.credentials->session_token);
  }
  return r;
}

bool S3Store::is_missing(const HttpResponse& r) const {
  if (r.status == 404) return true;
  // Anonymous readers of a bucket without list permission get 403 for missing keys.
  return !options_.credentials && detail::is_s3_access_denied(r);
}

std::string S3Store::list_objects(const std::string& full_prefix, bool delimited,
                                  const std::string& token) const {
  // Query parameters sorted by name and encoded: the canonical form SigV4 signs.
  std::string q;
  if (!token.empty()) q += "continuation-token=" + detail::uri_encode(token, false) + "&";
  if (delimited) q += "delimiter=%2F&";
  q += "list-type=2&max-keys=" + std::to_string(options_.max_keys);
  q += "&prefix=" + detail::uri_encode(full_prefix, false);
  HttpRequest req = make_request("GET", "", q);
  req.url = base_url_ + "/?" + q;
  HttpResponse r = client().perform(req);
  if (r.status != 200) detail::throw_http_error(req, r);
  return std::string(r.text());
}

std::vector<std::string> S3Store::list_keys(std::string_view prefix, bool delimited,
                                            std::vector<std::string>* dirs) const {
  std::string base = full_key(prefix);
  if (!base.empty()) base += "/";
  std::vector<std::string> keys;
  std::string token;
  do {
    s3::ListPage p = s3::parse_list_objects(list_objects(base, delimited, token));
    for (auto& k : p.keys)
      if (k.size() > base.size() && k.compare(0, base.size(), base) == 0)
        keys.push_back(k.substr(prefix_.empty() ? 0 : prefix_.size() + 1));
    if (dirs)
      for (auto& d : p.prefixes) {
        std::string name = d.substr(std::min(base.size(), d.size()));
        while (!name.empty() && name.back() == '/') name.pop_back();
        if (!name.empty()) dirs->push_back(name);
      }
    if (p.truncated && p.next_token.empty())
      throw StoreError("listing " + key_url(prefix) +
                       ": truncated page without a continuation token");
    token = p.truncated ? p.next_token : std::string();
  } while (!token.empty());
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::vector<std::string> S3Store::list(std::string_view prefix) const {
  return list_keys(prefix, false, nullptr);
}

std::vector<std::string> S3Store::list_dir(std::string_view prefix) const {
  std::vector<std::string> dirs;
  auto keys = list_keys(prefix, true, &dirs);
  std::string base = prefix.empty() ? std::string() : std::string(prefix) + "/";
  for (auto& k : keys) dirs.push_back(k.substr(base.size()));
  std::sort(dirs.begin(), dirs.end());
  dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
  return dirs;
}

void S3Store::set(std::string_view key, ByteView value) {
  if (key.empty()) throw InvalidKey("cannot write a value at the store root of " + url());
  if (value.size() > options_.multipart_threshold) {
    auto request = [&](std::string method, const std::string& query) {
      return make_request(std::move(method), key, query);
    };
    s3::upload_multipart(client(), request, value, options_.multipart_threshold, key_url(key));
    return;
  }
  HttpRequest req = make_request("PUT", key);
  req.body = value;
  HttpResponse r = client().perform(req);
  if (r.status >= 300) detail::throw_http_error(req, r);
}

void S3Store::erase(std::string_view key) {
  HttpRequest req = make_request("DELETE", key);
  HttpResponse r = client().perform(req);
  if (r.status >= 300 && r.status != 404) detail::throw_http_error(req, r);
}

void S3Store::erase_prefix(std::string_view prefix) {
  std::vector<std::string> keys = list(prefix);
  if (!prefix.empty()) keys.emplace_back(prefix);  // a value at the prefix itself
  std::vector<HttpRequest> requests;
  requests.reserve(keys.size());
  for (const auto& k : keys) requests.push_back(make_request("DELETE", k));
  auto answers = client().perform_many(requests);
  for (size_t i = 0; i < answers.size(); ++i)
    if (answers[i].status >= 300 && answers[i].status != 404)
      detail::throw_http_error(requests[i], answers[i]);
}

}  // namespace ngff
