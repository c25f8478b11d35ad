// S3Store: `s3://bucket/prefix` on Amazon S3 or an S3-compatible server (MinIO, Ceph, moto),
// read and write. Reads are those of HttpStore (ranges, suffixes, overlapped batches, retries);
// writes are PUT (multipart upload above a threshold, aborted on failure), erase is DELETE,
// listing is ListObjectsV2 with pagination. Requests are signed with AWS SigV4 by libcurl.
//
// Configuration, from the environment (as the AWS CLI reads it):
//   credentials  AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, else the profile
//                AWS_PROFILE (default "default") of AWS_SHARED_CREDENTIALS_FILE
//                (default ~/.aws/credentials), else anonymous (unsigned: public buckets);
//                AWS_NO_SIGN_REQUEST=1 forces anonymous access
//   region       AWS_REGION, AWS_DEFAULT_REGION, default us-east-1
//   endpoint     AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (e.g. http://127.0.0.1:9000), addressed
//                path-style (endpoint/bucket/key); without one,
//                https://BUCKET.s3.REGION.amazonaws.com
//   NGFF_S3_MULTIPART_THRESHOLD  bytes above which set() uploads in parts (default 64 MiB); the
//                parts are that size (larger when 10000 parts would not hold the value), and
//                S3 wants them at least 5 MiB
//   NGFF_S3_MAX_KEYS  keys per ListObjectsV2 page (default 1000)
// Missing keys are 404; an anonymous reader also takes S3's 403 AccessDenied for a missing key
// (public buckets that do not allow listing answer so). A signed request's 403 is an error: it
// means wrong credentials or no permission, and the message says so.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ngff/store/http_store.hpp"

namespace ngff {

struct S3Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary credentials
};

struct S3Options {
  std::string endpoint{};  // empty: AWS
  std::string region = "us-east-1";
  std::optional<S3Credentials> credentials{};  // nullopt: anonymous (unsigned requests)
  uint64_t multipart_threshold = uint64_t{64} << 20;
  int max_keys = 1000;

  // Everything from the environment, as described above.
  static S3Options from_env();
};

class S3Store final : public HttpStore {
 public:
  S3Store(std::string bucket, const std::string& prefix, S3Options options = S3Options::from_env());

  void set(std::string_view key, ByteView value) override;
  void erase(std::string_view key) override;
  void erase_prefix(std::string_view prefix) override;
  std::vector<std::string> list(std::string_view prefix) const override;
  std::vector<std::string> list_dir(std::string_view prefix) const override;
  bool is_writable() const override { return true; }
  bool is_listable() const override { return true; }
  std::string url() const override;

  const S3Options& options() const { return options_; }

 protected:
  detail::HttpRequest make_request(std::string method, std::string_view key,
                                   const std::string& query = {}) const override;
  bool is_missing(const detail::HttpResponse& r) const override;

 private:
  // One ListObjectsV2 page of the keys under `full_prefix` (its XML), from `token` on.
  std::string list_objects(const std::string& full_prefix, bool delimited,
                           const std::string& token) const;
  // The keys under `prefix`, relative to the store, sorted. `delimited`: only those directly
  // under it, the "directories" beside them going to *dirs.
  std::vector<std::string> list_keys(std::string_view prefix, bool delimited,
                                     std::vector<std::string>* dirs) const;
  std::string full_key(std::string_view key) const;
  std::string object_url(const std::string& full_key) const;

  std::string bucket_;
  std::string prefix_;  // no leading or trailing '/'
  S3Options options_;
};

}  // namespace ngff
