"""Bad input gives a clear error: ONE line on stderr, exit 1 for invalid data, 2 for usage,
3 for I/O or a missing node, and nothing is written."""

import json

import numcodecs as nc
import numpy as np
import pytest
import zarr
import zarr.codecs as zc

from cases import V2Case, V3Case, make_tree
from ngff_tools import (EXIT_INVALID, EXIT_IO, EXIT_USAGE, NGFF_BIN, NGFF_RAWIO,
                        assert_bit_equal, chunk_keys, metadata_document, rawio_read, run_error,
                        tree_files)

V2_BASE = V2Case(dtype="uint16", compressor=nc.Zlib(level=1))
V3_BASE = V3Case(dtype="uint16", compressors=(zc.GzipCodec(level=1),))


def written(case, path):
    case.fill_and_write(case.create(path))
    return path


def assert_invalid_everywhere(path, tmp_path, code=EXIT_INVALID, info=True):
    """rawio read, `ngff info` (which reads metadata, not chunks) and `ngff convert` all fail the
    same way; convert writes nothing."""
    line = run_error(NGFF_RAWIO, "read", path, tmp_path / "out.bin", code=code)
    assert not (tmp_path / "out.bin").exists()
    if info:
        run_error(NGFF_BIN, "info", path, "--json", code=code)
    dst = tmp_path / "dst.zarr"
    run_error(NGFF_BIN, "convert", path, dst, "--zarr-format", 3, code=code)
    assert not dst.exists(), f"convert failed but wrote {tree_files(dst)}"
    return line


# -- malformed metadata ------------------------------------------------------------------------

def _v2(**changes):
    return ("v2", changes)


def _v3(**changes):
    return ("v3", changes)


DROP = object()
METADATA_CASES = {
    "v2 shape missing": _v2(shape=DROP),
    "v2 shape negative": _v2(shape=[-7, 9, 5]),
    "v2 shape not a list": _v2(shape="7,9,5"),
    "v2 chunks rank": _v2(chunks=[3, 4]),
    "v2 chunks zero": _v2(chunks=[0, 4, 2]),
    "v2 dtype <u3": _v2(dtype="<u3"),
    "v2 dtype word": _v2(dtype="foo"),
    "v2 dtype v3 name": _v2(dtype="uint16"),
    "v2 dtype string type": _v2(dtype="<U4"),
    "v2 dtype number": _v2(dtype=5),
    "v2 dtype structured": _v2(dtype=[["a", "<u2"]]),
    "v2 order": _v2(order="X"),
    "v2 unknown compressor": _v2(compressor={"id": "snappy"}),
    "v2 compressor not object": _v2(compressor="zlib"),
    "v2 unknown filter": _v2(filters=[{"id": "no-such-filter"}]),
    "v2 zlib level text": _v2(compressor={"id": "zlib", "level": "high"}),
    "v2 blosc cname": _v2(compressor={"id": "blosc", "cname": "snappy2", "clevel": 5,
                                      "shuffle": 1, "blocksize": 0}),
    "v2 zarr_format 3": _v2(zarr_format=3),
    "v2 separator": _v2(dimension_separator="-"),
    "v2 fill text for int": _v2(fill_value="abc"),
    "v2 fill out of range": _v2(fill_value=70000),
    "v3 data_type missing": _v3(data_type=DROP),
    "v3 data_type uint3": _v3(data_type="uint3"),
    "v3 data_type v2 string": _v3(data_type="<u2"),
    "v3 chunk_grid name": _v3(chunk_grid={"name": "rectilinear", "configuration": {
        "chunk_shape": [3, 4, 2]}}),
    "v3 chunk_shape rank": _v3(chunk_grid={"name": "regular", "configuration": {
        "chunk_shape": [3, 4]}}),
    "v3 unknown codec": _v3(codecs=[{"name": "bytes", "configuration": {"endian": "little"}},
                                    {"name": "snappy"}]),
    "v3 no codecs": _v3(codecs=[]),
    "v3 no array-to-bytes codec": _v3(codecs=[{"name": "gzip", "configuration": {"level": 1}}]),
    "v3 two bytes codecs": _v3(codecs=[{"name": "bytes", "configuration": {"endian": "little"}},
                                       {"name": "bytes", "configuration": {"endian": "little"}}]),
    "v3 gzip level text": _v3(codecs=[{"name": "bytes", "configuration": {"endian": "little"}},
                                      {"name": "gzip", "configuration": {"level": "x"}}]),
    "v3 bytes endian": _v3(codecs=[{"name": "bytes", "configuration": {"endian": "middle"}}]),
    "v3 transpose not a permutation": _v3(codecs=[
        {"name": "transpose", "configuration": {"order": [0, 0, 1]}},
        {"name": "bytes", "configuration": {"endian": "little"}}]),
    "v3 transpose rank": _v3(codecs=[
        {"name": "transpose", "configuration": {"order": [1, 0]}},
        {"name": "bytes", "configuration": {"endian": "little"}}]),
    "v3 codec after bytes is array-to-array": _v3(codecs=[
        {"name": "bytes", "configuration": {"endian": "little"}},
        {"name": "transpose", "configuration": {"order": [2, 1, 0]}}]),
    "v3 blosc shuffle": _v3(codecs=[
        {"name": "bytes", "configuration": {"endian": "little"}},
        {"name": "blosc", "configuration": {"cname": "lz4", "clevel": 5, "shuffle": "sometimes",
                                            "typesize": 2, "blocksize": 0}}]),
    "v3 chunk key encoding name": _v3(chunk_key_encoding={"name": "v3"}),
    "v3 chunk key separator": _v3(chunk_key_encoding={"name": "default",
                                                      "configuration": {"separator": "-"}}),
    "v3 unknown key": _v3(surprise={"x": 1}),
    "v3 zarr_format 2": _v3(zarr_format=2),
    "v3 node_type": _v3(node_type="banana"),
    "v3 fill NaN for int": _v3(fill_value="NaN"),
    "v3 fill list for int": _v3(fill_value=[1, 2]),
    "v3 storage transformer": _v3(storage_transformers=[{"name": "magic"}]),
}


