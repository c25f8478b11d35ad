"""OME-Zarr images and their label images: levels as numpy, dask or xarray, never without their
metadata."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, overload

import numpy as np
import numpy.typing as npt

from . import _ngff
from ._voxels import SpatialVoxels
from .array import Url, ZarrArray, open_array
from .indexing import Key

if TYPE_CHECKING:
    import dask.array as da
    import xarray as xr


class Axis(TypedDict):
    """An OME axis: its name, and its type ("space", "time", "channel", ...) and unit when set."""

    name: str
    type: str | None
    unit: str | None


def _axis(a: dict[str, str | None]) -> Axis:
    return Axis(name=str(a["name"]), type=a.get("type"), unit=a.get("unit"))


class ImageLevel(SpatialVoxels):
    """One level of a multiscale image: lazy voxels with their axes, scale, translation and
    units (a spatial image). Read it with :meth:`to_numpy`, :meth:`to_dask` or
    :meth:`to_xarray`; ``level.array()`` is its Zarr array.

    >>> level = ngff.open_image("image.ome.zarr")[1]
    >>> level.dims, level.shape, level.scale
    (('c', 'z', 'y', 'x'), (2, 32, 256, 256), (1.0, 4.0, 1.0, 1.0))
    >>> level.to_numpy((0, 16)).shape     # channel 0, plane 16
    (256, 256)
    """

    _core: _ngff.Level

    def __init__(self, core: _ngff.Level, image: MultiscaleImage, index: int) -> None:
        self._core = core
        #: The image this level belongs to.
        self.image = image
        #: The level's index in the pyramid (0: full resolution).
        self.index = index

    @property
    def axes(self) -> list[Axis]:
        """The OME axes: name, type and unit of each."""
        return [_axis(a) for a in self._core.axes]

    @property
    def scale(self) -> tuple[float, ...]:
        """The physical size of a voxel along each axis."""
        return tuple(self._core.scale)

    @property
    def translation(self) -> tuple[float, ...]:
        """The physical position of the first voxel's centre."""
        return tuple(self._core.translation)

    @property
    def path(self) -> str:
        """The level's path inside the image group (its dataset path, e.g. "0")."""
        return self._core.path

    def __repr__(self) -> str:
        return (f"<ngff.ImageLevel {self.index} of {self.image.url} dims={self.dims} "
                f"shape={self.shape} scale={self.scale}>")

    def array(self) -> ZarrArray:
        """The level's Zarr array, for numpy-style reads and writes.

        >>> level.array()[0, :, :10, :10].shape
        (32, 10, 10)
        """
        return open_array(self.url)

    @property
    def affine(self) -> list[list[float]] | None:
        """OME-NGFF 0.6: the affine (rows of ndim + 1) from the physical coordinates (the
        intrinsic coordinate system) to the system :attr:`affine_target` names, when the
        multiscale has one; None otherwise."""
        return self._core.affine

    @property
    def affine_target(self) -> str | None:
        """The coordinate system :attr:`affine` maps to."""
        return self._core.affine_target

    def _aligned_affine(self) -> tuple[list[float], list[float]] | None:
        """The affine's scale and translation per axis when it is axis-aligned."""
        a = self.affine
        if a is None or len(a) != len(self.shape):
            return None
        n = len(a)
        if any(a[i][j] != 0 for i in range(n) for j in range(n) if i != j):
            return None
        return [a[i][i] for i in range(n)], [a[i][n] for i in range(n)]

    def _physical_scale_translation(self) -> tuple[list[float], list[float]]:
        # An axis-aligned affine takes the coordinates into its target system.
        scale, translation = super()._physical_scale_translation()
        aligned = self._aligned_affine()
        if aligned is not None:
            s, t = aligned
            scale = [s[i] * scale[i] for i in range(len(scale))]
            translation = [s[i] * translation[i] + t[i] for i in range(len(scale))]
        return scale, translation

    def to_numpy(self, region: Key | None = None) -> npt.NDArray[Any]:
        """The level (or ``region``: a tuple of slices/ints, numpy-style) as numpy.

        >>> img[0].to_numpy().shape
        (2, 64, 512, 512)
        >>> img[0].to_numpy((1, slice(10, 20))).shape
        (10, 512, 512)
        """
        if region is None:
            return self._core.read([0] * len(self.shape), list(self.shape))
        return self.array()[region]

    def to_dask(self, chunks: int | Sequence[int] | None = None) -> da.Array:
        """A dask array with one task per Zarr chunk, or shard when sharded (or per ``chunks``).

        >>> img[0].to_dask().mean(axis=1).compute().shape
        (2, 512, 512)
        """
        return self.array().to_dask(chunks)

    def to_xarray(self, chunks: int | Sequence[int] | None = None) -> xr.DataArray:
        """An xarray.DataArray over dask: dims named by the axes, coords in physical units
        (translation + index * scale), units and axis types in the coordinates' attrs; channel
        coordinates are the omero labels when present (spatial-image compatible). An OME-NGFF 0.6
        affine to another coordinate system gives the coords in that system when it is
        axis-aligned, else it is kept as ``attrs["affine"]`` (with ``attrs["coordinate_system"]``
        naming the target).

        >>> xa = img[0].to_xarray()
        >>> xa.sel(c="DAPI").isel(z=0).shape
        (512, 512)
        >>> xa.x.attrs["units"]
        'micrometer'
        """
        attrs: dict[str, Any] = {"ome_level": self.index, "ome_version": self.image.version}
        if self.affine is not None:
            # Axis-aligned: the coords are in the target system already; otherwise the coords stay
            # intrinsic and the affine travels in the attrs.
            attrs["coordinate_system"] = self.affine_target
            if self._aligned_affine() is None:
                attrs["affine"] = self.affine
        channels = {a["name"]: labels for a in self.axes
                    if a["type"] == "channel" and (labels := self.image.channel_labels())}
        return self._xarray(self.to_dask(chunks), self.image.name, attrs, channels)

    def to_spatial_image(self, chunks: int | Sequence[int] | None = None) -> xr.DataArray:
        """The level as a spatial image (the spatial-image package's form): an xarray.DataArray
        named "image" over dask, dims among t, c, z, y, x in that order, physical coordinates
        with "units" and "long_name" attrs, channel names as "c" coordinates. Raises ValueError
        for other dims (use :meth:`to_xarray`).

        >>> sim = img[0].to_spatial_image()
        >>> sim.name, sim.dims, sim.x.attrs["units"]
        ('image', ('c', 'z', 'y', 'x'), 'micrometer')
        """
        from .spatial import level_to_spatial_image
        return level_to_spatial_image(self, chunks)


