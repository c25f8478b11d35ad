"""`ngff convert` (OME-Zarr 0.4 <-> 0.5, re-encoded, levels kept or rebuilt) and `ngff pyramid`
(levels rebuilt in place) on images written by ngff and by ome-zarr-py: the results are read by
ome-zarr-py's Reader, validated by ome-zarr-models and read by zarr-python, with the source's
metadata when levels are kept and ngff's documented level metadata when they are rebuilt."""

from __future__ import annotations

import numpy as np
import pytest

from ngff_tools import NGFF_BIN, assert_bit_equal, make_data, ngff_convert, run_ok
from ome_tools import (OTHER_VERSION, VERSIONS, assert_close, check_labels_match_image,
                       check_reader_node, check_reader_omero, check_zarr_python_levels,
                       documented_level, label_nodes, ngff_create, ngff_level, ome_attributes,
                       ome_view, read_with_ome_zarr_py, space_factors, validate_with_models,
                       write_with_ome_zarr_py, zarr_level)

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore:Scale value not provided:UserWarning")]

def assert_same_image(src, dst, dst_version, tmp):
    """dst (a conversion of src, levels kept) has src's metadata and voxels, read by ngff on the
    source side and by zarr-python and ome-zarr-py on the destination side."""
    sv, dv = ome_view(src), ome_view(dst)
    assert dv["ome_version"] == dst_version
    for key in ("name", "axes", "channels", "labels"):
        assert dv.get(key) == sv.get(key), key
    assert len(dv["levels"]) == len(sv["levels"])
    for s, d in zip(sv["levels"], dv["levels"]):
        for key in ("path", "shape", "data_type", "scale", "translation"):
            assert d[key] == s[key], f"level {s['path']}: {key}"
        assert_bit_equal(zarr_level(dst, d), ngff_level(src, s, tmp), f"level {s['path']}")
    check_zarr_python_levels(dst, dv, dst_version, tmp)
    validate_with_models(dst, dst_version)
    nodes = read_with_ome_zarr_py(dst)
    check_reader_node(nodes[0], dv, dst, tmp)
    if dv.get("channels"):
        check_reader_omero(nodes[0], dv["channels"])
    for name, node in label_nodes(nodes).items():
        check_reader_node(node, ome_view(dst / "labels" / name), dst / "labels" / name, tmp)
    for name in sv.get("labels", []):
        ls, ld = ome_view(src / "labels" / name), ome_view(dst / "labels" / name)
        assert ld["is_label"] and ld["axes"] == ls["axes"]
        for s, d in zip(ls["levels"], ld["levels"]):
            assert (d["shape"], d["scale"], d["translation"]) == (
                s["shape"], s["scale"], s["translation"])
            assert_bit_equal(zarr_level(dst / "labels" / name, d),
                             ngff_level(src / "labels" / name, s, tmp))


@pytest.mark.parametrize("version", VERSIONS)
def test_convert_ngff_image_to_the_other_version(version, tmp_path, scratch):
    src = ngff_create(tmp_path / "src.zarr", version, shape=(2, 16, 64, 64), levels=3)
    dst = tmp_path / "dst.zarr"
    ngff_convert(src, dst, "--ome-version", OTHER_VERSION[version])
    assert_same_image(src, dst, OTHER_VERSION[version], scratch)


@pytest.mark.parametrize("dst_version", VERSIONS)
@pytest.mark.parametrize("src_version", VERSIONS)
def test_convert_ome_zarr_py_image(src_version, dst_version, tmp_path, scratch):
    data = make_data("uint16", (2, 16, 64, 64), seed=7)
    src = tmp_path / "src.zarr"
    write_with_ome_zarr_py(src, data, src_version, "czyx", omero={"channels": [
        {"label": "a", "color": "FF0000", "window": {"start": 0, "end": 9, "min": 0, "max": 99}},
        {"label": "b", "color": "00FFFF", "window": {"start": 1, "end": 8, "min": 0, "max": 99}},
    ]})
    dst = tmp_path / "dst.zarr"
    ngff_convert(src, dst, "--ome-version", dst_version, "--codec", "gzip:1",
                 "--chunks", "1,8,32,32")
    assert_same_image(src, dst, dst_version, scratch)
    assert ome_view(dst)["levels"][0]["chunks"] == [1, 8, 32, 32]


