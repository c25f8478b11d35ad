"""The two benchmark volumes and their on-disk cache, made once and shared by all libraries.

    smooth  sum of low-frequency sines, 10000 ± 2000 (16-bit): neighbours differ by a few
            counts, so it compresses well (zstd ~0.36), like a clean, oversampled image
    noisy   the same structure in 12 bits plus gaussian noise (sigma 40), clipped to 0..4095:
            compresses like a real camera/microscope volume (zstd ~0.7: noise bits do not
            compress)

The cache (build/bench-data/<dataset>-<n>/) holds volume.npy (the voxels, for write
workloads), one stored array per layout written by zarr-python (read workloads: every library
reads the same bytes) and manifest.json (checksums, sizes). It is rebuilt when GENERATOR or a
layout changes.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil

import numpy as np

from layouts import layouts

DATASETS = ("smooth", "noisy")
GENERATOR = 1  # bump when generate() changes, to invalidate caches
READ_LAYOUTS = ("raw", "zstd", "blosc", "sharded")  # layouts stored for read workloads


def generate(kind: str, n: int) -> np.ndarray:
    """An n³ uint16 volume, made slab by slab (float32 temporaries of one slab, not of n³)."""
    if kind not in DATASETS:
        raise ValueError(f"unknown dataset {kind!r} (expected one of {DATASETS})")
    out = np.empty((n, n, n), dtype=np.uint16)
    y = np.arange(n, dtype=np.float32)[:, None]
    x = np.arange(n, dtype=np.float32)[None, :]
    plane = (np.sin(x / 37) + np.sin(y / 53) + 0.5 * np.sin((x + y) / 23)) / 2.5  # in -1..1
    rng = np.random.default_rng(0)
    for z0 in range(0, n, 16):
        z = np.arange(z0, min(z0 + 16, n), dtype=np.float32)[:, None, None]
        base = 0.7 * plane[None] + 0.3 * np.sin(z / 71)          # still in -1..1
        if kind == "smooth":
            slab = 10000 + 2000 * base
        else:
            slab = 2048 + 1500 * base + rng.standard_normal(base.shape, dtype=np.float32) * 40
        out[z0:z0 + len(z)] = np.clip(np.rint(slab), 0, 65535 if kind == "smooth" else 4095)
    return out


def checksum(a: np.ndarray) -> str:
    """blake2b of the C-ordered voxel bytes."""
    return hashlib.blake2b(np.ascontiguousarray(a), digest_size=16).hexdigest()


def stored_bytes(path: str) -> int:
    total = 0
    for root, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total


class Cache:
    def __init__(self, root: str, kind: str, n: int):
        self.kind, self.n = kind, n
        self.dir = os.path.join(root, f"{kind}-{n}")
        self.volume_path = os.path.join(self.dir, "volume.npy")
        self.manifest_path = os.path.join(self.dir, "manifest.json")

    def array_path(self, layout: str) -> str:
        return os.path.join(self.dir, f"{layout}.zarr")

    def _wanted(self) -> dict:
        ls = layouts()
        return {"generator": GENERATOR, "n": self.n,
                "layouts": {k: ls[k].codecs_json() for k in READ_LAYOUTS}}

    def manifest(self) -> dict | None:
        try:
            with open(self.manifest_path) as f:
                m = json.load(f)
        except (OSError, ValueError):
            return None
        return m if {k: m.get(k) for k in self._wanted()} == self._wanted() else None

    def volume(self, mmap: bool = False) -> np.ndarray:
        return np.load(self.volume_path, mmap_mode="r" if mmap else None)

    def build(self) -> dict:
        """Makes the cache unless it is valid already; returns the manifest."""
        m = self.manifest()
        if m is not None:
            return m
        import zarr
        from libs.zarr_python_lib import ZarrPythonAdapter
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        vol = generate(self.kind, self.n)
        np.save(self.volume_path, vol)
        writer = ZarrPythonAdapter(threads=os.cpu_count())
        ls = layouts()
        m = dict(self._wanted(), checksum=checksum(vol), stored={})
        for name in READ_LAYOUTS:
            path = self.array_path(name)
            writer.write(path, vol, ls[name])
            assert checksum(zarr.open_array(path, mode="r")[...]) == m["checksum"]
            m["stored"][name] = stored_bytes(path)
        with open(self.manifest_path, "w") as f:
            json.dump(m, f, indent=1)
        return m
