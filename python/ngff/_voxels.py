"""What ZarrArray and ImageLevel share: the voxel layout of the C++ object they wrap."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _ngff


class CoreVoxels:
    """Shape, dtype, chunks and URL read from ``self._core`` (an ``_ngff.Array``, ``Level`` or
    ``TiffSeries``)."""

    _core: _ngff.Array | _ngff.Level | _ngff.TiffSeries

    @property
    def url(self) -> str:
        """Where the voxels are stored (the array's URL; for a level, its array's)."""
        return self._core.url

    @property
    def shape(self) -> tuple[int, ...]:
        """The number of voxels along each axis."""
        return tuple(self._core.shape)

    @property
    def dtype(self) -> np.dtype[Any]:
        """The numpy dtype of the voxels (native byte order)."""
        return np.dtype(self._core.dtype)

    @property
    def chunks(self) -> tuple[int, ...]:
        """The chunk shape; for a sharded array, the inner chunks (read one by one)."""
        return tuple(self._core.chunks)

    @property
    def shards(self) -> tuple[int, ...] | None:
        """The shard shape of a sharded array (the unit of storage), else None."""
        s = self._core.shards
        return None if s is None else tuple(s)

    @property
    def write_chunks(self) -> tuple[int, ...]:
        """The smallest block that can be written without touching a neighbour's object: the
        shard when sharded, else the chunk. Parallel writers must split work along it."""
        return self.shards or self.chunks
