"""The C++ examples (write an image, read it back) interoperate with the peers, and the pyramid
writer keeps memory bounded: `ngff create --memory 16` of a 128 MiB image peaks far below the
image size."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import zarr

from ngff_tools import NGFF_BIN, run_ok
from ome_tools import (EXAMPLES_DIR, check_reader_node, check_zarr_python_levels, ngff_level,
                       ome_view, read_with_ome_zarr_py, validate_with_models)

MIB = 1024 * 1024


def _example(name):
    for path in (EXAMPLES_DIR / name, EXAMPLES_DIR / "examples" / name):
        if path.exists():
            return path
    raise AssertionError(f"no {name} in {EXAMPLES_DIR}: build the examples or set "
                         "$NGFF_EXAMPLES_DIR")


def test_write_and_read_examples(tmp_path, scratch):
    path = tmp_path / "example.zarr"
    out = run_ok(_example("ngff_example_write_image"), path, timeout=300).stdout
    view = ome_view(path)
    assert f"with {len(view['levels'])} levels" in out
    assert view["ome_version"] == "0.5" and view["name"] == "example"
    assert [a["name"] for a in view["axes"]] == list("czyx")
    assert view["levels"][0]["shape"] == [2, 64, 512, 512]
    assert view["levels"][0]["scale"] == [1.0, 2.0, 0.325, 0.325]

    # the read example prints every level ngff reads, then reads level 0 whole
    out = run_ok(_example("ngff_example_read_image"), path, timeout=300).stdout.splitlines()
    for k, level in enumerate(view["levels"]):
        shape = " ".join(map(str, level["shape"]))
        assert out[k].startswith(f"level {k}: shape {shape}, voxel size"), out[k]
        assert [float(v) for v in out[k].split("voxel size")[1].split()] == level["scale"]
    assert out[len(view["levels"])] == f"axes: czyx, {2 * 64 * 512 * 512 * 2} bytes of uint16 read"

    # the peers read what the write example wrote
    validate_with_models(path, "0.5")
    check_zarr_python_levels(path, view, "0.5", scratch)
    check_reader_node(read_with_ome_zarr_py(path)[0], view, path, scratch, data=False)
    level0 = ngff_level(path, view["levels"][0], scratch)
    z, y, x = 5, 100, 200   # the example's formula at one voxel of channel 1
    expected = int(1000 + 800 * np.sin(x / 25.0) * np.cos(y / 40.0) + z)
    assert abs(int(level0[1, z, y, x]) - expected) <= 1


# Runs ngff in a fresh interpreter, so that RUSAGE_CHILDREN counts only that ngff process.
_PEAK_RSS = textwrap.dedent("""
    import json, resource, subprocess, sys
    r = subprocess.run(sys.argv[1:], capture_output=True, text=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024   # KiB (Linux)
    print(json.dumps({"rc": r.returncode, "stderr": r.stderr, "peak": peak}))
""")


def peak_rss(*args) -> int:
    r = subprocess.run([sys.executable, "-c", _PEAK_RSS, *map(str, args)], capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert result["rc"] == 0, f"{args} exited {result['rc']}: {result['stderr']}"
    return result["peak"]


@pytest.mark.peak_rss
def test_create_keeps_memory_bounded(tmp_path, capsys):
    budget = 16
    path = tmp_path / "big.zarr"
    peak = peak_rss(NGFF_BIN, "create", path, "--sample", "volume", "--shape", "1,64,1024,1024",
                    "--levels", 3, "--memory", budget, "--quiet")
    level0_bytes = 64 * 1024 * 1024 * 2
    bound = 3 * budget * MIB + 64 * MIB
    with capsys.disabled():
        print(f"\nngff create of a {level0_bytes / MIB:.0f} MiB image with --memory {budget}: "
              f"peak RSS {peak / MIB:.1f} MiB (bound {bound / MIB:.0f} MiB)")
    view = ome_view(path)
    assert [lv["shape"] for lv in view["levels"]] == [
        [1, 64, 1024, 1024], [1, 32, 512, 512], [1, 16, 256, 256]]
    assert peak < bound, f"peak RSS {peak / MIB:.1f} MiB >= {bound / MIB:.0f} MiB"
    assert peak < level0_bytes, "the writer held the whole level 0"


def _source_bytes(path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


@pytest.mark.peak_rss
def test_convert_keeps_every_method_within_the_budget(tmp_path, capsys):
    """Every method honours --memory, gaussian included (its per-thread scratch is bounded, and
    growing a reused buffer does not hold the old one beside it). The slack is the process's
    own: libraries, thread stacks, allocator (15 MiB for `ngff --version`)."""
    budget = 64
    src = tmp_path / "src.zarr"
    run_ok(NGFF_BIN, "create", src, "--sample", "volume", "--shape", "1,64,1024,1024",
           "--levels", 1, "--quiet")
    bound = budget * MIB + 32 * MIB
    for method in ("mean", "gaussian", "mode"):
        out = tmp_path / f"{method}.zarr"
        peak = peak_rss(NGFF_BIN, "convert", src, out, "--levels", 4, "--method", method,
                        "--memory", budget, "--quiet")
        with capsys.disabled():
            print(f"\nngff convert of a 128 MiB image to 4 levels, {method}, --memory {budget}: "
                  f"peak RSS {peak / MIB:.1f} MiB (bound {bound / MIB:.0f} MiB)")
        assert peak < bound, f"{method}: peak RSS {peak / MIB:.1f} MiB >= {bound / MIB:.0f} MiB"
        assert [lv["shape"] for lv in ome_view(out)["levels"]][-1] == [1, 8, 128, 128]


@pytest.mark.peak_rss
def test_the_budget_is_a_ceiling_not_a_target(tmp_path, capsys):
    """A generous --memory does not make a conversion hold more than keeps every core busy:
    blocks of a few chunks per core, whatever the budget allows. The sample's 128 MiB image
    takes the one pass, its sparse 256 MiB label image the level-by-level path (a block's input
    is 8 times its output), so the bound grows with the cores; before, --memory 4096 held the
    whole label image (353 MiB on 2 cores)."""
    src = tmp_path / "src.zarr"
    run_ok(NGFF_BIN, "create", src, "--sample", "volume", "--shape", "1,64,1024,1024",
           "--chunks", "1,32,128,256", "--levels", 1, "--quiet")
    cores = os.cpu_count() or 1
    bound = 64 * MIB + cores * 48 * MIB
    out = tmp_path / "out.zarr"
    peak = peak_rss(NGFF_BIN, "convert", src, out, "--levels", 4, "--method", "mean",
                    "--memory", 4096, "--quiet")
    with capsys.disabled():
        print(f"\nngff convert of a 128 MiB image and its labels to 4 levels, --memory 4096, "
              f"{cores} cores: peak RSS {peak / MIB:.1f} MiB (bound {bound / MIB:.0f} MiB)")
    assert peak < bound, f"peak RSS {peak / MIB:.1f} MiB >= {bound / MIB:.0f} MiB"
    assert [lv["shape"] for lv in ome_view(out)["levels"]][-1] == [1, 8, 128, 128]


@pytest.mark.peak_rss
def test_a_source_chunk_larger_than_the_budget_costs_one_decoded_chunk(tmp_path, capsys):
    """ome-zarr-py may write a whole image as one chunk: converting it costs about that decoded
    chunk (and its compressed bytes) beyond the budget, is read once, and the output gets
    ngff's default chunks rather than the source's."""
    budget = 64
    src = tmp_path / "one_chunk.zarr"
    run_ok(NGFF_BIN, "create", src, "--sample", "volume", "--shape", "1,64,1024,1024",
           "--chunks", "1,64,1024,1024", "--levels", 1, "--quiet")
    chunk_bytes = 64 * 1024 * 1024 * 2
    bound = budget * MIB + chunk_bytes + _source_bytes(src) + 48 * MIB
    for method in ("mean", "gaussian"):
        out = tmp_path / f"{method}.zarr"
        peak = peak_rss(NGFF_BIN, "convert", src, out, "--levels", 4, "--method", method,
                        "--memory", budget, "--quiet")
        with capsys.disabled():
            print(f"\nngff convert of one {chunk_bytes / MIB:.0f} MiB chunk, {method}, --memory "
                  f"{budget}: peak RSS {peak / MIB:.1f} MiB (bound {bound / MIB:.0f} MiB)")
        assert peak < bound, f"{method}: peak RSS {peak / MIB:.1f} MiB >= {bound / MIB:.0f} MiB"
        level0 = json.loads((out / "0" / "zarr.json").read_text())
        chunk = level0["chunk_grid"]["configuration"]["chunk_shape"]
        assert np.prod(chunk) * 2 <= budget * MIB / 8, chunk


@pytest.mark.peak_rss
def test_shards_larger_than_the_budget_cost_no_more_than_chunks(tmp_path, capsys):
    """Sharded levels are written in blocks of inner chunks, each shard's encoded chunks going
    to its temporary file until the shard is complete: a shard four times the budget (level 0
    is one 128 MiB shard) costs about what unsharded output does (it took a few shards over the
    budget: 368 MiB for 16 MiB shards at --memory 32, before that read-modify-write). The levels
    equal those of an unsharded conversion, and zarr-python reads them."""
    budget = 32
    src = tmp_path / "src.zarr"
    run_ok(NGFF_BIN, "create", src, "--sample", "volume", "--shape", "1,64,1024,1024",
           "--levels", 1, "--quiet")
    bound = (budget + 64) * MIB
    for method in ("mean", "gaussian"):
        common = ["--levels", 3, "--method", method, "--chunks", "1,32,128,128", "--memory",
                  budget, "--quiet"]
        plain = tmp_path / f"{method}-plain.zarr"
        plain_peak = peak_rss(NGFF_BIN, "convert", src, plain, *common)
        out = tmp_path / f"{method}.zarr"
        peak = peak_rss(NGFF_BIN, "convert", src, out, *common, "--shards", "1,64,1024,1024")
        with capsys.disabled():
            print(f"\nngff convert to a 128 MiB shard, {method}, --memory {budget}: peak RSS "
                  f"{peak / MIB:.1f} MiB (unsharded {plain_peak / MIB:.1f} MiB, bound "
                  f"{bound / MIB:.0f} MiB)")
        assert peak < bound, f"{method}: peak RSS {peak / MIB:.1f} MiB >= {bound / MIB:.0f} MiB"
        assert peak < plain_peak + 24 * MIB, (method, peak / MIB, plain_peak / MIB)
        sharded, unsharded = zarr.open_group(str(out), mode="r"), zarr.open_group(str(plain),
                                                                                  mode="r")
        assert sharded["0"].shards == (1, 64, 1024, 1024)
        for level in ("0", "1", "2"):
            assert np.array_equal(sharded[level][...], unsharded[level][...]), (method, level)
