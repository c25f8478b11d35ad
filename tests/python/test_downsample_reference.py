"""The downsampling kernels (include/ngff/image/downsample.hpp) against numpy, scipy and
scikit-image references computed here, through the `ngff_downsample` tool (tests/tools/
downsample_tool.cpp): raw native-endian C-order arrays in and out.

Every method x every Zarr data type x 1-D..5-D shapes with odd sizes and partial edge blocks:
  nearest   x[::f0, ::f1, ...]                                            bit-equal
  mean      block mean (partial blocks use their valid elements); integers exact, rounded half to
            even (np.round) — and equal to np.round of numpy's float64 mean for <= 32-bit types;
            floats summed in double in C order, rounded once to the type          bit-equal
  min/max   np.min / np.max per block (NaN propagates)                             equal values
  mode      np.unique per block, ties to the smallest value (totalOrder for floats, bits compared)
  gaussian  scipy.ndimage.gaussian_filter(x.astype(float64), 2 f / 6, mode='nearest',
            truncate=4.0), then the block mean, then rounding                 to the last bits
Each case also runs tile by tile (--tile, i.e. downsample_region with halos) and must be
bit-identical to the whole-array run; nearest/mean/min/max also agree with
skimage.measure.block_reduce where the shape divides evenly.
"""

from __future__ import annotations

import os
from collections import Counter
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import scipy.ndimage as ndi
from skimage.measure import block_reduce

from ngff_tools import DTYPES, assert_bit_equal, make_data, native, np_dtype, run_error, run_ok

HERE = Path(__file__).resolve().parent
TOOL = os.environ.get("NGFF_DOWNSAMPLE") or str(
    HERE.parent.parent / "build" / "tests" / "ngff_downsample")

METHODS = ["nearest", "mean", "gaussian", "mode", "min", "max"]

# (shape, factors, output tile for the tiled run): odd sizes, partial blocks, factor 1 axes,
# a factor larger than its axis, Gaussian halos wider than the tiles.
CASES = [
    ((11,), (3,), (2,)),
    ((5, 7), (2, 3), (2, 1)),
    ((9, 13), (4, 2), (1, 3)),
    ((3, 5, 9), (2, 2, 1), (1, 2, 4)),
    ((2, 3, 4, 5), (1, 2, 3, 2), (2, 1, 1, 2)),
    ((3, 2, 5, 3, 4), (2, 1, 2, 3, 2), (1, 1, 2, 1, 1)),
    ((3, 5), (4, 1), (1, 2)),
]


@pytest.fixture(scope="module")
def tool():
    assert os.access(TOOL, os.X_OK), (
        f"{TOOL} is not an executable; build the ngff_downsample target or set $NGFF_DOWNSAMPLE")
    return TOOL


