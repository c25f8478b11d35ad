"""Reading a Zarr v3 array over loopback HTTP: ngff (HttpStore, libcurl) vs zarr-python (fsspec's
HTTP filesystem) vs tensorstore (its http kvstore), each in its own process, best of N.

The server is the test suite's range-capable file server (tests/python/http_server.py), started
here on 127.0.0.1 and shared by every library, so all of them face the same server: the figures
compare clients, not servers. Run by `bench/run --http` or directly:

    build/venv-bench/bin/python bench/http_read.py DATA_DIR/zstd.zarr [--repeats 3]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "python"))
from http_server import FileServer  # noqa: E402

# Each worker reads the whole array once per repeat and prints the best time and a checksum.
WORKER = r"""
import json, sys, time, hashlib
lib, url, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
if lib == "ngff":
    import ngff
    read = lambda: ngff.open_array(url)[...]
elif lib == "zarr-python":
    import zarr
    zarr.config.set({"threading.max_workers": 2})
    read = lambda: zarr.open_array(url, mode="r")[...]
else:
    import tensorstore as ts
    ctx = ts.Context({"data_copy_concurrency": {"limit": 2}})
    read = lambda: ts.open({"driver": "zarr3", "kvstore": url + "/"}, context=ctx,
                           read=True).result().read().result()
best, digest = float("inf"), None
for _ in range(repeats):
    t = time.perf_counter()
    data = read()
    best = min(best, time.perf_counter() - t)
    digest = hashlib.sha1(data.tobytes()).hexdigest()
print(json.dumps({"lib": lib, "seconds": best, "bytes": data.nbytes, "sha1": digest}))
"""

LIBS = ["ngff", "zarr-python", "tensorstore"]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("array", type=Path, help="a local Zarr v3 array to serve")
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()
    array = args.array.resolve()
    results = []
    with FileServer(array.parent, lifetime=1800) as server:
        url = f"{server.url}/{array.name}"
        for lib in LIBS:
            r = subprocess.run([sys.executable, "-c", WORKER, lib, url, str(args.repeats)],
                               capture_output=True, text=True, timeout=900,
                               env={**__import__("os").environ, "RAYON_NUM_THREADS": "2"})
            if r.returncode != 0:
                print(f"{lib}: error: {r.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
                continue
            results.append(json.loads(r.stdout.strip().splitlines()[-1]))
    digests = {r["sha1"] for r in results}
    if len(digests) != 1:
        print(f"checksums differ: {results}", file=sys.stderr)
        return 1
    peers = [r["seconds"] for r in results if r["lib"] != "ngff"]
    ngff = next(r["seconds"] for r in results if r["lib"] == "ngff")
    print(f"| {array.name} over loopback HTTP ({results[0]['bytes'] / 2**20:.0f} MiB) | " +
          " | ".join(f"{r['seconds']:.2f} s" for r in results) +
          f" | {ngff / min(peers):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
