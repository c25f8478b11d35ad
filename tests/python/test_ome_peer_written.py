"""Images that the real ome-zarr-py writes (write_image with its default pyramid: scale factors
2, 4, 8, 16 on y and x, method `resize`; OME-NGFF 0.4 and 0.5) are read by ngff with the levels,
axes, units, scales and translations that ome-zarr-py wrote, the omero channels and the labels,
and with the voxels zarr-python reads."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import zarr

from ngff_tools import NGFF_BIN, assert_bit_equal, make_data, run
from ome_tools import (VERSIONS, ZARR_FORMAT, assert_close, axes_without_null_units,
                       check_reader_node, label_nodes, ngff_level, ome_attributes, ome_view,
                       read_with_ome_zarr_py, transforms, write_with_ome_zarr_py, zarr_level)

OMERO = {"channels": [
    {"label": "DAPI", "color": "0000FF", "active": True,
     "window": {"start": 10.0, "end": 900.0, "min": 0.0, "max": 4095.0}},
    {"label": "GFP", "color": "00FF00", "active": False,
     "window": {"start": 0.0, "end": 2000.0, "min": 0.0, "max": 4095.0}},
]}


@dataclasses.dataclass(frozen=True)
class PeerImage:
    axes: str
    shape: tuple
    dtype: str
    kwargs: tuple = ()     # extra write_image arguments, as (name, value) pairs

    @property
    def id(self):
        return f"{self.axes}-{'x'.join(map(str, self.shape))}-{self.dtype}"


IMAGES = [
    # the plain default call: write_image(data, group, axes=..., fmt=...)
    PeerImage("czyx", (2, 16, 64, 64), "uint16", (("omero", OMERO),)),
    PeerImage("tczyx", (2, 2, 8, 64, 64), "float32", (
        ("scale", {"t": 5.0, "z": 2.0, "y": 0.5, "x": 0.5}),
        ("axes_units", {"t": "second", "z": "micrometer", "y": "micrometer",
                        "x": "micrometer"}),
        ("name", "timelapse"))),
    PeerImage("yx", (64, 64), "uint8"),
    # odd sides: ome-zarr-py writes non-integer scale factors and translations
    PeerImage("zyx", (15, 63, 65), "int16"),
]
# ome-zarr-py's own deprecation notices (its write_labels still defaults to a Scaler) and its
# note that the channel axis gets scale 1.
pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore:Scale value not provided:UserWarning")]
PARAMS = [pytest.param((img, v), id=f"{v}-{img.id}") for v in VERSIONS for img in IMAGES]


@dataclasses.dataclass
class Written:
    image: PeerImage
    version: str
    path: object
    data: np.ndarray
    stored: dict


@pytest.fixture(scope="module", params=PARAMS)
def peer_written(request, tmp_path_factory):
    img, version = request.param
    path = tmp_path_factory.mktemp("peer-written") / "image.zarr"
    data = make_data(img.dtype, img.shape, seed=3)
    if data.dtype.kind == "f":
        data = np.nan_to_num(data, posinf=1e4, neginf=-1e4)   # resize would smear NaN/inf
    write_with_ome_zarr_py(path, data, version, img.axes, **dict(img.kwargs))
    return Written(img, version, path, data, ome_attributes(path))


def test_ngff_reads_levels_axes_and_transforms(peer_written):
    w = peer_written
    view = ome_view(w.path)
    ms = w.stored["multiscales"][0]
    assert view["ome_version"] == w.version
    assert view["name"] == ms.get("name")
    assert axes_without_null_units(view["axes"]) == ms["axes"]
    assert [lv["path"] for lv in view["levels"]] == [d["path"] for d in ms["datasets"]]
    assert len(view["levels"]) == 5, "ome-zarr-py's default pyramid has 5 levels"
    for level, ds in zip(view["levels"], ms["datasets"]):
        scale, translation = transforms(ds)
        assert_close(level["scale"], scale, f"{ds['path']} scale")
        assert_close(level["translation"], translation or [0.0] * len(scale),
                     f"{ds['path']} translation")
        arr = zarr.open_array(str(w.path / ds["path"]), mode="r")
        assert level["shape"] == list(arr.shape)
        assert level["chunks"] == list(arr.chunks)
        assert level["data_type"] == w.image.dtype


def test_ngff_reads_voxels_of_every_level(peer_written, scratch):
    w = peer_written
    view = ome_view(w.path)
    for k, level in enumerate(view["levels"]):
        got = ngff_level(w.path, level, scratch)
        assert_bit_equal(got, zarr_level(w.path, level), f"level {level['path']}")
        if k == 0:
            assert_bit_equal(got, w.data, "level 0 against the written data")


def test_ngff_reads_omero_channels(peer_written):
    view = ome_view(peer_written.path)
    if "omero" not in peer_written.stored:
        assert not view.get("channels")
        return
    want = peer_written.stored["omero"]["channels"]
    got = view["channels"]
    assert [c["label"] for c in got] == [c["label"] for c in want]
    assert [c["color"] for c in got] == [c["color"] for c in want]
    assert [c["active"] for c in got] == [c["active"] for c in want]
    assert [c["window"] for c in got] == [c["window"] for c in want]


def test_reader_and_ngff_agree(peer_written, scratch):
    """ome-zarr-py reading its own image and ngff reading it see the same image."""
    node = read_with_ome_zarr_py(peer_written.path)[0]
    check_reader_node(node, ome_view(peer_written.path), peer_written.path, scratch)


def _labelled(tmp_path, version):
    data = make_data("uint16", (2, 16, 64, 64), seed=5)
    cells = (data[0] // 8192).astype(np.uint32)       # 8 label values
    path = tmp_path / "labelled.zarr"
    write_with_ome_zarr_py(path, data, version, "czyx", labels={"cells": cells})
    return path, cells


@pytest.mark.parametrize("version", VERSIONS)
def test_ngff_reads_ome_zarr_py_labels(version, tmp_path, scratch):
    """write_image + write_labels. ome-zarr-py (0.18 up to its current main) writes the 0.5
    `labels` group as {"ome": {"labels": [...]}} without "ome.version", which ome-zarr-models
    rejects but ome-zarr-py's own Reader reads; ngff must read the image and its labels."""
    path, cells = _labelled(tmp_path, version)
    r = run(NGFF_BIN, "info", path, "--json")
    assert r.returncode == 0, (
        f"ngff cannot read ome-zarr-py's {version} image with labels: {r.stderr.strip()}")
    view = ome_view(path)
    assert view["labels"] == ["cells"]
    label_path = path / "labels" / "cells"
    label_view = ome_view(label_path)
    assert label_view["is_label"] is True
    stored = ome_attributes(label_path)["multiscales"][0]
    assert axes_without_null_units(label_view["axes"]) == stored["axes"]
    for level, ds in zip(label_view["levels"], stored["datasets"]):
        assert level["path"] == ds["path"]
        assert_close(level["scale"], transforms(ds)[0], f"label {ds['path']} scale")
        assert_bit_equal(ngff_level(label_path, level, scratch), zarr_level(label_path, level))
    assert_bit_equal(ngff_level(label_path, label_view["levels"][0], scratch), cells)
    # and ome-zarr-py's Reader sees the same label image as ngff
    node = label_nodes(read_with_ome_zarr_py(path))["cells"]
    check_reader_node(node, label_view, label_path, scratch)


def test_zarr_format_of_ome_zarr_py_images(peer_written):
    group = zarr.open_group(str(peer_written.path), mode="r")
    assert group.metadata.zarr_format == ZARR_FORMAT[peer_written.version]
    assert ome_view(peer_written.path)["levels"][0]["path"] == "s0"
