// The bytes->bytes codecs (gzip, zlib, zstd, blosc, lz4, crc32c): the numcodecs fixtures decode
// to their arrays, JSON round-trips, and bad input fails with CodecError (never a crash: these
// tests also run under ASan).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "fixtures.hpp"
#include "ngff/error.hpp"
#include "zarr/codec_registry.hpp"
#include "zarr/crc32c.hpp"

using namespace ngff;
using namespace ngff::zarr;
namespace fs = std::filesystem;

namespace {

// numcodecs' fixtures; the tests that read them first skip when they are absent (fixtures.hpp).
fs::path codec_dir() {
  return test::codec_fixtures().value_or(fs::path());
}

Bytes read_file(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot open " + path.string());
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return to_bytes(s);
}

// A NumPy .npy file: magic "\x93NUMPY", version, little-endian header length (2 bytes in
// version 1, 4 in versions 2 and 3), a Python dict literal, then the raw data.
struct Npy {
  std::string descr;  // '<i4', '|S3', '<M8[ns]', '|O', ...
  bool fortran_order = false;
  std::vector<uint64_t> shape;
  size_t itemsize = 0;
  bool is_object = false;
  Bytes data;
};

Npy read_npy(const fs::path& path) {
  Bytes b = read_file(path);
  auto u8 = [&](size_t i) { return size_t{static_cast<uint8_t>(b.at(i))}; };
  if (b.size() < 10 || std::memcmp(b.data(), "\x93NUMPY", 6) != 0)
    throw std::runtime_error(path.string() + ": not a .npy file");
  const size_t major = u8(6);
  size_t header_len = 0, offset = 0;
  if (major == 1) {
    header_len = u8(8) | (u8(9) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    header_len = u8(8) | (u8(9) << 8) | (u8(10) << 16) | (u8(11) << 24);
    offset = 12;
  } else {
    throw std::runtime_error(path.string() + ": unknown .npy version " + std::to_string(major));
  }
  const std::string header(as_string_view(ByteView(b).subspan(offset, header_len)));
  // The header is a Python dict literal: {'descr': '<i4', 'fortran_order': False, 'shape': (3,), }
  auto after = [&](const std::string& key) {
    const size_t k = header.find("'" + key + "':");
    if (k == std::string::npos)
      throw std::runtime_error(path.string() + ": no '" + key + "' in " + header);
    return header.find_first_not_of(' ', k + key.size() + 3);
  };
  Npy npy;
  const size_t d = after("descr") + 1;  // past the opening quote
  npy.descr = header.substr(d, header.find('\'', d) - d);
  npy.fortran_order = header.compare(after("fortran_order"), 4, "True") == 0;
  const size_t s = after("shape") + 1;  // past '('
  const std::string dims = header.substr(s, header.find(')', s) - s);
  for (size_t p = dims.find_first_of("0123456789"); p != std::string::npos;) {
    size_t used = 0;
    npy.shape.push_back(std::stoull(dims.substr(p), &used));
    p = dims.find_first_of("0123456789", p + used);
  }
  // descr: byte order, kind, item size ("<M8[ns]": the digits before the unit).
  npy.is_object = npy.descr.size() >= 2 && npy.descr[1] == 'O';
  if (!npy.is_object) {
    if (npy.descr.size() < 3 || !std::isdigit(static_cast<unsigned char>(npy.descr[2])))
      throw std::runtime_error(path.string() + ": unsupported descr " + npy.descr);
    npy.itemsize = std::stoul(npy.descr.substr(2));
    if (npy.descr[1] == 'U') npy.itemsize *= 4;  // UCS-4 code points
  }
  npy.data.assign(b.begin() + static_cast<ptrdiff_t>(offset + header_len), b.end());
  return npy;
}

// A data type with `itemsize`-byte elements, so that blosc shuffles as numcodecs did; element
// sizes Zarr has no type for (|S3) are treated as bytes.
ChunkRepr repr_for(size_t nbytes, size_t itemsize) {
  static const std::map<size_t, DataType> by_size = {{1, DataType::uint8},
                                                     {2, DataType::uint16},
                                                     {4, DataType::uint32},
                                                     {8, DataType::uint64},
                                                     {16, DataType::complex128}};
  auto it = by_size.find(itemsize);
  if (it == by_size.end()) return ChunkRepr{{nbytes}, DataType::uint8};
  return ChunkRepr{{nbytes / itemsize}, it->second};
}

std::shared_ptr<const BytesToBytesCodec> as_b2b(const CodecPtr& codec) {
  auto b2b = std::dynamic_pointer_cast<const BytesToBytesCodec>(codec);
  if (!b2b) throw std::runtime_error(codec->name() + " is not a bytes->bytes codec");
  return b2b;
}

std::shared_ptr<const BytesToBytesCodec> make_v3(const std::string& json) {
  return as_b2b(CodecRegistry::builtin().make_v3(Json::parse(json), "test"));
}

std::shared_ptr<const BytesToBytesCodec> make_v2(const std::string& json) {
  return as_b2b(CodecRegistry::builtin().make_v2(Json::parse(json), "test"));
}

// Somewhat compressible bytes: a slow ramp with noise, never starting with zeros.
Bytes sample_bytes(size_t n, uint32_t seed = 1) {
  std::mt19937 rng(seed);
  Bytes b(n);
  for (size_t i = 0; i < n; ++i)
    b[i] = static_cast<std::byte>((i / 64 + 1) + ((rng() % 8 == 0) ? rng() % 256 : 0));
  return b;
}

const ChunkRepr kBytesRepr{{0}, DataType::uint8};

// The v3 configuration of each codec, as used by the bad-input tests.
const char* const kV3Codecs[] = {
    R"({"name": "gzip", "configuration": {"level": 5}})",
    R"({"name": "numcodecs.zlib", "configuration": {"level": 5}})",
    R"({"name": "zstd", "configuration": {"level": 3, "checksum": false}})",
    R"({"name": "zstd", "configuration": {"level": 3, "checksum": true}})",
    R"({"name": "blosc", "configuration": {"cname": "lz4", "clevel": 5, "shuffle": "shuffle",
        "typesize": 4, "blocksize": 0}})",
    R"({"name": "blosc", "configuration": {"cname": "zstd", "clevel": 5,
        "shuffle": "bitshuffle", "typesize": 2, "blocksize": 256}})",
    R"({"name": "blosc", "configuration": {"cname": "zlib", "clevel": 1, "shuffle": "noshuffle",
        "typesize": 1, "blocksize": 0}})",
    R"({"name": "numcodecs.lz4", "configuration": {"acceleration": 1}})",
    R"({"name": "crc32c"})",
};

