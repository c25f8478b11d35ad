// The pure logic of the remote stores, without a network: ListObjectsV2 parsing, XML unescaping,
// AWS credential files, slicing of range answers, the byte cache, and open_store's URL rules.
// (The stores themselves run against real servers in tests/python/test_{http,s3}_store.py.)
#include <gtest/gtest.h>

#include <atomic>

#include "counting_store.hpp"
#include "ngff/error.hpp"
#include "ngff/store/caching_store.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/store/open_store.hpp"
#include "ngff/store/s3_store.hpp"
#include "store/http_client.hpp"
#include "store/s3_config.hpp"
#include "store/s3_list.hpp"
#include "store/xml_text.hpp"

using namespace ngff;

namespace {

TEST(S3Xml, ListPageWithKeysPrefixesAndToken) {
  const char* xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bucket</Name><Prefix>img.zarr/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
  <Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>
  <Contents><Key>img.zarr/zarr.json</Key><Size>10</Size><ETag>&quot;abc&quot;</ETag></Contents>
  <Contents><Key>img.zarr/a&amp;b &lt;c&gt;</Key><Size>3</Size></Contents>
  <CommonPrefixes><Prefix>img.zarr/0/</Prefix></CommonPrefixes>
  <CommonPrefixes><Prefix>img.zarr/labels/</Prefix></CommonPrefixes>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
</ListBucketResult>)";
  s3::ListPage p = s3::parse_list_objects(xml);
  EXPECT_EQ(p.keys, (std::vector<std::string>{"img.zarr/zarr.json", "img.zarr/a&b <c>"}));
  // The echoed <Prefix> of the request is not a common prefix.
  EXPECT_EQ(p.prefixes, (std::vector<std::string>{"img.zarr/0/", "img.zarr/labels/"}));
  EXPECT_TRUE(p.truncated);
  EXPECT_EQ(p.next_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
}

TEST(S3Xml, LastAndEmptyPages) {
  s3::ListPage p = s3::parse_list_objects(
      "<ListBucketResult><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount>"
      "</ListBucketResult>");
  EXPECT_TRUE(p.keys.empty());
  EXPECT_FALSE(p.truncated);
  EXPECT_EQ(p.next_token, "");
}

TEST(S3Xml, Unescape) {
  EXPECT_EQ(detail::xml_unescape("&lt;a&amp;b&gt; &quot;q&quot; &apos;s&apos;"), "<a&b> \"q\" 's'");
  EXPECT_EQ(detail::xml_unescape("&#65;&#x42;&#xe9;"), "AB\xc3\xa9");
  EXPECT_EQ(detail::xml_unescape("a & b &unknown; &"), "a & b &unknown; &");
}

TEST(S3Credentials, ProfileFile) {
  const char* text = R"(# comment
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key=secret/default

[profile work]
aws_access_key_id = AKIDWORK
aws_secret_access_key = s3cr3t
aws_session_token = token==
[incomplete]
aws_access_key_id = ONLYKEY
)";
  auto d = s3::parse_credentials_file(text, "default");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->access_key_id, "AKIDDEFAULT");
  EXPECT_EQ(d->secret_access_key, "secret/default");
  EXPECT_EQ(d->session_token, "");
  auto w = s3::parse_credentials_file(text, "work");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->access_key_id, "AKIDWORK");
  EXPECT_EQ(w->session_token, "token==");
  EXPECT_FALSE(s3::parse_credentials_file(text, "incomplete"));
  EXPECT_FALSE(s3::parse_credentials_file(text, "missing"));
}

detail::HttpResponse response(long status, std::string_view body, std::string content_range = "") {
  detail::HttpResponse r;
  r.status = status;
  r.body = to_bytes(body);
  if (!content_range.empty()) r.headers["content-range"] = std::move(content_range);
  return r;
}

