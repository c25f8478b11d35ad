"""Zarr v2 interoperability with zarr-python 3, both ways, bit for bit.

zarr-python writes -> ngff reads (whole array and a region) and re-serialises the same .zarray;
ngff writes (create from zarr-python's own .zarray, or write into a zarr-python array) ->
zarr-python reads the same bits, and the .zarray/.zattrs/chunk keys are what zarr-python writes.
"""

import json

import numcodecs as nc
import numpy as np
import pytest
import zarr

import interop
from cases import NULL, V2Case
from ngff_tools import (DTYPES, assert_bit_equal, chunk_keys, metadata_document, np_dtype,
                        rawio_create, rawio_metadata, rawio_read, rawio_write)

COMPRESSORS = [None, nc.Zstd(level=1), nc.Blosc("lz4", 5, nc.Blosc.SHUFFLE), nc.Zlib(level=4),
               nc.GZip(level=6), nc.Blosc("zstd", 3, nc.Blosc.BITSHUFFLE)]

# Every dtype x both byte orders x C/F order; the compressor rotates so each appears with each
# kind of type.
DTYPE_CASES = [
    V2Case(dtype=d, endian=e, order=o, compressor=COMPRESSORS[i % len(COMPRESSORS)], seed=i)
    for i, (d, e, o) in enumerate(
        (d, e, o) for d in DTYPES for e in ("<", ">") for o in "CF"
        if e == "<" or np_dtype(d).itemsize > 1)
]

BLOSC = [nc.Blosc(cname, clevel, shuffle)
         for cname, clevel in (("lz4", 5), ("lz4hc", 3), ("blosclz", 9), ("zstd", 1), ("zlib", 2))
         for shuffle in (nc.Blosc.NOSHUFFLE, nc.Blosc.SHUFFLE, nc.Blosc.BITSHUFFLE)]
CODECS = ([(None, None), (nc.GZip(level=1), None), (nc.GZip(level=9), None),
           (nc.Zlib(level=1), None), (nc.Zlib(level=9), None), (nc.Zstd(level=3), None),
           (nc.Zstd(level=-1), None), (nc.Zstd(level=5, checksum=True), None),
           (nc.LZ4(), None), (nc.LZ4(acceleration=8), None), (nc.CRC32C(), None),
           (nc.Blosc("lz4", 5, nc.Blosc.AUTOSHUFFLE), None),  # shuffle -1: auto
           # v2 filters in front of the compressor
           (nc.Zlib(level=3), (nc.CRC32C(),)), (nc.LZ4(), (nc.CRC32C(),)), (None, (nc.CRC32C(),))]
          + [(b, None) for b in BLOSC])
# Each codec with a two-byte little-endian C-order and an eight-byte big-endian F-order array.
CODEC_CASES = [V2Case(dtype="uint16", compressor=c, filters=f, seed=1) for c, f in CODECS] + [
    V2Case(dtype="float64", endian=">", order="F", compressor=c, filters=f, seed=2)
    for c, f in CODECS]

SHAPE_CASES = [
    V2Case(dtype="int32", shape=(), chunks=(), compressor=nc.Zlib(level=1)),  # 0-d
    V2Case(dtype="int32", shape=(), chunks=(), compressor=None, fill=7, partial=True),
    V2Case(dtype="float32", shape=(23,), chunks=(5,)),  # 1-d, not divisible
    V2Case(dtype="uint8", shape=(20,), chunks=(5,)),  # divisible
    V2Case(dtype="int16", shape=(5, 3), chunks=(10, 10)),  # a chunk larger than the array
    V2Case(dtype="int16", shape=(3, 4, 2, 5, 3), chunks=(2, 3, 2, 2, 2),
           compressor=nc.Blosc("lz4", 5, nc.Blosc.SHUFFLE)),  # 5-d
    V2Case(dtype="uint16", shape=(3, 4, 2, 5, 3), chunks=(2, 3, 1, 4, 2), order="F",
           endian=">", separator="/"),
    V2Case(dtype="float64", shape=(0, 5), chunks=(2, 2)),  # zero-size dimensions
    V2Case(dtype="float64", shape=(4, 0, 3), chunks=(2, 2, 2), separator="/"),
    V2Case(dtype="uint8", shape=(0,), chunks=(4,)),
    V2Case(dtype="uint32", shape=(37, 41), chunks=(8, 16), separator="/",
           compressor=nc.Zstd(level=1)),
    # ~48k elements in 180 chunks: the parallel paths
    V2Case(dtype="float64", shape=(40, 30, 40), chunks=(7, 8, 9), order="F",
           compressor=nc.Blosc("zstd", 3, nc.Blosc.SHUFFLE)),
]