// Whether decoding throws CodecError; any other exception fails the test, and a crash is a bug.
bool decode_throws_codec_error(const BytesToBytesCodec& codec, ByteView in, const ChunkRepr& repr) {
  try {
    codec.decode(in, repr);
    return false;
  } catch (const CodecError&) {
    return true;
  }
}

}  // namespace

// --- numcodecs fixtures ---------------------------------------------------------------------

class CompressorCodecFixtures : public testing::TestWithParam<std::string> {};

TEST_P(CompressorCodecFixtures, DecodeToTheArraysAndRoundTrip) {
  NGFF_SKIP_WITHOUT_CODEC_FIXTURES();
  const fs::path dir = codec_dir() / GetParam();
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  std::vector<fs::path> codec_dirs;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_directory() && e.path().filename().string().rfind("codec.", 0) == 0)
      codec_dirs.push_back(e.path());
  std::sort(codec_dirs.begin(), codec_dirs.end());
  ASSERT_FALSE(codec_dirs.empty());
  int checked = 0;
  for (const auto& codec_dir : codec_dirs) {
    const Bytes config_text = read_file(codec_dir / "config.json");
    const Json config = Json::parse(as_string_view(config_text));
    auto codec = as_b2b(CodecRegistry::builtin().make_v2(config, "fixture " + codec_dir.string()));

    // The v2 form round-trips (zstd writes "checksum" only when true, as numcodecs does).
    Json expected = config;
    if (GetParam() == "zstd" && !expected.value("checksum", true)) expected.erase("checksum");
    EXPECT_EQ(codec->to_v2_json(), expected) << codec_dir;

    for (const auto& e : fs::directory_iterator(codec_dir)) {
      const std::string file = e.path().filename().string();
      if (file.rfind("encoded.", 0) != 0) continue;
      const std::string nn = file.substr(8, 2);
      SCOPED_TRACE(codec_dir.string() + "/" + file);
      const Npy npy = read_npy(dir / ("array." + nn + ".npy"));
      // Object arrays ('|O') hold pickled Python objects, encoded by an object codec first:
      // their bytes cannot be compared with the .npy data.
      if (npy.is_object) continue;
      const Bytes encoded = read_file(e.path());
      const ChunkRepr repr = repr_for(npy.data.size(), npy.itemsize);
      const Bytes decoded = codec->decode(encoded, repr);
      ASSERT_EQ(decoded.size(), npy.data.size()) << npy.descr;
      EXPECT_TRUE(decoded == npy.data) << npy.descr;
      // Our own encoding decodes to the same bytes.
      const Bytes reencoded = codec->encode(decoded, repr);
      EXPECT_TRUE(codec->decode(reencoded, repr) == npy.data) << npy.descr;
      ++checked;
    }
  }
  EXPECT_GT(checked, 10);
}

INSTANTIATE_TEST_SUITE_P(Numcodecs, CompressorCodecFixtures,
                         testing::Values("blosc", "gzip", "lz4", "zlib", "zstd", "crc32c"),
                         [](const auto& param_info) { return param_info.param; });