class MultiscaleImage:
    """An OME-Zarr image (0.1 to 0.5): a pyramid of levels with axes, transformations, omero
    (channel) metadata and labels. ``img[i]`` is level i (0 = full resolution); ``len(img)`` is
    the number of levels; iterating yields the levels. Get one from :func:`open_image` or
    :func:`write_image`.

    >>> img = ngff.open_image("image.ome.zarr")
    >>> img.version, img.dims, len(img)
    ('0.5', ('c', 'z', 'y', 'x'), 3)
    >>> [level.shape for level in img]
    [(2, 64, 512, 512), (2, 32, 256, 256), (2, 16, 128, 128)]
    >>> img.units, img.channel_labels()
    ({'z': 'micrometer', 'y': 'micrometer', 'x': 'micrometer'}, ['DAPI', 'GFP'])
    """

    def __init__(self, core: _ngff.Image) -> None:
        self._core = core
        #: The levels, full resolution first.
        self.levels = [ImageLevel(lv, self, i) for i, lv in enumerate(core.levels)]

    @property
    def url(self) -> str:
        """The URL of the image group."""
        return self._core.url

    @property
    def version(self) -> str:
        """The OME-NGFF version: "0.4" or "0.5" ("0.1" to "0.3" for images read from them)."""
        return self._core.version

    @property
    def name(self) -> str:
        """The multiscale's name."""
        return self._core.name

    @property
    def attrs(self) -> dict[str, Any]:
        """All attributes of the image group, as stored."""
        attrs: dict[str, Any] = json.loads(self._core.attributes_json)
        return attrs

    @property
    def metadata(self) -> dict[str, Any]:
        """The OME metadata (the contents of "ome" for 0.5, the attributes for 0.4)."""
        a = self.attrs
        ome: dict[str, Any] = a.get("ome", a)
        return ome

    @property
    def axes(self) -> list[Axis]:
        """The OME axes (name, type, unit), as level 0 has them."""
        return self.levels[0].axes

    @property
    def dims(self) -> tuple[str, ...]:
        """The axis names, e.g. ("c", "z", "y", "x")."""
        return self.levels[0].dims

    @property
    def scale(self) -> tuple[float, ...]:
        """The voxel size of level 0."""
        return self.levels[0].scale

    @property
    def translation(self) -> tuple[float, ...]:
        """The translation of level 0."""
        return self.levels[0].translation

    @property
    def units(self) -> dict[str, str]:
        """The unit of each axis that has one, by axis name."""
        return self.levels[0].units

    @property
    def omero(self) -> dict[str, Any] | None:
        """The omero metadata (channels, rendering settings), when present."""
        omero: dict[str, Any] | None = self.metadata.get("omero")
        return omero

    def channel_labels(self) -> list[str] | None:
        """The channels' omero labels ("channel i" where one has none), or None without omero.

        >>> img.channel_labels()
        ['DAPI', 'GFP']
        """
        om = self.omero
        if not om:
            return None
        return [c.get("label", f"channel {i}") for i, c in enumerate(om.get("channels", []))]

    @property
    def labels(self) -> Labels:
        """The image's label images (OME "labels" group) by name: a read-only mapping, empty
        when there are none; ``list(img.labels)`` gives the names.

        >>> list(img.labels)
        ['cells']
        >>> cells = img.labels["cells"]
        >>> cells[0].to_xarray().dims, cells.colors[1]
        (('z', 'y', 'x'), (255, 0, 0, 255))
        """
        return Labels(self)

    def label(self, name: str) -> LabelImage:
        """The label image ``name`` (as ``img.labels[name]``), itself a multiscale image.

        >>> img.label("cells")[0].dtype
        dtype('uint32')
        """
        return LabelImage(self._core.label(name))

    def level_for_resolution(self, target: Sequence[float]) -> int:
        """The index of the coarsest level whose voxels are no larger than ``target`` (one voxel
        size per space axis, in the axes' units), or 0 when none is.

        >>> img.level_for_resolution((4.0, 1.0, 1.0))     # z, y, x
        1
        """
        return self._core.level_for_resolution([float(t) for t in target])

    def to_multiscale_spatial_image(self, chunks: int | Sequence[int] | None = None
                                    ) -> xr.DataTree:
        """The image as a multiscale-spatial-image DataTree: children "scale0", "scale1", ...
        each holding its level as the spatial image "image" (:meth:`ImageLevel.to_spatial_image`,
        lazy dask), the OME metadata in the tree's attrs. :func:`ngff.write_image` takes such a
        tree back, level by level.

        >>> tree = img.to_multiscale_spatial_image()
        >>> tree["scale1/image"].shape, float(tree["scale1/image"].x[1] - tree["scale1/image"].x[0])
        ((2, 32, 256, 256), 1.0)
        """
        from .spatial import image_to_multiscale_spatial_image
        return image_to_multiscale_spatial_image(self, chunks)

    def __len__(self) -> int:
        return len(self.levels)

    @overload
    def __getitem__(self, i: int) -> ImageLevel: ...
    @overload
    def __getitem__(self, i: slice) -> list[ImageLevel]: ...

    def __getitem__(self, i: int | slice) -> ImageLevel | list[ImageLevel]:
        return self.levels[i]

    def __iter__(self) -> Iterator[ImageLevel]:
        return iter(self.levels)

    def __repr__(self) -> str:
        return (f"<ngff.MultiscaleImage {self.url} OME-NGFF {self.version} dims={self.dims} "
                f"levels={[lv.shape for lv in self.levels]}>")


