"""write_image and write_labels: numpy, dask and xarray inputs to OME-Zarr with a pyramid.

numpy goes straight to the C++ pyramid writer (streaming, all cores). dask input is never
materialised: the image and its empty levels are created first, then the current dask scheduler
(a dask.distributed cluster if a Client is active) runs one task per block of whole Zarr chunks
for level 0 and one task per output block for each further level (computed from the level before
in C++)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeAlias, Union

import numpy as np
import numpy.typing as npt

from . import _ngff
from .array import Url, open_array
from .image import LabelImage, MultiscaleImage
from .spatial import (channel_names, coordinate_units, datatree_levels, is_datatree,
                      level_transform, omero_with_channel_names)

if TYPE_CHECKING:
    import dask.array as da
    import xarray as xr
    from typing_extensions import TypeIs

#: How each level is computed from the one before.
DownsampleMethod: TypeAlias = Literal["nearest", "mean", "gaussian", "mode", "min", "max"]
#: How a label image's levels are computed: the most frequent label of each block, or its first.
LabelMethod: TypeAlias = Literal["mode", "nearest"]
#: Label colours: {label value: (r, g, b, a)} (0..255 each), or the OME list
#: [{"label-value": 1, "rgba": [255, 0, 0, 255]}, ...].
LabelColors: TypeAlias = Union[Mapping[int, Sequence[int]], Sequence[Mapping[str, Any]]]
#: Label properties: {label value: {"class": ...}}, or the OME list
#: [{"label-value": 1, "class": ...}, ...].
LabelProperties: TypeAlias = Union[Mapping[int, Mapping[str, Any]], Sequence[Mapping[str, Any]]]
#: The OME-NGFF version written: 0.4 (Zarr v2), 0.5 or 0.6 (Zarr v3).
OmeVersion: TypeAlias = Literal["0.4", "0.5", "0.6"]
#: Axes: letters of "tczyx" ("czyx"), or a list of names or OME axis dicts
#: ({"name": "x", "type": "space", "unit": "micrometer"}).
Axes: TypeAlias = Union[str, Sequence[Union[str, Mapping[str, Any]]]]


class ArrayWithShape(Protocol):
    """Anything numpy can read that has a shape: numpy arrays, ngff.ZarrArray, zarr arrays..."""

    @property
    def shape(self) -> tuple[int, ...]: ...

    def __array__(self) -> npt.NDArray[Any]: ...


#: What write_image takes: a numpy (or numpy-readable) array, a dask array or an xarray.DataArray.
ImageData: TypeAlias = Union[ArrayWithShape, "da.Array", "xr.DataArray"]
#: ... and, written level by level as they are, a multiscale-spatial-image DataTree.
MultiscaleData: TypeAlias = Union[ImageData, "xr.DataTree"]

_SPATIAL_IMAGE_ORDER = "tczyx"


def _axes_arg(axes: Axes | None, ndim: int) -> str | list[Mapping[str, Any]]:
    if axes is None:
        if ndim > 5:
            raise ValueError("axes are required for arrays with more than 5 dimensions")
        return _SPATIAL_IMAGE_ORDER[-ndim:]
    if isinstance(axes, str):
        if len(axes) != ndim:
            raise ValueError(f"axes {axes!r} name {len(axes)} dimensions, the data has {ndim}")
        return axes
    listed: list[Mapping[str, Any]] = [a if isinstance(a, dict) else {"name": str(a)}
                                       for a in axes]
    if len(listed) != ndim:
        raise ValueError(f"{len(listed)} axes for {ndim} dimensions")
    return listed


def _from_xarray(data: xr.DataArray, axes: Axes | None, scale: Sequence[float] | None,
                 translation: Sequence[float] | None, units: Mapping[str, str] | None
                 ) -> tuple[Any, Axes | None, Sequence[float], Sequence[float], Mapping[str, str]]:
    """dims, physical coordinates and units of an xarray.DataArray (spatial-image style)."""
    dims = [str(d) for d in data.dims]
    if axes is None:
        axes = "".join(dims) if all(len(d) == 1 for d in dims) else dims
    found_scale, found_translation = level_transform(data, None)
    return (data.data, axes, found_scale if scale is None else scale,
            found_translation if translation is None else translation,
            coordinate_units(data) if units is None else units)


def write_image(url: Url, data: MultiscaleData, axes: Axes | None = None,
                scale: Sequence[float] | None = None, translation: Sequence[float] | None = None,
                units: Mapping[str, str] | None = None, levels: int = 0,
                method: DownsampleMethod = "mean", chunks: Sequence[int] | None = None,
                shards: Sequence[int] | None = None, codec: str = "blosc:lz4:5",
                ome_version: OmeVersion = "0.5", name: str = "image",
                omero: Mapping[str, Any] | None = None, overwrite: bool = False,
                memory_mib: float = 512) -> MultiscaleImage:
    """Writes ``data`` as an OME-Zarr image with a pyramid and returns the written image.

    ``data`` is a numpy array (or anything numpy reads that has a shape), a dask array (written
    chunk-parallel by the current dask scheduler, never materialised), an xarray.DataArray such
    as a spatial image (dims, physical coordinates, units and channel names, from string "c"
    coordinates, taken from it), or a multiscale-spatial-image DataTree ("scale0/image",
    "scale1/image", ...: its levels written as they are, each level's coordinates becoming its
    scale and translation, nothing recomputed; ``levels`` and ``method`` do not apply).

    ``axes`` is a string of letters ("czyx"; default: the last letters of "tczyx") or a list of
    names or OME axis dicts; ``scale`` and ``translation`` give each axis's voxel size and
    origin; ``units`` maps axis names to units ({"x": "micrometer"}). ``levels`` is the number
    of levels in all (0: until the largest space extent is at most 64), each built from the one
    before by ``method``. ``chunks``/``shards`` set the storage layout (shards: Zarr v3 only),
    ``codec`` the compression (ngff's spelling, as in :func:`create_array`), ``ome_version`` 0.4
    (Zarr v2) or 0.5 (Zarr v3), ``omero`` the channel metadata. ``memory_mib`` bounds the memory
    of the numpy writer. A ``.ozx``/``.zip`` URL writes a zipped OME-Zarr, finished on return
    (numpy input only).

    >>> volume = np.random.randint(0, 4096, (2, 64, 512, 512), dtype=np.uint16)
    >>> um = "micrometer"
    >>> img = ngff.write_image("image.ome.zarr", volume, axes="czyx", scale=(1, 2.0, 0.5, 0.5),
    ...                        units={"z": um, "y": um, "x": um}, levels=3,
    ...                        omero={"channels": [{"label": "DAPI"}, {"label": "GFP"}]})
    >>> [level.shape for level in img]
    [(2, 64, 512, 512), (2, 32, 256, 256), (2, 16, 128, 128)]
    >>> ngff.write_image("big.ome.zarr", da.zeros((4096, 4096), chunks=1024), axes="yx")
    """
    if is_datatree(data):
        return _write_datatree(str(url), data, axes, units, chunks, shards, codec, ome_version,
                               name, omero, overwrite)
    try:
        import xarray as xr
        if isinstance(data, xr.DataArray):
            omero = omero_with_channel_names(omero, channel_names(data))
            data, axes, scale, translation, units = _from_xarray(data, axes, scale, translation,
                                                                 units)
    except ImportError:
        pass
    ndim = len(data.shape)
    axes_arg = _axes_arg(axes, ndim)
    scale_list = None if scale is None else [float(s) for s in scale]
    translation_list = None if translation is None else [float(t) for t in translation]
    units_dict = None if units is None else dict(units)
    omero_json = None if omero is None else json.dumps(omero)
    chunk_list = None if chunks is None else [int(c) for c in chunks]
    shard_list = None if shards is None else [int(s) for s in shards]
    if _is_dask(data):
        if _is_zip(str(url)):
            # dask tasks write chunks independently; a zip has one writer that finishes it.
            raise _ngff.UsageError(
                f"write_image: dask input cannot be written into the zip {url}; write it to a "
                "folder and ngff.copy() that into the zip, or pass numpy data")
        return _write_dask(str(url), data, axes_arg, scale_list, translation_list, units_dict,
                           levels, method, chunk_list, shard_list, codec, ome_version, name,
                           omero_json, overwrite)
    array = np.asarray(data, order="C")
    if array.dtype.byteorder not in ("=", "|"):
        array = array.astype(array.dtype.newbyteorder("="))
    core = _ngff.write_image(str(url), array, axes_arg, scale_list, translation_list, units_dict,
                             int(levels), method, chunk_list, shard_list, codec, ome_version, name,
                             omero_json, bool(overwrite), float(memory_mib))
    return MultiscaleImage(core)


def _is_zip(url: str) -> bool:
    """Whether ``url`` names a zip store (a segment ending in .ozx or .zip, or zip://)."""
    return url.startswith("zip://") or any(
        part.lower().endswith((".ozx", ".zip")) for part in url.split("/"))


def _is_dask(data: object) -> TypeIs[da.Array]:
    return type(data).__module__.startswith("dask.") and hasattr(data, "chunks")


def _blocks(shape: Sequence[int], block: Sequence[int]
            ) -> Iterator[tuple[list[int], list[int]]]:
    """Start/shape of the blocks of ``block`` tiling ``shape`` (C order)."""
    import itertools
    ranges = [range(0, n, b) for n, b in zip(shape, block)]
    for start in itertools.product(*ranges):
        yield list(start), [min(b, n - s) for s, b, n in zip(start, block, shape)]


def _write_dask(url: str, data: Any, axes: str | list[Mapping[str, Any]],
                scale: list[float] | None, translation: list[float] | None,
                units: dict[str, str] | None, levels: int, method: str, chunks: list[int] | None,
                shards: list[int] | None, codec: str, ome_version: str, name: str,
                omero_json: str | None, overwrite: bool) -> MultiscaleImage:
    """Writes the dask array ``data`` chunk-parallel into a new image's levels (``data`` is typed
    Any: the dask Array methods used here are not annotated)."""
    data = _native(data)
    image = _ngff.create_image_levels(url, list(data.shape), np.dtype(data.dtype).name, axes,
                                      scale, translation, units, int(levels), method, chunks,
                                      shards, codec, ome_version, name, omero_json,
                                      bool(overwrite))
    _fill_levels(image, data, method)
    return MultiscaleImage(_ngff.Image.open(url))


def _native(data: Any) -> Any:
    """The dask array ``data`` in native byte order."""
    dtype = np.dtype(data.dtype)
    if dtype.byteorder not in ("=", "|"):
        return data.astype(dtype.newbyteorder("="))
    return data


def _fill_levels(image: _ngff.Image, data: Any, method: str) -> None:
    """Fills the empty levels of ``image`` (create_image_levels, create_label_levels) from the
    dask array ``data``: level 0 stored block by block, then each level from the one before, one
    task per block of whole chunks."""
    from dask.base import compute as dask_compute
    from dask.delayed import delayed as dask_delayed

    delayed: Any = dask_delayed  # not annotated in dask: called through Any
    compute: Any = dask_compute

    level_urls = [lv.url for lv in image.levels]
    _store_level(data, level_urls[0])
    # Further levels: one task per output block of whole chunks, from the level before.
    factors = _factors(image.levels)
    for k in range(1, len(level_urls)):
        out = open_array(level_urls[k])
        tasks = [delayed(_downsample_block)(level_urls[k - 1], level_urls[k], start, shape,
                                            factors[k], method)
                 for start, shape in _blocks(out.shape, out.write_chunks)]
        compute(*tasks)


def _store_level(data: Any, url: str) -> None:
    """Stores the dask array ``data`` into the level array at ``url``, one dask task per block of
    whole stored objects (chunks, or shards when sharded), so that no two tasks touch one
    object."""
    import dask.array as da
    target = open_array(url)
    aligned = tuple(max(c, (b // c) * c) for b, c in zip(
        (max(bs) for bs in data.chunks), target.write_chunks))
    da.store(data.rechunk(aligned), target, lock=False, compute=True)


def _write_datatree(url: str, tree: xr.DataTree, axes: Axes | None,
                    units: Mapping[str, str] | None, chunks: Sequence[int] | None,
                    shards: Sequence[int] | None, codec: str, ome_version: str, name: str,
                    omero: Mapping[str, Any] | None, overwrite: bool) -> MultiscaleImage:
    """Writes the levels of a multiscale-spatial-image DataTree as they are: each level's shape,
    and the scale and translation of its coordinates, with no level recomputed; the voxels are
    stored by the current dask scheduler."""
    import dask.array as da
    if _is_zip(url):
        raise _ngff.UsageError(
            f"write_image: a DataTree cannot be written into the zip {url}; write it to a "
            "folder and ngff.copy() that into the zip")
    levels = datatree_levels(tree)
    base = levels[0]
    dims = [str(d) for d in base.dims]
    shapes: list[list[int]] = []
    scales: list[list[float]] = []
    translations: list[list[float]] = []
    previous: tuple[list[float], list[int]] | None = None
    for k, level in enumerate(levels):
        if [str(d) for d in level.dims] != dims or level.dtype != base.dtype:
            raise _ngff.UsageError(
                f"write_image: DataTree level {k} has dims {tuple(level.dims)} and dtype "
                f"{level.dtype}, level 0 {tuple(dims)} and {base.dtype}")
        scale, translation = level_transform(level, previous)
        shapes.append([int(n) for n in level.shape])
        scales.append(scale)
        translations.append(translation)
        previous = (scale, shapes[-1])
    if axes is None:
        axes = "".join(dims) if all(len(d) == 1 for d in dims) else dims
    if units is None:
        units = coordinate_units(base)
    if omero is None:
        omero = tree.attrs.get("omero") or omero_with_channel_names(None, channel_names(base))
    image = _ngff.create_image_with_levels(
        url, shapes, np.dtype(base.dtype).newbyteorder("=").name, _axes_arg(axes, len(dims)),
        scales, translations, dict(units), None if chunks is None else [int(c) for c in chunks],
        None if shards is None else [int(s) for s in shards], codec, ome_version, name,
        None if omero is None else json.dumps(omero), bool(overwrite))
    for level, core_level in zip(levels, image.levels):
        data = level.data
        if not _is_dask(data):
            data = da.from_array(np.asarray(data), chunks=open_array(core_level.url).write_chunks)
        _store_level(_native(data), core_level.url)
    return MultiscaleImage(_ngff.Image.open(url))


def _downsample_block(src_url: str, dst_url: str, out_start: list[int], out_shape: list[int],
                      factors: list[int], method: str) -> None:
    """A picklable task function (nanobind functions cannot be pickled for dask workers)."""
    _ngff.downsample_block(src_url, dst_url, out_start, out_shape, factors, method)


def _factors(levels: Sequence[_ngff.Level]) -> list[list[int]]:
    """The integer factors between consecutive levels, from their shapes' scales (none for
    level 0)."""
    out: list[list[int]] = [[]]
    for k in range(1, len(levels)):
        prev, cur = levels[k - 1].scale, levels[k].scale
        out.append([int(round(c / p)) for p, c in zip(prev, cur)])
    return out


def _label_axes(axes: str | Sequence[str] | None, ndim: int, image: MultiscaleImage
                ) -> list[str]:
    """The label image's axis names: given, else the image's (without its channel axis when the
    data has one dimension fewer)."""
    if axes is not None:
        names = list(axes) if isinstance(axes, str) else [str(a) for a in axes]
        if len(names) != ndim:
            raise _ngff.UsageError(f"write_labels: {len(names)} axes for {ndim} dimensions")
        return names
    dims = list(image.dims)
    if ndim == len(dims):
        return dims
    channels = [a["name"] for a in image.axes if a.get("type") == "channel"]
    if ndim == len(dims) - 1 and len(channels) == 1:
        return [d for d in dims if d != channels[0]]
    raise _ngff.UsageError(
        f"write_labels: the data has {ndim} dimensions and the image {len(dims)} "
        f"({''.join(dims) if all(len(d) == 1 for d in dims) else dims}); name the label axes "
        "with axes=")


def _image_label_json(colors: LabelColors | None, properties: LabelProperties | None,
                      source: Mapping[str, Any] | None) -> str:
    """The "image-label" object: colours and properties in the OME list form."""
    label: dict[str, Any] = {}
    if colors is not None:
        if isinstance(colors, Mapping):
            label["colors"] = [{"label-value": int(k), "rgba": [int(c) for c in v]}
                               for k, v in colors.items()]
        else:
            label["colors"] = [dict(c) for c in colors]
    if properties is not None:
        if isinstance(properties, Mapping):
            label["properties"] = [{"label-value": int(k), **dict(v)}
                                   for k, v in properties.items()]
        else:
            label["properties"] = [dict(p) for p in properties]
    if source is not None:
        label["source"] = dict(source)
    return json.dumps(label, default=_json_scalar)


def _json_scalar(value: Any) -> Any:
    """numpy scalars (label values and properties from numpy) as Python numbers."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def write_labels(image: Url | MultiscaleImage, name: str, data: ImageData,
                 axes: str | Sequence[str] | None = None, colors: LabelColors | None = None,
                 properties: LabelProperties | None = None,
                 source: Mapping[str, Any] | None = None, levels: int = 0,
                 method: LabelMethod = "mode", chunks: Sequence[int] | None = None,
                 shards: Sequence[int] | None = None, codec: str = "blosc:lz4:5",
                 overwrite: bool = False, memory_mib: float = 512) -> LabelImage:
    """Writes ``data`` (integers) as the label image ``name`` of ``image`` (an image's URL or a
    :class:`MultiscaleImage`): into the image's "labels" group, which lists it, in the image's
    OME-NGFF version, with "image-label" metadata. Returns the label image.

    ``data`` is numpy, dask (written chunk-parallel by the current dask scheduler) or an
    xarray.DataArray (its dims name the axes), in the image's space: ``axes`` names the label's
    axes among the image's (default: the image's, or the image's without its channel axis when
    ``data`` has one dimension fewer); each extent is the image's or 1. Scale, translation and
    units are the image's.

    ``colors`` maps label values to RGBA ({1: (255, 0, 0, 255)}), ``properties`` label values to
    their properties ({1: {"class": "nucleus"}}); both also take the OME list form
    ([{"label-value": 1, "rgba": [...]}]). ``source`` defaults to {"image": "../../"}.
    ``levels`` (0: as many as the image, with its factors) are built by ``method``: "mode" or
    "nearest" only (a mean of labels is no label; anything else raises :class:`UsageError`, a
    ValueError). ``chunks``, ``shards``, ``codec`` and ``memory_mib`` are as for
    :func:`write_image`; ``overwrite`` replaces a label image of that name.

    >>> img = ngff.open_image("image.ome.zarr")                  # czyx
    >>> cells = ngff.write_labels(img, "cells", segmentation,    # zyx uint32
    ...                           colors={1: (255, 0, 0, 255)},
    ...                           properties={1: {"class": "nucleus"}})
    >>> list(ngff.open_image("image.ome.zarr").labels), cells.colors
    (['cells'], {1: (255, 0, 0, 255)})
    """
    img = image if isinstance(image, MultiscaleImage) else MultiscaleImage(
        _ngff.Image.open(str(image)))
    try:
        import xarray as xr
        if isinstance(data, xr.DataArray):
            if axes is None:
                axes = [str(d) for d in data.dims]
            data = data.data
    except ImportError:
        pass
    axis_names = _label_axes(axes, len(data.shape), img)
    label_json = _image_label_json(colors, properties, source)
    chunk_list = None if chunks is None else [int(c) for c in chunks]
    shard_list = None if shards is None else [int(s) for s in shards]
    if _is_dask(data):
        if _is_zip(img.url):
            raise _ngff.UsageError(
                f"write_labels: dask input cannot be written into the zip {img.url}; pass numpy "
                "data")
        data = _native(data)
        core = _ngff.create_label_levels(img.url, name, list(data.shape),
                                         np.dtype(data.dtype).name, axis_names, int(levels),
                                         method, chunk_list, shard_list, codec, label_json,
                                         bool(overwrite))
        _fill_levels(core, data, method)
        return LabelImage(_ngff.Image.open(core.url))
    array = np.asarray(data, order="C")
    if array.dtype.byteorder not in ("=", "|"):
        array = array.astype(array.dtype.newbyteorder("="))
    core = _ngff.write_labels(img.url, name, array, axis_names, int(levels), method, chunk_list,
                              shard_list, codec, label_json, bool(overwrite), float(memory_mib))
    return LabelImage(core)