TEST(CompressorCodecFixture, Crc32cChecksumIsAppendedLittleEndian) {
  NGFF_SKIP_WITHOUT_CODEC_FIXTURES();
  // numcodecs' CRC32C puts the checksum after the data.
  const Bytes encoded = read_file(codec_dir() / "crc32c" / "codec.00" / "encoded.00.dat");
  const Npy npy = read_npy(codec_dir() / "crc32c" / "array.00.npy");
  ASSERT_EQ(encoded.size(), npy.data.size() + 4);
  EXPECT_TRUE(std::equal(npy.data.begin(), npy.data.end(), encoded.begin()));
  const uint32_t crc = crc32c(npy.data);
  for (size_t i = 0; i < 4; ++i)
    EXPECT_EQ(static_cast<uint32_t>(encoded[npy.data.size() + i]), (crc >> (8 * i)) & 0xFF);
}

// --- JSON -----------------------------------------------------------------------------------

TEST(CompressorCodecJson, V3RoundTrip) {
  // {input, expected to_json() (empty: same as input)}
  const std::pair<const char*, const char*> cases[] = {
      {R"({"name": "gzip", "configuration": {"level": 1}})", ""},
      {R"({"name": "gzip", "configuration": {}})",
       R"({"name": "gzip", "configuration": {"level": 5}})"},
      {R"({"name": "numcodecs.zlib", "configuration": {"level": 9}})", ""},
      {R"({"name": "zlib", "configuration": {"level": 0}})", ""},
      {R"({"name": "zstd", "configuration": {"level": -5, "checksum": true}})", ""},
      {R"({"name": "zstd", "configuration": {"level": 22, "checksum": false}})", ""},
      {R"({"name": "zstd", "configuration": {"level": 3}})",
       R"({"name": "zstd", "configuration": {"level": 3, "checksum": false}})"},
      {R"({"name": "blosc", "configuration": {"cname": "zstd", "clevel": 9,
          "shuffle": "bitshuffle", "typesize": 2, "blocksize": 1024}})",
       ""},
      {R"({"name": "blosc", "configuration": {"cname": "lz4hc", "clevel": 0,
          "shuffle": "noshuffle", "blocksize": 0}})",
       ""},
      {R"({"name": "blosc", "configuration": {"typesize": 8}})",
       R"({"name": "blosc", "configuration": {"cname": "lz4", "clevel": 5, "shuffle": "shuffle",
           "typesize": 8, "blocksize": 0}})"},
      {R"({"name": "numcodecs.lz4", "configuration": {"acceleration": 7}})", ""},
      {R"({"name": "numcodecs.lz4"})",
       R"({"name": "numcodecs.lz4", "configuration": {"acceleration": 1}})"},
      {R"({"name": "crc32c"})", ""},
      {R"({"name": "numcodecs.crc32c", "configuration": {"location": "start"}})", ""},
  };
  for (const auto& [input, output] : cases) {
    const Json in = Json::parse(input);
    const Json expected = *output ? Json::parse(output) : in;
    EXPECT_EQ(make_v3(input)->to_json(), expected) << input;
    EXPECT_EQ(make_v3(expected.dump())->to_json(), expected) << input;
  }
}

TEST(CompressorCodecJson, V2RoundTrip) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"id": "gzip", "level": -1})", ""},
      {R"({"id": "gzip"})", R"({"id": "gzip", "level": 1})"},
      {R"({"id": "zlib", "level": 9})", ""},
      {R"({"id": "zstd", "level": 100, "checksum": true})", ""},
      {R"({"id": "zstd", "level": -3})", ""},
      // numcodecs leaves out "checksum" when false, and ngff-zarr's reader rejects it.
      {R"({"id": "zstd", "level": 2, "checksum": false})", R"({"id": "zstd", "level": 2})"},
      {R"({"id": "blosc", "cname": "snappy", "clevel": 1, "shuffle": -1, "blocksize": 0})", ""},
      {R"({"id": "blosc", "cname": "zstd", "clevel": 3, "shuffle": 2, "blocksize": 256})", ""},
      {R"({"id": "blosc"})",
       R"({"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1, "blocksize": 0})"},
      {R"({"id": "lz4", "acceleration": 1000000})", ""},
      {R"({"id": "crc32c"})", ""},
      {R"({"id": "crc32c", "location": "start"})", ""},
      {R"({"id": "crc32c", "location": "end"})", ""},
  };
  for (const auto& [input, output] : cases) {
    const Json in = Json::parse(input);
    const Json expected = *output ? Json::parse(output) : in;
    EXPECT_EQ(make_v2(input)->to_v2_json(), expected) << input;
  }
}