@pytest.mark.parametrize("name", list(METADATA_CASES))
def test_malformed_metadata(name, tmp_path):
    version, changes = METADATA_CASES[name]
    path = written(V2_BASE if version == "v2" else V3_BASE, tmp_path / "a.zarr")
    doc = metadata_document(path)
    for k, v in changes.items():
        if v is DROP:
            del doc[k]
        else:
            doc[k] = v
    (path / (".zarray" if version == "v2" else "zarr.json")).write_text(json.dumps(doc))
    assert_invalid_everywhere(path, tmp_path)


@pytest.mark.parametrize("text", ["{", "", "[1, 2]", "null", '{"zarr_format": 2,}', "\x00\x01"])
@pytest.mark.parametrize("version", ["v2", "v3"])
def test_metadata_that_is_not_a_json_object(version, text, tmp_path):
    path = written(V2_BASE if version == "v2" else V3_BASE, tmp_path / "a.zarr")
    (path / (".zarray" if version == "v2" else "zarr.json")).write_text(text)
    assert_invalid_everywhere(path, tmp_path)


def test_rawio_create_rejects_bad_metadata_and_writes_nothing(tmp_path, scratch):
    meta = scratch / "m.json"
    meta.write_text(json.dumps({"zarr_format": 3, "node_type": "array", "shape": [4],
                                "data_type": "uint3", "chunk_grid": {"name": "regular",
                                "configuration": {"chunk_shape": [2]}},
                                "chunk_key_encoding": {"name": "default"}, "fill_value": 0,
                                "codecs": [{"name": "bytes"}]}))
    (scratch / "in.bin").write_bytes(bytes(8))
    out = tmp_path / "out.zarr"
    run_error(NGFF_RAWIO, "create", out, meta, scratch / "in.bin", code=EXIT_INVALID)
    assert not out.exists() or tree_files(out) == []


# -- corrupt chunks ----------------------------------------------------------------------------