def out_shape(shape, factors):
    return tuple(-(-n // f) for n, f in zip(shape, factors))


def blocks(shape, factors):
    """(output index, input block slices) in C order."""
    for idx in np.ndindex(*out_shape(shape, factors)):
        yield idx, tuple(slice(i * f, min((i + 1) * f, n)) for i, f, n in zip(idx, factors, shape))


def downsample(tool, x, name, factors, method, tmp, tile=None):
    src, dst = tmp / "in.bin", tmp / "out.bin"
    shape, dt = np.shape(x), native(x).dtype
    src.write_bytes(native(x).tobytes())
    args = [src, dst, "--shape", ",".join(map(str, shape)), "--dtype", name,
            "--factors", ",".join(map(str, factors)), "--method", method]
    if tile is not None:
        args += ["--tile", ",".join(map(str, tile))]
    run_ok(tool, *args)
    return np.frombuffer(dst.read_bytes(), dtype=dt).reshape(out_shape(shape, factors))


# ---------------------------------------------------------------------------------------------
# References


def c_order_sum(block: np.ndarray) -> float:
    """Sum in double in C order over the block: the order the kernels document."""
    s = 0.0
    for v in block.ravel():
        s += float(v)
    return s


def round_to(v: np.ndarray, dt: np.dtype) -> np.ndarray:
    """Doubles to the data type: np.round then clip for integers, np.round != 0 for bool, one
    rounding for floats."""
    v = np.asarray(v, np.float64)
    if dt.kind == "b":
        return np.round(v) != 0
    if dt.kind in "iu":
        info = np.iinfo(dt)
        r = np.round(v)
        hi = r >= 2.0 ** (info.bits - (1 if dt.kind == "i" else 0))
        lo = r < float(info.min)
        out = np.zeros(r.shape, dt)
        mid = ~(hi | lo)
        out[mid] = r[mid].astype(dt)
        out[hi], out[lo] = info.max, info.min
        return out
    return v.astype(dt)


def ref_mean(x: np.ndarray, factors) -> np.ndarray:
    dt = x.dtype
    out = np.empty(out_shape(x.shape, factors), dt)
    for idx, sl in blocks(x.shape, factors):
        b = x[sl]
        if dt.kind == "b":
            out[idx] = np.round(b.mean()) != 0
        elif dt.kind in "iu":
            exact = round(Fraction(sum(int(v) for v in b.ravel()), b.size))  # half to even
            if dt.itemsize <= 4:
                assert exact == np.round(b.astype(np.float64).mean())
            out[idx] = exact
        elif dt.kind == "c":
            out.real[idx] = round_to(c_order_sum(b.real) / b.size, b.real.dtype)
            out.imag[idx] = round_to(c_order_sum(b.imag) / b.size, b.real.dtype)
        else:
            out[idx] = round_to(c_order_sum(b) / b.size, dt)
    return out


def any_nan(a: np.ndarray) -> np.ndarray:
    """The array with every NaN (of any sign and payload) made the same NaN: the payload of a
    computed NaN depends on operand order, which neither side specifies."""
    a = np.array(a)
    if a.dtype.kind in "fc":
        flat = a.view(a.real.dtype) if a.dtype.kind == "c" else a
        flat[np.isnan(flat)] = np.nan
    return a


def ref_reduce(x: np.ndarray, factors, fn) -> np.ndarray:
    out = np.empty(out_shape(x.shape, factors), x.dtype)
    for idx, sl in blocks(x.shape, factors):
        out[idx] = fn(x[sl])
    return out


def order_keys(a: np.ndarray) -> np.ndarray:
    """Unsigned keys whose equality is bit equality and whose order is the tie-break order."""
    dt = a.dtype
    u = np.dtype(f"u{dt.itemsize}")
    bits = np.ascontiguousarray(a).view(u)
    if dt.kind in "bu":
        return bits
    sign = u.type(1 << (8 * dt.itemsize - 1))
    if dt.kind == "i":
        return bits ^ sign
    return np.where(bits & sign, ~bits, bits | sign).astype(u)


def ref_mode(x: np.ndarray, factors) -> np.ndarray:
    def mode(b):
        flat = b.ravel()
        if flat.dtype.kind == "c":  # lexicographic (real, imag)
            keys = list(zip(order_keys(flat.real.copy()).tolist(),
                            order_keys(flat.imag.copy()).tolist()))
            counts = Counter(keys)
            best = min(counts, key=lambda k: (-counts[k], k))
            return flat[keys.index(best)]
        keys = order_keys(flat)
        values, counts = np.unique(keys, return_counts=True)  # sorted: argmax = smallest of ties
        return flat[np.nonzero(keys == values[np.argmax(counts)])[0][0]]
    return ref_reduce(x, factors, mode)


def sigmas(factors):
    return [2 * f / 6.0 if f > 1 else 0.0 for f in factors]


def ref_gaussian_double(x: np.ndarray, factors) -> np.ndarray:
    """The smoothed block means, in double (before rounding to the type)."""
    g = ndi.gaussian_filter(x.astype(np.float64), sigmas(factors), mode="nearest", truncate=4.0)
    out = np.empty(out_shape(x.shape, factors), np.float64)
    for idx, sl in blocks(x.shape, factors):
        out[idx] = c_order_sum(g[sl]) / g[sl].size
    return out


def check_gaussian(got: np.ndarray, x: np.ndarray, factors) -> int:
    """Compares with the scipy reference; returns how many elements differ in their bits (the
    weights come from libm's exp on both sides, which may differ in the last bit)."""
    dt = x.dtype
    parts = [(got.real, x.real), (got.imag, x.imag)] if dt.kind == "c" else [(got, x)]
    differing = 0
    for g, xp in parts:
        refd = ref_gaussian_double(np.ascontiguousarray(xp), factors)
        ref = round_to(refd, g.dtype)
        gb = np.ascontiguousarray(g).view(np.uint8).reshape(g.size, -1)
        rb = np.ascontiguousarray(ref).view(np.uint8).reshape(g.size, -1)
        differing += int((gb != rb).any(axis=1).sum())
        if g.dtype.kind in "biu":
            gf = g.astype(np.float64)
            # the same rounding of a double within a few ulps of scipy's
            near = np.abs(gf - refd) <= 0.5 + 1e-12 * np.abs(refd)
            ok = (g == ref) | near
            assert ok.all(), (f"gaussian {dt}: got {g[~ok][:5]}, scipy {refd[~ok][:5]}")
        else:
            eps = {2: 2e-3, 4: 3e-7, 8: 1e-13}[g.dtype.itemsize]
            np.testing.assert_allclose(g.astype(np.float64), ref.astype(np.float64), rtol=eps,
                                       atol=eps * 1000, err_msg=f"gaussian {dt}")
    return differing


def gaussian_data(name, shape, seed):
    dt = np_dtype(name)
    if dt.kind in "fc":  # finite: a NaN or inf would spread over the whole kernel
        rng = np.random.default_rng(seed)
        x = rng.standard_normal(shape) * 1000
        if dt.kind == "c":
            x = x + 1j * rng.standard_normal(shape) * 1000
        return x.astype(dt)
    return make_data(name, shape, seed)


def mode_data(name, shape, seed):
    """Few distinct values, so that blocks have repeats and ties; for floats -0.0/+0.0 and two NaN
    payloads, which mode must tell apart by their bits."""
    rng = np.random.default_rng(seed)
    dt = np_dtype(name)
    if dt.kind == "b":
        return rng.integers(0, 2, shape).astype(bool)
    if dt.kind in "iu":
        info = np.iinfo(dt)
        choices = np.array([info.min, 0, 1, 7, info.max], dtype=dt)
    else:
        real = np.dtype(f"f{dt.itemsize // 2}") if dt.kind == "c" else dt
        u = np.dtype(f"u{real.itemsize}")
        choices = np.array([np.nan, np.nan, -0.0, 0.0, 1.5, -np.inf], dtype=real)
        choices.view(u)[1] |= u.type(1)  # a second NaN payload
    if dt.kind == "c":  # components assigned as they are, keeping signs and NaN payloads
        x = np.empty(shape, dt)
        x.real, x.imag = rng.choice(choices, shape), rng.choice(choices, shape)
        return x
    x = rng.choice(choices, shape)
    return x.astype(dt)


def data_for(method, name, shape, seed):
    if method == "gaussian":
        return gaussian_data(name, shape, seed)
    if method == "mode":
        return mode_data(name, shape, seed)
    return make_data(name, shape, seed)


# ---------------------------------------------------------------------------------------------
# Tests


# min/max are not defined for complex numbers: those pairs are tested as usage errors instead.
REFERENCE_PAIRS = [(m, n) for m in METHODS for n in DTYPES
                   if not (m in ("min", "max") and np_dtype(n).kind == "c")]


@pytest.mark.parametrize("method,name", REFERENCE_PAIRS)
def test_against_reference(tool, tmp_path, method, name):
    dt = np_dtype(name)
    differing = 0
    for i, (shape, factors, tile) in enumerate(CASES):
        x = data_for(method, name, shape, seed=i)
        got = downsample(tool, x, name, factors, method, tmp_path)
        what = f"{method} {name} {shape} by {factors}"
        if method == "nearest":
            assert_bit_equal(got, x[tuple(slice(None, None, f) for f in factors)], what)
        elif method == "mean":
            assert_bit_equal(any_nan(got), any_nan(ref_mean(x, factors)), what)
        elif method in ("min", "max"):
            ref = ref_reduce(x, factors, np.min if method == "min" else np.max)
            np.testing.assert_array_equal(got, ref, err_msg=what)  # NaN == NaN, -0.0 == 0.0
        elif method == "mode":
            assert_bit_equal(got, ref_mode(x, factors), what)
        else:
            differing += check_gaussian(got, x, factors)
        tiled = downsample(tool, x, name, factors, method, tmp_path, tile=tile)
        assert_bit_equal(tiled, got, what + f" in tiles of {tile}")
    if method == "gaussian":
        print(f"gaussian {name}: {differing} elements not bit-equal to scipy")


@pytest.mark.parametrize("name", ["uint8", "int16", "float64"])
def test_block_reduce_where_shapes_divide(tool, tmp_path, name):
    shape, factors = (6, 4, 9), (3, 2, 3)
    x = make_data(name, shape, seed=7)
    if x.dtype.kind == "f":
        x = np.nan_to_num(x, nan=1.0, posinf=2.0, neginf=-2.0)
    nearest = downsample(tool, x, name, factors, "nearest", tmp_path)
    assert_bit_equal(nearest, x[::3, ::2, ::3])
    mean = downsample(tool, x, name, factors, "mean", tmp_path)
    br = block_reduce(x.astype(np.float64), factors, np.mean)
    if x.dtype.kind in "iu":
        assert_bit_equal(mean, round_to(br, x.dtype))
    else:
        np.testing.assert_allclose(mean, br, rtol=1e-13, atol=1e-10)  # summation order
    for method, fn in (("min", np.min), ("max", np.max)):
        assert_bit_equal(downsample(tool, x, name, factors, method, tmp_path),
                         block_reduce(x, factors, fn).astype(x.dtype))


def test_mean_of_int64_extremes_is_exact(tool, tmp_path):
    info = np.iinfo(np.int64)
    x = np.array([info.max, info.max - 1, info.min, info.min + 1, info.max, info.max], np.int64)
    got = downsample(tool, x, "int64", (2,), "mean", tmp_path)
    assert got.tolist() == [info.max - 1, info.min, info.max]  # ...806.5 -> even ...806
    u = np.array([2**64 - 1, 2**64 - 2, 2**64 - 1], np.uint64)
    assert downsample(tool, u, "uint64", (3,), "mean", tmp_path).tolist() == [2**64 - 1]


def test_zero_dimensional_is_a_copy(tool, tmp_path):
    x = np.array(3.25, np.float32)
    for method in METHODS:
        assert_bit_equal(downsample(tool, x, "float32", (), method, tmp_path), x)


def test_usage_errors(tool, tmp_path):
    src = tmp_path / "in.bin"
    np.zeros(4, np.complex64).tofile(src)
    base = [src, tmp_path / "out.bin", "--shape", "4", "--factors", "2"]
    line = run_error(tool, *base, "--dtype", "complex64", "--method", "max", code=2)
    assert "complex" in line
    line = run_error(tool, *base, "--dtype", "complex64", "--method", "median", code=2)
    assert all(m in line for m in METHODS), line
    line = run_error(tool, *base[:-1], "0", "--dtype", "complex64", "--method", "mean", code=2)
    assert "factor" in line
