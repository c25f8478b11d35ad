"""The spatial-image stack: ngff images as spatial-image DataArrays and multiscale-spatial-image
DataTrees, and those taken back by write_image.

A spatial image is an xarray.DataArray named "image" whose dims are among t, c, z, y, x (in that
order), with one coordinate per dim: physical voxel centres (translation + index * scale) with
their "units" and "long_name" in the coordinate's attrs, channel names on "c". A multiscale
spatial image is an xarray.DataTree with one child per level, "scale0", "scale1", ..., each
holding the level as its "image" variable. Both are built here with xarray alone (the
``spatial-image`` and ``multiscale-spatial-image`` packages, ``pip install "ngff[spatial]"``, accept
them: ``spatial_image.is_spatial_image`` is true, and ``tree["scale0/image"]`` is what their
functions read), so the views need nothing beyond xarray and dask.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import xarray as xr

    from .image import ImageLevel, MultiscaleImage

#: The dims spatial-image knows, in the order it requires.
SPATIAL_IMAGE_DIMS = "tczyx"
#: The name of the image variable in a spatial image and in each level of a multiscale one.
IMAGE_VARIABLE = "image"


def level_to_spatial_image(level: ImageLevel, chunks: int | Sequence[int] | None = None
                           ) -> xr.DataArray:
    """``level`` as a spatial-image DataArray (see the module docstring) over dask."""
    dims = level.dims
    if any(d not in SPATIAL_IMAGE_DIMS for d in dims) or list(dims) != sorted(
            dims, key=SPATIAL_IMAGE_DIMS.index):
        raise ValueError(f"{level.image.url} has dims {dims}: a spatial image has dims among "
                         f"{', '.join(SPATIAL_IMAGE_DIMS)}, in that order (use to_xarray)")
    xa = level.to_xarray(chunks)
    for axis in level.axes:
        name = axis["name"]
        attrs = xa.coords[name].attrs
        attrs["long_name"] = name
        attrs.setdefault("units", "")
    return xa.rename(IMAGE_VARIABLE)


def image_to_multiscale_spatial_image(image: MultiscaleImage,
                                      chunks: int | Sequence[int] | None = None) -> xr.DataTree:
    """``image`` as a multiscale-spatial-image DataTree: "scaleK/image" is level K as
    :func:`level_to_spatial_image` makes it; the tree's attrs hold the OME metadata ("multiscales",
    "omero", ... as 0.4 lays them out, "version" too for 0.5) and the image's URL."""
    import xarray as xr
    tree = xr.DataTree.from_dict({
        f"scale{k}": xr.Dataset({IMAGE_VARIABLE: level_to_spatial_image(level, chunks)})
        for k, level in enumerate(image.levels)})
    tree.attrs.update(image.metadata)
    tree.attrs["ngff_url"] = image.url
    return tree


def is_datatree(data: object) -> bool:
    """Whether ``data`` is an xarray.DataTree (without importing xarray when it is not loaded)."""
    xr = _loaded_xarray()
    return xr is not None and hasattr(xr, "DataTree") and isinstance(data, xr.DataTree)


def _loaded_xarray() -> Any:
    import sys
    return sys.modules.get("xarray")


def datatree_levels(tree: xr.DataTree) -> list[xr.DataArray]:
    """The levels of a multiscale-spatial-image DataTree, full resolution first: its children
    named "scale<K>" in order of K (or all children in their order when none is so named), each
    child's "image" variable, or its only variable."""
    children = list(tree.children.items())
    numbered = [(int(m.group(1)), node) for name, node in children
                if (m := re.fullmatch(r"scale(\d+)", name))]
    nodes = [node for _, node in sorted(numbered, key=lambda p: p[0])] if numbered else [
        node for _, node in children]
    if not nodes:
        raise ValueError("write_image: the DataTree has no levels (children scale0, scale1, ...)")
    levels = []
    for node in nodes:
        variables = list(node.data_vars)
        if IMAGE_VARIABLE in variables:
            levels.append(node[IMAGE_VARIABLE])
        elif len(variables) == 1:
            levels.append(node[variables[0]])
        else:
            raise ValueError(f"write_image: DataTree level {node.path} holds {variables or 'no'} "
                             f"variables; one variable, or one named {IMAGE_VARIABLE!r}, is the "
                             "level")
    return levels


def level_transform(level: xr.DataArray, previous: tuple[list[float], list[int]] | None
                    ) -> tuple[list[float], list[float]]:
    """Scale and translation of one DataArray level, per dim, from its coordinates: the spacing
    (which must be even) and first value of numeric coordinates, to 12 significant digits. A dim with a single voxel has no spacing: its scale
    is the "scale" attr's (as ngff's own views carry; coordinates win elsewhere, since slicing
    keeps attrs stale), else ``previous`` (scale, shape) scaled by the shape ratio, else 1.
    Dims without numeric coordinates (channel names) get 1 and 0."""
    dims = [str(d) for d in level.dims]
    attr_scale = level.attrs.get("scale")
    if not (isinstance(attr_scale, Sequence) and len(attr_scale) == len(dims)):
        attr_scale = None
    scale: list[float] = []
    translation: list[float] = []
    for i, d in enumerate(dims):
        c = level.coords.get(d)
        if c is None or c.size == 0 or not np.issubdtype(c.dtype, np.number):
            scale.append(1.0)
            translation.append(0.0)
            continue
        v = np.asarray(c.values, dtype=float)
        translation.append(_decimal(float(v[0])))
        if v.size >= 2:
            step = (v[-1] - v[0]) / (v.size - 1)
            if not np.allclose(np.diff(v), step, rtol=1e-6, atol=0):
                raise ValueError(f"the coordinates of dim {d!r} are not evenly spaced: OME-Zarr "
                                 "levels have one scale per axis")
            scale.append(_decimal(float(step)))
        elif attr_scale is not None:
            scale.append(float(attr_scale[i]))
        elif previous is not None:
            prev_scale, prev_shape = previous
            scale.append(prev_scale[i] * prev_shape[i] / max(1, level.shape[i]))
        else:
            scale.append(1.0)
    return scale, translation


def _decimal(x: float) -> float:
    """``x`` to 12 significant digits: coordinates computed as translation + index * scale give
    spacings such as 0.32500000000000284 for a scale of 0.325, which should be written as 0.325."""
    return float(f"{x:.12g}")


def coordinate_units(data: xr.DataArray) -> dict[str, str]:
    """The unit of each dim whose coordinate has one ("units", or "unit", in its attrs)."""
    found: dict[str, str] = {}
    for d in data.dims:
        c = data.coords.get(d)
        if c is not None:
            u = c.attrs.get("units") or c.attrs.get("unit")
            if u:
                found[str(d)] = str(u)
    return found


def channel_names(data: xr.DataArray) -> list[str] | None:
    """The channel names of a "c" dim with string coordinates (spatial-image's c_coords)."""
    c = data.coords.get("c")
    if c is None or "c" not in data.dims or not (c.dtype.kind in "UO"):
        return None
    return [str(v) for v in c.values]


def omero_with_channel_names(omero: Mapping[str, Any] | None, names: list[str] | None
                             ) -> Mapping[str, Any] | None:
    """``omero`` as given, else channels labelled by ``names`` (None without either)."""
    if omero is not None or not names:
        return omero
    return {"channels": [{"label": n} for n in names]}
