"""ZarrArray: a Zarr v2/v3 array with numpy-style indexing, backed by ngff's C++ core."""

from __future__ import annotations

import json

import numpy as np

from . import _ngff
from ._voxels import CoreVoxels
from .indexing import normalize_key, selection_shape


class ZarrArray(CoreVoxels):
    """A Zarr array. ``a[...]`` reads into numpy, ``a[...] = value`` writes (read-modify-write
    at chunk edges in C++). Pickles by URL, so it can be handed to dask workers."""

    def __init__(self, core: "_ngff.Array"):
        self._core = core

    # -- metadata ----------------------------------------------------------------------------
    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def zarr_format(self) -> int:
        return self._core.zarr_format

    @property
    def attrs(self) -> dict:
        return json.loads(self._core.attributes_json)

    @attrs.setter
    def attrs(self, value: dict):
        self._core.set_attributes_json(json.dumps(value))

    @property
    def fill_value(self):
        return json.loads(self._core.fill_value_json)

    def __repr__(self):
        return f"<ngff.ZarrArray {self.url} shape={self.shape} dtype={self.dtype} chunks={self.chunks}>"

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of a 0-d array")
        return self.shape[0]

    # -- data --------------------------------------------------------------------------------
    def read(self, start, shape) -> np.ndarray:
        """The box [start, start + shape) as a new C-ordered numpy array."""
        return self._core.read(list(map(int, start)), list(map(int, shape)))

    def write(self, start, data) -> None:
        data = np.asarray(data, dtype=self.dtype, order="C")  # keeps 0-d arrays 0-d
        self._core.write(list(map(int, start)), data)

    def __getitem__(self, key) -> np.ndarray:
        start, box, local, drop = normalize_key(key, self.shape)
        data = self.read(start, box)
        # Integer-indexed axes were read with length 1; their local index 0 drops them.
        return np.asarray(data[local] if local else data)

    def __setitem__(self, key, value) -> None:
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

    def __array__(self, dtype=None, copy=None):
        data = self[...]
        return data if dtype is None else data.astype(dtype)

    def to_numpy(self) -> np.ndarray:
        return self[...]

    def to_dask(self, chunks=None):
        """A dask array with one task per stored object (Zarr chunk, or shard when sharded) or
        per ``chunks``; each task reads its block in C++ without the GIL."""
        import dask.array as da
        return da.from_array(self, chunks=chunks or self.write_chunks, asarray=False, lock=False,
                             fancy=False, name=f"ngff-{self.url}-{id(self)}")

    def __reduce__(self):
        return (open_array, (self.url,))


def open_array(url: str) -> ZarrArray:
    """Opens the Zarr v2 or v3 array at ``url`` (a path or a ``file://`` URL)."""
    return ZarrArray(_ngff.Array.open(str(url)))


def create_array(url: str, shape, dtype, chunks=None, codec: str = "zstd:3", zarr_format: int = 3,
                 fill_value=None, dimension_names=None, attributes=None,
                 overwrite: bool = False, shards=None) -> ZarrArray:
    """Creates a Zarr array. ``codec`` uses ngff's spelling: raw, gzip[:L], zstd[:L],
    blosc[:CNAME[:L[:SHUFFLE]]], lz4 (v2), with +crc32c (v3). With ``shards`` (v3 only, a
    multiple of ``chunks``) the chunks are stored as inner chunks of shards, as zarr-python's
    ``create_array(chunks=..., shards=...)`` does."""
    core = _ngff.Array.create(str(url), [int(s) for s in shape], np.dtype(dtype).name,
                              None if chunks is None else [int(c) for c in chunks],
                              None if shards is None else [int(s) for s in shards], codec,
                              int(zarr_format), fill_value,
                              None if dimension_names is None else list(dimension_names),
                              json.dumps(attributes or {}), bool(overwrite))
    return ZarrArray(core)
