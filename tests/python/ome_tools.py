"""Helpers of the OME-Zarr interop tests (test_ome_*.py): make images with ngff and with the
real ome-zarr-py, read them back with ngff, ome-zarr-py's Reader, ome-zarr-models and
zarr-python, and state ngff's documented level metadata.

ngff is reached through its CLI (`ngff create|info|convert|pyramid`) and `ngff_rawio read`,
whose paths come from ngff_tools; the C++ examples from $NGFF_EXAMPLES_DIR (else ../../build).
"""

from __future__ import annotations

import json
import logging
import math
import os
from pathlib import Path
from typing import Sequence

import numpy as np
import zarr

from ngff_tools import BUILD, NGFF_BIN, assert_bit_equal, ngff_info, np_dtype, rawio_read, run_ok

EXAMPLES_DIR = Path(os.environ.get("NGFF_EXAMPLES_DIR") or BUILD)
VERSIONS = ("0.4", "0.5")
ZARR_FORMAT = {"0.4": 2, "0.5": 3}
OTHER_VERSION = {"0.4": "0.5", "0.5": "0.4"}
# Methods whose levels are block statistics: their voxels are centred, so ngff writes a
# translation (translation_0 + (scale_k - scale_0) / 2); `nearest` keeps translation_0.
CENTRED = {"mean", "gaussian", "mode", "min", "max"}

# ome-zarr-py logs a warning for every label whose source image it does not look for.
logging.getLogger("ome_zarr").setLevel(logging.ERROR)


# ---------------------------------------------------------------------------------------------
# ngff

def ngff_create(path, version: str, *, sample="volume", shape=None, levels=3, method="mean",
                dtype=None, extra=()) -> Path:
    args = ["create", path, "--sample", sample, "--ome-version", version,
            "--levels", levels, "--method", method, "--quiet"]
    if shape is not None:
        args += ["--shape", ",".join(map(str, shape))]
    if dtype is not None:
        args += ["--dtype", dtype]
    run_ok(NGFF_BIN, *args, *extra)
    return Path(path)


def ome_view(path) -> dict:
    """The "ome" part of `ngff info --json`: how ngff reads an image."""
    info = ngff_info(path)
    assert "ome" in info, f"ngff info sees no OME image at {path}: keys {sorted(info)}"
    return info["ome"]


def ngff_level(path, level: dict, tmp: Path) -> np.ndarray:
    """One level's voxels as ngff reads them (`level` is an entry of ome_view()["levels"])."""
    return rawio_read(Path(path) / level["path"], np_dtype(level["data_type"]), level["shape"],
                      tmp=tmp)


def assert_levels_match_peer(path, view: dict, peer_images, dims: Sequence[str], tmp: Path) -> None:
    """The levels of ome_view(path) equal an ngff-zarr multiscale's images: shape, scale and
    translation per axis (defaults 1 and 0), and voxels."""
    assert len(view["levels"]) == len(peer_images)
    for k, (level, peer) in enumerate(zip(view["levels"], peer_images)):
        expected = np.asarray(peer.data)
        assert level["shape"] == list(expected.shape), f"level {k}"
        assert_close(level["scale"], [peer.scale.get(d, 1.0) for d in dims], f"level {k} scale")
        assert_close(level["translation"], [peer.translation.get(d, 0.0) for d in dims],
                     f"level {k} translation")
        assert_bit_equal(ngff_level(path, level, tmp), expected, f"level {k}")


def space_factors(axes: Sequence[dict], level: int, base: int = 2) -> list[int]:
    """ngff's cumulative factor F_k: `base`**k on space axes, 1 on channel and time axes."""
    return [base ** level if a["type"] == "space" else 1 for a in axes]


def documented_level(scale0, translation0, factors, method):
    """ngff's documented (scale, translation) of a level with cumulative factors F_k."""
    scale = [s * f for s, f in zip(scale0, factors)]
    translation = list(translation0)
    if method in CENTRED:
        translation = [t + (s - s0) / 2 for t, s, s0 in zip(translation0, scale, scale0)]
    return scale, translation


