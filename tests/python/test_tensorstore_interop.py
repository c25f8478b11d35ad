"""A few cross-checks with tensorstore, both ways, v2 and v3: tensorstore writes -> ngff reads
bit-equal (and keeps tensorstore's document); ngff creates from tensorstore's document ->
tensorstore reads bit-equal."""

import pytest
import tensorstore as ts

from ngff_tools import (assert_bit_equal, chunk_keys, make_data, metadata_document,
                        middle_region, np_dtype, rawio_create, rawio_metadata, rawio_read)

SHAPE, CHUNKS = [7, 9, 5], [3, 4, 2]


def v2(dtype, endian="<", **metadata):
    return ("zarr", dtype, {"dtype": np_dtype(dtype, endian).str, "shape": SHAPE,
                            "chunks": CHUNKS, **metadata})


def v3(dtype, codecs, **metadata):
    return ("zarr3", dtype, {"data_type": dtype, "shape": SHAPE, "codecs": codecs,
                             "chunk_grid": {"name": "regular",
                                            "configuration": {"chunk_shape": CHUNKS}},
                             **metadata})


BYTES_LE = {"name": "bytes", "configuration": {"endian": "little"}}
BYTES_BE = {"name": "bytes", "configuration": {"endian": "big"}}
CASES = {
    "v2-u2-blosc": v2("uint16", compressor={"id": "blosc", "cname": "lz4", "clevel": 5,
                                            "shuffle": 1, "blocksize": 0}),
    "v2-f8be-F-gzip-nan-slash": v2("float64", ">", order="F", fill_value="NaN",
                                   compressor={"id": "gzip", "level": 3},
                                   dimension_separator="/"),
    "v2-i4be-zlib": v2("int32", ">", compressor={"id": "zlib", "level": 2}, fill_value=-5),
    "v2-b1-zstd": v2("bool", compressor={"id": "zstd", "level": 1}),
    "v2-c8-raw-F": v2("complex64", order="F", compressor=None),
    "v3-u2-transpose-be-gzip-crc32c": v3("uint16", [
        {"name": "transpose", "configuration": {"order": [1, 2, 0]}}, BYTES_BE,
        {"name": "gzip", "configuration": {"level": 1}}, {"name": "crc32c"}],
        chunk_key_encoding={"name": "default", "configuration": {"separator": "."}},
        fill_value=3, dimension_names=["z", "y", "x"]),
    "v3-f4-blosc-nan": v3("float32", [BYTES_LE, {"name": "blosc", "configuration": {
        "cname": "zstd", "clevel": 3, "shuffle": "bitshuffle", "typesize": 4, "blocksize": 0}}],
        fill_value="NaN"),
    "v3-i8be-zstd-v2keys": v3("int64", [BYTES_BE, {"name": "zstd", "configuration": {
        "level": 2, "checksum": True}}], chunk_key_encoding={"name": "v2"}, fill_value=-1),
    "v3-f2-raw": v3("float16", [BYTES_LE], fill_value="-Infinity"),
    "v3-c16-transpose201": v3("complex128", [
        {"name": "transpose", "configuration": {"order": [2, 0, 1]}}, BYTES_LE],
        fill_value=[1.0, "NaN"]),
}


def _ts_open(driver, path, metadata=None):
    spec = {"driver": driver, "kvstore": {"driver": "file", "path": str(path)}}
    if metadata is not None:
        spec.update(metadata=metadata, create=True)
    return ts.open(spec).result()


def _ts_write(case, path):
    """tensorstore writes the array's first rows (later rows stay missing chunks)."""
    driver, dtype, metadata = CASES[case]
    arr = _ts_open(driver, path, metadata)
    data = make_data(dtype, SHAPE, seed=len(case))
    arr[:4].write(data[:4]).result()
    return arr.read().result()


@pytest.mark.parametrize("case", CASES)
def test_tensorstore_writes_ngff_reads(case, tmp_path, scratch):
    path = tmp_path / "a.zarr"
    expected = _ts_write(case, path)
    got = rawio_read(path, expected.dtype, SHAPE, tmp=scratch)
    assert_bit_equal(got, expected, f"ngff read of tensorstore's {case}")
    region = middle_region(SHAPE)
    assert_bit_equal(rawio_read(path, expected.dtype, SHAPE, region, tmp=scratch),
                     expected[region])
    assert rawio_metadata(path) == metadata_document(path)


@pytest.mark.parametrize("case", CASES)
def test_ngff_creates_tensorstore_reads(case, tmp_path, scratch):
    ref, out = tmp_path / "ref.zarr", tmp_path / "out.zarr"
    expected = _ts_write(case, ref)
    rawio_create(out, metadata_document(ref), expected, tmp=scratch)
    assert metadata_document(out) == metadata_document(ref)
    # tensorstore also stores written chunks that equal the fill value; ngff (like zarr-python)
    # skips them, so ngff's keys are a subset
    assert chunk_keys(out) <= chunk_keys(ref)
    got = _ts_open(CASES[case][0], out).read().result()
    assert_bit_equal(got, expected, f"tensorstore read of ngff's {case}")
