"""ngff with the real spatial-image stack from PyPI: spatial-image, multiscale-spatial-image and
multiview-stitcher 0.1.62. They run in their own venv (build/venv-spatial: their pins exclude the
main suite's ngff-zarr 0.50); what ngff writes from them is also read by ome-zarr-py and
ngff-zarr 0.50 in the main venv ($NGFF_PEER_PYTHON), in a subprocess."""

import json
import os
import subprocess
import sys
from pathlib import Path

import multiscale_spatial_image as msi
import numpy as np
import pytest
import spatial_image as si
from multiview_stitcher import ngff_utils
from multiview_stitcher import spatial_image_utils as si_utils

import ngff

UM = "micrometer"
PEER_PYTHON = os.environ.get("NGFF_PEER_PYTHON", str(
    Path(__file__).resolve().parents[2] / "build" / "venv" / "bin" / "python"))
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "python" / \
    "multiview_stitcher_roundtrip.py"


def ramp(shape, dtype="uint16"):
    return (np.arange(np.prod(shape)) % 4000).astype(dtype).reshape(shape)


def peer(script: str, *args: str) -> dict:
    """Runs ``script`` with the main venv's Python (ome-zarr-py, ngff-zarr 0.50); its last
    stdout line is JSON."""
    r = subprocess.run([PEER_PYTHON, "-c", script, *args], capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


PEER_TRANSFORMS = """
import json, sys
import ngff_zarr as nz
from ome_zarr.io import parse_url
from ome_zarr.reader import Reader
path = sys.argv[1]
node = list(Reader(parse_url(path))())[0]
ome_zarr_py = [{t["type"]: t[t["type"]] for t in ct}
               for ct in node.metadata["coordinateTransformations"]]
ms = nz.from_ngff_zarr(path, validate=True)
ngff_zarr = [{"scale": [im.scale.get(d, 1.0) for d in im.dims],
              "translation": [im.translation.get(d, 0.0) for d in im.dims]} for im in ms.images]
print(json.dumps({"ome_zarr_py": ome_zarr_py, "ngff_zarr": ngff_zarr,
                  "shapes": [list(a.shape) for a in node.data]}))
"""


def test_level_is_a_spatial_image_named_as_spatial_image_names_it(tmp_path):
    img = ngff.write_image(tmp_path / "a.ome.zarr", ramp((2, 8, 32, 48)), axes="czyx",
                           scale=(1, 2.0, 0.5, 0.25), translation=(0, 1.0, 2.0, 3.0),
                           units={"z": UM, "y": UM, "x": UM}, levels=2,
                           omero={"channels": [{"label": "DAPI"}, {"label": "GFP"}]})
    ours = img[0].to_spatial_image()
    assert si.is_spatial_image(ours)
    theirs = si.to_spatial_image(ramp((2, 8, 32, 48)), dims="czyx",
                                 scale={"z": 2.0, "y": 0.5, "x": 0.25},
                                 translation={"z": 1.0, "y": 2.0, "x": 3.0},
                                 axis_units={"z": UM, "y": UM, "x": UM},
                                 c_coords=["DAPI", "GFP"])
    assert ours.name == theirs.name and ours.dims == theirs.dims
    for d in theirs.dims:
        if d == "c":
            assert list(ours.c.values) == list(theirs.c.values)
        else:
            np.testing.assert_allclose(ours[d].values, theirs[d].values)
        for key, value in theirs[d].attrs.items():  # long_name, units
            assert ours[d].attrs[key] == value, (d, key)
    assert np.array_equal(ours.values, theirs.values)
    tree = img.to_multiscale_spatial_image()
    assert all(si.is_spatial_image(tree[f"scale{k}/image"]) for k in range(2))


@pytest.mark.parametrize("version", ["0.4", "0.5"])
def test_multiscale_spatial_image_tree_written_and_read_by_peers(tmp_path, version):
    sim = si.to_spatial_image(ramp((16, 64, 48)), dims="zyx",
                              scale={"z": 2.0, "y": 0.5, "x": 0.25},
                              translation={"z": -4.0, "y": 10.0, "x": 3.5},
                              axis_units={"z": UM, "y": UM, "x": UM})
    # The default method needs itk; dask-image's nearest does not (but fails on a "c" dim:
    # it computes a spacing and a factor for every dim).
    tree = msi.to_multiscale(sim, [2, 4], method=msi.Methods.DASK_IMAGE_NEAREST)
    path = tmp_path / "t.ome.zarr"
    img = ngff.write_image(path, tree, ome_version=version)
    assert img.version == version and len(img) == 3
    expected = []
    for k, level in enumerate(img):
        node = tree[f"scale{k}"]["image"]
        assert level.shape == node.shape
        assert np.array_equal(level.to_numpy(), node.values), k
        scale = [float((node[d][-1] - node[d][0]) / (node[d].size - 1)) for d in "zyx"]
        translation = [float(node[d][0]) for d in "zyx"]
        assert level.scale == pytest.approx(scale) and level.translation == pytest.approx(
            translation), k
        expected.append({"scale": scale, "translation": translation})
    seen = peer(PEER_TRANSFORMS, str(path))
    assert seen["shapes"] == [list(level.shape) for level in img]
    for k, want in enumerate(expected):
        for reader in ("ome_zarr_py", "ngff_zarr"):
            got = seen[reader][k]
            assert got["scale"] == pytest.approx(want["scale"]), (reader, k)
            assert got.get("translation", [0.0] * 3) == pytest.approx(want["translation"]), (
                reader, k)


def test_multiview_stitcher_reads_ngff_04(tmp_path):
    x = ramp((2, 12, 40, 40))
    path = tmp_path / "m.ome.zarr"
    ngff.write_image(path, x, axes="czyx", scale=(1, 3.0, 0.25, 0.25),
                     translation=(0, -1.0, 5.0, 6.0), units={"z": UM, "y": UM, "x": UM},
                     levels=2, ome_version="0.4",
                     omero={"channels": [{"label": "DAPI"}, {"label": "GFP"}]})
    for level, factor in ((0, 1), (1, 2)):
        sim = ngff_utils.read_sim_from_ome_zarr(str(path), resolution_level=level)
        assert si_utils.get_spacing_from_sim(sim) == pytest.approx(
            {"z": 3.0 * factor, "y": 0.25 * factor, "x": 0.25 * factor})
        img_level = ngff.open_image(path)[level]
        assert si_utils.get_origin_from_sim(sim) == pytest.approx(
            dict(zip("zyx", img_level.translation[1:])))
        assert list(sim.c.values) == ["DAPI", "GFP"]
        assert np.array_equal(np.asarray(sim.squeeze("t", drop=True)), img_level.to_numpy())


NGFF_ZARR_05 = """
import sys, numpy as np, ngff_zarr as nz
image = nz.to_ngff_image(np.ones((8, 32, 32), np.uint16), dims=["z", "y", "x"],
                         scale={"z": 3.0, "y": 0.25, "x": 0.25},
                         translation={"z": -1.0, "y": 5.0, "x": 6.0})
nz.to_ngff_zarr(sys.argv[1], nz.to_multiscales(image, scale_factors=[2]), version="0.5")
print("{}")
"""


def test_multiview_stitcher_on_05_as_on_ngff_zarrs_own_05(tmp_path):
    """multiview-stitcher 0.1.62 fails on every 0.5 image, ngff-zarr's own included (zarr-python:
    "`dimension_names` and `shape` need to have the same number of dimensions", its bug). So ngff's
    0.5 must do exactly what ngff-zarr's does: read with the right spacing and origin once
    multiview-stitcher reads ngff-zarr's, the same error until then."""
    theirs = tmp_path / "theirs.ome.zarr"
    peer(NGFF_ZARR_05, str(theirs))
    ours = tmp_path / "ours.ome.zarr"
    ngff.write_image(ours, np.ones((8, 32, 32), np.uint16), axes="zyx", scale=(3.0, 0.25, 0.25),
                     translation=(-1.0, 5.0, 6.0), levels=2, ome_version="0.5")

    def read(path):
        try:
            sim = ngff_utils.read_sim_from_ome_zarr(str(path))
            return (si_utils.get_spacing_from_sim(sim), si_utils.get_origin_from_sim(sim))
        except Exception as e:  # noqa: BLE001 (the peer's own exception, compared below)
            return f"{type(e).__name__}: {e}"

    theirs_read, ours_read = read(theirs), read(ours)
    if isinstance(theirs_read, str):
        assert ours_read == theirs_read
        assert "dimension_names" in theirs_read
    else:
        assert ours_read[0] == pytest.approx(theirs_read[0])
        assert ours_read[1] == pytest.approx({"z": -1.0, "y": 5.0, "x": 6.0})


def test_multiview_stitcher_spatial_image_written_by_ngff(tmp_path):
    x = ramp((2, 8, 32, 32))
    sim = si_utils.get_sim_from_array(x, dims=["c", "z", "y", "x"],
                                      scale={"z": 3.0, "y": 0.325, "x": 0.325},
                                      translation={"z": -1.0, "y": 5.0, "x": 6.5},
                                      c_coords=["a", "b"])
    img = ngff.write_image(tmp_path / "s.ome.zarr", sim, levels=2)
    assert img.dims == ("t", "c", "z", "y", "x")  # multiview-stitcher images always have t
    assert img.scale == (1.0, 1.0, 3.0, 0.325, 0.325)  # exact decimals, not coordinate noise
    assert img.translation == (0.0, 0.0, -1.0, 5.0, 6.5)
    assert img.channel_labels() == ["a", "b"]
    assert np.array_equal(img[0].to_numpy()[0], x)


def test_example_round_trip(tmp_path):
    r = subprocess.run([sys.executable, str(EXAMPLE), str(tmp_path)], capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("multiview-stitcher tile: spacing {z: 2, y: 0.325, x: 0.325} "
                               "origin {z: 10, y: -40, x: 12.5}")
    assert any(line.startswith("ngff level 1: spacing {t: 1, c: 1, z: 4, y: 0.65, x: 0.65}")
               for line in lines)
    assert any(line.startswith("DataTree scale2: spacing {z: 8, y: 1.3, x: 1.3}")
               for line in lines)
    assert lines[-1] == ("multiview-stitcher reads ngff: spacing {z: 2, y: 0.325, x: 0.325} "
                         "origin {z: 10, y: -40, x: 12.5} channels ['DAPI', 'GFP']")