CORRUPT_CODECS = {
    "v2-raw": V2Case(dtype="uint16"),
    "v2-zlib": V2Case(dtype="uint16", compressor=nc.Zlib(level=1)),
    "v2-gzip": V2Case(dtype="uint16", compressor=nc.GZip(level=1)),
    "v2-zstd": V2Case(dtype="uint16", compressor=nc.Zstd(level=1)),
    "v2-blosc": V2Case(dtype="uint16", compressor=nc.Blosc("lz4", 5, nc.Blosc.SHUFFLE)),
    "v2-lz4": V2Case(dtype="uint16", compressor=nc.LZ4()),
    "v2-crc32c": V2Case(dtype="uint16", compressor=nc.CRC32C()),
    "v3-raw": V3Case(dtype="uint16"),
    "v3-gzip": V3Case(dtype="uint16", compressors=(zc.GzipCodec(level=1),)),
    "v3-zstd": V3Case(dtype="uint16", compressors=(zc.ZstdCodec(level=1),)),
    "v3-blosc": V3Case(dtype="uint16", compressors=(zc.BloscCodec(cname="zstd", shuffle="shuffle"),)),
    "v3-crc32c": V3Case(dtype="uint16", compressors=(zc.Crc32cCodec(),)),
    "v3-transpose-crc32c": V3Case(dtype="uint16", transpose=(1, 2, 0),
                                  compressors=(zc.Crc32cCodec(),)),
}
CHECKSUMMED = {"v2-crc32c", "v3-crc32c", "v3-transpose-crc32c"}


