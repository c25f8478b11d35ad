"""OME-Zarr images: levels as numpy, dask or xarray, never without their metadata."""

from __future__ import annotations

import json

import numpy as np

from . import _ngff
from ._voxels import CoreVoxels
from .array import ZarrArray, open_array


class ImageLevel(CoreVoxels):
    """One pyramid level: lazy voxels with axes, scale, translation and units (a spatial image)."""

    def __init__(self, core: "_ngff.Level", image: "MultiscaleImage", index: int):
        self._core = core
        self.image = image
        self.index = index

    @property
    def dims(self) -> tuple:
        return tuple(a["name"] for a in self._core.axes)

    @property
    def axes(self) -> list:
        return [dict(a) for a in self._core.axes]

    @property
    def scale(self) -> tuple:
        return tuple(self._core.scale)

    @property
    def translation(self) -> tuple:
        return tuple(self._core.translation)

    @property
    def units(self) -> dict:
        return {a["name"]: a.get("unit") for a in self._core.axes if a.get("unit")}

    @property
    def path(self) -> str:
        return self._core.path

    def __repr__(self):
        return (f"<ngff.ImageLevel {self.index} of {self.image.url} dims={self.dims} "
                f"shape={self.shape} scale={self.scale}>")

    def array(self) -> ZarrArray:
        return open_array(self.url)

    def coords(self) -> dict:
        """Physical coordinates of voxel centres per axis: translation + index * scale."""
        return {d: self.translation[i] + np.arange(self.shape[i]) * self.scale[i]
                for i, d in enumerate(self.dims)}

    def to_numpy(self, region=None) -> np.ndarray:
        """The level (or ``region``: a tuple of slices/ints, numpy-style) as numpy."""
        if region is None:
            return self._core.read([0] * len(self.shape), list(self.shape))
        return self.array()[region]

    def to_dask(self, chunks=None):
        """A dask array with one task per Zarr chunk (or per ``chunks``)."""
        return self.array().to_dask(chunks)

    def to_xarray(self, chunks=None):
        """An xarray.DataArray over dask: dims named by the axes, coords in physical units
        (translation + index * scale), units and axis types in the coordinates' attrs; channel
        coordinates are the omero labels when present (spatial-image compatible)."""
        import xarray as xr
        coords = {}
        physical = self.coords()
        for i, axis in enumerate(self.axes):
            name = axis["name"]
            values = physical[name]
            attrs = {k: axis[k] for k in ("type", "unit") if axis.get(k)}
            if axis.get("unit"):
                attrs["units"] = axis["unit"]
            if axis.get("type") == "channel":
                labels = self.image.channel_labels()
                if labels and len(labels) == self.shape[i]:
                    values = np.asarray(labels, dtype=object)
            coords[name] = xr.Variable((name,), values, attrs)
        return xr.DataArray(self.to_dask(chunks), dims=self.dims, coords=coords,
                            name=self.image.name,
                            attrs={"scale": list(self.scale), "translation": list(self.translation),
                                   "units": self.units, "ome_level": self.index,
                                   "ome_version": self.image.version})


class MultiscaleImage:
    """An OME-Zarr 0.4 or 0.5 image: ``img[i]`` is level i (0 = full resolution)."""

    def __init__(self, core: "_ngff.Image"):
        self._core = core
        self.levels = [ImageLevel(lv, self, i) for i, lv in enumerate(core.levels)]

    @property
    def url(self) -> str:
        return self._core.url

    @property
    def version(self) -> str:
        return self._core.version

    @property
    def name(self) -> str:
        return self._core.name

    @property
    def attrs(self) -> dict:
        return json.loads(self._core.attributes_json)

    @property
    def metadata(self) -> dict:
        """The OME metadata (the contents of "ome" for 0.5, the attributes for 0.4)."""
        a = self.attrs
        return a.get("ome", a)

    @property
    def axes(self) -> list:
        return self.levels[0].axes

    @property
    def dims(self) -> tuple:
        return self.levels[0].dims

    @property
    def scale(self) -> tuple:
        return self.levels[0].scale

    @property
    def translation(self) -> tuple:
        return self.levels[0].translation

    @property
    def units(self) -> dict:
        return self.levels[0].units

    @property
    def omero(self) -> dict | None:
        return self.metadata.get("omero")

    def channel_labels(self) -> list | None:
        om = self.omero
        if not om:
            return None
        return [c.get("label", f"channel {i}") for i, c in enumerate(om.get("channels", []))]

    @property
    def labels(self) -> list:
        return list(self._core.label_names)

    def label(self, name: str) -> "MultiscaleImage":
        return MultiscaleImage(self._core.label(name))

    def level_for_resolution(self, target) -> int:
        return self._core.level_for_resolution([float(t) for t in target])

    def __len__(self):
        return len(self.levels)

    def __getitem__(self, i) -> ImageLevel:
        return self.levels[i]

    def __iter__(self):
        return iter(self.levels)

    def __repr__(self):
        return (f"<ngff.MultiscaleImage {self.url} OME-NGFF {self.version} dims={self.dims} "
                f"levels={[lv.shape for lv in self.levels]}>")


def open_image(url) -> MultiscaleImage:
    """Opens the OME-Zarr 0.4 or 0.5 image at ``url``."""
    return MultiscaleImage(_ngff.Image.open(str(url)))
