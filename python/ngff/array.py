"""ZarrArray: a Zarr v2/v3 array with numpy-style indexing, backed by ngff's C++ core."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, Union

import numpy as np
import numpy.typing as npt

from . import _ngff
from ._voxels import CoreVoxels
from .indexing import Key, normalize_key, selection_shape

if TYPE_CHECKING:
    import dask.array as da

#: A store location: a path, or a ``file://``, ``http(s)://``, ``s3://`` or ``zip://`` URL.
Url: TypeAlias = Union[str, "os.PathLike[str]"]
#: A fill value: a Python or numpy scalar of the array's kind (bool, int, float, complex).
FillValue: TypeAlias = Union[bool, int, float, complex, "np.generic"]


class ZarrArray(CoreVoxels):
    """A Zarr v2 or v3 array: ``a[...]`` reads into numpy, ``a[...] = value`` writes.

    Indexing is numpy's basic indexing (integers, slices with any step, ``...``). Writes that
    cover part of a chunk read, modify and write it back in C++. A ZarrArray pickles by URL, so it
    can be handed to dask workers. Get one from :func:`open_array` or :func:`create_array`.

    >>> a = ngff.create_array("a.zarr", (100, 100), "uint8", chunks=(10, 10))
    >>> a[:10, :10] = 1
    >>> a[0, :3]
    array([1, 1, 1], dtype=uint8)
    >>> a.shape, a.chunks, a.dtype
    ((100, 100), (10, 10), dtype('uint8'))
    """

    _core: _ngff.Array

    def __init__(self, core: _ngff.Array) -> None:
        self._core = core

    # -- metadata ----------------------------------------------------------------------------
    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return len(self.shape)

    @property
    def size(self) -> int:
        """The number of elements."""
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def zarr_format(self) -> int:
        """2 or 3."""
        return self._core.zarr_format

    @property
    def attrs(self) -> dict[str, Any]:
        """The user attributes (a copy; assign a new dict to replace them)."""
        attrs: dict[str, Any] = json.loads(self._core.attributes_json)
        return attrs

    @attrs.setter
    def attrs(self, value: dict[str, Any]) -> None:
        self._core.set_attributes_json(json.dumps(value))

    @property
    def fill_value(self) -> Any:
        """The fill value as JSON gives it (a number, a bool, "NaN", ...; None for v2 arrays
        without one)."""
        return json.loads(self._core.fill_value_json)

    def __repr__(self) -> str:
        return f"<ngff.ZarrArray {self.url} shape={self.shape} dtype={self.dtype} chunks={self.chunks}>"

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of a 0-d array")
        return self.shape[0]

    # -- data --------------------------------------------------------------------------------
    def read(self, start: Sequence[int], shape: Sequence[int]) -> npt.NDArray[Any]:
        """The box [start, start + shape) as a new C-ordered numpy array.

        >>> a.read((0, 0), (2, 3)).shape
        (2, 3)
        """
        return self._core.read(list(map(int, start)), list(map(int, shape)))

    def write(self, start: Sequence[int], data: npt.ArrayLike) -> None:
        """Writes ``data`` (converted to the array's dtype) into the box at ``start``.

        >>> a.write((0, 0), np.ones((2, 3)))
        """
        data = np.asarray(data, dtype=self.dtype, order="C")  # keeps 0-d arrays 0-d
        self._core.write(list(map(int, start)), data)

    def __getitem__(self, key: Key) -> npt.NDArray[Any]:
        start, box, local, drop = normalize_key(key, self.shape)
        data = self.read(start, box)
        # Integer-indexed axes were read with length 1; their local index 0 drops them.
        return np.asarray(data[local] if local else data)

    def __setitem__(self, key: Key, value: npt.ArrayLike) -> None:
        start, box, local, drop = normalize_key(key, self.shape)
        sel = selection_shape(box, local)
        kept = tuple(n for axis, n in enumerate(sel) if axis not in drop)
        value = np.broadcast_to(np.asarray(value, dtype=self.dtype), kept)
        if 0 in box:
            return
        contiguous = all(isinstance(s, int) or s.step in (None, 1) for s in local)
        if contiguous:
            self.write(start, value.reshape(sel))
            return
        block = self.read(start, box)  # strided selection: read the box, assign, write back
        block[local] = value
        self.write(start, block)

    def __array__(self, dtype: npt.DTypeLike | None = None, copy: bool | None = None
                  ) -> npt.NDArray[Any]:
        data = self[...]
        return data if dtype is None else data.astype(dtype)

    def to_numpy(self) -> npt.NDArray[Any]:
        """The whole array as numpy.

        >>> a.to_numpy().shape
        (100, 100)
        """
        return self[...]

    def to_dask(self, chunks: int | Sequence[int] | None = None) -> da.Array:
        """A dask array with one task per stored object (Zarr chunk, or shard when sharded) or
        per ``chunks``; each task reads its block in C++ without the GIL.

        >>> a.to_dask().sum().compute()
        100
        """
        import dask.array as da
        array: da.Array = da.from_array(  # type: ignore[no-untyped-call, unused-ignore]
            self, chunks=chunks or self.write_chunks, asarray=False, lock=False, fancy=False,
            name=f"ngff-{self.url}-{id(self)}")
        return array

    def __reduce__(self) -> tuple[Callable[[Url], ZarrArray], tuple[str]]:
        return (open_array, (self.url,))


def open_array(url: Url) -> ZarrArray:
    """Opens the Zarr v2 or v3 array at ``url`` (a path, ``file://``, ``http(s)://`` or ``s3://``
    URL; opened for writing where the store allows it).

    >>> a = ngff.open_array("image.ome.zarr/0")
    >>> a.shape, a.dtype
    ((2, 64, 512, 512), dtype('uint16'))
    >>> a[0, 10, :4, :4].mean()
    """
    return ZarrArray(_ngff.Array.open(str(url)))


def create_array(url: Url, shape: Sequence[int], dtype: npt.DTypeLike,
                 chunks: Sequence[int] | None = None, codec: str = "blosc:lz4:5",
                 zarr_format: int = 3, fill_value: FillValue | None = None,
                 dimension_names: Sequence[str | None] | None = None,
                 attributes: Mapping[str, Any] | None = None, overwrite: bool = False,
                 shards: Sequence[int] | None = None) -> ZarrArray:
    """Creates a Zarr array and returns it, open for reading and writing.

    ``codec`` uses ngff's spelling: raw, gzip[:L], zstd[:L], blosc[:CNAME[:L[:SHUFFLE]]], lz4
    (v2), with +crc32c (v3). ``chunks`` defaults to a chunking chosen for the shape. With
    ``shards`` (v3 only, a multiple of ``chunks``) the chunks are stored as inner chunks of
    shards, as zarr-python's ``create_array(chunks=..., shards=...)`` does. ``overwrite``
    replaces an existing array; otherwise one at ``url`` is an error.

    >>> a = ngff.create_array("volume.zarr", (512, 512, 512), "uint16", chunks=(64, 64, 64),
    ...                       shards=(256, 256, 256), dimension_names=["z", "y", "x"])
    >>> a[:256, :256, :256] = 7      # one whole shard: one object written
    """
    core = _ngff.Array.create(str(url), [int(s) for s in shape], np.dtype(dtype).name,
                              None if chunks is None else [int(c) for c in chunks],
                              None if shards is None else [int(s) for s in shards], codec,
                              int(zarr_format), fill_value,
                              None if dimension_names is None else list(dimension_names),
                              json.dumps(attributes or {}), bool(overwrite))
    return ZarrArray(core)