def _corruptions(codec):
    yield "truncated", lambda b: b[: len(b) // 2]
    yield "empty", lambda b: b""
    yield "garbage", lambda b: b"\x00garbage-not-a-chunk" * 3
    yield "one extra byte", lambda b: b + b"\x00"
    if codec in CHECKSUMMED:
        yield "flipped bit", lambda b: bytes([b[0] ^ 1]) + b[1:]


def _first_chunk(path):
    keys = sorted(chunk_keys(path))
    return path / keys[0]


@pytest.mark.parametrize("codec,how", [(c, h) for c in CORRUPT_CODECS for h, _ in _corruptions(c)
                                       # a raw chunk that is one byte too long or a gzip/zlib
                                       # stream with trailing bytes may be tolerated by design
                                       if not (h == "one extra byte" and c not in CHECKSUMMED
                                               and not c.endswith("raw"))])
def test_corrupt_chunk(codec, how, tmp_path, scratch):
    case = CORRUPT_CODECS[codec]
    path = written(case, tmp_path / "a.zarr")
    chunk = _first_chunk(path)
    damage = dict(_corruptions(codec))[how]
    chunk.write_bytes(damage(chunk.read_bytes()))
    damaged = chunk.read_bytes()
    # a region that avoids the damaged chunk still reads
    far = (slice(6, 7), slice(8, 9), slice(4, 5))
    assert_bit_equal(rawio_read(path, np.uint16, case.shape, far, tmp=scratch), case.data()[far])
    # a write that must read the damaged chunk fails and leaves it alone
    run_error(NGFF_RAWIO, "write", path, _zeros(scratch, 1), "--region", "0:1,0:1,0:1",
              code=EXIT_INVALID)
    assert chunk.read_bytes() == damaged
    assert_invalid_everywhere(path, tmp_path, info=False)


def _zeros(scratch, n):
    p = scratch / "zeros.bin"
    p.write_bytes(bytes(2 * n))
    return p


@pytest.mark.parametrize("compressor", [nc.Zlib(level=1), nc.GZip(level=1), nc.Zstd(level=1),
                                        nc.LZ4(), nc.Blosc("lz4", 5, nc.Blosc.SHUFFLE)],
                         ids=lambda c: c.codec_id)
@pytest.mark.parametrize("size", [0, 3, 10000])
def test_valid_stream_of_the_wrong_size(compressor, size, tmp_path):
    """A chunk that decodes fine but to the wrong number of bytes is an error, not a crash."""
    path = written(V2Case(dtype="uint16", compressor=compressor), tmp_path / "a.zarr")
    _first_chunk(path).write_bytes(compressor.encode(bytes(range(256)) * (size // 256) +
                                                     bytes(size % 256)))
    assert_invalid_everywhere(path, tmp_path, info=False)


# -- keys that leave the store -----------------------------------------------------------------

@pytest.mark.parametrize("key", ["../evil/.zarray", "sub/../../evil/.zarray", "/abs/.zarray",
                                 "sub//x/.zarray"])
def test_consolidated_metadata_with_escaping_key(key, tmp_path):
    root = tmp_path / "tree.zarr"
    make_tree(root, 2)
    zarr.consolidate_metadata(str(root))
    zmeta = json.loads((root / ".zmetadata").read_text())
    zmeta["metadata"][key] = zmeta["metadata"]["top/.zarray"]
    (root / ".zmetadata").write_text(json.dumps(zmeta))
    run_error(NGFF_BIN, "info", root, "--json", code=EXIT_INVALID)
    dst = tmp_path / "dst.zarr"
    run_error(NGFF_BIN, "convert", root, dst, code=EXIT_INVALID)
    assert not dst.exists(), f"convert failed but wrote {tree_files(dst)}"


# -- usage and missing nodes -------------------------------------------------------------------

@pytest.mark.parametrize("args", [[], ["info"], ["frobnicate", "x"], ["convert", "only-src"],
                                  ["info", "--no-such-flag", "x"], ["convert", "a", "b", "--zarr-format", "x"]],
                         ids=lambda a: " ".join(a) or "nothing")
def test_cli_usage_errors(args):
    run_error(NGFF_BIN, *args, code=EXIT_USAGE)


def test_unsupported_url_scheme():
    run_error(NGFF_BIN, "info", "gopher://example.org/a.zarr", code=EXIT_USAGE)


@pytest.mark.parametrize("region", ["0:8,0:9,0:5", "0:7,0:9", "3:2,0:9,0:5", "a:b,0:9,0:5",
                                    "0:7,0:9,0:5,0:1"])
def test_rawio_bad_regions(region, tmp_path, scratch):
    path = written(V3_BASE, tmp_path / "a.zarr")
    run_error(NGFF_RAWIO, "read", path, scratch / "o.bin", "--region", region, code=EXIT_USAGE)
    run_error(NGFF_RAWIO, "write", path, _zeros(scratch, 1), "--region", region, code=EXIT_USAGE)


def test_rawio_write_of_the_wrong_size_changes_nothing(tmp_path, scratch):
    path = written(V3_BASE, tmp_path / "a.zarr")
    before = {k: (path / k).read_bytes() for k in chunk_keys(path)}
    run_error(NGFF_RAWIO, "write", path, _zeros(scratch, 7 * 9 * 5 - 1), code=EXIT_USAGE)
    assert {k: (path / k).read_bytes() for k in chunk_keys(path)} == before
    assert np.array_equal(zarr.open_array(str(path))[...], V3_BASE.data())


def test_missing_nodes(tmp_path, scratch):
    missing = tmp_path / "nope.zarr"
    run_error(NGFF_RAWIO, "read", missing, scratch / "o.bin", code=EXIT_IO)
    run_error(NGFF_RAWIO, "metadata", missing, code=EXIT_IO)
    run_error(NGFF_BIN, "info", missing, code=EXIT_IO)
    run_error(NGFF_BIN, "convert", missing, tmp_path / "dst.zarr", code=EXIT_IO)
    assert not (tmp_path / "dst.zarr").exists()
    empty = tmp_path / "empty.zarr"
    empty.mkdir()
    run_error(NGFF_RAWIO, "read", empty, scratch / "o.bin", code=EXIT_IO)
    run_error(NGFF_BIN, "convert", empty, tmp_path / "dst.zarr", code=EXIT_IO)
    assert not (tmp_path / "dst.zarr").exists()
    # a group is not an array
    group = tmp_path / "g.zarr"
    zarr.open_group(str(group), mode="w")
    run_error(NGFF_RAWIO, "read", group, scratch / "o.bin", code=(EXIT_INVALID, EXIT_IO))
