"""The napari reader through npe2, without napari or a display: the manifest shipped in the
package is registered with npe2's plugin manager, and npe2.read() returns the layers of a
multichannel image with labels (data per level, scale, translate, colormaps, contrast limits)."""

from __future__ import annotations

from pathlib import Path
import subprocess

import numpy as np
import pytest

import ngff
import ngff_tools

npe2 = pytest.importorskip("npe2")


@pytest.fixture(scope="module")
def plugin():
    manifest = npe2.PluginManifest.from_file(Path(ngff.__file__).parent / "napari.yaml")
    pm = npe2.PluginManager.instance()
    if manifest.name not in pm._manifests:
        pm.register(manifest)
    return manifest.name


@pytest.fixture
def image(tmp_path):
    rng = np.random.default_rng(5)
    data = rng.integers(0, 1000, (2, 4, 64, 48), dtype=np.uint16)
    url = tmp_path / "cells.ome.zarr"
    omero = {"channels": [
        {"label": "DAPI", "color": "0000FF", "window": {"start": 10, "end": 900, "min": 0,
                                                         "max": 65535}},
        {"label": "GFP", "color": "00FF00", "active": False}]}
    img = ngff.write_image(url, data, axes="czyx", scale=(1, 2.0, 0.5, 0.25),
                           translation=(0, 10.0, 20.0, 30.0), levels=3, omero=omero)
    labels = np.zeros(data.shape[1:], dtype=np.uint32)
    labels[1:3, 10:20, 5:25] = 4
    ngff.write_labels(img, "nuclei", labels, colors={4: (255, 128, 0, 255)})
    return url, data, labels


def test_read_multichannel_image_with_labels(plugin, image):
    url, data, labels = image
    layers = npe2.read([str(url)], plugin_name=plugin, stack=False)
    assert [(kw["name"], kind) for _, kw, kind in layers] == [
        ("DAPI", "image"), ("GFP", "image"), ("nuclei", "labels")]
    img = ngff.open_image(url)
    for c, (levels, kw, _) in enumerate(layers[:2]):
        assert kw["multiscale"] is True and len(levels) == 3
        assert [lv.shape for lv in levels] == [lv.shape[1:] for lv in img]
        assert np.array_equal(np.asarray(levels[0]), data[c])
        assert np.array_equal(np.asarray(levels[2]), img[2].to_numpy()[c])
        assert kw["scale"] == [2.0, 0.5, 0.25]
        assert kw["translate"] == [10.0, 20.0, 30.0]
        assert kw["blending"] == "additive"
    dapi, gfp = layers[0][1], layers[1][1]
    assert dapi["colormap"]["colors"] == [[0, 0, 0, 1], [0, 0, 1, 1]]
    assert gfp["colormap"]["colors"] == [[0, 0, 0, 1], [0, 1, 0, 1]]
    assert dapi["contrast_limits"] == [10.0, 900.0] and dapi["visible"] is True
    # GFP has no window: the coarsest level's percentiles.
    coarse = img[2].to_numpy()[1]
    assert gfp["contrast_limits"] == pytest.approx(list(np.percentile(coarse, [0.1, 99.9])))
    assert gfp["visible"] is False
    levels, kw, _ = layers[2]
    assert np.array_equal(np.asarray(levels[0]), labels)
    assert kw["scale"] == [2.0, 0.5, 0.25] and kw["translate"] == [10.0, 20.0, 30.0]
    assert kw["colormap"][4] == pytest.approx([1.0, 128 / 255, 0.0, 1.0])
    assert kw["colormap"][None] == [0, 0, 0, 0]


def test_zip_and_plate_and_non_images(plugin, image, tmp_path):
    url, data, _ = image
    ozx = tmp_path / "cells.ozx"
    ngff.copy(str(url), str(ozx))
    layers = npe2.read([str(ozx)], plugin_name=plugin, stack=False)
    assert np.array_equal(np.asarray(layers[0][0][0]), data[0])
    plate = tmp_path / "plate.ome.zarr"
    subprocess.run([ngff_tools.NGFF_BIN, "create", str(plate), "--sample", "plate", "-q"],
                   check=True)
    first = ngff.open_plate(plate)
    field = next(iter(first.wells.values())).fields[0]
    layers = npe2.read([str(plate)], plugin_name=plugin, stack=False)
    assert np.array_equal(np.asarray(layers[0][0][0]), field[0].to_numpy()[0])
    # A plain Zarr array is not the reader's: it declines, and npe2 says no reader could.
    a = ngff.create_array(tmp_path / "plain.zarr", shape=(4, 4), dtype="uint8")
    assert a.shape == (4, 4)
    from ngff._napari import get_reader
    assert get_reader(str(tmp_path / "plain.zarr")) is None
    assert get_reader([str(url), str(url)]) is None
