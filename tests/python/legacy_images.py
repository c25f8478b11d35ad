"""OME-NGFF 0.1, 0.2 and 0.3 images as their writers laid them out, for the tests that read
them (test_ome_legacy.py, test_ngff_zarr_interop.py): Zarr v2 arrays written by zarr-python and
the .zattrs of the specs' example documents (https://ngff.openmicroscopy.org/0.1/ ... /0.3/).

0.1 chunk keys are "."-separated and its .zarray has no "dimension_separator" (zarr-python 2.x
before 2.8 wrote none); 0.2 and 0.3 nest them ("/"). Level k takes every 2**k-th voxel of y and
x, so level k's shape is ceil(shape_0 / 2**k) there.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import zarr

LEGACY_VERSIONS = ("0.1", "0.2", "0.3")
# The shapes of level 0: 5D before 0.3; 0.3 names its axes (here a 3D c, y, x image).
SHAPES = {"0.1": (1, 2, 3, 16, 20), "0.2": (2, 1, 2, 12, 18), "0.3": (2, 18, 20)}
AXES_03 = ["c", "y", "x"]
LEVELS = 2


def spec_multiscales(version: str, paths: list[str]) -> dict:
    """The "multiscales" entry of the spec's example (0.1: examples/valid/image_omero.json, 0.2:
    examples/image/valid/image_metadata.json, 0.3: the example of the "multiscales" section)."""
    m = {"version": version, "name": "example", "datasets": [{"path": p} for p in paths],
         "type": "gaussian",
         "metadata": {"method": "skimage.transform.pyramid_gaussian", "version": "0.16.1",
                      "args": ["true", "false"], "kwargs": {"multichannel": True}}}
    if version == "0.3":
        m["axes"] = AXES_03
    return m


def spec_omero(version: str, channels: int) -> dict:
    """The "omero" example of the spec, one channel entry per channel."""
    return {"id": 1, "name": "example.tif", "version": version,
            "channels": [{"active": True, "coefficient": 1, "color": "0000FF", "family": "linear",
                          "inverted": False, "label": f"ch{i}",
                          "window": {"end": 1500, "max": 65535, "min": 0, "start": 0}}
                         for i in range(channels)],
            "rdefs": {"defaultT": 0, "defaultZ": 0, "model": "color"}}


def level_data(data: np.ndarray, k: int) -> np.ndarray:
    step = 2 ** k
    return np.ascontiguousarray(data[..., ::step, ::step])


def write_array(group: zarr.Group, name: str, data: np.ndarray, version: str) -> None:
    separator = "." if version == "0.1" else "/"
    chunks = tuple(max(1, n // 2) if i >= data.ndim - 2 else 1 for i, n in enumerate(data.shape))
    arr = group.create_array(name, shape=data.shape, chunks=chunks, dtype=data.dtype,
                             chunk_key_encoding={"name": "v2", "separator": separator},
                             compressors=None if version == "0.1" else "auto")
    arr[...] = data
    if version == "0.1":
        zarray = Path(group.store.root) / group.path / name / ".zarray"
        meta = json.loads(zarray.read_text())
        meta.pop("dimension_separator", None)
        zarray.write_text(json.dumps(meta))


def write_legacy_image(path, version: str, data: np.ndarray | None = None, *,
                       attrs: dict | None = None, label: bool = False) -> np.ndarray:
    """Writes a `version` image at `path` (levels 0 and 1, the spec's multiscales and omero, or
    `attrs`), with a label image "cells" (label_data, with the 0.3 spec's image-label) when
    `label`. Returns
    level 0's data."""
    if data is None:
        shape = SHAPES[version]
        data = (np.arange(int(np.prod(shape))) % 3001).astype(np.uint16).reshape(shape)
    root = zarr.open_group(str(path), mode="w", zarr_format=2)
    for k in range(LEVELS):
        write_array(root, str(k), level_data(data, k), version)
    if attrs is None:
        channels = data.shape[0] if version == "0.3" else data.shape[1]
        attrs = {"multiscales": [spec_multiscales(version, [str(k) for k in range(LEVELS)])],
                 "omero": spec_omero(version, channels)}
    root.attrs.put(attrs)
    if label:
        labels = root.create_group("labels")
        labels.attrs.put({"labels": ["cells"]})
        cells = labels.create_group("cells")
        mask = label_data(version, data)
        for k in range(LEVELS):
            write_array(cells, str(k), level_data(mask, k), version)
        ms = spec_multiscales(version, [str(k) for k in range(LEVELS)])
        if version == "0.3":
            ms["axes"] = ["y", "x"]
        cells.attrs.put({"multiscales": [ms], "image-label": {
            "version": version,
            "colors": [{"label-value": 1, "rgba": [255, 255, 255, 0]},
                       {"label-value": 4, "rgba": [0, 255, 255, 128]}],
            "properties": [{"label-value": 1, "area (pixels)": 1200, "class": "foo"},
                           {"label-value": 4, "area (pixels)": 1650}],
            "source": {"image": "../../"}}})
    return data


def label_data(version: str, data: np.ndarray) -> np.ndarray:
    """The label image "cells" of an image: y, x in 0.3; 5D with one channel before (a label's
    irrelevant dimensions have size 1)."""
    mask = data[0] if version == "0.3" else data[:, :1]
    return (mask % 5).astype(np.uint8)


def axes_of(version: str) -> list[dict]:
    """The axes ngff reads: typed by name, no units."""
    names = AXES_03 if version == "0.3" else ["t", "c", "z", "y", "x"]
    types = {"t": "time", "c": "channel", "z": "space", "y": "space", "x": "space"}
    return [{"name": n, "type": types[n]} for n in names]


def level_scale(shape0, k: int) -> list[float]:
    """The scale ngff derives for level k: level 0's extent over level k's on each axis."""
    n = len(shape0)
    return [shape0[d] / -(-shape0[d] // 2 ** k) if d >= n - 2 else 1.0 for d in range(n)]
