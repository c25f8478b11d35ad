"""ngff: OME-Zarr images and Zarr v2/v3 arrays for Python, read and written by a C++ core.

Images (OME-Zarr 0.4 and 0.5, multiscale pyramids with their metadata)
    open_image(url, series=0) -> MultiscaleImage
        The levels (``img[0]`` is full resolution), axes, scale, translation, units, omero
        channels and label images.
    write_image(url, data, axes=..., scale=..., levels=...) -> MultiscaleImage
        numpy, dask or xarray input written with a pyramid (mean, gaussian, mode, ...).
    write_labels(image, name, data, colors=..., properties=...) -> LabelImage
        a label image (integers) into the image's "labels" group, its pyramid by mode or
        nearest; img.labels["cells"] reads it back (a LabelImage: levels as for any image, and
        its colors, properties and source).

Plates (high-content screening, OME-Zarr 0.4 and 0.5)
    open_plate(url) -> Plate
        rows, columns, wells["A/1"].fields (images), and plate.to_dask(field, level) /
        to_xarray(...): the whole plate with leading row/col dims.
    write_plate(url, {"A/1": [field0, field1], ...}, rows=..., columns=..., version=...)

Validation (every OME-NGFF version, image, labels, plate, well, bioformats2raw)
    validate(url, strict=False, deep=False) -> list[Problem]
        each problem with severity, node URL, JSON path, rule and message; deep reads every
        chunk. validation_report(url, ...) -> dict: the verdict (`ngff validate --json`).

Views of a level (ImageLevel): never without their metadata
    level.to_numpy(region=None)   a numpy array (the whole level or a numpy-style region)
    level.to_dask()               a lazy dask array, one task per chunk (or shard)
    level.to_xarray()             a dask-backed xarray.DataArray with physical coordinates
    level.to_spatial_image()      the same as a spatial image (named "image", dims in tczyx)
    img.to_multiscale_spatial_image() / open_multiscale_spatial_image(url)
                                  a multiscale-spatial-image DataTree (scale0/image, ...);
                                  write_image takes one back, its levels as they are

Pictures
    render(url_or_image, size=(1024, 1024), z=..., mip=..., channels=..., labels=...)
        an RGB uint8 numpy array of one plane, channels in their omero colours and windows,
        a label image over them (``ngff render`` writes the same as a PNG).

Plain Zarr arrays (v2 and v3, sharded or not)
    open_array(url) -> ZarrArray     ``a[...]`` reads numpy, ``a[...] = value`` writes
    create_array(url, shape, dtype, chunks=..., shards=..., codec=...) -> ZarrArray

Stores
    A url is a path, a file://, http(s)://, s3:// or zip:// URL; a .ozx or .zip path is a
    zipped store. copy(src, dst) copies any store or node to any other, in parallel and
    resumably.

Errors
    Every error is an NgffError carrying the C++ message, which names the URL or key:
    StoreError (also an OSError) and its KeyNotFoundError (also a KeyError); InvalidKeyError,
    MetadataError, CodecError, ValidationError and UsageError (also ValueErrors).

Example (tests/python/test_py_typing.py runs it)::

    >>> import ngff, numpy as np
    >>> data = np.random.default_rng(0).integers(0, 4096, (2, 16, 256, 256), dtype=np.uint16)
    >>> img = ngff.write_image("cells.ome.zarr", data, axes="czyx", scale=(1, 2.0, 0.5, 0.5),
    ...                        units={"x": "micrometer", "y": "micrometer"}, levels=3)
    >>> img = ngff.open_image("cells.ome.zarr")
    >>> img.dims, [level.shape for level in img]
    (('c', 'z', 'y', 'x'), [(2, 16, 256, 256), (2, 8, 128, 128), (2, 4, 64, 64)])
    >>> img[1].scale, img.units
    ((1.0, 4.0, 1.0, 1.0), {'y': 'micrometer', 'x': 'micrometer'})
    >>> img[0].to_numpy((0, 8)).shape                 # channel 0, plane 8
    (256, 256)
    >>> img[1].to_dask().chunksize                    # one dask task per chunk
    (1, 8, 128, 128)
    >>> a = ngff.open_array("cells.ome.zarr/0")       # the level-0 Zarr array
    >>> a[0, 0, :2, :2] = 7
    >>> int(a[0, 0, 1, 1])
    7
    >>> ngff.copy("cells.ome.zarr", "cells.ozx")["objects"]   # a zipped copy
    10

Reads and writes run in C++ with the GIL released; dask graphs built here read and write whole
chunks per task, so they scale out on dask.distributed. The package is typed (py.typed).
"""

# From project(ngff VERSION ...) in CMakeLists.txt; "as" re-exports it for type checkers.
from ._ngff import __version__ as __version__
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
from .image import (ImageLevel, LabelImage, Labels, MultiscaleImage, open_image,
                    open_multiscale_spatial_image)
from .plate import Plate, Well, open_plate, write_plate
from .render import render
from .tiff import TiffImage, convert, open_tiff
from .validate import Problem, validate, validation_report
from .write import write_image, write_labels

__all__ = [
    "open_image", "open_multiscale_spatial_image", "write_image", "write_labels", "open_plate",
    "write_plate", "open_array", "create_array", "copy", "convert", "open_tiff", "validate",
    "validation_report", "render", "TiffImage",
    "MultiscaleImage", "LabelImage", "Labels", "ImageLevel", "Plate", "Well", "ZarrArray",
    "Problem",
    "NgffError", "StoreError", "KeyNotFoundError", "InvalidKeyError", "MetadataError",
    "CodecError", "ValidationError", "UsageError",
]