def test_convert_ome_zarr_py_04_labels_to_05(tmp_path, scratch):
    """The 0.4 labels of ome-zarr-py become valid 0.5 labels (with "ome.version").
    (ome-zarr-py's own 0.5 labels group lacks "version": see test_ome_peer_written.py.)"""
    data = make_data("uint16", (2, 16, 64, 64), seed=8)
    src = tmp_path / "src.zarr"
    write_with_ome_zarr_py(src, data, "0.4", "czyx",
                           labels={"cells": (data[1] // 16384).astype(np.uint8)})
    dst = tmp_path / "dst.zarr"
    ngff_convert(src, dst, "--ome-version", "0.5")
    assert ome_attributes(dst / "labels") == {"version": "0.5", "labels": ["cells"]}
    assert_same_image(src, dst, "0.5", scratch)


def check_rebuilt(path, version, levels, method, tmp):
    """The levels of `path` are ngff's documented pyramid over its level 0, every peer reads
    them, and its labels have the same levels."""
    view = ome_view(path)
    assert len(view["levels"]) == levels
    base = view["levels"][0]
    for k, level in enumerate(view["levels"]):
        factors = space_factors(view["axes"], k)
        scale, translation = documented_level(base["scale"], base["translation"], factors,
                                              method)
        assert_close(level["scale"], scale, f"level {k} scale")
        assert_close(level["translation"], translation, f"level {k} translation")
        assert level["shape"] == [-(-n // f) for n, f in zip(base["shape"], factors)]
    check_zarr_python_levels(path, view, version, tmp)
    check_reader_node(read_with_ome_zarr_py(path)[0], view, path, tmp)
    check_labels_match_image(path)
    validate_with_models(path, version)
    return view


@pytest.mark.parametrize("version", VERSIONS)
def test_convert_rebuilds_levels(version, tmp_path, scratch):
    src = ngff_create(tmp_path / "src.zarr", version, shape=(2, 16, 64, 64), levels=3)
    dst = tmp_path / "dst.zarr"
    target = OTHER_VERSION[version]
    ngff_convert(src, dst, "--ome-version", target, "--levels", 2, "--method", "nearest")
    view = check_rebuilt(dst, target, 2, "nearest", scratch)
    assert_bit_equal(ngff_level(dst, view["levels"][1], scratch),
                     ngff_level(src, ome_view(src)["levels"][0], scratch)[:, ::2, ::2, ::2])


@pytest.mark.parametrize("version", VERSIONS)
def test_pyramid_rebuilds_ngff_image_and_its_labels(version, tmp_path, scratch):
    path = ngff_create(tmp_path / "img.zarr", version, shape=(2, 16, 64, 64), levels=3)
    before = ngff_level(path, ome_view(path)["levels"][0], scratch)
    run_ok(NGFF_BIN, "pyramid", path, "--levels", 2, "--method", "nearest", "--quiet")
    view = check_rebuilt(path, version, 2, "nearest", scratch)
    assert_bit_equal(ngff_level(path, view["levels"][0], scratch), before, "level 0 changed")


@pytest.mark.parametrize("version", VERSIONS)
def test_pyramid_on_ome_zarr_py_image(version, tmp_path, scratch):
    data = make_data("uint16", (2, 16, 64, 64), seed=9)
    path = tmp_path / "img.zarr"
    write_with_ome_zarr_py(path, data, version, "czyx",
                           scale={"z": 2.0, "y": 0.5, "x": 0.5})
    run_ok(NGFF_BIN, "pyramid", path, "--levels", 3, "--method", "mean", "--quiet")
    view = check_rebuilt(path, version, 3, "mean", scratch)
    assert view["levels"][0]["path"] == "s0" and view["levels"][0]["scale"] == [1, 2, .5, .5]
    assert_bit_equal(ngff_level(path, view["levels"][0], scratch), data, "level 0 changed")
    stale = {"s1", "s2", "s3", "s4"} - {lv["path"] for lv in view["levels"]}
    assert not any((path / s).exists() for s in stale), "old levels left behind"