TEST(RangeAnswers, PartialContentIsTheRange) {
  EXPECT_EQ(detail::slice_range_response(response(206, "cde", "bytes 2-4/8"), 2, 3, false),
            to_bytes("cde"));
  EXPECT_EQ(detail::slice_range_response(response(206, "cde", "bytes 2-4/*"), 2, 3, false),
            to_bytes("cde"));
  // Fewer bytes than asked, because the value ends there.
  EXPECT_EQ(detail::slice_range_response(response(206, "gh", "bytes 6-7/8"), 6, 10, false),
            to_bytes("gh"));
  EXPECT_EQ(detail::slice_range_response(response(206, "fgh", "bytes 5-7/8"), 0, 3, true),
            to_bytes("fgh"));
}

// A 206 that is not the range asked for (a misbehaving proxy or server) is an error naming the
// URL, never other bytes taken for the chunk.
TEST(RangeAnswers, PartialContentOfAnotherRangeIsAnError) {
  auto fails = [](const detail::HttpResponse& r, uint64_t offset, uint64_t length, bool suffix,
                  std::string_view why) {
    try {
      detail::slice_range_response(r, offset, length, suffix, "http://h/a/c/0");
      ADD_FAILURE() << "accepted " << r.header("content-range");
    } catch (const StoreError& e) {
      EXPECT_NE(std::string(e.what()).find("http://h/a/c/0"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
  };
  fails(response(206, "cde"), 2, 3, false, "not a byte range");
  fails(response(206, "cde", "bytes 2-4"), 2, 3, false, "not a byte range");
  fails(response(206, "cde", "bytes 4-2/8"), 2, 3, false, "not a byte range");
  fails(response(206, "cde", "bytes 3-5/8"), 2, 3, false, "another start");
  fails(response(206, "cdef", "bytes 2-5/8"), 2, 3, false, "more bytes");
  fails(response(206, "cd", "bytes 2-4/8"), 2, 3, false, "not the length");
  fails(response(206, "cd", "bytes 2-3/8"), 2, 3, false, "fewer bytes");
  fails(response(206, "efg", "bytes 4-6/8"), 0, 3, true, "not the end");
}

TEST(RangeAnswers, WholeBodyIsSlicedLocally) {
  // The server ignored Range and sent the whole value.
  auto whole = response(200, "abcdefgh");
  EXPECT_EQ(detail::slice_range_response(whole, 2, 3, false), to_bytes("cde"));
  EXPECT_EQ(detail::slice_range_response(whole, 6, 10, false), to_bytes("gh"));
  EXPECT_EQ(detail::slice_range_response(whole, 20, 3, false), Bytes{});
  EXPECT_EQ(detail::slice_range_response(whole, 0, 3, true), to_bytes("fgh"));
  EXPECT_EQ(detail::slice_range_response(whole, 0, 30, true), to_bytes("abcdefgh"));
}

TEST(Http, RetryableStatusesAndS3Forbidden) {
  EXPECT_TRUE(detail::is_retryable_status(503));
  EXPECT_TRUE(detail::is_retryable_status(429));
  EXPECT_FALSE(detail::is_retryable_status(404));
  EXPECT_FALSE(detail::is_retryable_status(403));
  EXPECT_TRUE(detail::is_s3_access_denied(response(403, "<Error><Code>AccessDenied</Code>")));
  EXPECT_FALSE(detail::is_s3_access_denied(response(403, "Forbidden")));
  EXPECT_EQ(detail::uri_encode("a b/c~d&e", true), "a%20b/c~d%26e");
  EXPECT_EQ(detail::uri_encode("a/b", false), "a%2Fb");
}

using test::CountingStore;

TEST(CachingStore, KeepsMetadataAndMissesUntilWritten) {
  auto base = std::make_shared<CountingStore>();
  base->set("a/zarr.json", as_bytes("{}"));
  base->set("a/c/0", as_bytes("chunk"));
  CachingStore cache(base);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(cache.get("a/zarr.json"), to_bytes("{}"));
    EXPECT_FALSE(cache.get("a/.zarray"));  // a miss, remembered
    EXPECT_TRUE(cache.exists("a/zarr.json"));
    EXPECT_EQ(cache.get("a/c/0"), to_bytes("chunk"));  // chunks pass through
  }
  EXPECT_EQ(base->gets(), 2 + 3);
  cache.set("a/.zarray", as_bytes("[]"));
  EXPECT_EQ(cache.get("a/.zarray"), to_bytes("[]"));
  cache.erase("a/zarr.json");
  EXPECT_FALSE(cache.get("a/zarr.json"));
  cache.set("a/zarr.json", as_bytes("{\"x\":1}"));
  cache.erase_prefix("a");
  EXPECT_FALSE(cache.get("a/zarr.json"));
  EXPECT_FALSE(cache.get("a/.zarray"));
}

TEST(CachingStore, SmallRangesAndSuffixesAreCached) {
  auto base = std::make_shared<CountingStore>();
  base->set("shard", as_bytes("0123456789"));
  CachingStore cache(base, CacheOptions{1 << 20, 4});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(cache.get_range("shard", {2, 3}), to_bytes("234"));
    EXPECT_EQ(cache.get_suffix("shard", 4), to_bytes("6789"));
  }
  int after_small = base->gets();
  EXPECT_EQ(cache.get_range("shard", {0, 8}), to_bytes("01234567"));  // above 4 bytes
  EXPECT_EQ(cache.get_range("shard", {0, 8}), to_bytes("01234567"));
  EXPECT_EQ(base->gets(), after_small + 2);
  cache.set("shard", as_bytes("abcdefghij"));
  EXPECT_EQ(cache.get_range("shard", {2, 3}), to_bytes("cde"));
  EXPECT_EQ(cache.get_suffix("shard", 4), to_bytes("ghij"));
}

TEST(CachingStore, LruBoundedInBytes) {
  auto base = std::make_shared<CountingStore>();
  std::string big(1000, 'x');
  // "n<i>/zarr.json", appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict on
  // `"n" + std::to_string(i)`.
  auto key = [](int i) {
    std::string k = "n";
    k += std::to_string(i);
    k += "/zarr.json";
    return k;
  };
  for (int i = 0; i < 10; ++i) base->set(key(i), as_bytes(big));
  CachingStore cache(base, CacheOptions{3500, 1024});  // room for three values
  for (int i = 0; i < 10; ++i) cache.get(key(i));
  auto s = cache.stats();
  EXPECT_EQ(s.entries, 3u);
  EXPECT_LE(s.bytes, 3500u);
  int before = base->gets();
  cache.get("n9/zarr.json");  // most recent: cached
  EXPECT_EQ(base->gets(), before);
  cache.get("n7/zarr.json");  // refresh n7, so that n8 is the oldest
  cache.get("n0/zarr.json");  // evicted long ago: fetched, evicts n8
  EXPECT_EQ(base->gets(), before + 1);
  cache.get("n7/zarr.json");
  EXPECT_EQ(base->gets(), before + 1);
  cache.get("n8/zarr.json");
  EXPECT_EQ(base->gets(), before + 2);
}

TEST(OpenStore, RemoteUrls) {
  auto http = open_store("http://127.0.0.1:9/img.zarr");
  EXPECT_EQ(http.path, "");
  EXPECT_EQ(http.store->url(), "http://127.0.0.1:9/img.zarr");
  EXPECT_FALSE(http.store->is_writable());
  EXPECT_FALSE(http.store->is_listable());
  EXPECT_THROW(open_store("https://example.org/a.zarr", OpenMode::write), UsageError);
  EXPECT_FALSE(url_is_writable("https://example.org/a.zarr"));
  EXPECT_TRUE(url_is_writable("s3://bucket/a.zarr"));
  auto s3 = open_store("s3://bucket/some/prefix.zarr/", OpenMode::write);
  EXPECT_EQ(s3.store->url(), "s3://bucket/some/prefix.zarr");
  EXPECT_EQ(s3.store->key_url("zarr.json"), "s3://bucket/some/prefix.zarr/zarr.json");
  EXPECT_TRUE(s3.store->is_writable());
  EXPECT_THROW(open_store("s3:///nobucket"), UsageError);
}

}  // namespace
