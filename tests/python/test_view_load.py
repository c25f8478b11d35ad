"""Many parallel readers against `ngff view`'s server: 32 threads, each on its own keep-alive
connection, ask for deep-zoom tiles (several levels, planes and channel choices) and /data/ keys
with range requests for a few seconds. Every answer must be right (/data bytes equal to the
files; tiles valid PNGs of the expected size, identical on every repeat), with no error and no
timeout, and the server must still answer afterwards. Prints requests/s and latency p50/p99."""

from __future__ import annotations

import http.client
import io
import math
import random
import threading
import time

import pytest
from PIL import Image

from ngff_tools import NGFF_BIN, run_ok
from view_tools import get, has_view, view_server

THREADS = 32
SECONDS = 4.0
SIDE = 512


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    if not has_view():
        pytest.skip("ngff was built without `ngff view` (-DNGFF_VIEWER=OFF)")
    root = tmp_path_factory.mktemp("load") / "img.zarr"
    run_ok(NGFF_BIN, "create", root, "--shape", f"2,8,{SIDE},{SIDE}", "--levels", "3",
           "--chunks", "1,4,64,64", "--shards", "1,8,128,128", "--quiet")
    return root


def tile_requests():
    """(path, (width, height)) of every tile of deep-zoom levels 5-9, in two planes and two
    channel choices."""
    top = math.ceil(math.log2(SIDE))
    out = []
    for level in range(5, top + 1):
        side = math.ceil(SIDE * 2.0 ** (level - top))
        n = math.ceil(side / 256)
        for col in range(n):
            for row in range(n):
                size = (min(256, side - col * 256), min(256, side - row * 256))
                for z in (0, 5):
                    for ch in ("0,1", "1"):
                        out.append((f"/tile/{level}/{col}_{row}.png?image=&z={z}&ch={ch}", size))
    return out


def test_parallel_readers(dataset):
    files = sorted(p for p in dataset.rglob("*") if p.is_file())
    data = {p.relative_to(dataset).as_posix(): p.read_bytes() for p in files}
    keys = sorted(data)
    tiles = tile_requests()
    seen_tiles: dict[str, bytes] = {}
    lock = threading.Lock()
    latencies: dict[str, list[float]] = {"tile": [], "data": []}
    errors: list[str] = []
    reconnects = [0]

    def reader(port, seed, deadline):
        rnd = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        mine = []
        try:
            while time.monotonic() < deadline:
                headers, want = {}, None
                if rnd.random() < 0.5:
                    path, size = rnd.choice(tiles)
                else:
                    key = rnd.choice(keys)
                    path, whole = f"/data/{key}", data[key]
                    if len(whole) > 1 and rnd.random() < 0.7:
                        a = rnd.randrange(len(whole))
                        b = rnd.randrange(a, len(whole))
                        headers["Range"] = f"bytes={a}-{b}"
                        want = (206, whole[a:b + 1])
                    else:
                        want = (200, whole)
                start = time.monotonic()
                try:
                    conn.request("GET", path, headers=headers)
                    r = conn.getresponse()
                    body = r.read()
                except (OSError, http.client.HTTPException) as e:
                    # The server may close a keep-alive connection after some requests; one
                    # retry on a new connection, a second failure is an error.
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
                    with lock:
                        reconnects[0] += 1
                    try:
                        conn.request("GET", path, headers=headers)
                        r = conn.getresponse()
                        body = r.read()
                    except (OSError, http.client.HTTPException) as e2:
                        errors.append(f"{path}: {e!r} then {e2!r}")
                        return
                mine.append(("data" if want else "tile", time.monotonic() - start))
                if want:
                    if (r.status, body) != want:
                        errors.append(f"{path} {headers}: {r.status}, {len(body)} bytes")
                    continue
                if r.status != 200:
                    errors.append(f"{path}: {r.status} {body[:200]!r}")
                    continue
                with lock:
                    first = seen_tiles.setdefault(path, body)
                if first != body:
                    errors.append(f"{path}: differs from its first answer")
                    continue
                img = Image.open(io.BytesIO(body))
                img.load()
                if img.format != "PNG" or img.size != size:
                    errors.append(f"{path}: {img.format} {img.size}, expected PNG {size}")
        finally:
            conn.close()
            with lock:
                for kind, seconds in mine:
                    latencies[kind].append(seconds)

    with view_server(dataset) as port:
        deadline = time.monotonic() + SECONDS
        threads = [threading.Thread(target=reader, args=(port, i, deadline))
                   for i in range(THREADS)]
        start = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=SECONDS + 60)
        took = time.monotonic() - start
        assert not any(t.is_alive() for t in threads), "a reader hung"
        assert not errors, errors[:10]
        # Still answering, and right.
        status, body, _ = get(port, "/data/zarr.json")
        assert status == 200 and body == data["zarr.json"]
    assert all(latencies.values()), "both kinds of request were made"
    n = sum(len(v) for v in latencies.values())

    def ms(kind):
        lat = sorted(latencies[kind])
        p50, p99 = lat[len(lat) // 2], lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        return f"{len(lat)} {kind} requests: p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms"

    print(f"\nngff view under load: {THREADS} threads, {n} requests in {took:.1f} s, "
          f"{n / took:.0f} requests/s; {ms('tile')}; {ms('data')}; {len(seen_tiles)} distinct "
          f"tiles, {reconnects[0]} reconnects")
