"""What ZarrArray, ImageLevel and TiffImage share: the voxel layout of the C++ object they wrap;
and what ImageLevel and TiffImage share: axes with a scale and translation, so physical
coordinates and an xarray view."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from . import _ngff

if TYPE_CHECKING:
    import dask.array as da
    import xarray as xr


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


class SpatialVoxels(CoreVoxels):
    """Voxels on OME axes with a voxel size and an origin (``self._core``: an ``_ngff.Level`` or
    ``TiffSeries``): dims, units, physical coordinates and the xarray view built from them."""

    _core: _ngff.Level | _ngff.TiffSeries

    @property
    def dims(self) -> tuple[str, ...]:
        """The axis names, e.g. ("c", "z", "y", "x")."""
        return tuple(str(a["name"]) for a in self._core.axes)

    @property
    def units(self) -> dict[str, str]:
        """The unit of each axis that has one, by axis name."""
        return {str(a["name"]): unit for a in self._core.axes if (unit := a.get("unit"))}

    def _physical_scale_translation(self) -> tuple[list[float], list[float]]:
        """The voxel size and first voxel centre per axis that :meth:`coords` uses."""
        return list(self._core.scale), list(self._core.translation)

    def coords(self) -> dict[str, npt.NDArray[np.floating[Any]]]:
        """Physical coordinates of voxel centres per axis: translation + index * scale; for an
        image level with an axis-aligned affine (OME-NGFF 0.6), in the affine's target system."""
        scale, translation = self._physical_scale_translation()
        return {d: translation[i] + np.arange(self.shape[i]) * scale[i]
                for i, d in enumerate(self.dims)}

    def _xarray(self, data: da.Array, name: str, attrs: Mapping[str, Any],
                channel_labels: Mapping[str, Sequence[Any]]) -> xr.DataArray:
        """``data`` (these voxels) as an xarray.DataArray named ``name``: one coordinate per
        axis, the physical one (:meth:`coords`) with the axis' type and unit in its attrs, or the
        names ``channel_labels`` gives the axis when it names every index; the array's attrs
        are scale, translation and units, then ``attrs``."""
        import xarray as xr
        coords: dict[str, xr.Variable] = {}
        physical = self.coords()
        for i, axis in enumerate(self._core.axes):
            dim = str(axis["name"])
            values: npt.NDArray[Any] = physical[dim]
            axis_attrs: dict[str, Any] = {k: axis[k] for k in ("type", "unit") if axis.get(k)}
            if axis.get("unit"):
                axis_attrs["units"] = axis["unit"]
            labels = channel_labels.get(dim)
            if labels is not None and len(labels) == self.shape[i]:
                values = np.asarray(labels, dtype=object)
            coords[dim] = xr.Variable((dim,), values, axis_attrs)
        all_attrs = {"scale": list(self._core.scale), "translation": list(self._core.translation),
                     "units": self.units, **attrs}
        return xr.DataArray(data, dims=self.dims, coords=coords, name=name, attrs=all_attrs)
