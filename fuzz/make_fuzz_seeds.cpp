// Writes the seed corpora of the fuzz targets into DIR/<target>/: valid inputs produced by ngff
// itself (a chunk of every array in chunk_configs.hpp, those arrays' metadata, OME image
// attributes in both layouts, a small zip, an S3 listing, range answers), so the fuzzer starts
// from inputs that reach deep into each parser. The spec's example documents are added by
// scripts/fuzz.sh when the fixtures are present.
// Usage: make_fuzz_seeds DIR
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

#include "chunk_configs.hpp"
#include "ngff/ome/image_attributes.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/store/zip_store.hpp"
#include "ngff/zarr/array.hpp"

namespace fs = std::filesystem;
using namespace ngff;

namespace {

void write_seed(const fs::path& dir, const std::string& name, ByteView bytes) {
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

void write_seed(const fs::path& dir, const std::string& name, std::string_view text) {
  write_seed(dir, name, as_bytes(text));
}

// A chunk 0 of each configuration, prefixed by the configuration's index (the target's first
// byte), and the configuration's metadata prefixed by the byte that selects its document key.
void chunk_and_metadata_seeds(const fs::path& root) {
  uint8_t index = 0;
  for (const auto& config : fuzz::kChunkConfigs) {
    auto store = std::make_shared<MemoryStore>();
    store->set(config.key, as_bytes(config.metadata));
    auto array = zarr::Array::open(store);
    std::vector<std::byte> data(zarr::product(array.shape()) * zarr::dtype_size(array.dtype()));
    for (size_t i = 0; i < data.size(); ++i)
      data[i] = static_cast<std::byte>((i / 7) % 13 + (i % 97 == 0 ? 100 : 0));
    array.write(zarr::Region::whole(array.shape()), data.data());
    Bytes seed{static_cast<std::byte>(index)};
    auto chunk = store->get(config.chunk).value();
    seed.insert(seed.end(), chunk.begin(), chunk.end());
    write_seed(root / "fuzz_chunk_decode", "config" + std::to_string(index), seed);

    Bytes metadata{static_cast<std::byte>(config.key == "zarr.json" ? 0 : 1)};
    auto text = as_bytes(config.metadata);
    metadata.insert(metadata.end(), text.begin(), text.end());
    write_seed(root / "fuzz_zarr_metadata", "array" + std::to_string(index), metadata);
    ++index;
  }
  write_seed(root / "fuzz_zarr_metadata", "group_v3",
             std::string("\0", 1) + R"({"zarr_format": 3, "node_type": "group"})");
  write_seed(root / "fuzz_zarr_metadata", "group_v2", std::string("\2") + R"({"zarr_format": 2})");
}

void ome_seeds(const fs::path& root) {
  const char* image = R"({"multiscales": [{"version": "0.4", "name": "img",
    "axes": [{"name": "c", "type": "channel"}, {"name": "z", "type": "space", "unit": "micrometer"},
             {"name": "y", "type": "space", "unit": "micrometer"},
             {"name": "x", "type": "space", "unit": "micrometer"}],
    "datasets": [{"path": "0", "coordinateTransformations": [{"type": "scale",
                   "scale": [1, 0.5, 0.25, 0.25]}, {"type": "translation", "translation": [0, 1, 2, 3]}]},
                 {"path": "1", "coordinateTransformations": [{"type": "scale",
                   "scale": [1, 1, 0.5, 0.5]}]}],
    "coordinateTransformations": [{"type": "scale", "scale": [1, 2, 1, 1]}]}],
    "omero": {"channels": [{"label": "DAPI", "color": "0000FF", "active": true,
              "window": {"start": 0, "end": 100, "min": 0, "max": 65535}}],
              "rdefs": {"model": "color"}},
    "image-label": {"version": "0.4", "colors": [{"label-value": 1, "rgba": [255, 0, 0, 255]}],
                    "properties": [{"label-value": 1, "class": "cell"}],
                    "source": {"image": "../../"}}})";
  auto attributes = ome::ImageAttributes::from_json(Json::parse(image), "seed");
  write_seed(root / "fuzz_ome_metadata", "image_0.4",
             attributes.to_json(ome::Version::v0_4).dump());
  write_seed(root / "fuzz_ome_metadata", "image_0.5",
             attributes.to_json(ome::Version::v0_5).dump());
  write_seed(root / "fuzz_ome_metadata", "labels", R"({"labels": ["cells", "nuclei"]})");
}

void zip_seed(const fs::path& root) {
  fs::path path =
      fs::temp_directory_path() / ("ngff_fuzz_seed_" + std::to_string(getpid()) + ".ozx");
  {
    auto zip = ZipStore::create(path);
    zip->set("zarr.json", as_bytes(R"({"zarr_format": 3, "node_type": "group"})"));
    zip->set("0/c/0/0", as_bytes(std::string(300, 'a') + "tail"));
    zip->set("0/zarr.json", as_bytes(fuzz::kChunkConfigs[0].metadata));
    zip->close();
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  fs::remove(path);
  write_seed(root / "fuzz_zip", "small.ozx", bytes);
}

void remote_seeds(const fs::path& root) {
  write_seed(root / "fuzz_s3_list", "page",
             R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>
<Prefix>img.zarr/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter>
<IsTruncated>true</IsTruncated><NextContinuationToken>1a&amp;2</NextContinuationToken>
<Contents><Key>img.zarr/zarr.json</Key><Size>120</Size></Contents>
<CommonPrefixes><Prefix>img.zarr/0/</Prefix></CommonPrefixes></ListBucketResult>)");
  // offset 2, length 3 (little-endian), flags (bit 0 suffix, bit 1 status 206), header, body.
  write_seed(root / "fuzz_http_range", "partial",
             std::string("\2\0\3\0\2", 5) + "bytes 2-4/8\ncde");
  write_seed(root / "fuzz_http_range", "suffix", std::string("\0\0\3\0\3", 5) + "bytes 5-7/*\nfgh");
  write_seed(root / "fuzz_http_range", "whole", std::string("\2\0\3\0\0", 5) + "\nabcdefgh");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_fuzz_seeds DIR\n";
    return 2;
  }
  try {
    fs::path root = argv[1];
    chunk_and_metadata_seeds(root);
    ome_seeds(root);
    zip_seed(root);
    remote_seeds(root);
  } catch (const std::exception& e) {
    std::cerr << "make_fuzz_seeds: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