TEST(CompressorCodecJson, V2AndV3Convert) {
  // numcodecs ids become v3 names; shuffle becomes a string (-1 resolved once typesize is known).
  EXPECT_EQ(make_v2(R"({"id": "gzip", "level": -1})")->to_json(),
            Json::parse(R"({"name": "gzip", "configuration": {"level": 6}})"));
  EXPECT_EQ(make_v2(R"({"id": "zlib", "level": 3})")->to_json(),
            Json::parse(R"({"name": "numcodecs.zlib", "configuration": {"level": 3}})"));
  EXPECT_EQ(make_v2(R"({"id": "lz4", "acceleration": 2})")->to_json(),
            Json::parse(R"({"name": "numcodecs.lz4", "configuration": {"acceleration": 2}})"));
  EXPECT_EQ(make_v2(R"({"id": "crc32c"})")->to_json(), Json::parse(R"({"name": "crc32c"})"));
  EXPECT_EQ(make_v2(R"({"id": "crc32c", "location": "start"})")->to_json(),
            Json::parse(R"({"name": "numcodecs.crc32c", "configuration": {"location": "start"}})"));
  EXPECT_EQ(make_v2(R"({"id": "blosc", "cname": "zstd", "clevel": 3, "shuffle": 2,
                        "blocksize": 0})")
                ->to_json(),
            Json::parse(R"({"name": "blosc", "configuration": {"cname": "zstd", "clevel": 3,
                            "shuffle": "bitshuffle", "blocksize": 0}})"));
  EXPECT_EQ(make_v3(R"({"name": "blosc", "configuration": {"cname": "lz4", "clevel": 5,
                        "shuffle": "noshuffle", "typesize": 4, "blocksize": 0}})")
                ->to_v2_json(),
            Json::parse(R"({"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 0,
                            "blocksize": 0})"));
  EXPECT_EQ(
      make_v3(R"({"name": "zstd", "configuration": {"level": 5, "checksum": true}})")->to_v2_json(),
      Json::parse(R"({"id": "zstd", "level": 5, "checksum": true})"));
  EXPECT_EQ(make_v3(R"({"name": "gzip", "configuration": {"level": 2}})")->to_v2_json(),
            Json::parse(R"({"id": "gzip", "level": 2})"));
}

TEST(CompressorCodecJson, BadConfigurationsNameTheCodec) {
  const char* const v3_bad[] = {
      R"({"name": "gzip", "configuration": {"level": 10}})",
      R"({"name": "gzip", "configuration": {"level": -1}})",
      R"({"name": "gzip", "configuration": {"level": "5"}})",
      R"({"name": "numcodecs.zlib", "configuration": {"level": 1.5}})",
      R"({"name": "zstd", "configuration": {"level": 3, "checksum": "yes"}})",
      R"({"name": "zstd", "configuration": {"level": 99999999999}})",
      R"({"name": "blosc", "configuration": {"cname": "lzma", "clevel": 5}})",
      R"({"name": "blosc", "configuration": {"cname": "lz4", "clevel": 10}})",
      R"({"name": "blosc", "configuration": {"cname": "lz4", "shuffle": 1}})",
      R"({"name": "blosc", "configuration": {"cname": "lz4", "shuffle": "bytes"}})",
      R"({"name": "blosc", "configuration": {"cname": "lz4", "typesize": -2}})",
      R"({"name": "blosc", "configuration": {"cname": "lz4", "blocksize": "auto"}})",
      R"({"name": "numcodecs.lz4", "configuration": {"acceleration": "fast"}})",
      R"({"name": "numcodecs.crc32c", "configuration": {"location": "middle"}})",
  };
  for (const char* bad : v3_bad) {
    const Json spec = Json::parse(bad);
    try {
      CodecRegistry::builtin().make_v3(spec, "a/zarr.json");
      ADD_FAILURE() << "accepted " << bad;
    } catch (const MetadataError& e) {
      const std::string name = spec["name"];
      EXPECT_NE(std::string(e.what()).find("a/zarr.json: codec '" + name + "'"), std::string::npos)
          << e.what();
    }
  }
  const char* const v2_bad[] = {
      R"({"id": "gzip", "level": 10})",           R"({"id": "zlib", "level": -2})",
      R"({"id": "blosc", "cname": "foo"})",       R"({"id": "blosc", "shuffle": 3})",
      R"({"id": "blosc", "shuffle": "shuffle"})", R"({"id": "zstd", "checksum": 1})",
      R"({"id": "lz4", "acceleration": null})",   R"({"id": "crc32c", "location": 4})",
  };
  for (const char* bad : v2_bad) {
    const Json spec = Json::parse(bad);
    try {
      CodecRegistry::builtin().make_v2(spec, "a/.zarray");
      ADD_FAILURE() << "accepted " << bad;
    } catch (const MetadataError& e) {
      const std::string id = spec["id"];
      EXPECT_NE(std::string(e.what()).find("a/.zarray: codec '" + id + "'"), std::string::npos)
          << e.what();
    }
  }
}

// --- behaviour ------------------------------------------------------------------------------

TEST(CompressorCodec, EveryCodecRoundTripsEmptySmallAndLargeInputs) {
  for (const char* spec : kV3Codecs) {
    auto codec = make_v3(spec);
    for (size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{1000}, size_t{3} << 20}) {
      const Bytes data = sample_bytes(n, static_cast<uint32_t>(n));
      const ChunkRepr repr{{n / 4}, DataType::uint32};
      const Bytes encoded = codec->encode(data, repr);
      EXPECT_TRUE(codec->decode(encoded, repr) == data) << spec << " n=" << n;
      // Decoding does not depend on the element type it is given.
      EXPECT_TRUE(codec->decode(encoded, ChunkRepr{{n}, DataType::uint8}) == data)
          << spec << " n=" << n;
    }
  }
}

