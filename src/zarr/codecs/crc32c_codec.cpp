// Zarr v3 `crc32c` codec (bytes -> bytes; zarr-specs v3/codecs/crc32c): appends the CRC-32C of
// the bytes as 4 little-endian bytes, and on decode checks and strips it.
//   {"name": "crc32c"}
// numcodecs names it "crc32c" in v2 and "numcodecs.crc32c" in v3 (zarr-extensions), with an
// optional "location" of the checksum, "end" (the default, as in the numcodecs fixtures) or
// "start":
//   {"id": "crc32c", "location": "end"}
//   {"name": "numcodecs.crc32c", "configuration": {"location": "start"}}
#include <cstdio>
#include <cstring>

#include "ngff/error.hpp"
#include "zarr/codec_registry.hpp"
#include "zarr/crc32c.hpp"

namespace ngff::zarr {
namespace {

enum class Location { start, end };

void store_le32(std::byte* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::byte>(v >> (8 * i));
}

uint32_t load_le32(const std::byte* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(p[i]) << (8 * i);
  return v;
}

std::string hex32(uint32_t v) {
  char buf[11];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

class Crc32cCodec final : public BytesToBytesCodec {
 public:
  // `numcodecs_name`: made as "numcodecs.crc32c" (v3). `location_given`: "location" was spelled
  // out in the metadata, so it is written back.
  Crc32cCodec(Location location, bool numcodecs_name, bool location_given)
      : location_(location), numcodecs_name_(numcodecs_name), location_given_(location_given) {}

  std::string name() const override {
    // The core v3 codec has no "location"; a checksum at the start needs the numcodecs name.
    return numcodecs_name_ || location_ == Location::start ? "numcodecs.crc32c" : "crc32c";
  }

  Json to_json() const override {
    if (name() == "crc32c") return Json{{"name", "crc32c"}};
    return Json{{"name", "numcodecs.crc32c"}, {"configuration", {{"location", location_name()}}}};
  }

  std::optional<Json> to_v2_json() const override {
    Json j{{"id", "crc32c"}};
    if (location_given_ || location_ == Location::start) j["location"] = location_name();
    return j;
  }

  Bytes encode(ByteView in, const ChunkRepr&) const override {
    Bytes out(in.size() + 4);
    const uint32_t crc = crc32c(in);
    if (location_ == Location::end) {
      if (!in.empty()) std::memcpy(out.data(), in.data(), in.size());
      store_le32(out.data() + in.size(), crc);
    } else {
      store_le32(out.data(), crc);
      if (!in.empty()) std::memcpy(out.data() + 4, in.data(), in.size());
    }
    return out;
  }

  Bytes decode(ByteView in, const ChunkRepr&) const override {
    if (in.size() < 4)
      throw CodecError("crc32c codec: " + std::to_string(in.size()) +
                       " bytes cannot hold a 4-byte checksum (truncated chunk)");
    const bool at_end = location_ == Location::end;
    ByteView payload = at_end ? in.first(in.size() - 4) : in.subspan(4);
    const uint32_t stored = load_le32(at_end ? in.data() + payload.size() : in.data());
    const uint32_t computed = crc32c(payload);
    if (stored != computed)
      throw CodecError("crc32c checksum mismatch: stored " + hex32(stored) + ", computed " +
                       hex32(computed));
    return Bytes(payload.begin(), payload.end());
  }

 private:
  const char* location_name() const { return location_ == Location::end ? "end" : "start"; }

  Location location_;
  bool numcodecs_name_;
  bool location_given_;
};

// Reads the optional "location" of a v3 configuration or a v2 object.
Location parse_location(const Json& j, std::string_view where) {
  auto it = j.find("location");
  if (it == j.end()) return Location::end;
  if (*it == "end") return Location::end;
  if (*it == "start") return Location::start;
  throw MetadataError(std::string(where) + ": 'location' must be \"start\" or \"end\", got " +
                      it->dump());
}

}  // namespace

void register_crc32c_codec(CodecRegistry& r) {
  r.add_v3("crc32c", [](const Json&, std::string_view) -> CodecPtr {
    return std::make_shared<Crc32cCodec>(Location::end, false, false);
  });
  r.add_v3("numcodecs.crc32c", [](const Json& config, std::string_view where) -> CodecPtr {
    return std::make_shared<Crc32cCodec>(parse_location(config, where), true, true);
  });
  r.add_v2("crc32c", [](const Json& config, std::string_view where) -> CodecPtr {
    return std::make_shared<Crc32cCodec>(parse_location(config, where), false,
                                         config.contains("location"));
  });
}

}  // namespace ngff::zarr