def assert_close(actual, expected, what):
    assert len(actual) == len(expected) and all(
        math.isclose(a, e, rel_tol=1e-9, abs_tol=1e-12) for a, e in zip(actual, expected)), (
        f"{what}: {list(actual)} != {list(expected)}")


# ---------------------------------------------------------------------------------------------
# The stored metadata documents

def ome_attributes(path) -> dict:
    """The OME attributes of a group: .zattrs (0.4) or zarr.json attributes["ome"] (0.5)."""
    path = Path(path)
    if (path / "zarr.json").exists():
        return json.loads((path / "zarr.json").read_text())["attributes"]["ome"]
    return json.loads((path / ".zattrs").read_text())


def transforms(dataset_or_list) -> tuple[list[float], list[float] | None]:
    """(scale, translation or None) of a dataset's coordinateTransformations."""
    cts = dataset_or_list
    if isinstance(cts, dict):
        cts = cts["coordinateTransformations"]
    scale = [t["scale"] for t in cts if t["type"] == "scale"]
    translation = [t["translation"] for t in cts if t["type"] == "translation"]
    assert len(scale) == 1 and len(translation) <= 1, f"unexpected transforms {cts}"
    return scale[0], (translation[0] if translation else None)


def axes_without_null_units(axes: Sequence[dict]) -> list[dict]:
    return [{k: v for k, v in a.items() if v is not None} for a in axes]


# ---------------------------------------------------------------------------------------------
# ome-zarr-py (writer and Reader)

def write_with_ome_zarr_py(path, data: np.ndarray, version: str, axes: str, *,
                           labels: dict[str, np.ndarray] | None = None, **kwargs) -> zarr.Group:
    """ome-zarr-py's write_image with its default pyramid (and write_labels for `labels`)."""
    from ome_zarr.format import FormatV04, FormatV05
    from ome_zarr.writer import write_image, write_labels

    fmt = FormatV04() if version == "0.4" else FormatV05()
    root = zarr.open_group(str(path), mode="w", zarr_format=ZARR_FORMAT[version])
    write_image(data, root, axes=axes, fmt=fmt, **kwargs)
    for name, label in (labels or {}).items():
        write_labels(label, root, name=name, axes=axes.replace("c", ""), fmt=fmt)
    return root


def read_with_ome_zarr_py(path) -> list:
    """The nodes ome-zarr-py's Reader yields from `path` (the image first, then its labels)."""
    from ome_zarr.io import parse_url
    from ome_zarr.reader import Reader

    location = parse_url(str(path))
    assert location is not None, f"ome-zarr-py's parse_url finds nothing at {path}"
    nodes = list(Reader(location)())
    assert nodes, f"ome-zarr-py's Reader yields no node at {path}"
    return nodes


def spec_names(node) -> set[str]:
    return {type(s).__name__ for s in node.specs}


def label_nodes(nodes) -> dict[str, object]:
    """The Label nodes among the Reader's nodes, by label name (last path segment)."""
    return {str(n.zarr.path).rstrip("/").split("/")[-1]: n for n in nodes
            if "Label" in spec_names(n)}


def check_reader_node(node, view: dict, path, tmp: Path, *, data=True) -> None:
    """ome-zarr-py's node has ngff's axes, per-level transforms, shapes and voxels."""
    meta = node.metadata
    assert meta["axes"] == axes_without_null_units(view["axes"]), "axes"
    assert meta.get("name") == view["name"], "name"
    cts = meta["coordinateTransformations"]
    assert len(cts) == len(view["levels"]) == len(node.data), "level count"
    for k, (ct, level, arr) in enumerate(zip(cts, view["levels"], node.data)):
        scale, translation = transforms(ct)
        assert_close(scale, level["scale"], f"level {k} scale")
        assert_close(translation or [0.0] * len(scale), level["translation"],
                     f"level {k} translation")
        assert tuple(arr.shape) == tuple(level["shape"]), f"level {k} shape"
        assert np.dtype(arr.dtype) == np_dtype(level["data_type"]), f"level {k} dtype"
        if data:
            assert_bit_equal(np.asarray(arr), ngff_level(path, level, tmp),
                             f"level {k} ({level['path']}) read by ome-zarr-py")


