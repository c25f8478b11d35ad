"""`ngff info URL [--json]` on arrays and group trees written by zarr-python."""

import numcodecs as nc
import numpy as np
import pytest
import zarr
import zarr.codecs as zc

from cases import NULL, V2Case, V3Case, make_tree
from ngff_tools import (EXIT_IO, NGFF_BIN, chunk_keys, metadata_document, ngff_info, np_dtype,
                        run_error, run_ok)

ARRAYS = [
    V3Case(dtype="uint16", endian="big", transpose=(1, 2, 0),
           compressors=(zc.BloscCodec(cname="zstd", clevel=3, shuffle="bitshuffle"),
                        zc.Crc32cCodec()), dimension_names=("z", "y", "x")),
    V3Case(dtype="float32", fill=float("nan"), partial=True, key_encoding=("v2", "."),
           compressors=(zc.GzipCodec(level=6),)),
    V3Case(dtype="bool", shape=(), chunks=()),
    V3Case(dtype="complex128", shape=(0, 4), chunks=(3, 3)),
    V2Case(dtype="uint16", endian=">", order="F", compressor=nc.GZip(level=4), separator="/"),
    V2Case(dtype="float64", fill=NULL, partial=True, compressor=nc.Zstd(level=2)),
    V2Case(dtype="int8", compressor=nc.Blosc("lz4", 5, nc.Blosc.SHUFFLE), filters=(nc.CRC32C(),)),
    V2Case(dtype="int32", fill=-1, partial=True, compressor=None),
]


def _chunk_bytes(path):
    return sum((path / k).stat().st_size for k in chunk_keys(path))


def _check_array_summary(info, case, path):
    doc = metadata_document(path)
    v2 = doc["zarr_format"] == 2
    assert info["node_type"] == "array"
    assert info["zarr_format"] == doc["zarr_format"]
    assert info["shape"] == list(case.shape)
    assert info["chunks"] == list(case.chunks)
    assert info["data_type"] == case.dtype
    if np_dtype(case.dtype).itemsize == 1:
        assert info["endian"] is None
    else:
        big = (case.endian == ">") if v2 else (case.endian == "big")
        assert info["endian"] == ("big" if big else "little")
    assert info["fill_value"] == doc["fill_value"]
    names = [c["name"] for c in info["codecs"]]
    if v2:
        expected = (["transpose"] if case.order == "F" and len(case.shape) > 1 else []) + ["bytes"]
        for c in [*(case.filters or ()), case.compressor]:
            if c is not None:
                expected.append({"gzip": "gzip", "zstd": "zstd", "blosc": "blosc",
                                 "crc32c": "crc32c"}[c.codec_id])
        assert names == expected
        for c in info["codecs"]:
            if c["name"] in ("gzip", "zstd"):
                assert c["configuration"]["level"] == case.compressor.level
            if c["name"] == "blosc":  # v3 blosc names the type size explicitly
                assert c["configuration"]["typesize"] == np_dtype(case.dtype).itemsize
    else:
        assert info["codecs"] == doc["codecs"]
    stored = _chunk_bytes(path)
    assert info["bytes_stored"] == stored
    n = len(chunk_keys(path))
    if n == 0:
        assert info["compression_ratio"] is None
    else:
        decoded = n * int(np.prod(case.chunks, dtype=np.int64)) * np_dtype(case.dtype).itemsize
        assert info["compression_ratio"] == pytest.approx(decoded / stored, rel=1e-6)


@pytest.mark.parametrize("case", ARRAYS, ids=lambda c: c.id)
def test_info_json_of_array(case, tmp_path):
    path = tmp_path / "a.zarr"
    case.fill_and_write(case.create(path, attributes={"k": [1, 2]}))
    info = ngff_info(path)
    _check_array_summary(info, case, path)
    assert info["attributes"] == {"k": [1, 2]}


@pytest.mark.parametrize("case", ARRAYS[:1] + ARRAYS[4:5], ids=lambda c: c.id)
def test_info_text(case, tmp_path):
    path = tmp_path / "a.zarr"
    case.fill_and_write(case.create(path))
    out = run_ok(NGFF_BIN, "info", path).stdout
    assert case.dtype in out
    for n in case.shape:
        assert str(n) in out


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_info_json_of_group_tree(zarr_format, tmp_path):
    root = tmp_path / "tree.zarr"
    make_tree(root, zarr_format)
    info = ngff_info(root)
    assert info["node_type"] == "group"
    assert info["zarr_format"] == zarr_format
    assert info["attributes"] == {"root": True, "n": 1}
    children = {c["name"]: c for c in info["children"]}
    assert set(children) == {"top", "sub", "nothing"}
    assert children["top"]["node_type"] == "array"
    assert children["top"]["shape"] == [10] and children["top"]["data_type"] == "int16"
    assert children["nothing"]["node_type"] == "group" and children["nothing"]["children"] == []
    sub = children["sub"]
    assert sub["node_type"] == "group" and sub["attributes"] == {"level": 1}
    sub_children = {c["name"]: c for c in sub["children"]}
    assert set(sub_children) == {"deeper", "empty"}
    assert sub_children["empty"]["bytes_stored"] == 0
    assert sub_children["empty"]["compression_ratio"] is None
    deeper = sub_children["deeper"]
    assert deeper["attributes"] == {"level": 2}
    (img,) = deeper["children"]
    assert img["name"] == "img" and img["node_type"] == "array"
    assert img["zarr_format"] == zarr_format
    assert img["shape"] == [6, 7] and img["chunks"] == [4, 4]
    assert img["attributes"] == {"unit": "µm"}
    assert img["bytes_stored"] == _chunk_bytes(root / "sub" / "deeper" / "img")
    # text form of the same tree
    text = run_ok(NGFF_BIN, "info", root).stdout
    for name in ("top", "sub", "deeper", "img", "empty", "nothing"):
        assert name in text


def test_info_of_consolidated_v2_group(tmp_path):
    root = tmp_path / "tree.zarr"
    make_tree(root, 2)
    zarr.consolidate_metadata(str(root))
    info = ngff_info(root)
    assert {c["name"] for c in info["children"]} == {"top", "sub", "nothing"}


def test_info_of_missing_path(tmp_path):
    run_error(NGFF_BIN, "info", tmp_path / "nope.zarr", "--json", code=EXIT_IO)


def test_info_of_directory_without_zarr_metadata(tmp_path):
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "file.txt").write_text("hello")
    run_error(NGFF_BIN, "info", tmp_path / "plain", code=EXIT_IO)
