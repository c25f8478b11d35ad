"""Zarr v3 interoperability with zarr-python 3, both ways, bit for bit (see interop.py for the
three round trips run on every case)."""

import json

import numpy as np
import pytest
import zarr
import zarr.codecs as zc

import interop
from cases import V3Case
from ngff_tools import (DTYPES, assert_bit_equal, chunk_keys, metadata_document, np_dtype,
                        rawio_create, rawio_metadata, rawio_read)

COMPRESSORS = [(), (zc.GzipCodec(level=1),), (zc.ZstdCodec(level=3),),
               (zc.BloscCodec(cname="lz4", clevel=5, shuffle="shuffle"),), (zc.Crc32cCodec(),),
               (zc.ZstdCodec(level=1), zc.Crc32cCodec())]
TRANSPOSES = [None, (1, 2, 0), (2, 0, 1), (0, 2, 1)]

# Every dtype x both byte orders of the bytes codec; codecs and transposes rotate.
DTYPE_CASES = [
    V3Case(dtype=d, endian=e, compressors=COMPRESSORS[i % len(COMPRESSORS)],
           transpose=TRANSPOSES[i % len(TRANSPOSES)], seed=i)
    for i, (d, e) in enumerate((d, e) for d in DTYPES for e in ("little", "big")
                               if e == "little" or np_dtype(d).itemsize > 1)
]

BLOSC = [zc.BloscCodec(cname=cname, clevel=clevel, shuffle=shuffle)
         for cname, clevel in (("lz4", 5), ("lz4hc", 3), ("blosclz", 9), ("zstd", 1), ("zlib", 2))
         for shuffle in ("noshuffle", "shuffle", "bitshuffle")]
CODECS = ([(None, ()), ((1, 2, 0), ()), (None, (zc.GzipCodec(level=0),)),
           (None, (zc.GzipCodec(level=9),)), (None, (zc.ZstdCodec(level=-1),)),
           (None, (zc.ZstdCodec(level=5, checksum=True),)), (None, (zc.Crc32cCodec(),)),
           (None, (zc.GzipCodec(level=5), zc.Crc32cCodec())),
           ((1, 2, 0), (zc.BloscCodec(cname="zstd", clevel=3, shuffle="bitshuffle"),
                        zc.Crc32cCodec())),
           ((2, 0, 1), (zc.ZstdCodec(level=2, checksum=True), zc.Crc32cCodec())),
           ((1, 2, 0), (zc.Crc32cCodec(),)),
           # two compressors in a row and a checksum of a checksum: legal chains
           (None, (zc.GzipCodec(level=1), zc.ZstdCodec(level=1))),
           (None, (zc.Crc32cCodec(), zc.Crc32cCodec()))]
          + [(None, (b,)) for b in BLOSC])
CODEC_CASES = [V3Case(dtype="uint16", transpose=t, compressors=c, seed=1) for t, c in CODECS] + [
    V3Case(dtype="float64", endian="big", transpose=t, compressors=c, seed=2) for t, c in CODECS]

KEY_CASES = [
    V3Case(dtype="int16", key_encoding=k, shape=s, chunks=ch, compressors=(zc.GzipCodec(level=1),))
    for k in (("default", "/"), ("default", "."), ("v2", "."), ("v2", "/"))
    for s, ch in (((7, 9, 5), (3, 4, 2)), ((), ()), ((10,), (3,)))
]

SHAPE_CASES = [
    V3Case(dtype="float32", shape=(23,), chunks=(5,)),
    V3Case(dtype="uint8", shape=(20,), chunks=(5,), compressors=(zc.ZstdCodec(level=1),)),
    V3Case(dtype="int16", shape=(5, 3), chunks=(10, 10), transpose=(1, 0)),
    V3Case(dtype="int32", shape=(3, 4, 2, 5, 3), chunks=(2, 3, 2, 2, 2), transpose=(4, 2, 0, 1, 3),
           compressors=(zc.BloscCodec(cname="lz4", clevel=5, shuffle="shuffle"),)),
    V3Case(dtype="uint16", shape=(3, 4, 2, 5, 3), chunks=(2, 3, 1, 4, 2), endian="big",
           key_encoding=("default", ".")),
    V3Case(dtype="float64", shape=(0, 5), chunks=(2, 2)),
    V3Case(dtype="float64", shape=(4, 0, 3), chunks=(2, 2, 2), transpose=(1, 2, 0)),
    V3Case(dtype="uint8", shape=(0,), chunks=(4,)),
    V3Case(dtype="uint32", shape=(37, 41), chunks=(8, 16), dimension_names=("y", "x"),
           compressors=(zc.ZstdCodec(level=1),)),
    V3Case(dtype="int8", shape=(6, 5, 4), chunks=(4, 4, 4), dimension_names=("z", None, "x")),
    V3Case(dtype="complex128", shape=(), chunks=(), endian="big"),
    # ~48k elements in 180 chunks: the parallel paths
    V3Case(dtype="float64", shape=(40, 30, 40), chunks=(7, 8, 9), transpose=(2, 0, 1),
           compressors=(zc.BloscCodec(cname="zstd", clevel=3, shuffle="shuffle"),
                        zc.Crc32cCodec())),
]

