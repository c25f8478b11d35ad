"""The napari reader (npe2 manifest ``napari.yaml``): ``napari image.ome.zarr`` (also ``.ozx``
zips, http(s):// and s3:// URLs, a well or plate (its first field), a bioformats2raw root (its
first series)) opens the image as lazy multiscale layers, one per channel in its omero colour and
window, with the physical scale and translation of level 0, and each label image as a Labels
layer. Nothing here imports napari: the layers are plain (data, kwargs, type) tuples."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import _ngff
from .image import MultiscaleImage

LayerData = tuple[Any, dict[str, Any], str]

_DEFAULT_COLORS = ("FF0000", "00FF00", "0000FF", "FF00FF", "00FFFF", "FFFF00")


def get_reader(path: str | Sequence[str]) -> Callable[[Any], list[LayerData]] | None:
    """npe2's reader command: a function reading ``path`` when it is an OME-Zarr image ngff
    opens, else None (napari then asks another reader)."""
    if not isinstance(path, str):
        if len(path) != 1:
            return None
        path = path[0]
    try:
        image = MultiscaleImage(_ngff.open_render_image(str(path), 0))
    except (_ngff.NgffError, OSError, ValueError):
        return None
    return lambda _path: layers(image)


def _colormap(hex_color: str) -> dict[str, Any]:
    """A black-to-colour linear colormap, as napari's ensure_colormap takes it ({"colors",
    "name"})."""
    rgb = [int(hex_color[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    return {"name": f"ngff #{hex_color.upper()}", "colors": [[0.0, 0.0, 0.0, 1.0], [*rgb, 1.0]]}


def _drop(values: Sequence[float], axis: int | None) -> list[float]:
    return [float(v) for i, v in enumerate(values) if i != axis]


def layers(image: MultiscaleImage) -> list[LayerData]:
    """The napari layers of ``image``: per channel an "image" layer whose data is the list of
    levels (dask arrays, full resolution first, the channel axis removed), then a "labels"
    layer per label image.

    >>> [(kwargs["name"], kind) for _, kwargs, kind in layers(ngff.open_image("image.ome.zarr"))]
    [('DAPI', 'image'), ('GFP', 'image'), ('cells', 'labels')]
    """
    dims = image.dims
    types = [a.get("type") for a in image.axes]
    c = next((i for i, t in enumerate(types) if t == "channel"), None)
    if c is None and "c" in dims:
        c = dims.index("c")
    levels = [level.to_dask() for level in image.levels]
    scale = _drop(image.levels[0].scale, c)
    translate = _drop(image.levels[0].translation, c)
    n = 1 if c is None else image.levels[0].shape[c]
    channels: list[dict[str, Any]] = list((image.omero or {}).get("channels", []))
    out: list[LayerData] = []
    for i in range(n):
        meta = channels[i] if i < len(channels) else {}
        data = levels if c is None else [lv[(slice(None),) * c + (i,)] for lv in levels]
        color = meta.get("color") or ("FFFFFF" if n == 1 else _DEFAULT_COLORS[i % 6])
        window = meta.get("window") or {}
        if "start" in window and "end" in window:
            limits = [float(window["start"]), float(window["end"])]
        else:
            # No window: the coarsest level's 0.1 and 99.9 percentiles, as ngff render does.
            coarse = np.asarray(data[-1])
            lo, hi = np.percentile(coarse, [0.1, 99.9]) if coarse.size else (0.0, 1.0)
            limits = [float(lo), float(hi) if hi > lo else float(lo) + 1]
        kwargs: dict[str, Any] = {
            "name": meta.get("label") or (image.name if n == 1 else f"channel {i}"),
            "multiscale": True, "scale": scale, "translate": translate,
            "colormap": _colormap(color) if len(str(color)) == 6 else "gray",
            "contrast_limits": limits, "blending": "additive",
            "visible": bool(meta.get("active", True)),
            "metadata": {"url": image.url, "channel": i}}
        out.append((data, kwargs, "image"))
    for name, label in image.labels.items():
        kwargs = {"name": name, "multiscale": True, "scale": list(map(float, label[0].scale)),
                  "translate": list(map(float, label[0].translation)),
                  "metadata": {"url": label.url}}
        if label.colors:
            colormap: dict[int | None, list[float]] = {None: [0.0, 0.0, 0.0, 0.0]}
            colormap.update({v: [x / 255 for x in rgba] for v, rgba in label.colors.items()})
            kwargs["colormap"] = colormap
        out.append(([lv.to_dask() for lv in label.levels], kwargs, "labels"))
    return out