# Missing chunks read as the fill value (including NaN/Infinity and v2 null).
FILL_CASES = [
    V2Case(dtype=d, fill=f, partial=True, compressor=nc.Zlib(level=1), endian=e, order=o,
           separator=s)
    for d, f, e, o, s in [
        ("float32", float("nan"), "<", "C", "."), ("float64", float("nan"), ">", "F", "/"),
        ("float16", float("nan"), "<", "C", "/"), ("float64", float("inf"), "<", "C", "."),
        ("float32", float("-inf"), ">", "C", "."), ("float64", -2.5, "<", "F", "."),
        ("float64", NULL, "<", "C", "."), ("int32", NULL, ">", "C", "/"),
        ("int16", -7, ">", "C", "."), ("uint64", 2**64 - 1, "<", "F", "/"),
        ("int64", -2**63, ">", "C", "."), ("bool", True, "<", "C", "."),
        ("complex64", complex(1.5, float("nan")), "<", "C", "."),
        ("complex128", complex(float("-inf"), 2), ">", "F", "/"),
    ]
]

ALL = DTYPE_CASES + CODEC_CASES + SHAPE_CASES + FILL_CASES
WRITE_CASES = DTYPE_CASES[::3] + CODEC_CASES[::2] + SHAPE_CASES + FILL_CASES


@pytest.mark.parametrize("case", ALL, ids=lambda c: c.id)
def test_zarr_python_writes_ngff_reads(case, tmp_path, scratch):
    interop.zarr_writes_ngff_reads(case, tmp_path, scratch)


@pytest.mark.parametrize("case", ALL, ids=lambda c: c.id)
def test_ngff_creates_zarr_python_reads(case, tmp_path, scratch):
    interop.ngff_creates_zarr_reads(case, tmp_path, scratch)


@pytest.mark.parametrize("case", WRITE_CASES, ids=lambda c: c.id)
def test_ngff_writes_region_into_zarr_python_array(case, tmp_path, scratch):
    interop.ngff_writes_region(case, tmp_path, scratch)


@pytest.mark.parametrize("fill", [0.0, -0.0])
def test_chunk_of_signed_zeros_is_kept(fill, tmp_path, scratch):
    """A chunk of -0.0 under fill value 0.0 (or the reverse) is not the fill value bit for bit:
    ngff must store it, as zarr-python does, or -0.0 reads back as +0.0."""
    ref, out = tmp_path / "ref.zarr", tmp_path / "out.zarr"
    case = V2Case(dtype="float64", shape=(4,), chunks=(2,), fill=fill)
    data = np.array([-fill, -fill, 1.0, fill])
    ref_arr = case.create(ref)
    ref_arr[...] = data
    rawio_create(out, metadata_document(ref), data, tmp=scratch)
    assert_bit_equal(zarr.open_array(str(out), mode="r")[...], data)
    assert_bit_equal(rawio_read(out, data.dtype, data.shape, tmp=scratch), data)


def test_ngff_writes_into_empty_array_leaves_other_chunks_missing(tmp_path, scratch):
    """Writing a region into an array with no chunks fills the rest of the touched chunks with
    the fill value and writes no chunk outside the region."""
    case = V2Case(dtype="int32", shape=(10, 12), chunks=(3, 5), fill=-3, separator="/")
    path = tmp_path / "a.zarr"
    case.create(path)
    region = (slice(4, 6), slice(2, 7))
    data = np.arange(10, dtype=np.int32).reshape(2, 5)
    rawio_write(path, data, region, tmp=scratch)
    expected = np.full(case.shape, -3, np.int32)
    expected[region] = data
    assert_bit_equal(zarr.open_array(str(path), mode="r")[...], expected)
    assert chunk_keys(path) == {"1/0", "1/1"}


def test_dimension_separator_absent_means_dot(tmp_path, scratch):
    """Old .zarray documents have no dimension_separator: keys are '.'-separated."""
    case = V2Case(dtype="uint8", shape=(4, 4), chunks=(2, 2), separator=".")
    path = tmp_path / "a.zarr"
    arr = case.create(path)
    case.fill_and_write(arr)
    doc = metadata_document(path)
    del doc["dimension_separator"]
    (path / ".zarray").write_text(json.dumps(doc))
    assert rawio_metadata(path) == doc
    assert_bit_equal(rawio_read(path, np.uint8, case.shape, tmp=scratch), case.data())