class LabelImage(MultiscaleImage):
    """A label image: a multiscale image of integer labels (the same levels and numpy, dask and
    xarray views as any image) with its OME "image-label" metadata: :attr:`colors`,
    :attr:`properties` and :attr:`source`. Write one with :func:`ngff.write_labels`.

    >>> cells = ngff.open_image("image.ome.zarr").labels["cells"]
    >>> cells.colors
    {1: (255, 0, 0, 255), 2: (0, 255, 0, 255)}
    >>> cells.properties[1]
    {'class': 'nucleus'}
    >>> cells.source
    {'image': '../../'}
    """

    @property
    def image_label(self) -> dict[str, Any]:
        """The "image-label" metadata as stored (empty if the group has none)."""
        label: dict[str, Any] = self.metadata.get("image-label") or {}
        return label

    @property
    def colors(self) -> dict[int, tuple[int, int, int, int]]:
        """The RGBA colour (0..255 each) of each label value that has one."""
        return {int(c["label-value"]): (int(c["rgba"][0]), int(c["rgba"][1]), int(c["rgba"][2]),
                                        int(c["rgba"][3]))
                for c in self.image_label.get("colors") or [] if "rgba" in c}

    @property
    def properties(self) -> dict[int, dict[str, Any]]:
        """The properties of each label value that has some ({"class": ..., "area": ...}),
        without their "label-value"."""
        return {int(p["label-value"]): {k: v for k, v in p.items() if k != "label-value"}
                for p in self.image_label.get("properties") or []}

    @property
    def source(self) -> dict[str, Any] | None:
        """The "source" object ({"image": "../../"}: where the labelled image is), or None."""
        source: dict[str, Any] | None = self.image_label.get("source")
        return source

    def __repr__(self) -> str:
        return (f"<ngff.LabelImage {self.url} OME-NGFF {self.version} dims={self.dims} "
                f"levels={[lv.shape for lv in self.levels]}>")


