#include "ngff/zarr/chunk_key_encoding.hpp"

#include "ngff/error.hpp"

namespace ngff::zarr {

std::string ChunkKeyEncoding::encode(const std::vector<uint64_t>& index) const {
  std::string key = kind == Kind::default_ ? "c" : "";
  if (index.empty()) return kind == Kind::default_ ? key : "0";
  for (size_t i = 0; i < index.size(); ++i) {
    if (i > 0 || kind == Kind::default_) key += separator;
    key += std::to_string(index[i]);
  }
  return key;
}

std::optional<std::vector<uint64_t>> ChunkKeyEncoding::decode(std::string_view key,
                                                              size_t rank) const {
  if (rank == 0) {
    if (key == (kind == Kind::default_ ? "c" : "0")) return std::vector<uint64_t>{};
    return std::nullopt;
  }
  if (kind == Kind::default_) {
    if (key.size() < 2 || key[0] != 'c' || key[1] != separator) return std::nullopt;
    key.remove_prefix(2);
  }
  std::vector<uint64_t> index;
  while (true) {
    size_t end = key.find(separator);
    std::string_view part = key.substr(0, end);
    if (part.empty() || part.size() > 19) return std::nullopt;
    uint64_t v = 0;
    for (char c : part) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    index.push_back(v);
    if (end == std::string_view::npos) break;
    key.remove_prefix(end + 1);
  }
  if (index.size() != rank) return std::nullopt;
  return index;
}

ChunkKeyEncoding ChunkKeyEncoding::from_v3_json(const Json& j, std::string_view where) {
  std::string w = std::string(where) + ": chunk_key_encoding";
  if (!j.is_object()) throw MetadataError(w + " must be an object, got " + j.dump());
  std::string name = require_string(j, "name", w);
  ChunkKeyEncoding e;
  if (name == "default") {
    e.kind = Kind::default_;
    e.separator = '/';
  } else if (name == "v2") {
    e.kind = Kind::v2;
    e.separator = '.';
  } else {
    throw MetadataError(w + ": unknown name '" + name + "' (expected \"default\" or \"v2\")");
  }
  e.explicit_configuration = j.contains("configuration");
  if (e.explicit_configuration) {
    const Json& c = j["configuration"];
    if (!c.is_object()) throw MetadataError(w + ": configuration must be an object");
    if (c.contains("separator")) {
      if (c["separator"] == "/")
        e.separator = '/';
      else if (c["separator"] == ".")
        e.separator = '.';
      else
        throw MetadataError(w + ": separator must be \"/\" or \".\", got " + c["separator"].dump());
    }
  }
  return e;
}

Json ChunkKeyEncoding::to_v3_json() const {
  Json j{{"name", kind == Kind::default_ ? "default" : "v2"}};
  char default_separator = kind == Kind::default_ ? '/' : '.';
  if (explicit_configuration || separator != default_separator)
    j["configuration"] = {{"separator", std::string(1, separator)}};
  return j;
}

}  // namespace ngff::zarr
