"""Helpers of the interop suite: run the ngff tools, move voxels through raw files, compare.

The C++ side is reached only through two executables:
  * ``ngff_rawio`` (tests/tools/rawio.cpp): read/write/create/metadata of one array, with voxels
    as raw C-order, native-endian bytes;
  * ``ngff`` (the CLI): ``info`` and ``convert``.
Their paths come from $NGFF_RAWIO / $NGFF_BIN (set by ctest), else from ../../build.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

HERE = Path(__file__).resolve().parent
BUILD = HERE.parent.parent / "build"


def _tool(env: str, candidates: Sequence[Path]) -> str:
    if os.environ.get(env):
        return os.environ[env]
    for c in candidates:
        if c.exists():
            return str(c)
    return str(candidates[0])


NGFF_BIN = _tool("NGFF_BIN", [BUILD / "ngff", BUILD / "cli" / "ngff"])
NGFF_RAWIO = _tool("NGFF_RAWIO", [BUILD / "tests" / "ngff_rawio", BUILD / "ngff_rawio"])

# Exit codes of the CLI contract (docs/architecture.md).
EXIT_INVALID, EXIT_USAGE, EXIT_IO = 1, 2, 3

# ---------------------------------------------------------------------------------------------
# Data types

# The numeric types of Zarr, as v3 names, with their numpy form (native byte order).
DTYPES = {
    "bool": "?", "int8": "i1", "int16": "i2", "int32": "i4", "int64": "i8",
    "uint8": "u1", "uint16": "u2", "uint32": "u4", "uint64": "u8",
    "float16": "f2", "float32": "f4", "float64": "f8", "complex64": "c8", "complex128": "c16",
}
MULTIBYTE = [n for n, c in DTYPES.items() if np.dtype(c).itemsize > 1]
FLOATS = ["float16", "float32", "float64"]
COMPLEX = ["complex64", "complex128"]


def np_dtype(name: str, endian: str = "=") -> np.dtype:
    """numpy dtype of a v3 type name in the given byte order ('<', '>' or '=')."""
    dt = np.dtype(DTYPES[name])
    return dt if dt.itemsize == 1 else dt.newbyteorder(endian)


def v2_dtype(name: str, endian: str) -> str:
    """The v2 dtype string ('<u2', '>f8', '|b1', '|u1')."""
    return np_dtype(name, endian).str


def make_data(name: str, shape: Sequence[int], seed: int = 0) -> np.ndarray:
    """Native-endian data of a v3 type covering the type's range, with NaN, +-inf and -0.0 for
    floating types, so that bit-equality means something."""
    rng = np.random.default_rng(seed)
    dt = np_dtype(name)
    n = int(np.prod(shape, dtype=np.int64))
    if name == "bool":
        flat = rng.integers(0, 2, n).astype(bool)
    elif dt.kind in "iu":
        info = np.iinfo(dt)
        flat = rng.integers(info.min, info.max, n, dtype=dt, endpoint=True)
    else:
        real_dt = np.dtype(f"f{dt.itemsize // 2}") if dt.kind == "c" else dt
        uint_dt = np.dtype(f"u{real_dt.itemsize}")
        bits = real_dt.itemsize * 8
        mantissa = {16: 10, 32: 23, 64: 52}[bits]
        # quiet NaNs with a payload and with the sign bit set: only a bit-exact path keeps them
        odd_nans = np.array([((1 << (bits - 1)) - (1 << mantissa)) | (1 << (mantissa - 1)) | 5,
                             ((1 << bits) - (1 << mantissa)) | (1 << (mantissa - 1))],
                            dtype=uint_dt).view(real_dt)
        specials = np.array([np.nan, odd_nans[0], np.inf, odd_nans[1], -np.inf, -0.0, 0.0],
                            real_dt)
        parts = []
        for k in range(2 if dt.kind == "c" else 1):
            p = (rng.standard_normal(n) * 1000).astype(real_dt)
            every = p[k::7]
            m = min(len(every), len(specials))
            every[:m] = specials[:m]
            parts.append(p)
        if dt.kind == "c":
            flat = np.empty(n, dt)
            flat.real, flat.imag = parts
        else:
            flat = parts[0]
    return flat.reshape(tuple(shape))


def native(a: np.ndarray) -> np.ndarray:
    """C-contiguous, native byte order (what ngff_rawio reads and writes)."""
    a = np.asarray(a)
    return np.ascontiguousarray(a.astype(a.dtype.newbyteorder("="), copy=False))


def assert_bit_equal(actual: np.ndarray, expected: np.ndarray, what: str = "array") -> None:
    """Same shape, same type, same bytes (NaN payloads and -0.0 included)."""
    a, e = native(actual), native(expected)
    assert a.shape == e.shape, f"{what}: shape {a.shape} != {e.shape}"
    assert a.dtype == e.dtype, f"{what}: dtype {a.dtype} != {e.dtype}"
    if a.tobytes() == e.tobytes():
        return
    if a.size == 0:
        raise AssertionError(f"{what}: bytes differ")
    av = a.view(np.uint8).reshape(a.size, -1) if a.ndim else a.reshape(1).view(np.uint8).reshape(1, -1)
    ev = e.view(np.uint8).reshape(e.size, -1) if e.ndim else e.reshape(1).view(np.uint8).reshape(1, -1)
    bad = np.nonzero((av != ev).any(axis=1))[0]
    first = tuple(int(i) for i in np.unravel_index(bad[0], a.shape)) if a.ndim else ()
    raise AssertionError(
        f"{what}: {len(bad)} of {a.size} elements differ; first at {first}: "
        f"got {a[first]!r} (bytes {av[bad[0]].tobytes().hex()}), "
        f"expected {e[first]!r} (bytes {ev[bad[0]].tobytes().hex()})")


def region_spelling(region: Sequence[slice]) -> str:
    return ",".join(f"{s.start}:{s.stop}" for s in region)


def region_shape(region: Sequence[slice]) -> tuple[int, ...]:
    return tuple(s.stop - s.start for s in region)


def middle_region(shape: Sequence[int]) -> tuple[slice, ...]:
    """A region that cuts through chunks: from about a third to about four fifths of each side."""
    return tuple(slice(n // 3, max(n // 3, (4 * n) // 5)) for n in shape)


# ---------------------------------------------------------------------------------------------
# Running the tools

def run(tool: str, *args, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([tool, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def describe(r: subprocess.CompletedProcess) -> str:
    return (f"`{' '.join(r.args)}` exited {r.returncode}\n"
            f"stdout: {r.stdout[-2000:]}\nstderr: {r.stderr[-2000:]}")


def run_ok(tool: str, *args, timeout: float = 120) -> subprocess.CompletedProcess:
    r = run(tool, *args, timeout=timeout)
    assert r.returncode == 0, describe(r)
    return r


def run_error(tool: str, *args, code: int | Iterable[int]) -> str:
    """Runs a command that must fail with `code` (or one of the codes) and exactly one line on
    stderr naming the problem; returns that line."""
    r = run(tool, *args)
    codes = {code} if isinstance(code, int) else set(code)
    assert r.returncode in codes, f"expected exit code {sorted(codes)}; " + describe(r)
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].strip(), "expected one line on stderr; " + describe(r)
    assert "error" in lines[0].lower(), describe(r)
    return lines[0]


def rawio_read(url, dtype: np.dtype, shape: Sequence[int], region=None, *, tmp: Path) -> np.ndarray:
    """The array (or a region of it) as ngff reads it, native endian."""
    out = tmp / "rawio-out.bin"
    args = ["read", url, out]
    if region is not None:
        args += ["--region", region_spelling(region)]
        shape = region_shape(region)
    run_ok(NGFF_RAWIO, *args)
    data = out.read_bytes()
    out.unlink()
    dt = np.dtype(dtype).newbyteorder("=")
    assert len(data) == int(np.prod(shape, dtype=np.int64)) * dt.itemsize, (
        f"ngff_rawio read wrote {len(data)} bytes for shape {tuple(shape)} of {dt}")
    return np.frombuffer(data, dtype=dt).reshape(tuple(shape))


def rawio_write(url, data: np.ndarray, region=None, *, tmp: Path) -> None:
    """Writes `data` into the existing array at `url` (the whole array or `region`)."""
    src = tmp / "rawio-in.bin"
    src.write_bytes(native(data).tobytes())
    args = ["write", url, src]
    if region is not None:
        args += ["--region", region_spelling(region)]
    run_ok(NGFF_RAWIO, *args)


def rawio_create(url, metadata: dict, data: np.ndarray, *, tmp: Path, attributes=None) -> None:
    """Creates an array at `url` from a metadata document (zarr.json or .zarray) and data."""
    meta = tmp / "rawio-metadata.json"
    meta.write_text(json.dumps(metadata))
    src = tmp / "rawio-in.bin"
    src.write_bytes(native(data).tobytes())
    args = ["create", url, meta, src]
    if attributes is not None:
        attrs = tmp / "rawio-attrs.json"
        attrs.write_text(json.dumps(attributes))
        args += ["--attributes", attrs]
    run_ok(NGFF_RAWIO, *args)


def rawio_metadata(url) -> dict:
    return json.loads(run_ok(NGFF_RAWIO, "metadata", url).stdout)


def ngff_info(url) -> dict:
    return json.loads(run_ok(NGFF_BIN, "info", url, "--json").stdout)


def ngff_convert(src, dst, *options) -> subprocess.CompletedProcess:
    return run_ok(NGFF_BIN, "convert", src, dst, *options, "--quiet")


# ---------------------------------------------------------------------------------------------
# Looking at stores on disk

def metadata_document(path: Path) -> dict:
    """The array's zarr.json (v3) or .zarray (v2) as JSON."""
    path = Path(path)
    for name in ("zarr.json", ".zarray"):
        if (path / name).exists():
            return json.loads((path / name).read_text())
    raise FileNotFoundError(f"no zarr.json or .zarray in {path}")


