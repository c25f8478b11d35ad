"""OME-NGFF 0.1, 0.2 and 0.3 (read only), built from the specs' example documents with
zarr-python (legacy_images.py): ome-zarr-py's Reader accepts them as they are; ngff reads their
voxels and metadata (`ngff info`, the Python package); `ngff convert --ome-version 0.4|0.5`
upgrades them, with labels, into images ome-zarr-models accepts with equal voxels; bad ones fail
with one line naming the JSON path; nothing is written as 0.1-0.3."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import ngff
from legacy_images import (LEGACY_VERSIONS, axes_of, label_data, level_data, level_scale,
                           spec_multiscales, write_legacy_image)
from ngff_tools import (EXIT_INVALID, EXIT_USAGE, NGFF_BIN, assert_bit_equal, ngff_convert,
                        run_error)
from ome_tools import (VERSIONS, ZARR_FORMAT, assert_close, ngff_level, ome_attributes, ome_view,
                       read_with_ome_zarr_py, validate_with_models)


@pytest.mark.parametrize("version", LEGACY_VERSIONS)
def test_ome_zarr_py_reads_the_built_images(version, tmp_path):
    """The images are what ome-zarr-py (which wrote 0.1-0.3 in its time) takes them for."""
    data = write_legacy_image(tmp_path / "old.zarr", version, label=True)
    node = read_with_ome_zarr_py(tmp_path / "old.zarr")[0]
    names = [a if isinstance(a, str) else a["name"] for a in node.metadata["axes"]]
    assert names == [a["name"] for a in axes_of(version)]
    assert np.array_equal(np.asarray(node.data[1]), level_data(data, 1))


@pytest.mark.parametrize("version", LEGACY_VERSIONS)
def test_ngff_reads_voxels_and_metadata(version, tmp_path):
    path = tmp_path / "old.zarr"
    data = write_legacy_image(path, version, label=True)
    view = ome_view(path)
    assert view["ome_version"] == version
    assert [{"name": a["name"], "type": a["type"]} for a in view["axes"]] == axes_of(version)
    assert all(a["unit"] is None for a in view["axes"])
    assert view["name"] == "example" and view["type"] == "gaussian"
    assert [c["label"] for c in view["channels"]][:1] == ["ch0"]
    assert view["labels"] == ["cells"]
    for k, level in enumerate(view["levels"]):
        assert level["shape"] == list(level_data(data, k).shape)
        assert_close(level["scale"], level_scale(data.shape, k), f"level {k} scale")
        assert level["translation"] == [0.0] * data.ndim
        assert_bit_equal(ngff_level(path, level, tmp_path), level_data(data, k), f"level {k}")
    label = ome_view(path / "labels" / "cells")
    assert label["is_label"] and label["ome_version"] == version

    img = ngff.open_image(path)
    assert img.version == version and len(img) == 2
    assert img.dims == tuple(a["name"] for a in axes_of(version))
    assert np.array_equal(img[1].to_numpy(), level_data(data, 1))
    assert_close(img[1].scale, level_scale(data.shape, 1), "Python level 1 scale")
    assert np.array_equal(img.label("cells")[0].to_numpy(), label_data(version, data))


@pytest.mark.parametrize("version,target", [
    pytest.param(v, t, id=f"{v}-to-{t}") for v in LEGACY_VERSIONS for t in VERSIONS])
def test_convert_upgrades(version, target, tmp_path):
    src, dst = tmp_path / "old.zarr", tmp_path / "new.zarr"
    data = write_legacy_image(src, version, label=True)
    ngff_convert(src, dst, "--ome-version", target)
    model = validate_with_models(dst, target)
    assert model is not None
    ome = ome_attributes(dst)
    ms = ome["multiscales"][0]
    assert ms["axes"] == axes_of(version)
    assert ms.get("version") == ("0.4" if target == "0.4" else None)
    if target == "0.5":
        assert ome["version"] == "0.5"
    assert ms["name"] == "example" and ms["type"] == "gaussian"
    assert ome["omero"]["channels"][0]["label"] == "ch0"
    assert ome["omero"].get("version") == ("0.4" if target == "0.4" else None)
    # Level 0 is the voxel grid (scale 1); each level's scale is its extent ratio to level 0.
    for k, ds in enumerate(ms["datasets"]):
        assert ds["coordinateTransformations"] == [
            {"type": "scale", "scale": level_scale(data.shape, k)}]
    view = ome_view(dst)
    assert view["ome_version"] == target
    for k, level in enumerate(view["levels"]):
        assert_bit_equal(ngff_level(dst, level, tmp_path), level_data(data, k), f"level {k}")
    label = ome_attributes(dst / "labels" / "cells")
    assert label["image-label"]["colors"][1]["rgba"] == [0, 255, 255, 128]
    assert label["image-label"]["properties"][0]["class"] == "foo"
    assert label.get("image-label", {}).get("version") == ("0.4" if target == "0.4" else None)
    assert ome_view(dst / "labels" / "cells")["levels"][0]["shape"][-2:] == list(data.shape[-2:])


def test_convert_without_version_writes_04(tmp_path):
    src, dst = tmp_path / "old.zarr", tmp_path / "new.zarr"
    write_legacy_image(src, "0.2")
    ngff_convert(src, dst)
    assert ome_view(dst)["ome_version"] == "0.4"
    validate_with_models(dst, "0.4")
    assert ZARR_FORMAT["0.4"] == json.loads((dst / ".zgroup").read_text())["zarr_format"]


def _break(path: Path, mutate) -> None:
    doc = path / ".zattrs"
    attrs = json.loads(doc.read_text())
    mutate(attrs["multiscales"][0])
    doc.write_text(json.dumps(attrs))


BAD = {
    # The 0.3 spec's examples/image/invalid/invalid_axes.json has a "ct" axis.
    "0.3 unknown axis": ("0.3", lambda m: m.__setitem__("axes", ["c", "y", "ct"]),
                         "multiscales[0].axes[2]", "unknown axis name 'ct'"),
    "0.3 axes out of order": ("0.3", lambda m: m.__setitem__("axes", ["y", "c", "x"]),
                              "multiscales[0].axes[1]", "out of order"),
    "0.3 axes count": ("0.3", lambda m: m.__setitem__("axes", ["y", "x"]),
                       "multiscales[0].datasets[0].path", "3 dimensions but there are 2 axes"),
    "0.3 no axes": ("0.3", lambda m: m.pop("axes"), "multiscales[0]",
                    "missing required field 'axes'"),
    "0.2 dataset without path": ("0.2", lambda m: m["datasets"][1].pop("path"),
                                 "multiscales[0].datasets[1]", "missing required field 'path'"),
}


@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.parametrize("command", ["info", "convert"])
def test_bad_legacy_metadata(case, command, tmp_path):
    version, mutate, json_path, what = BAD[case]
    src, dst = tmp_path / "bad.zarr", tmp_path / "new.zarr"
    write_legacy_image(src, version)
    _break(src, mutate)
    args = (("info", src, "--json") if command == "info" else
            ("convert", src, dst, "--ome-version", "0.5", "-q"))
    line = run_error(NGFF_BIN, *args, code=EXIT_INVALID)
    assert json_path in line and what in line and "bad.zarr" in line, line
    assert not dst.exists()


def test_01_data_must_be_5d(tmp_path):
    src = tmp_path / "flat.zarr"
    data = np.zeros((4, 6, 8), dtype=np.uint8)
    write_legacy_image(src, "0.1", data,
                       attrs={"multiscales": [spec_multiscales("0.1", ["0", "1"])]})
    line = run_error(NGFF_BIN, "info", src, code=EXIT_INVALID)
    assert "multiscales[0].datasets[0].path" in line and "0.1 images are 5D" in line, line
    with pytest.raises(ngff.ValidationError, match=r"datasets\[0\]\.path"):
        ngff.open_image(src)


def test_nothing_is_written_as_legacy(tmp_path):
    line = run_error(NGFF_BIN, "create", tmp_path / "x.zarr", "--sample", "volume",
                     "--ome-version", "0.3", code=EXIT_USAGE)
    assert "0.3" in line
    with pytest.raises(ngff.UsageError, match="0.2 is read-only"):
        ngff.write_image(tmp_path / "y.zarr", np.zeros((8, 8), np.uint8), ome_version="0.2")
    assert not (tmp_path / "y.zarr").exists()
    # `ngff pyramid` rewrites an image in place: a legacy one must be converted first.
    src = tmp_path / "old.zarr"
    write_legacy_image(src, "0.3")
    before = sorted(p.relative_to(src).as_posix() for p in src.rglob("*"))
    line = run_error(NGFF_BIN, "pyramid", src, "--levels", "3", "-q", code=EXIT_USAGE)
    assert "0.3 is read-only" in line, line
    assert sorted(p.relative_to(src).as_posix() for p in src.rglob("*")) == before
