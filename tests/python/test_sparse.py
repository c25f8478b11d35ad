"""Sparse data: the cost of `convert` and `pyramid` follows the stored chunks, not the chunk grid.
ngff lists the source (locally and on S3) and writes only the output chunks that meet stored
input; the result equals the dense walk, which ngff takes from an HTTP server (no listing), voxel
for voxel for every method, and zarr-python reads it."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
import zarr

from http_server import FileServer
from ngff_tools import NGFF_BIN, run_ok
from test_s3_store import BUCKET, MotoServer, ngff_env

# (row, column) of the stored chunks: corners, edges and the inside of the grid.
BLOBS = [(0, 0), (0, 23), (23, 0), (23, 23), (11, 12), (5, 17), (18, 2)]


def write_sparse_image(root: Path, shape, chunk, blobs, dtype="uint16", seed=0) -> dict:
    """An OME-Zarr 0.5 image whose level 0 stores only `blobs` (chunk indices), as zarr-python
    writes it; returns {chunk index: data}."""
    g = zarr.open_group(root, mode="w", zarr_format=3)
    g.attrs["ome"] = {"version": "0.5", "multiscales": [{
        "axes": [{"name": "y", "type": "space"}, {"name": "x", "type": "space"}],
        "datasets": [{"path": "0", "coordinateTransformations": [
            {"type": "scale", "scale": [1.0, 1.0]}]}]}]}
    a = g.create_array("0", shape=shape, chunks=chunk, dtype=dtype, fill_value=0,
                       dimension_names=["y", "x"])
    rng = np.random.default_rng(seed)
    data = {}
    for (i, j) in blobs:
        box = (slice(i * chunk[0], min((i + 1) * chunk[0], shape[0])),
               slice(j * chunk[1], min((j + 1) * chunk[1], shape[1])))
        block = rng.integers(1, np.iinfo(dtype).max, (box[0].stop - box[0].start, box[1].stop - box[1].start),
                             dtype=dtype)
        a[box] = block
        data[(i, j)] = (box, block)
    return data


def stored_chunk_files(array_dir: Path) -> int:
    return sum(1 for f in (array_dir / "c").rglob("*") if f.is_file())


def levels_of(path) -> list[np.ndarray]:
    g = zarr.open_group(path, mode="r")
    attrs = g.attrs.asdict()
    datasets = attrs.get("ome", attrs)["multiscales"][0]["datasets"]
    return [g[d["path"]][...] for d in datasets]


@pytest.fixture(scope="module")
def sparse(tmp_path_factory):
    root = tmp_path_factory.mktemp("sparse")
    data = write_sparse_image(root / "img.zarr", (6000, 5990), (250, 250), BLOBS)
    return root, data


@pytest.mark.parametrize("method", ["mean", "gaussian", "mode", "nearest"])
def test_sparse_pyramid_equals_the_dense_walk(sparse, tmp_path, method):
    root, data = sparse
    local = tmp_path / "local.zarr"
    run_ok(NGFF_BIN, "convert", root / "img.zarr", local, "--levels", 4, "--method", method,
           "--quiet")
    with FileServer(root) as server:   # HTTP cannot list: ngff walks every block
        dense = tmp_path / "dense.zarr"
        run_ok(NGFF_BIN, "convert", f"{server.url}/img.zarr", dense, "--levels", 4, "--method",
               method, "--quiet")
    sparse_levels, dense_levels = levels_of(local), levels_of(dense)
    assert [lv.shape for lv in sparse_levels] == [(6000, 5990), (3000, 2995), (1500, 1498),
                                                  (750, 749)]
    for k, (s, d) in enumerate(zip(sparse_levels, dense_levels)):
        assert np.array_equal(s, d), f"{method}: level {k} differs from the dense walk"
    for box, block in data.values():
        assert np.array_equal(sparse_levels[0][box], block)
    # Level 0 stores exactly the source's chunks, no chunk of fill values.
    assert stored_chunk_files(local / "0") == len(BLOBS)
    assert stored_chunk_files(dense / "0") == len(BLOBS)


def test_sparse_copy_and_rebuild(sparse, tmp_path):
    """Plain conversion (v3 -> v2, rechunked) and `ngff pyramid` follow the data too."""
    root, data = sparse
    v2 = tmp_path / "v2.zarr"
    run_ok(NGFF_BIN, "convert", root / "img.zarr", v2, "--ome-version", "0.4", "--chunks",
           "500,500", "--quiet")
    level0 = zarr.open_array(v2 / "0", mode="r")
    assert level0.metadata.zarr_format == 2 and level0.chunks == (500, 500)
    for box, block in data.values():
        assert np.array_equal(level0[box], block)
    files = [f for f in (v2 / "0").rglob("*") if f.is_file() and not f.name.startswith(".")]
    touched = {(i * 250 // 500, j * 250 // 500) for i, j in BLOBS}
    assert len(files) == len(touched)
    run_ok(NGFF_BIN, "pyramid", v2, "--levels", 3, "--method", "mode", "--quiet")
    levels = levels_of(v2)
    assert [lv.shape for lv in levels] == [(6000, 5990), (3000, 2995), (1500, 1498)]
    assert levels[1][:125, :125].any() and not levels[1][1000:1200, 1000:1200].any()


def test_a_million_chunk_grid_with_nine_chunks(tmp_path, capsys):
    """A 1,000,000 x 1,000,000 uint8 image with 9 stored chunks of a 1,000 x 1,000 grid: convert
    with a full pyramid costs what 9 chunks cost (the dense walk would visit a million chunks;
    the bound below is generous for loaded machines, the figure is printed)."""
    src = tmp_path / "huge.zarr"
    blobs = [(0, 0), (0, 999), (999, 0), (999, 999), (500, 500), (123, 456), (777, 1), (2, 3),
             (400, 900)]
    data = write_sparse_image(src, (1_000_000, 1_000_000), (1000, 1000), blobs, dtype="uint8")
    out = tmp_path / "out.zarr"
    start = time.monotonic()
    run_ok(NGFF_BIN, "convert", src, out, "--levels", 12, "--quiet", timeout=120)
    seconds = time.monotonic() - start
    with capsys.disabled():
        print(f"\nngff convert of a 10^6 x 10^6 image with 9 stored chunks, 12 levels: "
              f"{seconds:.2f} s")
    assert seconds < 30
    assert stored_chunk_files(out / "0") == 9
    level0 = zarr.open_array(out / "0", mode="r")
    for box, block in data.values():
        assert np.array_equal(level0[box], block)
    assert not level0[500_000:501_500, 10_000:11_000].any()
    top = zarr.open_array(out / "11", mode="r")[...]
    assert top.shape == (489, 489) and top.any()


def test_sparse_on_s3_follows_the_listing(sparse, tmp_path):
    """On S3, the listing drives the conversion as it does locally: the same output."""
    root, _ = sparse
    server = MotoServer()
    try:
        server.client().create_bucket(Bucket=BUCKET)
        env = ngff_env(server)
        url = f"s3://{BUCKET}/sparse/img.zarr"

        def ngff(*args):
            r = subprocess.run([str(a) for a in (NGFF_BIN, *args)], capture_output=True,
                               text=True, timeout=300, env=env)
            assert r.returncode == 0, r.stderr
            return r

        ngff("copy", root / "img.zarr", url, "--quiet")
        listed = json.loads(ngff("info", url, "--json").stdout)
        assert listed["children"][0]["chunks_stored"] == len(BLOBS)
        remote = tmp_path / "from_s3.zarr"
        ngff("convert", url, remote, "--levels", 4, "--method", "mean", "--quiet")
    finally:
        server.stop()
    local = tmp_path / "local.zarr"
    run_ok(NGFF_BIN, "convert", root / "img.zarr", local, "--levels", 4, "--method", "mean",
           "--quiet")
    for s, d in zip(levels_of(remote), levels_of(local)):
        assert np.array_equal(s, d)
    assert stored_chunk_files(remote / "0") == len(BLOBS)
