"""write_image: numpy, dask and xarray inputs to OME-Zarr with a pyramid.

numpy goes straight to the C++ pyramid writer (streaming, all cores). dask input is never
materialised: the image and its empty levels are created first, then the current dask scheduler
(a dask.distributed cluster if a Client is active) runs one task per block of whole Zarr chunks
for level 0 and one task per output block for each further level (computed from the level before
in C++)."""

from __future__ import annotations

import json

import numpy as np

from . import _ngff
from .array import open_array
from .image import MultiscaleImage

_SPATIAL_IMAGE_ORDER = "tczyx"


def _axes_arg(axes, ndim):
    if axes is None:
        if ndim > 5:
            raise ValueError("axes are required for arrays with more than 5 dimensions")
        return _SPATIAL_IMAGE_ORDER[-ndim:]
    if isinstance(axes, str):
        if len(axes) != ndim:
            raise ValueError(f"axes {axes!r} name {len(axes)} dimensions, the data has {ndim}")
        return axes
    axes = [a if isinstance(a, dict) else {"name": str(a)} for a in axes]
    if len(axes) != ndim:
        raise ValueError(f"{len(axes)} axes for {ndim} dimensions")
    return axes


def _from_xarray(data, axes, scale, translation, units):
    """dims, physical coordinates and units of an xarray.DataArray (spatial-image style)."""
    dims = [str(d) for d in data.dims]
    if axes is None:
        axes = "".join(dims) if all(len(d) == 1 for d in dims) else dims
    if scale is None or translation is None:
        sc, tr = [], []
        for d in dims:
            c = data.coords.get(d)
            if c is not None and c.size >= 2 and np.issubdtype(c.dtype, np.number):
                v = np.asarray(c.values, dtype=float)
                sc.append(float(v[1] - v[0]))
                tr.append(float(v[0]))
            else:
                sc.append(1.0)
                tr.append(float(c.values[0]) if c is not None and c.size == 1
                          and np.issubdtype(c.dtype, np.number) else 0.0)
        scale = sc if scale is None else scale
        translation = tr if translation is None else translation
    if units is None:
        units = {}
        for d in dims:
            c = data.coords.get(d)
            if c is not None:
                u = c.attrs.get("units") or c.attrs.get("unit")
                if u:
                    units[d] = u
    return data.data, axes, scale, translation, units


def write_image(url, data, axes=None, scale=None, translation=None, units=None, levels: int = 0,
                method: str = "mean", chunks=None, shards=None, codec: str = "zstd:3",
                ome_version: str = "0.5", name: str = "image", omero=None,
                overwrite: bool = False, memory_mib: float = 512) -> MultiscaleImage:
    """Writes ``data`` (numpy, dask or xarray) as an OME-Zarr image with ``levels`` levels in all
    (0: until the largest space extent is at most 64), built by ``method`` (nearest, mean,
    gaussian, mode, min, max). ``axes`` is a string of letters ("czyx") or a list of OME axis
    dicts; ``units`` maps axis names to units ({"x": "micrometer"}). Returns the written image."""
    try:
        import xarray as xr
        if isinstance(data, xr.DataArray):
            data, axes, scale, translation, units = _from_xarray(data, axes, scale, translation,
                                                                 units)
    except ImportError:
        pass
    ndim = len(data.shape)
    axes = _axes_arg(axes, ndim)
    scale = None if scale is None else [float(s) for s in scale]
    translation = None if translation is None else [float(t) for t in translation]
    omero_json = None if omero is None else json.dumps(omero)
    chunks = None if chunks is None else [int(c) for c in chunks]
    shards = None if shards is None else [int(s) for s in shards]
    if _is_dask(data):
        if _is_zip(str(url)):
            # dask tasks write chunks independently; a zip has one writer that finishes it.
            raise _ngff.UsageError(
                f"write_image: dask input cannot be written into the zip {url}; write it to a "
                "folder and ngff.copy() that into the zip, or pass numpy data")
        return _write_dask(str(url), data, axes, scale, translation, units, levels, method, chunks,
                           shards, codec, ome_version, name, omero_json, overwrite)
    array = np.asarray(data, order="C")
    if array.dtype.byteorder not in ("=", "|"):
        array = array.astype(array.dtype.newbyteorder("="))
    core = _ngff.write_image(str(url), array, axes, scale, translation, units, int(levels), method,
                             chunks, shards, codec, ome_version, name, omero_json, bool(overwrite),
                             float(memory_mib))
    return MultiscaleImage(core)


def _is_zip(url: str) -> bool:
    """Whether ``url`` names a zip store (a segment ending in .ozx or .zip, or zip://)."""
    return url.startswith("zip://") or any(
        part.lower().endswith((".ozx", ".zip")) for part in url.split("/"))


def _is_dask(data) -> bool:
    return type(data).__module__.startswith("dask.") and hasattr(data, "chunks")


def _blocks(shape, block):
    """Start/shape of the blocks of ``block`` tiling ``shape`` (C order)."""
    import itertools
    ranges = [range(0, n, b) for n, b in zip(shape, block)]
    for start in itertools.product(*ranges):
        yield list(start), [min(b, n - s) for s, b, n in zip(start, block, shape)]


def _write_dask(url, data, axes, scale, translation, units, levels, method, chunks, shards,
                codec, ome_version, name, omero_json, overwrite):
    import dask
    import dask.array as da

    dtype = np.dtype(data.dtype)
    if dtype.byteorder not in ("=", "|"):
        data = data.astype(dtype.newbyteorder("="))
    image = _ngff.create_image_levels(url, list(data.shape), np.dtype(data.dtype).name, axes,
                                      scale, translation, units, int(levels), method, chunks,
                                      shards, codec, ome_version, name, omero_json,
                                      bool(overwrite))
    level_urls = [lv.url for lv in image.levels]
    level0 = open_array(level_urls[0])
    # Level 0: dask blocks aligned to whole stored objects (chunks, or shards when sharded), so
    # no two tasks touch one object.
    aligned = tuple(max(c, (b // c) * c) for b, c in zip(
        (max(bs) for bs in data.chunks), level0.write_chunks))
    da.store(data.rechunk(aligned), level0, lock=False, compute=True)
    # Further levels: one task per output block of whole chunks, from the level before.
    factors = _factors(image.levels)
    for k in range(1, len(level_urls)):
        out = open_array(level_urls[k])
        tasks = [dask.delayed(_downsample_block)(level_urls[k - 1], level_urls[k], start, shape,
                                                 factors[k], method)
                 for start, shape in _blocks(out.shape, out.write_chunks)]
        dask.compute(*tasks)
    return MultiscaleImage(_ngff.Image.open(url))


def _downsample_block(*args):
    """A picklable task function (nanobind functions cannot be pickled for dask workers)."""
    _ngff.downsample_block(*args)


def _factors(levels):
    """The integer factors between consecutive levels, from their shapes' scales."""
    out = [None]
    for k in range(1, len(levels)):
        prev, cur = levels[k - 1].scale, levels[k].scale
        out.append([int(round(c / p)) for p, c in zip(prev, cur)])
    return out
