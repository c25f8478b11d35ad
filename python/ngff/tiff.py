"""TIFF input: :func:`open_tiff` gives a TIFF / BigTIFF / OME-TIFF series (or a stack of 2-D
TIFFs) as lazy voxels with its metadata — axes, voxel size, units and channels from the OME-XML —
read by ngff's C++ reader (libtiff, tiles in parallel); :func:`convert` does what ``ngff convert``
does, from any source ngff reads to OME-Zarr."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from . import _ngff
from ._voxels import SpatialVoxels
from .indexing import Key, normalize_key

if TYPE_CHECKING:
    import dask.array as da
    import xarray as xr


class TiffImage(SpatialVoxels):
    """One series of a TIFF file (or a stack of 2-D TIFFs): lazy voxels, axes among t, c, z, y, x,
    voxel size and units from the OME-XML, channel names and colours as ``omero``. Read it with
    numpy indexing, :meth:`to_numpy`, :meth:`to_dask` or :meth:`to_xarray` (a spatial image:
    physical coordinates with units), then write it with :func:`ngff.write_image`.

    >>> tif = ngff.open_tiff("cells.ome.tif")
    >>> tif.dims, tif.scale, tif.units["x"]
    (('c', 'z', 'y', 'x'), (1.0, 2.0, 0.325, 0.325), 'micrometer')
    >>> ngff.write_image("cells.ome.zarr", tif.to_xarray())
    """

    _core: _ngff.TiffSeries

    def __init__(self, core: _ngff.TiffSeries, stack_axis: str) -> None:
        self._core = core
        self._stack_axis = stack_axis

    @property
    def path(self) -> str:
        """The file (or, for a stack, the folder or pattern) this series was opened from."""
        return self._core.path

    @property
    def series(self) -> int:
        """The series' index in the file (0 for a plain TIFF or a stack)."""
        return self._core.index

    @property
    def series_count(self) -> int:
        """How many series the file holds (OME-TIFF images)."""
        return self._core.series_count

    @property
    def name(self) -> str:
        """The series' name (the OME Image Name, else the file name)."""
        return self._core.name

    @property
    def ndim(self) -> int:
        """The number of axes."""
        return len(self.shape)

    @property
    def axes(self) -> list[dict[str, str]]:
        """The OME axes: name, type and unit of each."""
        return [dict(a) for a in self._core.axes]

    @property
    def scale(self) -> tuple[float, ...]:
        """The physical size of a voxel along each axis (1 where the file says nothing)."""
        return tuple(self._core.scale)

    @property
    def translation(self) -> tuple[float, ...]:
        """The physical position of the first voxel's centre (0 for TIFF input)."""
        return tuple(self._core.translation)

    @property
    def omero(self) -> dict[str, Any] | None:
        """Channel names, colours and windows (OME-Zarr "omero"), when the OME-XML names them."""
        text = self._core.omero_json
        return None if text is None else json.loads(text)

    @property
    def ome_xml(self) -> str:
        """The file's OME-XML ("" for a plain TIFF)."""
        return self._core.ome_xml

    @property
    def notes(self) -> list[str]:
        """What the reader ignored, e.g. reduced-resolution pages (ngff builds its own pyramid)."""
        return list(self._core.notes)

    def __repr__(self) -> str:
        return (f"<ngff.TiffImage {self.path} series {self.series} dims={self.dims} "
                f"shape={self.shape} dtype={self.dtype}>")

    def __reduce__(self) -> tuple[Any, tuple[str, int, str]]:
        # dask.distributed workers reopen the file by path.
        return open_tiff, (self.path, self.series, self._stack_axis)

    def __getitem__(self, key: Key) -> npt.NDArray[Any]:
        start, box, local, _ = normalize_key(key, self.shape)
        data = self._core.read(start, box)
        return np.asarray(data[local] if local else data)

    def to_numpy(self, region: Key | None = None) -> npt.NDArray[Any]:
        """The series (or ``region``, numpy-style) as numpy."""
        return self[region if region is not None else ...]

    def to_dask(self, chunks: int | Sequence[int] | None = None) -> da.Array:
        """A dask array reading a block of planes per task (``chunks`` to choose)."""
        import dask.array as da
        if chunks is None:
            block = list(self.chunks)
            # Whole planes, up to ~64 MiB per task: a task per row of tiles is too fine. The
            # leading extents (all samples of interleaved pixels on c) count too.
            block[-2:] = self.shape[-2:]
            if len(block) > 2:
                plane = int(np.prod(block[-2:])) * int(np.prod(block[:-3])) * self.dtype.itemsize
                block[-3] = max(1, min(self.shape[-3], (64 << 20) // max(plane, 1)))
            chunks = tuple(block)
        return da.from_array(self, chunks=chunks, asarray=True, fancy=False,
                             name=f"ngff-tiff-{self.path}-{self.series}")

    def to_xarray(self, chunks: int | Sequence[int] | None = None) -> xr.DataArray:
        """An xarray.DataArray over dask with physical coordinates, units and channel names
        (spatial-image compatible): :func:`ngff.write_image` keeps them."""
        labels = [c.get("label") for c in (self.omero or {}).get("channels", [])]
        return self._xarray(self.to_dask(chunks), self.name or "image", {},
                            {"c": labels} if all(labels) else {})


def open_tiff(path: str, series: int = 0, stack_axis: str = "z") -> TiffImage:
    """Opens a TIFF, BigTIFF or OME-TIFF file (``series`` of a multi-series OME-TIFF), or a folder
    or glob of 2-D TIFFs stacked along ``stack_axis`` ("z", "t" or "c"), as a lazy
    :class:`TiffImage`. Nothing is read until voxels are asked for.

    >>> ngff.open_tiff("planes/*.tif", stack_axis="t").dims
    ('t', 'y', 'x')
    """
    return TiffImage(_ngff.open_tiff(str(path), series, stack_axis), stack_axis)


def convert(src: str, dst: str, *, ome_version: str | None = None,
            zarr_format: int | None = None, levels: int | None = None, method: str | None = None,
            chunks: Sequence[int] | None = None, shards: Sequence[int] | None = None,
            codec: str | None = None, overwrite: bool = False, memory_mib: float = 256.0,
            series: int | None = None, stack_axis: str = "z") -> dict[str, Any]:
    """What ``ngff convert SRC DST`` does, with the same options: a TIFF / OME-TIFF (or folder or
    glob of 2-D TIFFs) to an OME-Zarr pyramid (several OME series: a bioformats2raw layout, or
    ``series=N``); an OME-Zarr image, plate, well or bioformats2raw root between versions, chunks,
    shards and codecs, optionally with a rebuilt pyramid (``levels``, ``method``); or any Zarr
    tree. Streams within ``memory_mib`` on all cores; the cost of sparse sources follows their
    stored chunks. Returns what was written: source ("tiff", "ome-zarr", "zarr"), kind, images,
    labels, groups, arrays, notes.

    >>> ngff.convert("stack.ome.tif", "stack.ome.zarr", levels=5, method="gaussian")["kind"]
    'image'
    >>> ngff.convert("v04.zarr", "v05.zarr", ome_version="0.5", shards=[1, 256, 1024, 1024])
    """
    return dict(_ngff.convert(
        str(src), str(dst), ome_version=ome_version, zarr_format=zarr_format, levels=levels,
        method=method, chunks=None if chunks is None else list(chunks),
        shards=None if shards is None else list(shards), codec=codec, overwrite=overwrite,
        memory_mib=memory_mib, series=series, stack_axis=stack_axis))