class Labels(Mapping[str, LabelImage]):
    """The label images of an image by name (``img.labels``): iterating gives the names, in the
    labels group's order; ``labels[name]`` opens that label image.

    >>> img.labels
    <ngff.Labels of file:///data/image.ome.zarr: ['cells']>
    >>> {name: label.colors for name, label in img.labels.items()}
    {'cells': {1: (255, 0, 0, 255)}}
    """

    def __init__(self, image: MultiscaleImage) -> None:
        self._image = image
        self._names = list(image._core.label_names)

    def __getitem__(self, name: str) -> LabelImage:
        if name not in self._names:
            raise KeyError(f"{self._image.url} has no label image {name!r} "
                           f"(labels: {', '.join(self._names) or 'none'})")
        return self._image.label(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __repr__(self) -> str:
        return f"<ngff.Labels of {self._image.url}: {self._names}>"


def open_multiscale_spatial_image(url: Url, series: int = 0,
                                  chunks: int | Sequence[int] | None = None) -> xr.DataTree:
    """The OME-Zarr image at ``url`` as a multiscale-spatial-image DataTree (lazy), as
    ``open_image(url, series).to_multiscale_spatial_image(chunks)``.

    >>> ngff.open_multiscale_spatial_image("image.ome.zarr")["scale0/image"].dims
    ('c', 'z', 'y', 'x')
    """
    return open_image(url, series).to_multiscale_spatial_image(chunks)


def open_image(url: Url, series: int = 0) -> MultiscaleImage:
    """Opens the OME-Zarr image (0.1 to 0.5) at ``url`` (a path, or a ``file://``,
    ``http(s)://``, ``s3://`` or ``zip://`` URL; a ``.ozx`` zip reads like a folder). On a
    bioformats2raw root (a converted file with several series) ``series`` picks the series
    (default the first).

    >>> img = ngff.open_image("image.ome.zarr")
    >>> img[0].to_numpy().shape
    (2, 64, 512, 512)
    >>> ngff.open_image("converted.ome.zarr", series=1).name
    'second image'
    """
    return MultiscaleImage(_ngff.Image.open(str(url), int(series)))
