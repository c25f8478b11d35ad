"""The workloads: each takes an adapter and a Task and returns its measurements.

Timing covers only the library calls: imports, opening the library, loading the input volume
and checking the result happen outside. Peak RSS is read right after the timed runs (before
any check loads more data). Every result is checked: a read against the cached checksum, a
write by reading it back with zarr-python (the reference implementation, so a write must
also be readable by a peer).
"""
from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass

import numpy as np

from datasets import Cache, checksum, stored_bytes
from layouts import boxes, layouts
from system import drop_page_cache, peak_rss_mib

# name -> (function, description for the report); filled by @workload below
WORKLOADS: dict = {}


@dataclass
class Task:
    workload: str
    layout: str
    dataset: str
    n: int
    cache_root: str
    out_dir: str
    repeats: int = 3
    cold: bool = False
    random_reads: int = 1000

    @property
    def cache(self) -> Cache:
        return Cache(self.cache_root, self.dataset, self.n)


def workload(name, describe):
    def register(fn):
        WORKLOADS[name] = (fn, describe)
        return fn
    return register


def _out_path(task, lib) -> str:
    return os.path.join(task.out_dir, f"{lib.name}-{task.workload}-{task.layout}.zarr")


def _check_written(path, expected) -> dict:
    """Reads `path` back with zarr-python; the caller has already taken peak RSS."""
    import zarr
    ok = checksum(zarr.open_array(path, mode="r")[...]) == expected
    return {"checksum_ok": ok, "stored_bytes": stored_bytes(path)}


def _best_of(task, run, before=None) -> list[float]:
    """Runs `run` task.repeats times (after `before`, untimed) and returns the times."""
    times = []
    for _ in range(task.repeats):
        if before:
            before()
        if task.cold:
            drop_page_cache()
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return times


@workload("read", "read the whole array into numpy (one request)")
def read_all(lib, task):
    manifest = task.cache.build()
    path = task.cache.array_path(task.layout)
    result = {}

    def run():
        result.pop("out", None)  # free the previous run's array before reading again
        result["out"] = lib.open_read(path).read_all()
    times = _best_of(task, run)
    peak = peak_rss_mib()
    return {"times": times, "peak_rss_mib": peak, "bytes": result["out"].nbytes,
            "checksum_ok": checksum(result["out"]) == manifest["checksum"],
            "stored_bytes": manifest["stored"][task.layout]}


@workload("write", "write a numpy array as a new array (one request)")
def write_all(lib, task):
    manifest = task.cache.build()
    data = task.cache.volume()
    dst = _out_path(task, lib)
    layout = layouts()[task.layout]
    times = _best_of(task, lambda: lib.write(dst, data, layout),
                     before=lambda: shutil.rmtree(dst, ignore_errors=True))
    peak = peak_rss_mib()
    nbytes = data.nbytes
    del data
    out = {"times": times, "peak_rss_mib": peak, "bytes": nbytes,
           **_check_written(dst, manifest["checksum"])}
    shutil.rmtree(dst, ignore_errors=True)
    return out


@workload("chunks", "read chunk by chunk: one request per chunk, in grid order")
def read_chunks(lib, task):
    manifest = task.cache.build()
    path = task.cache.array_path(task.layout)
    layout = layouts()[task.layout]
    shape = (task.n,) * 3
    out = np.empty(shape, dtype=np.uint16)  # allocated once, outside the timing

    def run():
        r = lib.open_read(path)
        for start, box in boxes(shape, layout.chunks):
            out[tuple(slice(s, s + b) for s, b in zip(start, box))] = r.read_region(start, box)
    times = _best_of(task, run)
    return {"times": times, "peak_rss_mib": peak_rss_mib(), "bytes": out.nbytes,
            "checksum_ok": checksum(out) == manifest["checksum"],
            "stored_bytes": manifest["stored"][task.layout]}


@workload("random", "random inner-chunk reads, one request each (latency)")
def random_reads(lib, task):
    manifest = task.cache.build()
    path = task.cache.array_path(task.layout)
    inner = layouts()[task.layout].chunks
    grid = [-(-task.n // c) for c in inner]
    # The same chunks, in the same order, for every library.
    picks = np.random.default_rng(1).integers(0, grid, size=(task.random_reads, len(grid)))
    if task.cold:
        drop_page_cache()  # once: later reads hit pages the earlier ones brought in
    r = lib.open_read(path)
    latencies, sums, nbytes = [], [], 0
    for idx in picks:
        start = [int(i) * c for i, c in zip(idx, inner)]
        box = [min(c, task.n - s) for s, c in zip(start, inner)]
        t0 = time.perf_counter()
        block = r.read_region(start, box)
        latencies.append(time.perf_counter() - t0)
        sums.append(int(block.sum(dtype=np.uint64)))  # untimed; checked below
        nbytes += block.nbytes
    peak = peak_rss_mib()
    vol = task.cache.volume(mmap=True)
    expected = [int(vol[tuple(slice(int(i) * c, int(i) * c + c) for i, c in zip(idx, inner))]
                    .sum(dtype=np.uint64)) for idx in picks]
    lat = np.array(latencies)
    return {"times": [float(lat.sum())], "peak_rss_mib": peak, "bytes": nbytes,
            "latency_ms": {"median": float(np.median(lat) * 1e3),
                           "p90": float(np.percentile(lat, 90) * 1e3)},
            "checksum_ok": sums == expected, "stored_bytes": manifest["stored"][task.layout]}


@workload("reencode", "re-encode zstd → sharded, streamed one shard-sized block at a time")
def reencode(lib, task):
    """Reads the zstd array and writes the sharded layout block by block, each block one
    shard, so memory stays near one block (32 MiB) plus the library's buffers."""
    manifest = task.cache.build()
    src = task.cache.array_path("zstd")
    dst = _out_path(task, lib)
    layout = layouts()[task.layout]
    shape = (task.n,) * 3

    def run():
        r = lib.open_read(src)
        w = lib.create(dst, shape, np.uint16, layout)
        for start, box in boxes(shape, layout.storage_chunks):
            w.write_region(start, r.read_region(start, box))
        w.close()
    times = _best_of(task, run, before=lambda: shutil.rmtree(dst, ignore_errors=True))
    peak = peak_rss_mib()
    out = {"times": times, "peak_rss_mib": peak, "bytes": 2 * task.n ** 3,
           **_check_written(dst, manifest["checksum"])}
    shutil.rmtree(dst, ignore_errors=True)
    return out
