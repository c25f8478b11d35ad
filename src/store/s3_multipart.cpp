#include "store/s3_multipart.hpp"

#include <algorithm>

#include "ngff/error.hpp"
#include "store/xml_text.hpp"

namespace ngff::s3 {
namespace {

using detail::HttpRequest;
using detail::HttpResponse;

constexpr uint64_t kMaxParts = 10000;

// CreateMultipartUpload: the upload's id, as the query that names it in the later requests.
std::string start_upload(const detail::HttpClient& client, const ObjectRequest& request,
                         const std::string& what) {
  HttpRequest start = request("POST", "uploads=");
  HttpResponse r = client.perform(start);
  if (r.status != 200) detail::throw_http_error(start, r);
  std::string upload_id = detail::xml_unescape(detail::xml_first_element(r.text(), "UploadId"));
  if (upload_id.empty())
    throw StoreError("S3 CreateMultipartUpload for " + what + " returned no UploadId");
  return "uploadId=" + detail::uri_encode(upload_id, false);
}

// UploadPart for every part at once (the client overlaps them); the CompleteMultipartUpload
// document that lists the parts' ETags.
std::string upload_parts(const detail::HttpClient& client, const ObjectRequest& request,
                         ByteView value, uint64_t part_size, const std::string& id_query,
                         const std::string& what) {
  uint64_t part = std::max<uint64_t>(part_size, 1);
  part = std::max<uint64_t>(part, (value.size() + kMaxParts - 1) / kMaxParts);
  std::vector<HttpRequest> parts;
  for (uint64_t off = 0, n = 1; off < value.size(); off += part, ++n) {
    std::string query = "partNumber=";
    query += std::to_string(n);
    query += '&';
    query += id_query;
    parts.push_back(request("PUT", query));
    parts.back().body = value.subspan(off, std::min<uint64_t>(part, value.size() - off));
  }
  auto answers = client.perform_many(parts);
  std::string xml = "<CompleteMultipartUpload>";
  for (size_t i = 0; i < answers.size(); ++i) {
    if (answers[i].status != 200) detail::throw_http_error(parts[i], answers[i]);
    std::string etag = answers[i].header("etag");
    if (etag.empty())
      throw StoreError("S3 UploadPart " + std::to_string(i + 1) + " of " + what +
                       " returned no ETag");
    xml += "<Part><PartNumber>";
    xml += std::to_string(i + 1);
    xml += "</PartNumber><ETag>";
    xml += etag;
    xml += "</ETag></Part>";
  }
  xml += "</CompleteMultipartUpload>";
  return xml;
}

void complete_upload(const detail::HttpClient& client, const ObjectRequest& request,
                     const std::string& id_query, const std::string& parts_xml) {
  HttpRequest done = request("POST", id_query);
  done.body = as_bytes(parts_xml);
  done.headers.emplace_back("Content-Type: application/xml");
  HttpResponse d = client.perform(done);
  // S3 may answer 200 and report the failure in the body.
  if (d.status != 200 || d.text().find("<Error>") != std::string_view::npos)
    detail::throw_http_error(done, d.status == 200 ? HttpResponse{500, d.body, d.headers} : d);
}

}  // namespace

void upload_multipart(const detail::HttpClient& client, const ObjectRequest& request,
                      ByteView value, uint64_t part_size, const std::string& what) {
  std::string id_query = start_upload(client, request, what);
  try {
    std::string parts_xml = upload_parts(client, request, value, part_size, id_query, what);
    complete_upload(client, request, id_query, parts_xml);
  } catch (...) {
    try {
      client.perform(request("DELETE", id_query));
    } catch (...) {
      // Best effort: the upload's own error is what the caller must see.
    }
    throw;
  }
}

}  // namespace ngff::s3
