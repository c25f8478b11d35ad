// S3's multipart upload, for values too large for one PUT: CreateMultipartUpload, the parts
// uploaded overlapped, then CompleteMultipartUpload; on any failure the upload is aborted so
// that S3 does not keep (and bill) its parts. Internal to the store layer.
#pragma once

#include <functional>
#include <string>

#include "ngff/store/bytes.hpp"
#include "store/http_client.hpp"

namespace ngff::s3 {

// A signed request for the object being uploaded: `method` with `query` (already encoded).
using ObjectRequest =
    std::function<detail::HttpRequest(std::string method, const std::string& query)>;

// Uploads `value` in parts of `part_size` bytes (larger when S3's limit of 10000 parts asks
// for it). `what` names the object in errors. Throws StoreError after aborting the upload.
void upload_multipart(const detail::HttpClient& client, const ObjectRequest& request,
                      ByteView value, uint64_t part_size, const std::string& what);

}  // namespace ngff::s3
