// TIFF, BigTIFF and OME-TIFF files, and stacks of 2-D TIFFs, as SpatialImages: lazy voxels read
// with libtiff (strips or tiles, every compression and sample format it decodes) and the metadata
// of the OME-XML when there is one (dimension order and sizes, physical sizes and units, channel
// names and colours, one series per OME Image). The images feed write_image / `ngff convert`
// like any other source. Reduced-resolution pages (SubIFDs, or pages flagged as reduced images)
// are not read: ngff builds its own pyramid.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngff/image/spatial_image.hpp"
#include "ngff/ome/omero.hpp"

namespace ngff::image {

// One image of a TIFF file: axes among t, c, z, y, x (in that order, extents of 1 dropped except
// y and x); samples per pixel (RGB, ...) and OME channels are the c axis.
struct TiffSeries {
  SpatialImage image;
  std::optional<ome::Omero> omero{};  // channel labels and colours, when the OME-XML has them
  uint32_t samples_per_pixel = 1;     // 3 for RGB pages
};

struct TiffFile {
  std::string path;
  bool bigtiff = false;
  bool ome = false;     // the first page's ImageDescription is OME-XML
  std::string ome_xml;  // that OME-XML ("" without)
  std::vector<TiffSeries> series;
  std::vector<std::string> notes;  // what was ignored, e.g. reduced-resolution pages
};

// Opens `path`. Plain TIFFs: pages of equal size and type are one series stacked along z (or t
// when `stack_axis` is 't', c when 'c'); OME-TIFFs: one series per OME Image with the axes,
// scale and units its Pixels element gives. Throws StoreError for an unreadable file,
// MetadataError naming the file and page for what cannot be imported (mixed page sizes without
// OME-XML, bit depths other than 8/16/32/64, malformed OME-XML). Palette images give their
// indices.
TiffFile open_tiff(const std::string& path, char stack_axis = 'z');

// 2-D TIFFs (all of one size and type) stacked along `stack_axis` ('z', 't' or 'c'), in the
// given order; multi-sample pages put their samples on c (then `stack_axis` may not be 'c').
TiffSeries open_tiff_stack(const std::vector<std::string>& files, char stack_axis = 'z');

// The files a TIFF input names: a folder's *.tif / *.tiff files, or the matches of a glob
// pattern (wildcards in the file name only), in natural order ("img2" before "img10"); a
// single file as itself. Throws UsageError when nothing matches.
std::vector<std::string> tiff_inputs(const std::string& pattern_or_folder);

// Whether `path` names a TIFF input: a .tif/.tiff/.btf/.tf8 file, a glob pattern with such
// an extension, or a folder holding TIFF files.
bool is_tiff_input(std::string_view path);

}  // namespace ngff::image
