// Maps codec names (v3) and ids (v2 numcodecs) to factories. Registration is explicit
// (register_builtin_codecs) rather than by static initialisers, which a linker may drop.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "zarr/codec.hpp"

namespace ngff::zarr {

class CodecRegistry {
 public:
  // `configuration` is the v3 "configuration" object (an empty object when absent); `where`
  // names the metadata document and codec for errors.
  using V3Factory = std::function<CodecPtr(const Json& configuration, std::string_view where)>;
  // `config` is the whole v2 object, including "id".
  using V2Factory = std::function<CodecPtr(const Json& config, std::string_view where)>;

  void add_v3(std::string name, V3Factory factory);
  void add_v2(std::string id, V2Factory factory);

  // Throws CodecError "unknown codec 'x'" naming `where`.
  CodecPtr make_v3(const Json& spec, std::string_view where) const;
  CodecPtr make_v2(const Json& spec, std::string_view where) const;

  bool has_v3(std::string_view name) const { return v3_.contains(std::string(name)); }

  // The registry with every codec ngff ships.
  static const CodecRegistry& builtin();

 private:
  std::map<std::string, V3Factory> v3_;
  std::map<std::string, V2Factory> v2_;
};

void register_builtin_codecs(CodecRegistry& registry);

// One registration function per codec file.
void register_bytes_codec(CodecRegistry& registry);
void register_transpose_codec(CodecRegistry& registry);
void register_gzip_codec(CodecRegistry& registry);
void register_zlib_codec(CodecRegistry& registry);
void register_zstd_codec(CodecRegistry& registry);
void register_blosc_codec(CodecRegistry& registry);
void register_lz4_codec(CodecRegistry& registry);
void register_crc32c_codec(CodecRegistry& registry);
void register_sharding_codec(CodecRegistry& registry);

}  // namespace ngff::zarr
