"""What ZarrArray and ImageLevel share: the voxel layout of the C++ object they wrap."""

from __future__ import annotations

import numpy as np


class CoreVoxels:
    """Shape, dtype, chunks and URL read from ``self._core`` (an ``_ngff.Array`` or ``Level``)."""

    _core = None

    @property
    def url(self) -> str:
        return self._core.url

    @property
    def shape(self) -> tuple:
        return tuple(self._core.shape)

    @property
    def dtype(self) -> np.dtype:
        return np.dtype(self._core.dtype)

    @property
    def chunks(self) -> tuple:
        return tuple(self._core.chunks)
