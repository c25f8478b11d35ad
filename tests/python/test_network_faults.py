"""Network faults against a fault-injecting loopback server (http_server.py): connection resets
mid-body, stalls past the timeout, 429/500/503 with Retry-After, truncated bodies, a wrong
Content-Length, a Content-Range other than asked. Each read of a sharded OME-Zarr level (index
suffix reads, inner-chunk range reads, whole-object reads) is either retried into exactly the
right bytes or a clear one-line error with exit code 3 — never wrong bytes, never a hang. The
same faults hit S3: a fault-injecting proxy in front of moto (checking SigV4 signatures, which
the proxy passes on untouched) serves the same levels as s3:// URLs, and a listing."""

from __future__ import annotations

import json
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from http_server import FileServer, ProxyServer, env_with
from moto_server import MotoServer, ngff_env, signing_user
from ngff_tools import EXIT_IO, NGFF_BIN, NGFF_RAWIO, run_ok

ENV = dict(NGFF_HTTP_TIMEOUT=1, NGFF_HTTP_RETRIES=4)
ARRAYS = ("img.zarr/0", "plain.zarr/0")  # a sharded level (ranges), an unsharded one

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
    for name in ARRAYS:
        out = root / (name.replace("/", "_") + ".bin")
        run_ok(NGFF_RAWIO, "read", root / name, out)
        expected[name] = out.read_bytes()
    with FileServer(root, lifetime=600) as server:
        yield server, root, expected


BUCKET = "faults"


@pytest.fixture(scope="module")
def s3_served(served):
    """The same two levels in a bucket of a signature-checking moto, behind a ProxyServer."""
    _, root, expected = served
    moto = MotoServer(INITIAL_NO_AUTH_ACTION_COUNT=4)
    try:
        key, secret = signing_user(moto)
        client = moto.client(key, secret)
        client.create_bucket(Bucket=BUCKET)
        keys = []
        for f in sorted(root.rglob("*")):
            if f.is_file() and f.suffix != ".bin":
                keys.append(f.relative_to(root).as_posix())
                client.put_object(Bucket=BUCKET, Key=keys[-1], Body=f.read_bytes())
        with ProxyServer(moto.url, lifetime=600) as proxy:
            yield proxy, ngff_env(proxy, key, secret, **ENV), expected, keys
    finally:
        moto.stop()


def faulty_runs(server, env, case, runs):
    """Runs the commands `runs` at once while `server` injects the fault of `case`; returns
    (completed process, seconds) of each."""
    server.reset(**case[1])

    def one(argv):
        start = time.monotonic()
        r = subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=120,
                           env=env)
        return r, time.monotonic() - start

    with ThreadPoolExecutor(len(runs)) as pool:
        return list(pool.map(one, runs))


def check_outcome(case, what, r, took, right, ranged, names):
    """Right output (`right()`) or a clear error (exit 3, one line naming `names`), as the fault
    requires. `ranged`: whether the operation reads ranges (range faults stop only those)."""
    name, mode, recovers = case
    ranges_only = "shift_range" in mode or "overlong_range" in mode
    must_read = recovers or (ranges_only and not ranged)
    if r.returncode == 0:
        assert right(), f"{name}: {what}: WRONG BYTES"
        assert must_read, f"{name}: {what}: read although every answer was bad"
        if mode.get("retry_after") == "1":
            assert took >= 1.0, f"{name}: Retry-After was not honoured ({took:.2f} s)"
    else:
        assert not must_read, f"{name}: {what}: not recovered: {r.stderr}"
        assert r.returncode == EXIT_IO, r.stderr
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "error" in lines[0], r.stderr
        assert names in lines[0], lines[0]
    assert took < 60, f"{name}: took {took:.1f} s"


def check_reads(server, env, case, urls, expected, tmp_path, listing=None):
    """Reads the levels (ARRAYS) at `urls` at once through the fault, and lists `listing`
    ((store URL, prefix, the keys expected)) alongside when given."""
    runs = [[NGFF_RAWIO, "read", url, tmp_path / f"{i}.bin"] for i, url in enumerate(urls)]
    if listing:
        runs.append([NGFF_RAWIO, "store", listing[0], "list", listing[1]])
    results = faulty_runs(server, env, case, runs)
    for array, argv, (r, took) in zip(ARRAYS, runs, results):
        check_outcome(case, array, r, took, lambda: argv[-1].read_bytes() == expected[array],
                      array.startswith("img"), array)
    if listing:
        (r, took), keys = results[-1], listing[2]
        check_outcome(case, "listing", r, took, lambda: json.loads(r.stdout)["result"] == keys,
                      False, listing[1])


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_faults_are_retried_or_fail_clearly_never_wrong_bytes(served, case, tmp_path):
    server, root, expected = served
    check_reads(server, env_with(**ENV), case, [f"{server.url}/{a}" for a in ARRAYS], expected,
                tmp_path)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_s3_faults_are_retried_or_fail_clearly_never_wrong_bytes(s3_served, case, tmp_path):
    proxy, env, expected, keys = s3_served
    listed = sorted(k for k in keys if k.startswith("img.zarr/"))
    check_reads(proxy, env, case, [f"s3://{BUCKET}/{a}" for a in ARRAYS], expected, tmp_path,
                (f"s3://{BUCKET}", "img.zarr", listed))


def test_s3_proxy_passes_signatures_on(s3_served, tmp_path):
    """moto checks signatures behind the proxy: a wrong secret is refused, so the reads above
    were signed requests forwarded untouched."""
    proxy, env, _, _ = s3_served
    proxy.reset()
    r = subprocess.run([NGFF_RAWIO, "read", f"s3://{BUCKET}/plain.zarr/0", tmp_path / "x.bin"],
                       capture_output=True, text=True, timeout=60,
                       env=dict(env, AWS_SECRET_ACCESS_KEY="wrong-secret"))
    assert r.returncode == EXIT_IO and "SignatureDoesNotMatch" in r.stderr, r.stderr
