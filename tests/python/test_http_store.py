"""HttpStore against a real HTTP server on 127.0.0.1 (http_server.py): OME-Zarr v3 images and
zarr-python v2 consolidated hierarchies read over HTTP equal their local reads, ranges are real
range requests (also against a server that ignores Range), faults are retried and recovered, and
a server that keeps failing gives a clear error and exit code 3, quickly, never a hang."""

from __future__ import annotations

import json
import subprocess
import time

import numpy as np
import pytest
import zarr

from http_server import FileServer, env_with
from ngff_tools import (EXIT_IO, EXIT_USAGE, NGFF_BIN, NGFF_RAWIO, ngff_info, rawio_read, run_ok,
                        without_keys)

# Quick failures: each test's faults are bounded by these.
FAST = dict(NGFF_HTTP_TIMEOUT=2, NGFF_HTTP_RETRIES=4)

# Fields that differ between a local and a remote read by nature: URLs, and what needs a listing.
VOLATILE = {"url", "bytes_stored", "chunks_stored", "other_keys", "warnings", "compression_ratio",
            "children_listed"}


def normalized(node):
    return without_keys(node, VOLATILE)


def run_env(*args, timeout=60, **env):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout,
                          env=env_with(**{**FAST, **env}))


def info_json(url, **env):
    r = run_env(NGFF_BIN, "info", url, "--json", **env)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def store_call(url, *args, **env):
    r = run_env(NGFF_RAWIO, "store", url, *args, **env)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["result"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A v3 OME-Zarr image (with labels) and a v2 consolidated zarr-python tree, served."""
    root = tmp_path_factory.mktemp("http-root")
    run_ok(NGFF_BIN, "create", root / "img.zarr", "--shape", "2,16,64,64", "--quiet")
    g = zarr.open_group(root / "v2.zarr", mode="w", zarr_format=2)
    g.attrs["title"] = "a v2 tree"
    a = g.create_array("raw", shape=(30, 40), chunks=(16, 16), dtype="int32", fill_value=-1)
    a[:] = np.arange(1200, dtype="int32").reshape(30, 40)
    sub = g.create_group("sub")
    b = sub.create_array("b", shape=(9,), chunks=(4,), dtype="float64", fill_value=0.0)
    b[:5] = np.linspace(0, 1, 5)
    c = g.create_array("many", shape=(64, 64), chunks=(8, 8), dtype="uint8", fill_value=0)
    c[:] = (np.arange(64 * 64) % 251).astype("uint8").reshape(64, 64)
    zarr.consolidate_metadata(root / "v2.zarr", zarr_format=2)
    g3 = zarr.open_group(root / "v3c.zarr", mode="w", zarr_format=3)
    g3.create_array("raw", shape=(10, 10), chunks=(4, 4), dtype="uint16")[:] = 7
    g3.create_group("sub").create_array("b", shape=(5,), chunks=(2,), dtype="float32")[:] = 1.5
    zarr.consolidate_metadata(root / "v3c.zarr")
    g3 = zarr.open_group(root / "v3plain.zarr", mode="w", zarr_format=3)
    g3.attrs["note"] = "no consolidated metadata"
    g3.create_array("raw", shape=(3,), chunks=(3,), dtype="uint8")
    run_ok(NGFF_BIN, "create", root / "sharded.zarr", "--shape", "2,16,64,64", "--chunks",
           "1,8,16,16", "--shards", "1,16,64,64", "--quiet")
    run_ok(NGFF_BIN, "copy", root / "img.zarr", root / "img.ozx", "--quiet")
    (root / "blob.bin").write_bytes(bytes(range(256)) * 4)
    (root / "empty.bin").write_bytes(b"")
    with FileServer(root, lifetime=90) as server:
        yield server, root


def test_v3_ome_image_reads_as_locally(served):
    server, root = served
    server.reset()
    local = ngff_info(root / "img.zarr")
    remote = info_json(f"{server.url}/img.zarr")
    assert normalized(remote) == normalized(local)
    assert remote["children_listed"] is False  # found by name, without any listing
    assert [c["name"] for c in remote["children"]] == [c["name"] for c in local["children"]]
    assert all(r.method in ("GET", "HEAD") for r in server.requests)
    # The text view, which users see first.
    text = run_env(NGFF_BIN, "info", f"{server.url}/img.zarr")
    assert text.returncode == 0 and "OME-NGFF" in text.stdout and "cells" in text.stdout


def test_python_api_reads_over_http(served):
    import ngff
    server, root = served
    img_local = ngff.open_image(str(root / "img.zarr"))
    img_remote = ngff.open_image(f"{server.url}/img.zarr")
    assert len(img_remote.levels) == len(img_local.levels)
    for lr, ll in zip(img_remote.levels, img_local.levels):
        np.testing.assert_array_equal(lr.to_numpy(), ll.to_numpy())
    arr = ngff.open_array(f"{server.url}/v2.zarr/raw")
    np.testing.assert_array_equal(arr[...], np.arange(1200, dtype="int32").reshape(30, 40))
    np.testing.assert_array_equal(arr[3:7, 10:30],
                                  np.arange(1200, dtype="int32").reshape(30, 40)[3:7, 10:30])


def test_sharded_image_reads_only_what_it_needs(served):
    """A sharded image over HTTP: a region reads the shard index with a suffix range and the
    needed inner chunks with ranges, never a whole shard; the whole level reads equal."""
    import ngff
    server, root = served
    local = ngff.open_image(str(root / "sharded.zarr"))
    remote = ngff.open_image(f"{server.url}/sharded.zarr")
    assert remote[0].shards == (1, 16, 64, 64)
    server.reset()
    np.testing.assert_array_equal(remote[0].to_numpy((1, slice(3, 5), slice(17, 30), 40)),
                                  local[0].to_numpy((1, slice(3, 5), slice(17, 30), 40)))
    shard_reads = [r for r in server.requests if "/0/c/" in r.path]
    assert shard_reads and all(r.range for r in shard_reads), shard_reads
    assert any(r.range.startswith("bytes=-") for r in shard_reads)  # the index, from the end
    for lr, ll in zip(remote, local):
        np.testing.assert_array_equal(lr.to_numpy(), ll.to_numpy())


def test_zipped_image_reads_over_http(served):
    """An .ozx on a web server: the zip's directory and entries come by range requests."""
    import ngff
    server, root = served
    server.reset()
    remote = info_json(f"{server.url}/img.ozx")
    assert normalized(remote)["ome"] == normalized(ngff_info(root / "img.zarr"))["ome"]
    img = ngff.open_image(f"{server.url}/img.ozx")
    for lr, ll in zip(img, ngff.open_image(str(root / "img.zarr"))):
        np.testing.assert_array_equal(lr.to_numpy(), ll.to_numpy())
    gets = [r for r in server.requests if r.method == "GET" and r.path.endswith("img.ozx")]
    assert gets and all(r.range for r in gets)  # never the whole zip


def test_v2_consolidated_tree_reads_as_locally(served, tmp_path):
    server, root = served
    server.reset()
    local = ngff_info(root / "v2.zarr")
    remote = info_json(f"{server.url}/v2.zarr")
    assert remote["consolidated"] is True
    assert normalized(remote) == normalized(local)
    assert {c["name"] for c in remote["children"]} == {"raw", "sub", "many"}
    # The children's metadata came from .zmetadata alone.
    fetched = {r.path for r in server.requests}
    assert "/v2.zarr/.zmetadata" in fetched
    assert not fetched & {"/v2.zarr/raw/.zarray", "/v2.zarr/sub/b/.zarray"}
    got = rawio_read(f"{server.url}/v2.zarr/sub/b", np.float64, (9,), tmp=tmp_path)
    expected = zarr.open_array(root / "v2.zarr" / "sub" / "b", mode="r")[:]
    np.testing.assert_array_equal(got, expected)


def test_v3_groups_without_listing(served):
    server, root = served
    server.reset()
    # zarr-python's inline consolidated metadata names every node.
    local = ngff_info(root / "v3c.zarr")
    remote = info_json(f"{server.url}/v3c.zarr")
    drop = {"consolidated"}
    strip = lambda n: {k: v for k, v in normalized(n).items() if k not in drop}
    assert strip(remote) == strip(local)
    assert [c["name"] for c in remote["children"]] == ["raw", "sub"]
    assert [c["name"] for c in remote["children"][1]["children"]] == ["b"]
    # Without it, a plain v3 group shows what it can and says so.
    remote = info_json(f"{server.url}/v3plain.zarr")
    assert remote["children"] == [] and remote["children_listed"] is False
    text = run_env(NGFF_BIN, "info", f"{server.url}/v3plain.zarr")
    assert text.returncode == 0 and "cannot list" in text.stdout
    # Converting it needs the listing: a clear error.
    r = run_env(NGFF_BIN, "convert", f"{server.url}/v3plain.zarr", root / "never.zarr", "--quiet")
    assert r.returncode == EXIT_IO and "no directory listing" in r.stderr, r.stderr


def test_ranges_suffixes_and_batches(served):
    server, root = served
    blob = (root / "blob.bin").read_bytes()
    for ignore in (False, True):
        server.reset(ignore_range=ignore)
        base = server.url
        assert store_call(base, "range", "blob.bin", "10:20") == blob[10:30].hex()
        assert store_call(base, "range", "blob.bin", "1000:100") == blob[1000:].hex()
        assert store_call(base, "range", "blob.bin", "5000:10") == ""
        assert store_call(base, "suffix", "blob.bin", "16") == blob[-16:].hex()
        assert store_call(base, "suffix", "blob.bin", "5000") == blob.hex()
        assert store_call(base, "suffix", "empty.bin", "4") == ""
        assert store_call(base, "ranges", "blob.bin", "0:4,100:8,1020:50") == [
            blob[0:4].hex(), blob[100:108].hex(), blob[1020:].hex()]
        assert store_call(base, "ranges", "nope.bin", "0:4,100:8") is None
        assert store_call(base, "range", "nope.bin", "0:4") is None
        assert store_call(base, "many", "blob.bin,nope.bin,empty.bin") == [blob.hex(), None, ""]
        assert store_call(base, "size", "blob.bin") == len(blob)
        assert store_call(base, "size", "nope.bin") is None
        ranges = [r.range for r in server.requests if r.range]
        # The requests carried Range headers (a server that ignores them is answered locally).
        assert "bytes=10-29" in ranges and "bytes=-16" in ranges and "bytes=100-107" in ranges


def test_connections_are_reused(served, tmp_path):
    server, root = served
    server.reset()
    got = rawio_read(f"{server.url}/v2.zarr/many", np.uint8, (64, 64), tmp=tmp_path)
    np.testing.assert_array_equal(got, zarr.open_array(root / "v2.zarr" / "many", mode="r")[:])
    chunk_requests = [r for r in server.requests if r.path.startswith("/v2.zarr/many/")
                      and r.path.rsplit("/", 1)[1][0].isdigit()]
    assert len(chunk_requests) == 64
    # Kept-alive connections: about one per reading thread, not one per request.
    assert server.connections <= 16, server.connections


def test_listing_is_refused_clearly(served):
    server, _ = served
    r = run_env(NGFF_RAWIO, "store", server.url, "list", "img.zarr")
    assert r.returncode == EXIT_IO
    assert "no directory listing" in r.stderr


def test_faults_are_retried_and_recovered(served, tmp_path):
    server, root = served
    expected = zarr.open_array(root / "v2.zarr" / "raw", mode="r")[:]
    for mode in (dict(fail_first=2), dict(drop_first=2), dict(delay=0.05, fail_first=1)):
        server.reset(**mode)
        got = rawio_read(f"{server.url}/v2.zarr/raw", np.int32, (30, 40), tmp=tmp_path)
        np.testing.assert_array_equal(got, expected)
        per_path = {}
        for r in server.requests:
            per_path[r.path] = per_path.get(r.path, 0) + 1
        # Every path was asked again after its failures (3 times: 2 faults, then success).
        assert per_path["/v2.zarr/raw/.zarray"] >= 1 + mode.get("fail_first", 0) + mode.get(
            "drop_first", 0), (mode, per_path)


def test_persistent_errors_fail_clearly_and_quickly(served):
    server, _ = served
    server.reset(always_status=500)
    start = time.monotonic()
    r = run_env(NGFF_BIN, "info", f"{server.url}/img.zarr", NGFF_HTTP_RETRIES=2)
    assert r.returncode == EXIT_IO, r.stderr
    line = r.stderr.strip()
    assert len(line.splitlines()) == 1
    assert "HTTP 500" in line and f"{server.url}/img.zarr/zarr.json" in line, line
    assert time.monotonic() - start < 15
    # 1 try + 2 retries, no more.
    assert len([q for q in server.requests if q.path == "/img.zarr/zarr.json"]) == 3

    server.reset(always_status=403)  # forbidden (not S3's missing-key answer): an error
    r = run_env(NGFF_BIN, "info", f"{server.url}/img.zarr")
    assert r.returncode == EXIT_IO and "HTTP 403" in r.stderr


def test_stalled_server_times_out(served):
    server, _ = served
    server.reset(delay=4)
    start = time.monotonic()
    r = run_env(NGFF_BIN, "info", f"{server.url}/img.zarr", NGFF_HTTP_TIMEOUT=1,
                NGFF_HTTP_RETRIES=1, timeout=30)
    elapsed = time.monotonic() - start
    assert r.returncode == EXIT_IO, r.stderr
    assert "2 tries" in r.stderr and "img.zarr/zarr.json" in r.stderr, r.stderr
    assert elapsed < 12, elapsed
    server.reset()


def test_s3_style_forbidden_means_missing(served):
    server, root = served
    server.reset(s3_forbidden=True)
    local = ngff_info(root / "img.zarr")
    assert normalized(info_json(f"{server.url}/img.zarr")) == normalized(local)
    assert any(r.path.endswith("/.zarray") for r in server.requests)  # probed: 403, missing


def test_http_is_read_only(served):
    server, _ = served
    r = run_env(NGFF_BIN, "create", f"{server.url}/new.zarr", "--quiet")
    assert r.returncode == EXIT_USAGE
    assert "read-only" in r.stderr and "s3://" in r.stderr
    r = run_env(NGFF_BIN, "convert", f"{server.url}/img.zarr", f"{server.url}/copy.zarr",
                "--quiet")
    assert r.returncode == EXIT_USAGE and "read-only" in r.stderr


def test_convert_from_http_to_local(served, tmp_path):
    server, root = served
    server.reset()
    run_ok(NGFF_BIN, "convert", f"{server.url}/img.zarr", tmp_path / "copy.zarr",
           "--ome-version", "0.4", "--quiet")
    import ngff
    a = ngff.open_image(str(tmp_path / "copy.zarr"))[0].to_numpy()
    b = ngff.open_image(str(root / "img.zarr"))[0].to_numpy()
    np.testing.assert_array_equal(a, b)
