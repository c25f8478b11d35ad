"""OME-NGFF 0.6 (RFC-5 coordinate systems and transformations) with ngff-zarr (PyPI `ngff-zarr`)
as the peer: 0.6 images ngff-zarr writes (dataset paths like scale0/img, sequence[scale,
translation] per dataset) read in ngff with equal voxels, scale and translation; 0.6 images ngff
writes read by `from_ngff_zarr(..., validate=True)`, passing ngff-zarr's schema `validate` and
`validate_structural`, with equal voxels; a 0.5 -> 0.6 -> 0.5 conversion gives back the same
documents and voxels; and a multiscale-level affine, kept by ngff (and in Python's xarray attrs),
is refused with a clear error when converting to 0.5. Small arrays keep it quick."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import ngff_zarr as nz
import numpy as np
import pytest
import zarr

import ngff
from ngff_tools import EXIT_INVALID, NGFF_BIN, ngff_convert, run_error
from ome_tools import assert_close, assert_levels_match_peer, ngff_create, ome_view

logging.getLogger("ngff_zarr").setLevel(logging.ERROR)

DIMS = ("c", "y", "x")
SCALE = {"y": 0.5, "x": 0.25}
TRANSLATION = {"y": 10.0, "x": -3.0}
UNITS = {"y": "micrometer", "x": "micrometer"}


def _data(shape=(2, 32, 40)) -> np.ndarray:
    return (np.arange(int(np.prod(shape))) % 4093).astype(np.uint16).reshape(shape)


def _attributes(path: Path) -> dict:
    return json.loads((path / "zarr.json").read_text())["attributes"]


def test_ngff_zarr_06_read_by_ngff(tmp_path):
    image = nz.to_ngff_image(_data(), dims=list(DIMS), scale=SCALE, translation=TRANSLATION,
                             axes_units=UNITS, name="peer")
    multiscales = nz.to_multiscales(image, scale_factors=[2, 4],
                                    method=nz.Methods.DASK_BIN_SHRINK)
    path = tmp_path / "peer.ome.zarr"
    nz.to_ngff_zarr(str(path), multiscales, version="0.6")
    ome = _attributes(path)["ome"]
    assert ome["version"] == "0.6" and "coordinateSystems" in ome["multiscales"][0]

    view = ome_view(path)
    assert view["ome_version"] == "0.6" and view["name"] == "peer"
    assert [a["name"] for a in view["axes"]] == list(DIMS)
    assert [a["unit"] for a in view["axes"]] == [None, "micrometer", "micrometer"]
    assert view["coordinate_systems"] == [{"name": "intrinsic", "axes": list(DIMS),
                                           "intrinsic": True}]
    assert [level["path"] for level in view["levels"]] == [f"scale{k}/peer" for k in range(3)]
    assert_levels_match_peer(path, view, multiscales.images, DIMS, tmp_path)

    img = ngff.open_image(path)
    assert img.version == "0.6" and img.units == UNITS
    assert img[1].path == "scale1/peer"
    np.testing.assert_array_equal(img[2].to_numpy(), np.asarray(multiscales.images[2].data))
    # The unknown member ngff-zarr writes ("@type") survives a conversion to 0.6 by ngff.
    out = tmp_path / "copy.ome.zarr"
    ngff_convert(path, out, "--ome-version", "0.6")
    assert _attributes(out)["ome"]["multiscales"][0]["@type"] == \
        ome["multiscales"][0]["@type"]


def test_ngff_06_read_by_ngff_zarr(tmp_path):
    path = ngff_create(tmp_path / "ngff.ome.zarr", "0.6", shape=(2, 16, 64, 48), levels=3)
    attrs = _attributes(path)
    assert attrs["ome"]["version"] == "0.6"
    nz.validate(attrs, version="0.6", model="image")
    nz.validate(attrs, version="0.6", model="image", strict=True)

    multiscales = nz.from_ngff_zarr(str(path), validate=True)
    nz.validate_structural(multiscales.metadata)
    img = ngff.open_image(path)
    assert len(multiscales.images) == len(img) == 3
    for k, (peer, level) in enumerate(zip(multiscales.images, img)):
        np.testing.assert_array_equal(np.asarray(peer.data), level.to_numpy(), f"level {k}")
        dims = list(level.dims)
        assert list(peer.dims) == dims
        assert_close([peer.scale[d] for d in dims], level.scale, f"level {k} scale")
        assert_close([peer.translation[d] for d in dims], level.translation,
                     f"level {k} translation")


@pytest.mark.parametrize("sample", ["volume", "timelapse"])
def test_convert_05_to_06_and_back(sample, tmp_path):
    src = ngff_create(tmp_path / "src.ome.zarr", "0.5", sample=sample, levels=2,
                      shape=(3, 2, 8, 32, 32) if sample == "timelapse" else (2, 8, 32, 32))
    v06, back = tmp_path / "v06.ome.zarr", tmp_path / "back.ome.zarr"
    ngff_convert(src, v06, "--ome-version", "0.6")
    ngff_convert(v06, back, "--ome-version", "0.5")
    assert _attributes(v06)["ome"]["version"] == "0.6"
    nz.validate(_attributes(v06), version="0.6", model="image")
    documents = sorted(p.relative_to(src) for p in src.rglob("zarr.json"))
    assert documents == sorted(p.relative_to(back) for p in back.rglob("zarr.json"))
    for doc in documents:
        assert json.loads((back / doc).read_text()) == json.loads((src / doc).read_text()), doc
        node = json.loads((src / doc).read_text())
        if node["node_type"] == "array":
            a = zarr.open_array(str(src / doc.parent), mode="r")
            b = zarr.open_array(str(back / doc.parent), mode="r")
            np.testing.assert_array_equal(a[...], b[...], str(doc))


def _with_affine(path: Path, affine) -> None:
    """Adds a "world" system and an affine from the intrinsic one to the 0.6 image at `path`."""
    doc = json.loads((path / "zarr.json").read_text())
    ms = doc["attributes"]["ome"]["multiscales"][0]
    intrinsic = ms["coordinateSystems"][0]
    ms["coordinateSystems"].append({"name": "world", "axes": intrinsic["axes"]})
    ms["coordinateTransformations"] = [{"type": "affine", "affine": affine,
                                        "input": {"name": intrinsic["name"]},
                                        "output": {"name": "world"}}]
    (path / "zarr.json").write_text(json.dumps(doc))


def test_affine_is_kept_and_refused_for_05(tmp_path):
    path = ngff_create(tmp_path / "tilted.ome.zarr", "0.6", sample="plane", levels=2,
                       shape=(32, 48))
    rotation = [[0.8, -0.6, 10.0], [0.6, 0.8, -4.0]]
    _with_affine(path, rotation)
    view = ome_view(path)
    assert [s["name"] for s in view["coordinate_systems"]] == ["intrinsic", "world"]
    assert view["transformations"] == [
        "intrinsic -> world: affine [[0.8, -0.6, 10], [0.6, 0.8, -4]]"]

    img = ngff.open_image(path)
    assert img[0].affine == rotation and img[0].affine_target == "world"
    xa = img[0].to_xarray()
    assert xa.attrs["affine"] == rotation and xa.attrs["coordinate_system"] == "world"
    np.testing.assert_allclose(xa.coords[img.dims[-1]].values, img[0].coords()[img.dims[-1]])

    # 0.6 -> 0.6 keeps it; 0.5 cannot say it.
    kept = tmp_path / "kept.ome.zarr"
    ngff_convert(path, kept, "--ome-version", "0.6")
    assert _attributes(kept)["ome"]["multiscales"][0]["coordinateTransformations"][0]["affine"] \
        == rotation
    out = tmp_path / "out.ome.zarr"
    line = run_error(NGFF_BIN, "convert", path, out, "--ome-version", "0.5", code=EXIT_INVALID)
    assert ("ome.multiscales[0].coordinateTransformations[0]: affine cannot be written as "
            "OME-NGFF 0.5 (only scale and translation)") in line, line
    assert not out.exists()


def test_axis_aligned_affine_gives_the_coords(tmp_path):
    path = ngff_create(tmp_path / "shifted.ome.zarr", "0.6", sample="plane", levels=1,
                       shape=(8, 6))
    _with_affine(path, [[2.0, 0.0, 100.0], [0.0, 3.0, -5.0]])
    level = ngff.open_image(path)[0]
    xa = level.to_xarray()
    y, x = level.dims
    np.testing.assert_allclose(
        xa.coords[y].values, 2.0 * (level.translation[0] + np.arange(8) * level.scale[0]) + 100.0)
    np.testing.assert_allclose(
        xa.coords[x].values, 3.0 * (level.translation[1] + np.arange(6) * level.scale[1]) - 5.0)
    assert xa.attrs["coordinate_system"] == "world" and "affine" not in xa.attrs
    # A scale and translation to another system fold into 0.5's multiscale-level pair.
    out = tmp_path / "v05.ome.zarr"
    ngff_convert(path, out, "--ome-version", "0.5")
    ms = _attributes(out)["ome"]["multiscales"][0]
    assert ms["coordinateTransformations"] == [{"type": "scale", "scale": [2.0, 3.0]},
                                               {"type": "translation",
                                                "translation": [100.0, -5.0]}]