TEST(CompressorCodec, GzipAcceptsMembersZlibStreamsAndPadding) {
  auto gzip = make_v3(R"({"name": "gzip", "configuration": {"level": 6}})");
  auto zlib = make_v3(R"({"name": "numcodecs.zlib", "configuration": {"level": 6}})");
  const Bytes a = sample_bytes(5000, 1), b = sample_bytes(300, 2);
  Bytes both = gzip->encode(a, kBytesRepr);
  const Bytes eb = gzip->encode(b, kBytesRepr);
  both.insert(both.end(), eb.begin(), eb.end());
  Bytes ab = a;
  ab.insert(ab.end(), b.begin(), b.end());
  EXPECT_TRUE(gzip->decode(both, kBytesRepr) == ab);
  both.resize(both.size() + 16);  // zero padding after the last member
  EXPECT_TRUE(gzip->decode(both, kBytesRepr) == ab);
  // gzip output starts with the gzip magic; zlib-wrapped data is accepted too.
  const Bytes ea = gzip->encode(a, kBytesRepr);
  EXPECT_EQ(ea[0], std::byte{0x1f});
  EXPECT_EQ(ea[1], std::byte{0x8b});
  EXPECT_TRUE(gzip->decode(zlib->encode(a, kBytesRepr), kBytesRepr) == a);
  // Equal data gives equal bytes (no timestamp).
  EXPECT_TRUE(gzip->encode(a, kBytesRepr) == ea);
  // A wrong size hint only costs time.
  EXPECT_TRUE(gzip->decode(ea, ChunkRepr{{1}, DataType::uint8}) == a);
  EXPECT_TRUE(zlib->decode(zlib->encode(a, kBytesRepr), ChunkRepr{{1}, DataType::uint8}) == a);
}

namespace {

// A zstd frame without a content size (as streaming writers make), window 128 KiB: a raw
// block `raw` then an RLE block of `rle_count` copies of `rle`.
Bytes streaming_zstd_frame(const Bytes& raw, uint8_t rle, uint32_t rle_count) {
  Bytes f = {
      std::byte{0x28}, std::byte{0xb5}, std::byte{0x2f},
      std::byte{0xfd}, std::byte{0x00},  // frame header descriptor: no content size, no checksum
      std::byte{0x38}};                  // window descriptor: 2^17
  auto block_header = [&](uint32_t size, uint32_t type, bool last) {
    const uint32_t h = (size << 3) | (type << 1) | (last ? 1 : 0);
    for (int i = 0; i < 3; ++i) f.push_back(static_cast<std::byte>(h >> (8 * i)));
  };
  block_header(static_cast<uint32_t>(raw.size()), 0, false);
  f.insert(f.end(), raw.begin(), raw.end());
  block_header(rle_count, 1, true);
  f.push_back(std::byte{rle});
  return f;
}

}  // namespace

TEST(CompressorCodec, ZstdDecodesStreamingAndConcatenatedFrames) {
  auto zstd = make_v3(R"({"name": "zstd", "configuration": {"level": 1, "checksum": false}})");
  const Bytes raw = sample_bytes(1000, 3);
  const Bytes frame = streaming_zstd_frame(raw, 0x41, 100000);
  Bytes expected = raw;
  expected.insert(expected.end(), 100000, std::byte{0x41});
  EXPECT_TRUE(zstd->decode(frame, kBytesRepr) == expected);
  EXPECT_TRUE(zstd->decode(frame, ChunkRepr{{expected.size()}, DataType::uint8}) == expected);
  // Streaming frame followed by a frame with a content size.
  const Bytes tail = sample_bytes(20000, 4);
  Bytes two = frame;
  const Bytes enc_tail = zstd->encode(tail, kBytesRepr);
  two.insert(two.end(), enc_tail.begin(), enc_tail.end());
  Bytes expected_two = expected;
  expected_two.insert(expected_two.end(), tail.begin(), tail.end());
  EXPECT_TRUE(zstd->decode(two, kBytesRepr) == expected_two);
  // Two frames with content sizes.
  Bytes known = zstd->encode(raw, kBytesRepr);
  known.insert(known.end(), enc_tail.begin(), enc_tail.end());
  Bytes expected_known = raw;
  expected_known.insert(expected_known.end(), tail.begin(), tail.end());
  EXPECT_TRUE(zstd->decode(known, kBytesRepr) == expected_known);
  // Truncated streaming frames fail.
  for (size_t n : {frame.size() - 1, frame.size() - 4, size_t{500}, size_t{6}, size_t{3}})
    EXPECT_THROW(zstd->decode(ByteView(frame).first(n), kBytesRepr), CodecError) << n;
}