FILL_CASES = [
    V3Case(dtype=d, fill=f, partial=True, endian=e, transpose=t,
           compressors=(zc.GzipCodec(level=1),))
    for d, f, e, t in [
        ("float32", float("nan"), "little", None), ("float64", float("nan"), "big", (1, 2, 0)),
        ("float16", float("nan"), "little", None), ("float16", float("-inf"), "big", None),
        ("float64", float("inf"), "little", None), ("float32", float("-inf"), "big", None),
        ("float64", -2.5, "little", (2, 0, 1)), ("int16", -7, "big", None),
        ("uint64", 2**64 - 1, "little", None), ("int64", -2**63, "big", None),
        ("bool", True, "little", None), ("uint8", 200, "little", (1, 2, 0)),
        ("complex64", complex(1.5, float("nan")), "little", None),
        ("complex128", complex(float("-inf"), 2), "big", (1, 2, 0)),
    ]
]

ALL = DTYPE_CASES + CODEC_CASES + KEY_CASES + SHAPE_CASES + FILL_CASES
WRITE_CASES = DTYPE_CASES[::2] + CODEC_CASES[::2] + KEY_CASES + SHAPE_CASES + FILL_CASES


@pytest.mark.parametrize("case", ALL, ids=lambda c: c.id)
def test_zarr_python_writes_ngff_reads(case, tmp_path, scratch):
    interop.zarr_writes_ngff_reads(case, tmp_path, scratch)


@pytest.mark.parametrize("case", ALL, ids=lambda c: c.id)
def test_ngff_creates_zarr_python_reads(case, tmp_path, scratch):
    interop.ngff_creates_zarr_reads(case, tmp_path, scratch)


@pytest.mark.parametrize("case", WRITE_CASES, ids=lambda c: c.id)
def test_ngff_writes_region_into_zarr_python_array(case, tmp_path, scratch):
    interop.ngff_writes_region(case, tmp_path, scratch)


def _edit(path, **changes):
    doc = metadata_document(path)
    for k, v in changes.items():
        if v is None:
            doc.pop(k, None)
        else:
            doc[k] = v
    (path / "zarr.json").write_text(json.dumps(doc))
    return doc


@pytest.mark.parametrize("name", ["default", "v2"])
def test_chunk_key_encoding_without_configuration(name, tmp_path, scratch):
    """A missing configuration means the default separator: '/' for default, '.' for v2."""
    case = V3Case(dtype="uint16", shape=(5, 6), chunks=(2, 4),
                  key_encoding=(name, "/" if name == "default" else "."))
    path = tmp_path / "a.zarr"
    case.fill_and_write(case.create(path))
    doc = _edit(path, chunk_key_encoding={"name": name})
    assert rawio_metadata(path) == doc
    expected = zarr.open_array(str(path), mode="r")[...]
    assert_bit_equal(expected, case.data(), "zarr-python read")
    assert_bit_equal(rawio_read(path, np.uint16, case.shape, tmp=scratch), expected)
    out = tmp_path / "out.zarr"
    rawio_create(out, doc, expected, tmp=scratch)
    assert metadata_document(out) == doc
    assert chunk_keys(out) == chunk_keys(path)


@pytest.mark.parametrize("dtype,fill,bits", [
    ("float32", "0x7fc00005", 0x7FC00005), ("float32", "0xff800000", 0xFF800000),
    ("float64", "0x7ff8000000000001", 0x7FF8000000000001),
    # not a float16 NaN with a payload: zarr-python 3.1 reads "0x7e01" as the plain NaN 0x7e00
    ("float16", "0x3c01", 0x3C01),
    ("float16", "-Infinity", 0xFC00), ("float64", "-0.0", None)])
def test_special_fill_values(dtype, fill, bits, tmp_path, scratch):
    """Hex and named fill values (v3 spec): missing chunks read as exactly these bits, and the
    document is serialised back as written."""
    case = V3Case(dtype=dtype, shape=(6, 4), chunks=(2, 4), partial=True)
    path = tmp_path / "a.zarr"
    case.fill_and_write(case.create(path))
    doc = _edit(path, fill_value=fill if fill != "-0.0" else -0.0)
    expected = zarr.open_array(str(path), mode="r")[...]
    got = rawio_read(path, np_dtype(dtype), case.shape, tmp=scratch)
    assert_bit_equal(got, expected)
    if bits is not None:
        uint = np.dtype(f"u{np_dtype(dtype).itemsize}")
        assert int(got[-1, -1].view(uint)) == bits
    assert rawio_metadata(path) == doc


def test_chunk_of_negative_zeros_is_kept(tmp_path, scratch):
    """A chunk of -0.0 under fill 0.0 is not the fill value bit for bit; zarr-python stores it
    and so must ngff, or -0.0 reads back as +0.0."""
    ref, out = tmp_path / "ref.zarr", tmp_path / "out.zarr"
    case = V3Case(dtype="float32", shape=(4,), chunks=(2,), fill=0.0)
    data = np.array([-0.0, -0.0, 1.0, 0.0], np.float32)
    case.create(ref)[...] = data
    rawio_create(out, metadata_document(ref), data, tmp=scratch)
    assert chunk_keys(out) == chunk_keys(ref)
    assert_bit_equal(zarr.open_array(str(out), mode="r")[...], data)


def test_extension_keys_and_attributes_are_kept(tmp_path, scratch):
    """Unknown keys with "must_understand": false and NaN inside attributes survive."""
    case = V3Case(dtype="int32", shape=(4, 4), chunks=(2, 2), dimension_names=("y", "x"))
    path = tmp_path / "a.zarr"
    case.fill_and_write(case.create(path, attributes={"a": {"b": [1, "NaN", None]}}))
    doc = _edit(path, my_extension={"must_understand": False, "anything": [1, 2]})
    assert rawio_metadata(path) == doc
    out = tmp_path / "out.zarr"
    rawio_create(out, doc, case.data(), tmp=scratch)
    assert metadata_document(out) == doc
    assert_bit_equal(zarr.open_array(str(out), mode="r")[...], case.data())
