#include "zarr/codec_pipeline.hpp"

#include <cstring>

#include "ngff/error.hpp"
#include "zarr/codec_registry.hpp"
#include "zarr/codecs/bytes_codec.hpp"
#include "zarr/codecs/sharding_codec.hpp"
#include "zarr/codecs/transpose_codec.hpp"

namespace ngff::zarr {

struct CodecPipeline::Stages {
  std::vector<std::shared_ptr<const ArrayToArrayCodec>> a2a;
  std::shared_ptr<const ArrayToBytesCodec> a2b;
  std::vector<std::shared_ptr<const BytesToBytesCodec>> b2b;
};

namespace {

using Stages = CodecPipeline::Stages;

void add_stage(Stages& s, const CodecPtr& codec, const std::string& where) {
  if (auto a2a = std::dynamic_pointer_cast<const ArrayToArrayCodec>(codec)) {
    if (s.a2b)
      throw MetadataError(where + ": array->array codec '" + codec->name() +
                          "' must come before the array->bytes codec");
    s.a2a.push_back(a2a);
  } else if (auto a2b = std::dynamic_pointer_cast<const ArrayToBytesCodec>(codec)) {
    if (s.a2b)
      throw MetadataError(where + ": more than one array->bytes codec ('" + s.a2b->name() +
                          "' and '" + codec->name() + "')");
    s.a2b = a2b;
  } else if (auto b2b = std::dynamic_pointer_cast<const BytesToBytesCodec>(codec)) {
    if (!s.a2b)
      throw MetadataError(where + ": bytes->bytes codec '" + codec->name() +
                          "' must come after an array->bytes codec");
    s.b2b.push_back(b2b);
  }
}

Stages v3_stages(const Json& codecs, const std::string& w) {
  const auto& registry = CodecRegistry::builtin();
  Stages s;
  if (!codecs.is_array()) throw MetadataError(w + ": 'codecs' must be an array");
  for (const auto& spec : codecs) add_stage(s, registry.make_v3(spec, w), w);
  if (!s.a2b) throw MetadataError(w + ": 'codecs' has no array->bytes codec (e.g. \"bytes\")");
  return s;
}

}  // namespace

CodecPipeline CodecPipeline::from_v3(const Json& codecs, const ChunkRepr& chunk,
                                     const FillValue& fill, int depth, std::string_view where) {
  std::string w(where);
  return build(v3_stages(codecs, w), chunk, fill, depth, w);
}

CodecPipeline CodecPipeline::for_array(const ArrayMetadata& m, std::string_view where) {
  std::string w(where);
  const auto& registry = CodecRegistry::builtin();
  Stages s;
  if (m.zarr_format == 3) {
    s = v3_stages(m.codecs, w);
  } else {
    if (m.v2_order == 'F' && m.rank() > 1) {
      std::vector<size_t> order(m.rank());
      for (size_t i = 0; i < order.size(); ++i) order[i] = order.size() - 1 - i;
      s.a2a.push_back(std::make_shared<TransposeCodec>(order));
    }
    s.a2b = std::make_shared<BytesCodec>(m.v2_endian);
    if (m.v2_filters.is_array())
      for (const auto& f : m.v2_filters) {
        auto codec = registry.make_v2(f, w + ": filters");
        auto b2b = std::dynamic_pointer_cast<const BytesToBytesCodec>(codec);
        if (!b2b) throw CodecError(w + ": filter '" + codec->name() + "' is not supported");
        s.b2b.push_back(b2b);
      }
    if (m.v2_compressor.is_object()) {
      auto codec = registry.make_v2(m.v2_compressor, w + ": compressor");
      auto b2b = std::dynamic_pointer_cast<const BytesToBytesCodec>(codec);
      if (!b2b) throw CodecError(w + ": compressor '" + codec->name() + "' is not supported");
      s.b2b.push_back(b2b);
    }
  }
  return build(std::move(s), ChunkRepr{m.chunk_shape, m.dtype}, m.fill_value, 0, w);
}

CodecPipeline CodecPipeline::build(Stages s, const ChunkRepr& chunk, const FillValue& fill,
                                   int depth, const std::string& w) {
  CodecPipeline p;
  p.chunk_ = chunk;
  ChunkRepr repr = p.chunk_;
  for (const auto& c : s.a2a) {
    p.array_to_array_input_.push_back(repr);
    try {
      repr = c->encoded_repr(repr);
    } catch (const CodecError& e) {
      throw MetadataError(w + ": " + e.what());
    }
  }
  p.array_to_array_ = std::move(s.a2a);
  p.array_to_bytes_ = std::move(s.a2b);
  auto bytes = std::dynamic_pointer_cast<const BytesCodec>(p.array_to_bytes_);
  if (bytes && p.array_to_array_.empty() && bytes->decodes_in_place(repr))
    p.in_place_bytes_ = bytes;
  if (auto sharding = std::dynamic_pointer_cast<const ShardingCodec>(p.array_to_bytes_)) {
    // Shards see the chunk as the array->array codecs left it (a transposed shape, say).
    auto bound = sharding->bind(repr, fill, depth, w);
    p.sharding_ = bound.get();
    p.array_to_bytes_ = std::move(bound);
  }
  p.array_to_bytes_input_ = repr;
  p.bytes_to_bytes_ = std::move(s.b2b);
  p.compress_caller_chunk_ =
      p.in_place_bytes_ && !p.bytes_to_bytes_.empty() && p.in_place_bytes_->encodes_unchanged(repr);
  return p;
}

Bytes CodecPipeline::encode(ByteView chunk) const {
  Bytes scratch_a, scratch_b;
  ByteView current = chunk;
  for (size_t i = 0; i < array_to_array_.size(); ++i) {
    Bytes& out = (i % 2 == 0) ? scratch_a : scratch_b;
    out.resize(chunk.size());
    array_to_array_[i]->encode(array_to_array_input_[i], current, out);
    current = out;
  }
  size_t first = 0;
  Bytes bytes;
  if (compress_caller_chunk_) {
    bytes = bytes_to_bytes_[0]->encode(current, array_to_bytes_input_);
    first = 1;
  } else {
    bytes = array_to_bytes_->encode(array_to_bytes_input_, current);
  }
  for (size_t i = first; i < bytes_to_bytes_.size(); ++i)
    bytes = bytes_to_bytes_[i]->encode(bytes, array_to_bytes_input_);
  return bytes;
}

void CodecPipeline::decode(ByteView encoded, MutableByteView out) const {
  Bytes owned;
  ByteView bytes = encoded;
  if (in_place_bytes_ && !bytes_to_bytes_.empty()) {
    // The hot path: decompress straight into the caller's buffer, then swap bytes there.
    for (size_t i = bytes_to_bytes_.size(); i-- > 1;) {
      owned = bytes_to_bytes_[i]->decode(bytes, array_to_bytes_input_);
      bytes = owned;
    }
    bytes_to_bytes_[0]->decode_into(bytes, out, array_to_bytes_input_);
    in_place_bytes_->decode_in_place(array_to_bytes_input_, out);
    return;
  }
  for (size_t i = bytes_to_bytes_.size(); i-- > 0;) {
    owned = bytes_to_bytes_[i]->decode(bytes, array_to_bytes_input_);
    bytes = owned;
  }
  if (array_to_array_.empty()) {
    array_to_bytes_->decode(array_to_bytes_input_, bytes, out);
    return;
  }
  Bytes a(out.size()), b;
  array_to_bytes_->decode(array_to_bytes_input_, bytes, a);
  for (size_t i = array_to_array_.size(); i-- > 0;) {
    if (i == 0) {
      array_to_array_[i]->decode(array_to_array_input_[i], a, out);
    } else {
      b.resize(out.size());
      array_to_array_[i]->decode(array_to_array_input_[i], a, b);
      std::swap(a, b);
    }
  }
}

void CodecPipeline::decode_in_place(MutableByteView chunk) const {
  in_place_bytes_->decode_in_place(array_to_bytes_input_, chunk);
}

const ShardingCodec* CodecPipeline::sharding() const {
  return array_to_array_.empty() && bytes_to_bytes_.empty() ? sharding_ : nullptr;
}

const ShardingCodec* CodecPipeline::any_sharding() const {
  return sharding_;
}

Json CodecPipeline::to_json() const {
  Json j = Json::array();
  for (const auto& c : array_to_array_) j.push_back(c->to_json());
  j.push_back(array_to_bytes_->to_json());
  for (const auto& c : bytes_to_bytes_) j.push_back(c->to_json());
  return j;
}

}  // namespace ngff::zarr
