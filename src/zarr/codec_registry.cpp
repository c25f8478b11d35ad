#include "zarr/codec_registry.hpp"

#include "ngff/error.hpp"

namespace ngff::zarr {

void CodecRegistry::add_v3(std::string name, V3Factory factory) {
  v3_[std::move(name)] = std::move(factory);
}

void CodecRegistry::add_v2(std::string id, V2Factory factory) {
  v2_[std::move(id)] = std::move(factory);
}

CodecPtr CodecRegistry::make_v3(const Json& spec, std::string_view where) const {
  std::string w(where);
  if (!spec.is_object())
    throw MetadataError(w + ": a codec must be a JSON object, got " + spec.dump());
  std::string name = require_string(spec, "name", w + ": codec");
  auto it = v3_.find(name);
  if (it == v3_.end()) {
    bool must_understand = !spec.contains("must_understand") || spec["must_understand"] != false;
    throw CodecError(w + ": unknown codec '" + name + "'" +
                     (must_understand ? ""
                                      : " (must_understand is false, but codecs cannot be "
                                        "skipped)"));
  }
  Json configuration = spec.contains("configuration") ? spec["configuration"] : Json::object();
  if (!configuration.is_object())
    throw MetadataError(w + ": codec '" + name + "' configuration must be an object");
  return it->second(configuration, w + ": codec '" + name + "'");
}

CodecPtr CodecRegistry::make_v2(const Json& spec, std::string_view where) const {
  std::string w(where);
  if (!spec.is_object())
    throw MetadataError(w + ": a codec must be a JSON object, got " + spec.dump());
  std::string id = require_string(spec, "id", w + ": codec");
  auto it = v2_.find(id);
  if (it == v2_.end()) throw CodecError(w + ": unknown codec id '" + id + "'");
  return it->second(spec, w + ": codec '" + id + "'");
}

void register_builtin_codecs(CodecRegistry& r) {
  register_bytes_codec(r);
  register_transpose_codec(r);
  register_gzip_codec(r);
  register_zlib_codec(r);
  register_zstd_codec(r);
  register_blosc_codec(r);
  register_lz4_codec(r);
  register_crc32c_codec(r);
  register_sharding_codec(r);
}

const CodecRegistry& CodecRegistry::builtin() {
  static const CodecRegistry registry = [] {
    CodecRegistry r;
    register_builtin_codecs(r);
    return r;
  }();
  return registry;
}

}  // namespace ngff::zarr
