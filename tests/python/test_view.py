"""`ngff view` in a real headless Chromium (Debian's chromium driven by playwright-core from npm,
viewer/test/browser.mjs): the page draws, z moves, a channel switches off, a zoom to one screen
pixel per voxel shows what `ngff render` draws for the same box; no request leaves 127.0.0.1;
paths outside the dataset and the viewer's files get 403 or 404."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import ngff_tools
from view_tools import get, has_view, view_server

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "viewer" / "test" / "browser.mjs"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NODE = shutil.which("node")

needs_browser = pytest.mark.skipif(
    not (CHROMIUM and NODE and (ROOT / "viewer/node_modules/playwright-core").is_dir()),
    reason="needs chromium, node and `npm ci` in viewer/ (scripts/setup.sh installs them)")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """Two smooth channels that change with z (OpenSeadragon may place a tile a pixel off; on
    smooth data that costs little, while another z or channel changes the picture a lot)."""
    import ngff
    z, y, x = np.mgrid[0:24, 0:768, 0:1024].astype(np.float32)
    waves = 1000 + 900 * np.sin(x / 40 + z / 2) * np.cos(y / 50)
    squares = 1800.0 * ((x // 128 + y // 128 + z // 4) % 2)
    data = np.stack([waves, squares]).astype(np.uint16)
    url = tmp_path_factory.mktemp("view") / "waves.ome.zarr"
    omero = {"channels": [
        {"label": "waves", "color": "FF0000", "window": {"start": 0, "end": 2000, "min": 0,
                                                          "max": 65535}},
        {"label": "squares", "color": "00FF00", "window": {"start": 0, "end": 2000, "min": 0,
                                                            "max": 65535}}]}
    ngff.write_image(url, data, axes="czyx", scale=(1, 2.0, 0.5, 0.5),
                     units={"x": "micrometer", "y": "micrometer", "z": "micrometer"}, levels=4,
                     omero=omero)
    return url


@pytest.fixture(scope="module")
def server(sample):
    if not has_view():
        pytest.skip("ngff was built without `ngff view` (-DNGFF_VIEWER=OFF)")
    with view_server(sample) as port:
        yield port


def test_serves_only_the_dataset_and_the_viewer(server):
    assert get(server, "/")[0] == 200
    assert get(server, "/openseadragon.min.js")[0] == 200
    status, body, _ = get(server, "/info.json")
    info = json.loads(body)
    assert status == 200 and (info["width"], info["height"]) == (1024, 768)
    status, body, headers = get(server, "/data/zarr.json")
    assert status == 200 and json.loads(body)["node_type"] == "group"
    assert headers.get("Access-Control-Allow-Origin") == "*"
    status, part, headers = get(server, "/data/zarr.json", {"Range": "bytes=2-9"})
    assert status == 206 and part == body[2:10], (status, headers)
    for path in ("/../etc/passwd", "/data/../../etc/passwd", "/data/%2e%2e/zarr.json",
                 "/data//etc/passwd", "/etc/passwd", "/data/0/../../x", "/tile/99/0_0.png?image=",
                 "/info.json?image=../other", "/tile/0/0_0.png?image=/etc"):
        status = get(server, path)[0]
        assert status in (403, 404), (path, status)


@needs_browser
def test_browser_draws_what_render_draws(server, sample, tmp_path):
    env = dict(os.environ, CI="true")
    env.pop("DISPLAY", None)
    r = subprocess.run([NODE, str(SCRIPT), f"http://127.0.0.1:{server}/", str(tmp_path),
                        CHROMIUM], capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    seen = json.loads(r.stdout.strip().splitlines()[-1])
    assert seen["steps"] == ["drawn", "z and channel", "zoomed"], seen["steps"]
    assert seen["state"] == {"z": 20, "on": [True, False]}
    # Every request stayed on the server.
    assert seen["requests"] and all(u.startswith(f"http://127.0.0.1:{server}/")
                                    for u in seen["requests"])
    tiles = [u for u in seen["requests"] if "/tile/" in u]
    levels = {int(u.split("/tile/")[1].split("/")[0]) for u in tiles}
    assert max(levels) == 10 and min(levels) < 10, levels  # zoomed in from a coarser level
    view = seen["view"]
    assert view["zoom"] == pytest.approx(1) and (view["w"], view["h"]) == (200, 200)
    x0, y0 = round(view["x0"]), round(view["y0"])
    assert (x0, y0) == (400, 300)
    shot = np.asarray(Image.open(tmp_path / "view.png").convert("RGB")).astype(int)

    def rendered(*args):
        out = tmp_path / "render.png"
        subprocess.run([ngff_tools.NGFF_BIN, "render", str(sample), "-o", str(out), "--size",
                        "0x0", "--region", f"{y0}:{y0 + 200},{x0}:{x0 + 200}", *args],
                       check=True, capture_output=True)
        expected = np.asarray(Image.open(out).convert("RGB")).astype(int)
        assert shot.shape == expected.shape
        return np.abs(shot - expected).mean()

    assert rendered("--z", "20", "--channels", "0") < 3
    # Another plane, or channel 1 still on, would differ by far more.
    assert rendered("--z", "12", "--channels", "0") > 20
    assert rendered("--z", "20", "--channels", "0,1") > 20
    # The scale bar and the cursor speak physical units (0.5 micrometer voxels).
    assert seen["scalebar"].endswith("micrometer")
    # The pointer at the top-left corner of voxel (410, 320), whose centre is at 205, 160.
    assert seen["cursor"] == "x 204.75  y 159.75  z 40.00 micrometer", seen["cursor"]


def test_plate_grid_and_fields(tmp_path):
    if not has_view():
        pytest.skip("ngff was built without `ngff view` (-DNGFF_VIEWER=OFF)")
    plate = tmp_path / "plate.ome.zarr"
    subprocess.run([ngff_tools.NGFF_BIN, "create", str(plate), "--sample", "plate", "-q"],
                   check=True)
    with view_server(plate) as port:
        info = json.loads(get(port, "/info.json")[1])
        fields = [f["path"] for f in info["plate"]["fields"]]
        assert info["image"] == fields[0] and len(fields) == 6
        assert info["plate"]["rows"] == ["A", "B"]
        other = json.loads(get(port, f"/info.json?image={fields[-1]}")[1])
        assert other["image"] == fields[-1]
        status, png, headers = get(port, f"/tile/0/0_0.png?image={fields[-1]}")
        assert status == 200 and png[:4] == b"\x89PNG"
        for path in ("/info.json?image=", "/info.json?image=A/1", "/tile/0/0_0.png?image=../A"):
            assert get(port, path)[0] == 404, path
