"""`ngff render` and ngff.render(): the PNG against a picture computed here from the voxels with
numpy (windows onto colours, summed and saturated; labels blended by alpha times opacity), within
one grey level of rounding."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
from PIL import Image

import ngff
import ngff_tools

RED, GREEN, BLUE, MAGENTA = "FF0000", "00FF00", "0000FF", "FF00FF"


def run_render(url, out, *args):
    r = subprocess.run([ngff_tools.NGFF_BIN, "render", str(url), "-o", str(out), *map(str, args)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return np.asarray(Image.open(out).convert("RGB")), r.stderr


def rgb(hex_color):
    return np.array([int(hex_color[i:i + 2], 16) for i in (0, 2, 4)], dtype=np.float64)


def composite(planes):
    """planes: [(2-D values, "RRGGBB", (start, end))] -> (h, w, 3) uint8."""
    acc = 0.0
    for values, color, (start, end) in planes:
        v = np.clip((values.astype(np.float64) - start) / (end - start), 0, 1)
        acc = acc + v[..., None] * rgb(color) / 255
    return np.round(np.clip(acc, 0, 1) * 255).astype(np.uint8)


def overlay(picture, labels, colors, opacity):
    out = picture.astype(np.float64)
    for value, rgba in colors.items():
        a = rgba[3] / 255 * opacity
        mask = labels == value
        out[mask] = out[mask] * (1 - a) + np.array(rgba[:3], dtype=np.float64) * a
    return np.round(out).astype(np.uint8)


def assert_close(actual, expected):
    assert actual.shape == expected.shape
    diff = np.abs(actual.astype(int) - expected.astype(int))
    assert diff.max() <= 1, f"{(diff > 1).sum()} pixels differ by up to {diff.max()}"


def omero(*channels):
    return {"channels": [{"color": c, "window": {"start": s, "end": e, "min": 0, "max": 65535}}
                         for c, (s, e) in channels],
            "rdefs": {"defaultT": 0, "defaultZ": 0, "model": "color"}}


@pytest.fixture
def volume():
    rng = np.random.default_rng(7)
    return rng.integers(0, 4000, (3, 8, 64, 96), dtype=np.uint16)


def test_2d_plane_auto_contrast(tmp_path):
    # No omero: one channel in white, windowed at the 0.1 and 99.9 percentiles of the plane.
    data = np.random.default_rng(1).normal(1000, 200, (70, 50)).astype(np.float32)
    url = tmp_path / "plane.ome.zarr"
    ngff.write_image(url, data, axes="yx", levels=1)
    picture, _ = run_render(url, tmp_path / "p.png")
    lo, hi = np.percentile(data, [0.1, 99.9])
    assert_close(picture, composite([(data, "FFFFFF", (lo, hi))]))


def test_3d_mip_multichannel_omero(tmp_path, volume):
    url = tmp_path / "vol.ome.zarr"
    ngff.write_image(url, volume, axes="czyx", levels=1,
                     omero=omero((RED, (100, 3000)), (GREEN, (0, 4000)), (BLUE, (500, 2500))))
    picture, _ = run_render(url, tmp_path / "mip.png", "--mip")
    mip = volume.max(axis=1)
    expected = composite([(mip[0], RED, (100, 3000)), (mip[1], GREEN, (0, 4000)),
                          (mip[2], BLUE, (500, 2500))])
    assert_close(picture, expected)


def test_z_plane_channel_choice_and_window(tmp_path, volume):
    url = tmp_path / "vol.ome.zarr"
    ngff.write_image(url, volume, axes="czyx", levels=1,
                     omero=omero((RED, (100, 3000)), (GREEN, (0, 4000)), (MAGENTA, (500, 2500))))
    picture, _ = run_render(url, tmp_path / "z.png", "--z", 5, "--channels", "0,2",
                            "--window", "2:1000:2000")
    expected = composite([(volume[0, 5], RED, (100, 3000)),
                          (volume[2, 5], MAGENTA, (1000, 2000))])
    assert_close(picture, expected)
    # ngff.render gives the same pixels.
    assert_close(ngff.render(url, z=5, channels=[0, 2], windows={2: (1000, 2000)}), expected)


def test_region(tmp_path, volume):
    url = tmp_path / "vol.ome.zarr"
    ngff.write_image(url, volume, axes="czyx", levels=1, omero=omero(
        (RED, (0, 4000)), (GREEN, (0, 4000)), (BLUE, (0, 4000))))
    picture, _ = run_render(url, tmp_path / "r.png", "--region", "10:40,20:90", "--z", 3)
    expected = composite([(volume[c, 3, 10:40, 20:90], col, (0, 4000))
                          for c, col in enumerate((RED, GREEN, BLUE))])
    assert_close(picture, expected)
    assert_close(ngff.render(url, z=3, region=((10, 40), (20, 90))), expected)


def test_labels_overlay(tmp_path, volume):
    url = tmp_path / "vol.ome.zarr"
    img = ngff.write_image(url, volume[:2], axes="czyx", levels=2,
                           omero=omero((RED, (0, 4000)), (GREEN, (0, 4000))))
    labels = np.zeros(volume.shape[1:], dtype=np.uint16)
    labels[:, 10:30, 20:50] = 1
    labels[2:6, 35:60, 40:90] = 2
    labels[:, 0:5, 0:5] = 3  # no colour listed: drawn in the stable palette
    colors = {1: (255, 255, 0, 255), 2: (0, 0, 255, 128)}
    ngff.write_labels(img, "cells", labels, colors=colors)
    picture, _ = run_render(url, tmp_path / "l.png", "--z", 4, "--labels", "cells",
                            "--label-opacity", 0.6)
    base = composite([(volume[0, 4], RED, (0, 4000)), (volume[1, 4], GREEN, (0, 4000))])
    expected = overlay(base, labels[4], colors, 0.6)
    palette = picture[0:5, 0:5].reshape(-1, 3)
    assert (palette != base[0:5, 0:5].reshape(-1, 3)).any(), "label 3 was not drawn"
    expected[0:5, 0:5] = picture[0:5, 0:5]
    assert_close(picture, expected)
    # The MIP overlays the labels' maximum over z.
    picture, _ = run_render(url, tmp_path / "lm.png", "--mip", "--labels", "cells",
                            "--channels", "0")
    base = composite([(volume[0].max(axis=0), RED, (0, 4000))])
    expected = overlay(base, labels.max(axis=0), colors, 0.5)
    expected[0:5, 0:5] = picture[0:5, 0:5]
    assert_close(picture, expected)


def test_size_picks_the_coarsest_covering_level(tmp_path):
    data = np.random.default_rng(3).integers(0, 255, (2, 256, 256), dtype=np.uint8)
    url = tmp_path / "big.ome.zarr"
    ngff.write_image(url, data, axes="cyx", levels=3, method="nearest",
                     omero=omero((GREEN, (0, 255)), (MAGENTA, (0, 255))))
    img = ngff.open_image(url)
    level1 = img[1].to_numpy()
    picture, log = run_render(url, tmp_path / "s.png", "--size", "128x128")
    assert "from level 1" in log
    assert_close(picture, composite([(level1[0], GREEN, (0, 255)),
                                     (level1[1], MAGENTA, (0, 255))]))
    # 100x100 still needs level 1 (level 2 has 64 pixels), sampled at the nearest voxel.
    picture, log = run_render(url, tmp_path / "s100.png", "--size", "100x100")
    assert "from level 1" in log
    idx = ((np.arange(100) + 0.5) * 128 / 100).astype(int)
    sampled = level1[:, idx][:, :, idx]
    assert_close(picture, composite([(sampled[0], GREEN, (0, 255)),
                                     (sampled[1], MAGENTA, (0, 255))]))
    # 64x30 fits a 30x30 picture; level 2 covers it.
    picture, log = run_render(url, tmp_path / "s30.png", "--size", "64x30")
    assert "from level 2" in log and picture.shape == (30, 30, 3)
    assert ngff.render(img, size=(64, 30)).shape == (30, 30, 3)


def test_plate_and_well_render_their_first_field(tmp_path):
    url = tmp_path / "plate.ome.zarr"
    subprocess.run([ngff_tools.NGFF_BIN, "create", str(url), "--sample", "plate", "-q"],
                   check=True)
    plate = ngff.open_plate(url)
    well = next(iter(plate.wells.values()))
    field = well.fields[0]
    whole, _ = run_render(url, tmp_path / "plate.png")
    direct, _ = run_render(field.url, tmp_path / "field.png")
    assert np.array_equal(whole, direct)
    assert np.array_equal(ngff.render(field), direct)


def test_errors(tmp_path, volume):
    url = tmp_path / "vol.ome.zarr"
    ngff.write_image(url, volume, axes="czyx", levels=1)
    for args in (["--channels", "5"], ["--z", "99"], ["--labels", "nope"],
                 ["--size", "big"], ["--level", "7"]):
        r = subprocess.run([ngff_tools.NGFF_BIN, "render", str(url), "-o",
                            str(tmp_path / "e.png"), *args], capture_output=True, text=True)
        assert r.returncode != 0 and "error" in r.stderr, args


def test_bioformats2raw_series(tmp_path):
    from test_hcs import build_bioformats2raw
    path = tmp_path / "bf2raw.ome.zarr"
    data = build_bioformats2raw(path, "0.5")
    by_flag, _ = run_render(path, tmp_path / "s1.png", "--series", 1, "--channels", "0,1,2",
                            "--window", "0:0:255", "--window", "1:0:255", "--window", "2:0:255")
    by_path, _ = run_render(f"{path}/1", tmp_path / "p1.png", "--window", "0:0:255",
                            "--window", "1:0:255", "--window", "2:0:255")
    colors = ("FF0000", "00FF00", "0000FF")
    expected = composite([(data[1][c], colors[c], (0, 255)) for c in range(3)])
    assert_close(by_flag, expected)
    assert_close(by_path, expected)
    windows = {c: (0, 255) for c in range(3)}
    assert_close(ngff.render(path, series=1, windows=windows), expected)