def attributes_document(path: Path) -> dict | None:
    p = Path(path) / ".zattrs"
    return json.loads(p.read_text()) if p.exists() else None


def chunk_keys(path: Path) -> set[str]:
    """Every stored key below an array that is not metadata, as a '/'-joined relative path."""
    path = Path(path)
    meta = {"zarr.json", ".zarray", ".zattrs", ".zgroup", ".zmetadata"}
    return {p.relative_to(path).as_posix() for p in path.rglob("*")
            if p.is_file() and p.name not in meta}


def tree_files(path: Path) -> list[str]:
    path = Path(path)
    return sorted(p.relative_to(path).as_posix() for p in path.rglob("*")) if path.exists() else []


def strip_json_comments(text: str) -> str:
    """The spec's example files contain // comments."""
    out = []
    for line in text.splitlines():
        in_string, i = False, 0
        while i < len(line):
            ch = line[i]
            if ch == '"' and (i == 0 or line[i - 1] != "\\"):
                in_string = not in_string
            if not in_string and line.startswith("//", i):
                line = line[:i]
                break
            i += 1
        out.append(line)
    return "\n".join(out)


def without_keys(node, keys):
    """A JSON document with every object member named in `keys` left out, at any depth (to
    compare `info --json` of one node read through different stores)."""
    if isinstance(node, dict):
        return {k: without_keys(v, keys) for k, v in node.items() if k not in keys}
    if isinstance(node, list):
        return [without_keys(v, keys) for v in node]
    return node