def check_reader_omero(node, channels: Sequence[dict]) -> None:
    """ome-zarr-py's view of the omero channels equals ngff's."""
    meta = node.metadata
    assert "OMERO" in spec_names(node), f"no omero for ome-zarr-py: {spec_names(node)}"
    assert meta["channel_names"] == [c["label"] for c in channels], "channel labels"
    assert meta["contrast_limits"] == [[c["window"]["start"], c["window"]["end"]]
                                       for c in channels], "channel windows"
    # "active" is optional; both read a missing one as true
    assert meta["visible"] == [c.get("active") is not False for c in channels], "active"
    rgb = [[int(c["color"][i:i + 2], 16) / 255 for i in (0, 2, 4)] for c in channels]
    assert [list(m[-1]) for m in meta["colormap"]] == rgb, "channel colours"


# ---------------------------------------------------------------------------------------------
# ome-zarr-models and zarr-python

def validate_with_models(path, version: str):
    """ome-zarr-models' Image (and every Labels / ImageLabel below it) validates; returns the
    Image model."""
    if version == "0.4":
        from ome_zarr_models.v04 import Image, ImageLabel, Labels
    else:
        from ome_zarr_models.v05 import Image, ImageLabel, Labels
    group = zarr.open_group(str(path), mode="r", zarr_format=ZARR_FORMAT[version])
    image = Image.from_zarr(group)
    if "labels" in group:
        Labels.from_zarr(group["labels"])
        for name in ome_attributes(Path(path) / "labels")["labels"]:
            ImageLabel.from_zarr(group["labels"][name])
    return image


def zarr_level(path, level: dict) -> np.ndarray:
    return zarr.open_array(str(Path(path) / level["path"]), mode="r")[...]


def check_zarr_python_levels(path, view: dict, version: str, tmp: Path) -> None:
    """zarr-python opens every level with ngff's shape, chunks and type, reads it equal to
    ngff's reading, and (0.5) the arrays' dimension_names are the axes names."""
    for level in view["levels"]:
        arr = zarr.open_array(str(Path(path) / level["path"]), mode="r")
        assert arr.metadata.zarr_format == ZARR_FORMAT[version]
        assert list(arr.shape) == level["shape"] and list(arr.chunks) == level["chunks"]
        assert arr.dtype == np_dtype(level["data_type"])
        if version == "0.5":
            assert list(arr.metadata.dimension_names) == [a["name"] for a in view["axes"]]
        assert_bit_equal(arr[...], ngff_level(path, level, tmp), f"level {level['path']}")


def check_labels_match_image(path) -> None:
    """Each label of an ngff image has the image's levels: same count, and at level k the same
    spatial shape and scale as the image's level k."""
    view = ome_view(path)
    image_axes = [a["name"] for a in view["axes"]]
    for name in view.get("labels", []):
        label = ome_view(Path(path) / "labels" / name)
        assert len(label["levels"]) == len(view["levels"]), (
            f"label {name} has {len(label['levels'])} levels, the image "
            f"{len(view['levels'])}")
        for k, (il, ll) in enumerate(zip(view["levels"], label["levels"])):
            for i, a in enumerate(label["axes"]):
                j = image_axes.index(a["name"])
                assert ll["shape"][i] == il["shape"][j], f"label {name} level {k} axis {a}"
                assert math.isclose(ll["scale"][i], il["scale"][j]), (
                    f"label {name} level {k} scale of {a['name']}")