TEST(CompressorCodec, ZstdChecksumIsWrittenAndChecked) {
  auto with = make_v3(R"({"name": "zstd", "configuration": {"level": 1, "checksum": true}})");
  auto without = make_v3(R"({"name": "zstd", "configuration": {"level": 1, "checksum": false}})");
  const Bytes data = sample_bytes(10000);
  Bytes a = with->encode(data, kBytesRepr);
  const Bytes b = without->encode(data, kBytesRepr);
  EXPECT_EQ(a.size(), b.size() + 4);
  a.back() ^= std::byte{1};
  EXPECT_THROW(with->decode(a, kBytesRepr), CodecError);
  // Levels beyond zstd's range are clamped, as numcodecs' fixtures (level 100) expect.
  auto huge = make_v3(R"({"name": "zstd", "configuration": {"level": 1000, "checksum": false}})");
  auto tiny =
      make_v3(R"({"name": "zstd", "configuration": {"level": -1000000, "checksum": false}})");
  EXPECT_TRUE(huge->decode(huge->encode(data, kBytesRepr), kBytesRepr) == data);
  EXPECT_TRUE(tiny->decode(tiny->encode(data, kBytesRepr), kBytesRepr) == data);
}

TEST(CompressorCodec, BloscTypesizeAndShuffleReachTheHeader) {
  const Bytes data = sample_bytes(4096);
  // Header: version, versionlz, flags (1 byte shuffle, 2 memcpy, 4 bit shuffle), typesize.
  auto header = [&](const std::shared_ptr<const BytesToBytesCodec>& c, DataType t) {
    const ChunkRepr repr{{data.size() / dtype_size(t)}, t};
    const Bytes e = c->encode(data, repr);
    EXPECT_TRUE(c->decode(e, kBytesRepr) == data);
    return std::make_pair(static_cast<int>(e[2]), static_cast<int>(e[3]));
  };
  auto untyped = make_v3(R"({"name": "blosc", "configuration": {"cname": "lz4", "clevel": 5,
                             "shuffle": "shuffle", "blocksize": 0}})");
  EXPECT_EQ(header(untyped, DataType::uint16).second, 2);
  EXPECT_EQ(header(untyped, DataType::float64).second, 8);
  EXPECT_EQ(header(untyped, DataType::float64).first & 0x5, 0x1);
  auto typed = make_v3(R"({"name": "blosc", "configuration": {"cname": "lz4", "clevel": 5,
                           "shuffle": "bitshuffle", "typesize": 4, "blocksize": 0}})");
  EXPECT_EQ(header(typed, DataType::uint16).second, 4);
  EXPECT_EQ(header(typed, DataType::uint16).first & 0x5, 0x4);
  // numcodecs' automatic shuffle: bit shuffle for one-byte elements, else byte shuffle.
  auto automatic = make_v2(R"({"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": -1})");
  EXPECT_EQ(header(automatic, DataType::uint8).first & 0x5, 0x4);
  EXPECT_EQ(header(automatic, DataType::int32).first & 0x5, 0x1);
  // Level 0 stores the bytes.
  auto stored = make_v3(R"({"name": "blosc", "configuration": {"cname": "zstd", "clevel": 0,
                            "shuffle": "noshuffle", "typesize": 1, "blocksize": 0}})");
  EXPECT_EQ(stored->encode(data, kBytesRepr).size(), data.size() + 16);
  // Every compressor works.
  for (const char* cname : {"lz4", "lz4hc", "blosclz", "zstd", "zlib", "snappy"}) {
    auto c = make_v2(std::string(R"({"id": "blosc", "clevel": 5, "shuffle": 1, "cname": ")") +
                     cname + "\"}");
    EXPECT_TRUE(c->decode(c->encode(data, kBytesRepr), kBytesRepr) == data) << cname;
  }
}

TEST(CompressorCodec, Lz4HasTheNumcodecsSizeHeader) {
  auto lz4 = make_v2(R"({"id": "lz4", "acceleration": 1})");
  const Bytes data = sample_bytes(70000);
  const Bytes e = lz4->encode(data, kBytesRepr);
  uint32_t size = 0;
  for (size_t i = 0; i < 4; ++i) size |= static_cast<uint32_t>(e[i]) << (8 * i);
  EXPECT_EQ(size, data.size());
  // A header that disagrees with the block fails.
  Bytes wrong = e;
  wrong[0] ^= std::byte{1};
  EXPECT_THROW(lz4->decode(wrong, kBytesRepr), CodecError);
}

// --- bad input ------------------------------------------------------------------------------

TEST(CompressorCodecBadInput, TruncatedDataThrowsCodecError) {
  const Bytes data = sample_bytes(20000);
  for (const char* spec : kV3Codecs) {
    auto codec = make_v3(spec);
    const Bytes e = codec->encode(data, kBytesRepr);
    for (size_t n : {size_t{0}, size_t{1}, size_t{3}, size_t{4}, size_t{15}, size_t{16},
                     e.size() / 2, e.size() - 1}) {
      if (n >= e.size()) continue;
      EXPECT_TRUE(decode_throws_codec_error(*codec, ByteView(e).first(n), kBytesRepr))
          << spec << " truncated to " << n << " of " << e.size();
    }
  }
}

