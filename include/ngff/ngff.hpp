// The whole public API of ngff in one include. Layers, bottom up (each uses only those below it):
//   store  bytes by key: open_store(url), Store, FileStore, MemoryStore, HttpStore, S3Store,
//          ZipStore, CachingStore, copy_keys
//   zarr   Zarr v2/v3 arrays and groups: Array, Group, ArrayMetadata, DataType, Region, convert
//   ome    OME-NGFF metadata as typed C++: axes, transforms, multiscales, omero, labels
//   image  images that keep their metadata: SpatialImage, MultiscaleImage, write_image,
//          downsampling, convert_image
// docs/api.md says what each header is for.
#pragma once

#include "ngff/error.hpp"
#include "ngff/image/convert_image.hpp"
#include "ngff/image/downsample.hpp"
#include "ngff/image/image_summary.hpp"
#include "ngff/image/multiscale_image.hpp"
#include "ngff/image/samples.hpp"
#include "ngff/image/spatial_image.hpp"
#include "ngff/image/voxel_source.hpp"
#include "ngff/image/write_image.hpp"
#include "ngff/ome/axes.hpp"
#include "ngff/ome/copy_hierarchy.hpp"
#include "ngff/ome/finish_store.hpp"
#include "ngff/ome/image_attributes.hpp"
#include "ngff/ome/labels.hpp"
#include "ngff/ome/multiscales.hpp"
#include "ngff/ome/named_children.hpp"
#include "ngff/ome/omero.hpp"
#include "ngff/ome/transforms.hpp"
#include "ngff/ome/version.hpp"
#include "ngff/store/bytes.hpp"
#include "ngff/store/caching_store.hpp"
#include "ngff/store/copy.hpp"
#include "ngff/store/file_store.hpp"
#include "ngff/store/http_store.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/store/open_store.hpp"
#include "ngff/store/s3_store.hpp"
#include "ngff/store/store.hpp"
#include "ngff/store/zip_store.hpp"
#include "ngff/util/json.hpp"
#include "ngff/zarr/array.hpp"
#include "ngff/zarr/array_metadata.hpp"
#include "ngff/zarr/array_spec.hpp"
#include "ngff/zarr/chunk_key_encoding.hpp"
#include "ngff/zarr/codec_spelling.hpp"
#include "ngff/zarr/convert.hpp"
#include "ngff/zarr/dtype.hpp"
#include "ngff/zarr/fill_value.hpp"
#include "ngff/zarr/group.hpp"
#include "ngff/zarr/node.hpp"
#include "ngff/zarr/node_summary.hpp"
#include "ngff/zarr/region.hpp"
#include "ngff/zarr/region_spelling.hpp"
