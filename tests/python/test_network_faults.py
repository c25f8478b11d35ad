"""Network faults against a fault-injecting loopback server (http_server.py): connection resets
mid-body, stalls past the timeout, 429/500/503 with Retry-After, truncated bodies, a wrong
Content-Length, a Content-Range other than asked. Each read of a sharded OME-Zarr level (index
suffix reads, inner-chunk range reads, whole-object reads) is either retried into exactly the
right bytes or a clear one-line error with exit code 3 — never wrong bytes, never a hang."""

from __future__ import annotations

import subprocess
import time

import numpy as np
import pytest

from http_server import FileServer, env_with
from ngff_tools import EXIT_IO, NGFF_BIN, NGFF_RAWIO, run_ok

ENV = dict(NGFF_HTTP_TIMEOUT=1, NGFF_HTTP_RETRIES=4)

# (name, server mode, whether the read must succeed after retries). The range faults touch only
# the sharded image: the plain one reads whole objects and must read right through them.
CASES = [
    ("503 then fine", dict(fail_first=2, status_first=503), True),
    ("500 then fine", dict(fail_first=2, status_first=500, retry_after=""), True),
    ("429 with Retry-After", dict(fail_first=1, status_first=429, retry_after="1"), True),
    ("reset mid-body once", dict(truncate_first=1), True),
    ("reset mid-body twice", dict(truncate_first=2), True),
    ("connection dropped unanswered", dict(drop_first=1), True),
    ("stall past the timeout once", dict(stall_first=1, stall=2.5), True),
    ("429 forever", dict(fail_first=100, status_first=429), False),
    ("500 forever", dict(always_status=500), False),
    ("reset mid-body forever", dict(truncate_first=100), False),
    ("Content-Length longer than the body", dict(long_length=True), False),
    ("Content-Range shifted by one byte", dict(shift_range=True), False),
    ("Content-Range one byte longer", dict(overlong_range=True), False),
    ("404 for everything", dict(always_status=404), False),
]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("faults")
    run_ok(NGFF_BIN, "create", root / "img.zarr", "--shape", "2,16,96,96", "--levels", "2",
           "--chunks", "1,8,32,32", "--shards", "1,16,64,64", "--quiet")
    run_ok(NGFF_BIN, "create", root / "plain.zarr", "--shape", "2,8,64,64", "--levels", "1",
           "--chunks", "1,8,32,32", "--quiet")
    expected = {}
    for name in ("img.zarr/0", "plain.zarr/0"):
        out = root / (name.replace("/", "_") + ".bin")
        run_ok(NGFF_RAWIO, "read", root / name, out)
        expected[name] = out.read_bytes()
    with FileServer(root, lifetime=600) as server:
        yield server, root, expected


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_faults_are_retried_or_fail_clearly_never_wrong_bytes(served, case, tmp_path):
    server, root, expected = served
    name, mode, recovers = case
    for array in ("img.zarr/0", "plain.zarr/0"):
        server.reset(**mode)
        out = tmp_path / "out.bin"
        start = time.monotonic()
        r = subprocess.run([NGFF_RAWIO, "read", f"{server.url}/{array}", str(out)],
                           capture_output=True, text=True, timeout=120, env=env_with(**ENV))
        took = time.monotonic() - start
        ranges_only = "shift_range" in mode or "overlong_range" in mode
        must_read = recovers or (ranges_only and array == "plain.zarr/0")
        if r.returncode == 0:
            assert out.read_bytes() == expected[array], f"{name}: {array}: WRONG BYTES"
            assert must_read, f"{name}: {array}: read although every answer was bad"
            if mode.get("retry_after") == "1":
                assert took >= 1.0, f"{name}: Retry-After was not honoured ({took:.2f} s)"
        else:
            assert not must_read, f"{name}: {array}: not recovered: {r.stderr}"
            assert r.returncode == EXIT_IO, r.stderr
            lines = r.stderr.strip().splitlines()
            assert len(lines) == 1 and "error" in lines[0], r.stderr
            assert server.url in lines[0], lines[0]
        assert took < 60, f"{name}: took {took:.1f} s"
