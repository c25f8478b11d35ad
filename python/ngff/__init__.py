"""ngff: OME-Zarr and Zarr v2/v3 for Python, backed by a C++ core.

    import ngff
    img = ngff.open_image(url)          # MultiscaleImage: levels, axes, scale, units, omero, labels
    arr = img[0].to_numpy()             # or img[0].to_dask(), img[0].to_xarray()
    ngff.write_image(url, data, axes="czyx", scale=(1, 0.5, 0.1, 0.1), levels=4)
    a = ngff.open_array(url)            # a plain Zarr array: a[...] -> numpy, a[...] = numpy
    ngff.copy("img.zarr", "img.ozx")    # any store to any store, resumable

Reads and writes run in C++ with the GIL released; dask graphs built here read and write whole
chunks per task, so they scale out on dask.distributed.
"""

from ._ngff import __version__  # noqa: F401  (from project(ngff VERSION ...) in CMakeLists.txt)
from ._ngff import (  # noqa: F401  (re-exported exception types)
    CodecError,
    InvalidKeyError,
    KeyNotFoundError,
    MetadataError,
    NgffError,
    StoreError,
    UsageError,
    ValidationError,
    copy,
)
from .array import ZarrArray, create_array, open_array
from .image import ImageLevel, MultiscaleImage, open_image
from .write import write_image

__all__ = [
    "open_image", "write_image", "open_array", "create_array", "copy",
    "MultiscaleImage", "ImageLevel", "ZarrArray",
    "NgffError", "StoreError", "KeyNotFoundError", "InvalidKeyError", "MetadataError",
    "CodecError", "ValidationError", "UsageError",
]