TEST(CompressorCodecBadInput, CorruptDataNeverCrashes) {
  // A corrupt byte may still decode (codecs without checksums cannot tell), but decoding must
  // then either return or throw CodecError, without reading or writing out of bounds.
  const Bytes data = sample_bytes(5000);
  std::mt19937 rng(42);
  for (const char* spec : kV3Codecs) {
    auto codec = make_v3(spec);
    const Bytes e = codec->encode(data, ChunkRepr{{1250}, DataType::uint32});
    int threw = 0;
    for (size_t pos = 0; pos < e.size(); pos += 1 + pos / 16) {
      for (std::byte flip : {std::byte{0x01}, std::byte{0x80}, std::byte{0xff}}) {
        Bytes bad = e;
        bad[pos] ^= flip;
        threw += decode_throws_codec_error(*codec, bad, kBytesRepr);
      }
    }
    for (int i = 0; i < 200; ++i) {  // random bytes, and the codec's own header before them
      Bytes bad(rng() % 300);
      for (auto& b : bad) b = static_cast<std::byte>(rng());
      decode_throws_codec_error(*codec, bad, kBytesRepr);
      bad.insert(bad.begin(), e.begin(), e.begin() + std::min<ptrdiff_t>(std::ssize(e), 20));
      decode_throws_codec_error(*codec, bad, kBytesRepr);
    }
    EXPECT_GT(threw, 0) << spec;
  }
}

TEST(CompressorCodecBadInput, AbsurdSizesInHeadersThrowCodecError) {
  const Bytes data = sample_bytes(1000);
  // lz4: a 4 GiB size header before a 1-byte block.
  auto lz4 = make_v3(R"({"name": "numcodecs.lz4"})");
  const Bytes lz4_bad = {std::byte{0xff}, std::byte{0xff}, std::byte{0xff}, std::byte{0x7f},
                         std::byte{0x00}};
  EXPECT_THROW(lz4->decode(lz4_bad, kBytesRepr), CodecError);
  // zstd: a frame header claiming 2^40 bytes, with one empty raw block.
  auto zstd = make_v3(R"({"name": "zstd", "configuration": {"level": 1, "checksum": false}})");
  Bytes zstd_bad = {std::byte{0x28}, std::byte{0xb5}, std::byte{0x2f}, std::byte{0xfd},
                    std::byte{0xe0}};  // single segment, 8-byte content size
  for (int i = 0; i < 8; ++i) zstd_bad.push_back(std::byte{static_cast<uint8_t>(i == 5 ? 1 : 0)});
  zstd_bad.insert(zstd_bad.end(), {std::byte{0x01}, std::byte{0x00}, std::byte{0x00}});
  EXPECT_THROW(zstd->decode(zstd_bad, kBytesRepr), CodecError);
  // blosc: a header claiming almost 2 GiB, and one claiming twice the real size.
  auto blosc = make_v3(R"({"name": "blosc", "configuration": {"cname": "lz4", "clevel": 5,
                          "shuffle": "shuffle", "typesize": 4, "blocksize": 0}})");
  const Bytes e = blosc->encode(data, kBytesRepr);
  for (uint32_t claim : {0x7fff0000u, 2000u, 999u, 0u}) {
    Bytes bad = e;
    for (size_t i = 0; i < 4; ++i) bad[4 + i] = static_cast<std::byte>(claim >> (8 * i));
    if (claim == 0) {
      EXPECT_TRUE(blosc->decode(bad, kBytesRepr).empty());  // blosc's empty buffer
      continue;
    }
    EXPECT_THROW(blosc->decode(bad, kBytesRepr), CodecError) << claim;
  }
  // blosc: the compressed size field disagreeing with the buffer.
  Bytes bad = e;
  bad[12] ^= std::byte{1};
  EXPECT_THROW(blosc->decode(bad, kBytesRepr), CodecError);
}

