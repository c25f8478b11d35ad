// Writes the seed corpora of the fuzz targets into DIR/<target>/: valid inputs produced by ngff
// itself (a chunk of every array in chunk_configs.hpp, those arrays' metadata, OME image
// attributes in both layouts, a small zip, an S3 listing, range answers, small TIFFs and an
// OME-TIFF written by libtiff), so the fuzzer starts
// from inputs that reach deep into each parser. The spec's example documents are added by
// scripts/fuzz.sh when the fixtures are present.
// Usage: make_fuzz_seeds DIR
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <tiffio.h>
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

// One small TIFF written by libtiff: `pages` pages of width x height, `samples` samples of
// `bits` bits (`format` SAMPLEFORMAT_*), tiled (16x16) or in strips of 4 rows, with a
// compression and optionally an ImageDescription.
struct TiffSeed {
  std::string name;
  uint32_t width = 24, height = 20;
  uint16_t samples = 1, bits = 8, format = SAMPLEFORMAT_UINT;
  uint16_t compression = COMPRESSION_NONE;
  bool tiled = false, planar_separate = false, bigtiff = false;
  uint32_t pages = 1;
  std::string description;
};

void write_tiff_seed(const fs::path& dir, const TiffSeed& seed) {
  fs::path path =
      fs::temp_directory_path() / ("ngff_fuzz_seed_" + std::to_string(getpid()) + ".tif");
  TIFF* tif = TIFFOpen(path.c_str(), seed.bigtiff ? "w8" : "w");
  if (!tif) throw std::runtime_error("cannot write " + path.string());
  const size_t sample_bytes = seed.bits / 8u;
  for (uint32_t page = 0; page < seed.pages; ++page) {
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, seed.width);
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, seed.height);
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, seed.samples);
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, seed.bits);
    TIFFSetField(tif, TIFFTAG_SAMPLEFORMAT, seed.format);
    TIFFSetField(tif, TIFFTAG_COMPRESSION, seed.compression);
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC,
                 seed.samples == 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK);
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG,
                 seed.planar_separate ? PLANARCONFIG_SEPARATE : PLANARCONFIG_CONTIG);
    if (page == 0 && !seed.description.empty())
      TIFFSetField(tif, TIFFTAG_IMAGEDESCRIPTION, seed.description.c_str());
    if (seed.pages > 1) TIFFSetField(tif, TIFFTAG_PAGENUMBER, page, seed.pages);
    const uint16_t per_block = seed.planar_separate ? 1 : seed.samples;
    const uint16_t planes = seed.planar_separate ? seed.samples : 1;
    if (seed.tiled) {
      TIFFSetField(tif, TIFFTAG_TILEWIDTH, 16u);
      TIFFSetField(tif, TIFFTAG_TILELENGTH, 16u);
      std::vector<uint8_t> tile(16 * 16 * per_block * sample_bytes);
      for (uint16_t s = 0; s < planes; ++s)
        for (uint32_t y = 0; y < seed.height; y += 16)
          for (uint32_t x = 0; x < seed.width; x += 16) {
            for (size_t i = 0; i < tile.size(); ++i)
              tile[i] = static_cast<uint8_t>((i / 3 + x + y + page + s) % 251);
            TIFFWriteTile(tif, tile.data(), x, y, 0, s);
          }
    } else {
      TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 4u);
      std::vector<uint8_t> row(seed.width * per_block * sample_bytes);
      for (uint16_t s = 0; s < planes; ++s)
        for (uint32_t y = 0; y < seed.height; ++y) {
          for (size_t i = 0; i < row.size(); ++i)
            row[i] = static_cast<uint8_t>((i / 5 + y + page + s) % 251);
          TIFFWriteScanline(tif, row.data(), y, s);
        }
    }
    TIFFWriteDirectory(tif);
  }
  TIFFClose(tif);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  fs::remove(path);
  write_seed(dir, seed.name, bytes);
}

void tiff_seeds(const fs::path& root) {
  const fs::path dir = root / "fuzz_tiff";
  write_tiff_seed(dir, {.name = "strips_u8.tif"});
  write_tiff_seed(dir, {.name = "tiles_u16_deflate.tif",
                        .width = 40,
                        .height = 20,
                        .bits = 16,
                        .compression = COMPRESSION_ADOBE_DEFLATE,
                        .tiled = true});
  write_tiff_seed(dir, {.name = "rgb_lzw.tif", .samples = 3, .compression = COMPRESSION_LZW});
  write_tiff_seed(dir, {.name = "planar_packbits.tif",
                        .samples = 2,
                        .compression = COMPRESSION_PACKBITS,
                        .planar_separate = true});
  write_tiff_seed(dir,
                  {.name = "stack_f32.tif", .bits = 32, .format = SAMPLEFORMAT_IEEEFP, .pages = 3});
  write_tiff_seed(dir, {.name = "big_i16_zstd.tif",
                        .bits = 16,
                        .format = SAMPLEFORMAT_INT,
                        .compression = COMPRESSION_ZSTD,
                        .tiled = true,
                        .bigtiff = true});
  const std::string ome =
      R"(<?xml version="1.0" encoding="UTF-8"?>)"
      R"(<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06">)"
      R"(<Image ID="Image:0" Name="seed"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" )"
      R"(Type="uint16" SizeX="24" SizeY="20" SizeZ="2" SizeC="2" SizeT="1" )"
      R"(PhysicalSizeX="0.5" PhysicalSizeXUnit="µm" PhysicalSizeY="0.5" PhysicalSizeZ="2">)"
      R"(<Channel ID="Channel:0:0" Name="DAPI" Color="65535" SamplesPerPixel="1"/>)"
      R"(<Channel ID="Channel:0:1" Name="GFP" Color="16711935" SamplesPerPixel="1"/>)"
      R"(<TiffData IFD="0" PlaneCount="4"/></Pixels></Image></OME>)";
  write_tiff_seed(dir, {.name = "ome_zc.ome.tif", .bits = 16, .pages = 4, .description = ome});
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
    tiff_seeds(root);
  } catch (const std::exception& e) {
    std::cerr << "make_fuzz_seeds: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