TEST(CompressorCodecBadInput, DecompressionBombsAreRefusedBeforeAllocating) {
  // 16 MiB of zeros compress to a few KiB (blosc with small blocks: 2 MiB); a chunk of 1000 bytes
  // may decode to at most decode_limit (about 1 MiB), so every compressor refuses the stream rather
  // than allocating.
  const Bytes zeros(size_t{16} << 20);
  const ChunkRepr chunk{{1000}, DataType::uint8};
  ASSERT_LT(BytesToBytesCodec::decode_limit(chunk), zeros.size());
  for (const char* spec : kV3Codecs) {
    if (std::string_view(spec).find("crc32c") != std::string_view::npos) continue;
    auto codec = make_v3(spec);
    const Bytes bomb = codec->encode(zeros, kBytesRepr);
    ASSERT_LT(bomb.size() * 8, zeros.size()) << spec;
    try {
      (void)codec->decode(bomb, chunk);
      ADD_FAILURE() << spec << ": a bomb decoded";
    } catch (const CodecError& e) {
      EXPECT_NE(std::string(e.what()).find("than"), std::string::npos) << e.what();
    }
    // Straight into a chunk-sized buffer: the size claimed in a header is checked first.
    Bytes out(1000);
    EXPECT_THROW(codec->decode_into(bomb, out, chunk), CodecError) << spec;
  }
  // zstd frames that do not record their size (streaming) are cut off at the limit too.
  auto zstd = make_v3(R"({"name": "zstd", "configuration": {"level": 1, "checksum": false}})");
  Bytes streamed = streaming_zstd_frame(Bytes(10, std::byte{1}), 0, 1);
  streamed.resize(streamed.size() - 4);  // drop the final RLE block, then add 40 of 128 KiB
  for (int i = 0; i < 40; ++i) {
    const uint32_t h = (uint32_t{1} << 20) | (1u << 1) | (i == 39 ? 1u : 0u);
    for (int k = 0; k < 3; ++k) streamed.push_back(static_cast<std::byte>(h >> (8 * k)));
    streamed.push_back(std::byte{0});
  }
  const size_t streamed_size = 10 + size_t{40} * 131072;
  EXPECT_EQ(zstd->decode(streamed, ChunkRepr{{streamed_size}}).size(), streamed_size);
  EXPECT_THROW((void)zstd->decode(streamed, chunk), CodecError);
  // The limit grows with the chunk: the same data decodes as a chunk of its own size.
  auto gzip = make_v3(R"({"name": "gzip", "configuration": {"level": 1}})");
  EXPECT_EQ(gzip->decode(gzip->encode(zeros, kBytesRepr), ChunkRepr{{zeros.size()}}).size(),
            zeros.size());
}

// --- crc32c ---------------------------------------------------------------------------------

TEST(Crc32cCodec, FunctionMatchesKnownValues) {
  EXPECT_EQ(crc32c(as_bytes("123456789")), 0xE3069283u);
  EXPECT_EQ(crc32c(ByteView()), 0u);
  // RFC 3720 (iSCSI) B.4.
  Bytes zeros(32, std::byte{0}), ones(32, std::byte{0xff}), up(32), down(32);
  for (size_t i = 0; i < 32; ++i) {
    up[i] = static_cast<std::byte>(i);
    down[i] = static_cast<std::byte>(31 - i);
  }
  EXPECT_EQ(crc32c(zeros), 0x8A9136AAu);
  EXPECT_EQ(crc32c(ones), 0x62A8AB43u);
  EXPECT_EQ(crc32c(up), 0x46DD794Eu);
  EXPECT_EQ(crc32c(down), 0x113FDB5Cu);
  EXPECT_EQ(detail::crc32c_portable(as_bytes("123456789")), 0xE3069283u);
}

TEST(Crc32cCodec, HardwareAndTablePathsAgreeAndChain) {
  const Bytes data = sample_bytes(4096, 7);
  for (size_t start = 0; start < 9; ++start)
    for (size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{9}, size_t{63},
                     size_t{1000}, size_t{4000}}) {
      ByteView v = ByteView(data).subspan(start, n);
      EXPECT_EQ(crc32c(v), detail::crc32c_portable(v)) << start << " " << n;
      for (size_t cut : {size_t{0}, n / 3, n})
        EXPECT_EQ(crc32c(v.subspan(cut), crc32c(v.first(cut))), crc32c(v));
    }
}

TEST(Crc32cCodec, MismatchAndShortInputThrow) {
  auto codec = make_v3(R"({"name": "crc32c"})");
  const Bytes data = sample_bytes(100);
  Bytes e = codec->encode(data, kBytesRepr);
  ASSERT_EQ(e.size(), 104u);
  EXPECT_TRUE(std::equal(data.begin(), data.end(), e.begin()));
  e[10] ^= std::byte{4};
  try {
    codec->decode(e, kBytesRepr);
    ADD_FAILURE() << "corrupt data accepted";
  } catch (const CodecError& err) {
    EXPECT_NE(std::string(err.what()).find("crc32c checksum mismatch: stored 0x"),
              std::string::npos)
        << err.what();
    EXPECT_NE(std::string(err.what()).find(", computed 0x"), std::string::npos) << err.what();
  }
  for (size_t n : {0u, 1u, 3u})
    EXPECT_THROW(codec->decode(ByteView(e).first(n), kBytesRepr), CodecError);
  EXPECT_TRUE(codec->decode(codec->encode(ByteView(), kBytesRepr), kBytesRepr).empty());
  // The checksum at the start (numcodecs' "location": "start").
  auto start = make_v2(R"({"id": "crc32c", "location": "start"})");
  const Bytes s = start->encode(data, kBytesRepr);
  EXPECT_TRUE(std::equal(data.begin(), data.end(), s.begin() + 4));
  EXPECT_TRUE(start->decode(s, kBytesRepr) == data);
  EXPECT_THROW(codec->decode(s, kBytesRepr), CodecError);
}
