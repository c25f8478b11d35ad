"""zarrita (the JavaScript Zarr library, tests/js/package-lock.json pins 0.7.5) both ways, run
under node by the scripts in tests/js: read.mjs reads one node (attributes, metadata, the whole
array and regions as raw little-endian bytes); write.mjs creates arrays and groups with
zarr.create + zarr.set.

ngff writes, zarrita reads (equal voxels, equal metadata): Zarr v3 and v2 arrays made by
ngff_rawio from metadata documents (bool, int8 to uint64, float32, float64; both byte orders;
C and F order; the v3 transpose codec; fill values including NaN and -Infinity; missing chunks
and shards; "/" and "." separators and the v2 key encoding in v3; raw, gzip, zlib, zstd, blosc,
lz4, crc32c; sharding with the index at the end); OME-Zarr 0.5 and 0.4 images written by
`ngff create` and `ngff convert` (codecs, chunks, shards): every group's attributes (the `ome`
key of zarr.json, .zattrs) and every level of the image and of its labels.

zarrita writes, ngff reads (equal voxels, `ngff info`, `ngff validate`): v3 arrays of several
types with chunks that do not divide the shape, partial and overlapping writes (missing chunks
read as the fill value), raw, zstd, blosc, lz4 and transpose, big-endian bytes, "." separators,
dimension names and attributes; v2 arrays whose chunks zarrita writes; an OME-Zarr 0.5 image.

What zarrita 0.7.5 lacks, hence not covered (read in tests/js/node_modules/zarrita/src):
  * reading: the shard index at the start (codecs/sharding.ts always reads the index from the
    end of the shard; test_sharding_index_at_start_is_misread_by_zarrita pins that), nested
    sharding (no "sharding_indexed" codec in the registry), "numcodecs.crc32c" and v2 crc32c
    filters (only the v3 "crc32c" codec, whose checksum it strips without checking), float16
    (needs globalThis.Float16Array, which node 20 has not), complex types;
  * writing: gzip, zlib and crc32c (encode throws UnsupportedError), sharded arrays (zarr.set
    throws "set on sharded arrays"), v2 metadata (zarr.create writes zarr.json only; write.mjs
    writes .zarray itself and zarrita writes the chunks), a BigInt fill value (zarr.create
    cannot serialise it: 64-bit fill values go in as numbers, so only up to 2**53);
  * zarr.create without `codecs` and `fillValue` writes "codecs": [] and "fill_value": null,
    which Zarr v3 does not allow: ngff refuses it, as zarr-python does
    (test_zarrita_default_metadata_is_refused).
"""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import zarr

from ngff_tools import (EXIT_INVALID, NGFF_BIN, assert_bit_equal, attributes_document,
                        chunk_keys, describe, make_data, metadata_document, middle_region,
                        ngff_convert, ngff_info, np_dtype, rawio_create, rawio_metadata,
                        rawio_read, region_spelling, run, run_error, run_ok)

JS = Path(__file__).resolve().parent.parent / "js"
NODE = shutil.which("node")


@pytest.fixture(scope="module", autouse=True)
def zarrita():
    """node and tests/js/node_modules must be there: missing ones are a failure, never a skip."""
    assert NODE, "node is not on PATH: run `make test` or scripts/setup.sh (installs nodejs)"
    installed = JS / "node_modules" / "zarrita" / "package.json"
    assert installed.exists(), (
        f"{JS / 'node_modules'} lacks zarrita: run `make test` or scripts/setup.sh, which install "
        "tests/js/package-lock.json with npm ci")
    pinned = json.loads((JS / "package.json").read_text())["dependencies"]["zarrita"]
    version = json.loads(installed.read_text())["version"]
    assert version == pinned, (f"tests/js/node_modules holds zarrita {version}, not {pinned}: "
                               "run scripts/setup.sh")
    return version


_serial = itertools.count()


def zarrita_read_many(nodes, tmp: Path) -> list[dict]:
    """What zarrita reads at each (node, regions) of `nodes`, in one run of node: kind, attrs
    and, for an array, shape, dtype, chunks, fill_value, dimension_names and "reads" (the whole
    array, then each region), each read's "data" a numpy array."""
    out = tmp / f"zarrita-{next(_serial)}.json"
    args = []
    for node, regions in nodes:
        args.append(node)
        for region in regions:
            args += ["--region", region_spelling(region)]
    r = run(NODE, JS / "read.mjs", out, *args)
    assert r.returncode == 0, "zarrita could not read: " + describe(r)
    results = json.loads(out.read_text())
    for result in results:
        for read in result.get("reads", []):
            read["data"] = np.fromfile(read["file"], dtype=np_dtype(result["dtype"], "<")
                                       ).reshape(read["shape"])
    return results


def zarrita_read(node: Path, tmp: Path, regions=()) -> dict:
    return zarrita_read_many([(node, regions)], tmp)[0]


def zarrita_write(root: Path, nodes: list[dict], tmp: Path) -> None:
    """Runs write.mjs on `nodes` (its SPEC.json), each write given as (region or None, array)."""
    spec = []
    for node in nodes:
        node = dict(node)
        writes = []
        for region, data in node.pop("writes", []):
            file = tmp / f"zarrita-in-{next(_serial)}.bin"
            data = np.ascontiguousarray(data)
            file.write_bytes(data.astype(data.dtype.newbyteorder("<")).tobytes())
            writes.append({"region": None if region is None else [[s.start, s.stop]
                                                                  for s in region],
                           "data": str(file)})
        spec.append({**node, "writes": writes} if writes else node)
    (tmp / "spec.json").write_text(json.dumps({"nodes": spec}))
    r = run(NODE, JS / "write.mjs", root, tmp / "spec.json")
    assert r.returncode == 0, "zarrita could not write: " + describe(r)


def fill_scalar(fill):
    """A JSON fill value as a Python scalar (NaN and infinities are strings in Zarr)."""
    return float(fill) if isinstance(fill, str) else (0 if fill is None else fill)


# ---------------------------------------------------------------------------------------------
# ngff writes (ngff_rawio create from a metadata document), zarrita reads

SHAPE, CHUNKS = [23, 30, 17], [8, 16, 5]
BYTES_LE = {"name": "bytes", "configuration": {"endian": "little"}}
BYTES_BE = {"name": "bytes", "configuration": {"endian": "big"}}
GZIP = {"name": "gzip", "configuration": {"level": 1}}
ZSTD = {"name": "zstd", "configuration": {"level": 3, "checksum": False}}
LZ4 = {"name": "numcodecs.lz4", "configuration": {"acceleration": 1}}
ZLIB = {"name": "numcodecs.zlib", "configuration": {"level": 1}}
CRC = {"name": "crc32c"}


def blosc(cname, typesize, shuffle="shuffle"):
    return {"name": "blosc", "configuration": {"cname": cname, "clevel": 5, "shuffle": shuffle,
                                               "typesize": typesize, "blocksize": 0}}


def v3(dtype, codecs, fill=0, separator="/", key_encoding="default", shape=SHAPE, chunks=CHUNKS,
       **extra):
    return {"zarr_format": 3, "node_type": "array", "shape": shape, "data_type": dtype,
            "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": chunks}},
            "chunk_key_encoding": {"name": key_encoding,
                                   "configuration": {"separator": separator}},
            "fill_value": fill, "codecs": codecs, "attributes": {}, **extra}


def v2(dtype, compressor, fill=0, order="C", separator=".", shape=SHAPE, chunks=CHUNKS):
    return {"zarr_format": 2, "shape": shape, "chunks": chunks, "dtype": dtype,
            "compressor": compressor, "fill_value": fill, "order": order, "filters": None,
            "dimension_separator": separator}


def sharded(dtype, codecs, index_codecs, location, fill=7):
    return v3(dtype, [{"name": "sharding_indexed",
                       "configuration": {"chunk_shape": [8, 4, 5], "codecs": codecs,
                                         "index_codecs": index_codecs,
                                         "index_location": location}}],
              fill, shape=[37, 45, 20], chunks=[16, 16, 10])


ATTRIBUTES = {"title": "zarrita interop", "nested": {"list": [1, 2.5, None, "x"], "unit": "µm"}}

NGFF_WRITES = {
    # Zarr v3
    "v3-uint8-raw": v3("uint8", [{"name": "bytes"}], fill=0),
    "v3-int8-gzip": v3("int8", [BYTES_LE, GZIP], fill=-128),
    "v3-uint16-gzip-names": v3("uint16", [BYTES_LE, GZIP], fill=7,
                               dimension_names=["z", "y", "x"]),
    "v3-int16-bigendian-zlib-dot": v3("int16", [BYTES_BE, ZLIB], fill=-3, separator="."),
    "v3-int32-bigendian-zstd": v3("int32", [BYTES_BE, ZSTD], fill=-5),
    "v3-uint32-lz4-v2keys": v3("uint32", [BYTES_LE, LZ4], fill=1, key_encoding="v2",
                               separator="."),
    "v3-int64-zstd-crc32c": v3("int64", [BYTES_LE, ZSTD, CRC], fill=-(2**40)),
    "v3-uint64-bigendian-blosc": v3("uint64", [BYTES_BE, blosc("zstd", 8)], fill=2**53),
    "v3-float32-blosc-nan": v3("float32", [BYTES_LE, blosc("lz4", 4)], fill="NaN"),
    "v3-float32-bigendian-bitshuffle": v3("float32", [BYTES_BE, blosc("lz4", 4, "bitshuffle")],
                                          fill=-2.5),
    "v3-float64-bigendian-zstd-crc32c": v3("float64", [BYTES_BE, ZSTD, CRC], fill="-Infinity"),
    "v3-bool-zstd": v3("bool", [{"name": "bytes"}, ZSTD], fill=False),
    "v3-uint16-transpose": v3("uint16", [{"name": "transpose", "configuration":
                                          {"order": [2, 0, 1]}}, BYTES_LE, GZIP], fill=3),
    "v3-float64-1d": v3("float64", [BYTES_LE, ZSTD], fill=0.5, shape=[101], chunks=[16]),
    "v3-int32-0d": v3("int32", [BYTES_LE], fill=0, shape=[], chunks=[]),
    # Sharding: inner chunks with their own codecs, an index with and without crc32c, a missing
    # shard, an empty index entry, partial edge shards.
    "v3-sharded-end-crc32c-zstd": sharded("uint16", [BYTES_LE, ZSTD], [BYTES_LE, CRC], "end"),
    "v3-sharded-end-plain-gzip": sharded("float32", [BYTES_LE, GZIP], [BYTES_LE], "end",
                                         fill="NaN"),
    "v3-sharded-end-bigendian-blosc": sharded("int16", [BYTES_BE, blosc("lz4", 2)],
                                              [BYTES_BE, CRC], "end", fill=-1),
    # Zarr v2
    "v2-uint16-zlib": v2("<u2", {"id": "zlib", "level": 1}, fill=0),
    "v2-int32-bigendian-blosc-slash": v2(">i4", {"id": "blosc", "cname": "zstd", "clevel": 3,
                                                 "shuffle": 2, "blocksize": 0},
                                         fill=-1, separator="/"),
    "v2-float64-F-gzip-nan": v2("<f8", {"id": "gzip", "level": 1}, fill="NaN", order="F"),
    "v2-float32-bigendian-zstd-inf": v2(">f4", {"id": "zstd", "level": 3}, fill="Infinity"),
    "v2-uint16-bigendian-F-lz4": v2(">u2", {"id": "lz4", "acceleration": 1}, fill=9, order="F",
                                    separator="/"),
    "v2-uint8-raw-null": v2("|u1", None, fill=None),
    "v2-bool-blosc": v2("|b1", {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1,
                                "blocksize": 0}, fill=False),
    "v2-uint64-zstd": v2("<u8", {"id": "zstd", "level": 1}, fill=0),
}

V2_NAMES = {"u1": "uint8", "u2": "uint16", "i4": "int32", "u8": "uint64", "f4": "float32",
            "f8": "float64", "b1": "bool"}


def dtype_name(doc) -> str:
    return doc["data_type"] if doc["zarr_format"] == 3 else V2_NAMES[doc["dtype"][1:]]


def grid(doc):
    """(chunk shape as zarrita reports it, the shard shape or None)."""
    if doc["zarr_format"] == 2:
        return doc["chunks"], None
    outer = doc["chunk_grid"]["configuration"]["chunk_shape"]
    shard = [c for c in doc["codecs"] if c["name"] == "sharding_indexed"]
    return (shard[0]["configuration"]["chunk_shape"], outer) if shard else (outer, None)


def chunk_key(doc, coords) -> str:
    if doc["zarr_format"] == 2:
        return doc["dimension_separator"].join(map(str, coords))
    enc = doc["chunk_key_encoding"]
    sep = enc["configuration"]["separator"]
    return sep.join(map(str, coords)) if enc["name"] == "v2" else sep.join(["c", *map(str, coords)])


def holes(doc):
    """The regions set to the fill value, with the keys that must then be missing: the first
    chunk and the last (edge) chunk; in a sharded array one inner chunk (an empty index entry)
    and one whole shard."""
    shape = doc["shape"]
    inner, shard = grid(doc)
    if not shape:
        return []
    first = tuple(slice(0, min(c, n)) for c, n in zip(inner, shape))
    if shard:
        coords = [1 for _ in shard]
        whole = tuple(slice(c * s, min((c + 1) * s, n)) for c, s, n in zip(coords, shard, shape))
        return [(first, None), (whole, chunk_key(doc, coords))]
    last_coords = [(n - 1) // c for c, n in zip(inner, shape)]
    last = tuple(slice(k * c, n) for k, c, n in zip(last_coords, inner, shape))
    return [(first, chunk_key(doc, [0] * len(shape))), (last, chunk_key(doc, last_coords))]


def regions(shape):
    """A region cutting through chunks and one at the far (edge) corner."""
    return [middle_region(shape), tuple(slice(max(0, n - 3), n) for n in shape)] if shape else []


@pytest.mark.parametrize("case", NGFF_WRITES)
def test_ngff_writes_zarrita_reads(case, tmp_path, scratch):
    doc = NGFF_WRITES[case]
    name = dtype_name(doc)
    data = make_data(name, doc["shape"], seed=len(case))
    for region, _ in holes(doc):
        data[region] = fill_scalar(doc["fill_value"])
    v2_attrs = None
    if doc["zarr_format"] == 3:
        doc = {**doc, "attributes": ATTRIBUTES}
    else:
        v2_attrs = {**ATTRIBUTES, "_ARRAY_DIMENSIONS": ["z", "y", "x"]}
    path = tmp_path / "a.zarr"
    rawio_create(path, doc, data, tmp=scratch, attributes=v2_attrs)
    stored = chunk_keys(path)
    for _, key in holes(doc):
        assert key is None or key not in stored, f"ngff stored {key}, all fill value"

    z = zarrita_read(path, scratch, regions(doc["shape"]))
    whole, *parts = z["reads"]
    assert_bit_equal(whole["data"], data, f"zarrita read of ngff's {case}")
    for read, region in zip(parts, regions(doc["shape"])):
        assert_bit_equal(read["data"], data[region], f"zarrita read of {case} {region}")

    inner, _ = grid(doc)
    assert z["kind"] == "array"
    assert (z["shape"], z["dtype"], z["chunks"]) == (doc["shape"], name, inner)
    assert z["fill_value"] == doc["fill_value"]
    if doc["zarr_format"] == 3:
        assert z["attrs"] == ATTRIBUTES
        assert z["dimension_names"] == doc.get("dimension_names")
    else:
        assert z["attrs"] == v2_attrs == attributes_document(path)
        assert z["dimension_names"] == ["z", "y", "x"]
    info = ngff_info(path)
    assert (info["shape"], info["chunks"]) == (z["shape"], z["chunks"])
    assert info["fill_value"] == z["fill_value"]


def test_sharding_index_at_start_is_misread_by_zarrita(tmp_path, scratch):
    """zarrita 0.7.5 reads every shard index as a suffix of the shard (codecs/sharding.ts
    ignores index_location), so a shard with its index at the start, which ngff writes as the
    spec says and zarr-python and tensorstore read (test_sharding_interop.py), fails or reads
    wrong voxels in zarrita. When zarrita learns index_location, this test fails: then move the
    case into NGFF_WRITES."""
    doc = sharded("uint16", [BYTES_LE, ZSTD], [BYTES_LE, CRC], "start")
    data = make_data("uint16", doc["shape"], seed=5)
    path = tmp_path / "a.zarr"
    rawio_create(path, doc, data, tmp=scratch)
    assert_bit_equal(zarr.open_array(str(path), mode="r")[...], data, "zarr-python read")
    out = scratch / "start.json"
    r = run(NODE, JS / "read.mjs", out, path)
    if r.returncode == 0:
        got = np.fromfile(f"{out}.0.0.bin", dtype="<u2")
        assert got.size != data.size or not np.array_equal(got.reshape(data.shape), data), (
            "zarrita now reads index_location 'start': move this case into NGFF_WRITES")
    else:
        assert "read.mjs:" in r.stderr, describe(r)


# ---------------------------------------------------------------------------------------------
# OME-Zarr images written by the ngff CLI, read by zarrita

IMAGE = ["--sample", "volume", "--shape", "2,24,70,90", "--quiet"]

OME_WRITES = {
    # `ngff create`: OME 0.5 (Zarr v3), the default codec (blosc lz4) and others, shards
    "create-0.5-blosc": (["create", *IMAGE, "--levels", 3, "--chunks", "1,8,32,32"], None),
    "create-0.5-zstd-shards": (["create", *IMAGE, "--levels", 2, "--chunks", "1,8,16,32",
                                "--shards", "1,16,64,64", "--codec", "zstd:3"], None),
    "create-0.5-float32-gzip": (["create", *IMAGE, "--levels", 2, "--dtype", "float32",
                                 "--codec", "gzip:1"], None),
    "create-0.4-uint8-blosc-zstd": (["create", *IMAGE, "--levels", 2, "--dtype", "uint8",
                                     "--ome-version", "0.4", "--codec", "blosc:zstd:5"], None),
    # `ngff convert` of a 0.5 image: other chunks and codecs, sharding, to Zarr v2 (OME 0.4)
    "convert-0.5-zstd-crc32c": (None, ["--codec", "zstd:1+crc32c", "--chunks", "1,5,20,30"]),
    "convert-0.5-shards-zstd": (None, ["--codec", "zstd:3", "--chunks", "1,4,16,16",
                                       "--shards", "1,8,32,48"]),
    "convert-0.4-gzip": (None, ["--zarr-format", 2, "--codec", "gzip:1"]),
    "convert-0.4-zstd-chunks": (None, ["--zarr-format", 2, "--codec", "zstd:3",
                                       "--chunks", "1,7,33,20"]),
}


def attributes_on_disk(path: Path) -> dict:
    if (path / "zarr.json").exists():
        return json.loads((path / "zarr.json").read_text())["attributes"]
    return attributes_document(path) or {}


def image_nodes(path: Path) -> list[tuple[Path, dict]]:
    """The groups and arrays of the OME image at `path` (its labels included), with the
    multiscales entry that lists each array (None for a group)."""
    attrs = attributes_on_disk(path)
    ome = attrs.get("ome", attrs)     # 0.5 nests under "ome"; 0.4 has the keys at the top
    multiscale = ome["multiscales"][0]
    nodes = [(path, None)] + [(path / d["path"], multiscale) for d in multiscale["datasets"]]
    if (path / "labels").exists():
        nodes.append((path / "labels", None))
        labels = attributes_on_disk(path / "labels")
        for name in labels.get("ome", labels)["labels"]:
            nodes += image_nodes(path / "labels" / name)
    return nodes


def check_image(path: Path, scratch: Path) -> int:
    """zarrita reads every group's attributes of the image (its labels included) as on disk and
    every level as zarr-python does, with the same shape, chunks, type, fill value and dimension
    names. Returns the number of arrays compared."""
    nodes = image_nodes(path)
    refs = {p: zarr.open_array(str(p), mode="r") for p, m in nodes if m is not None}
    results = zarrita_read_many(
        [(p, [middle_region(refs[p].shape)] if p in refs else []) for p, _ in nodes], scratch)
    for (node, multiscale), z in zip(nodes, results):
        if multiscale is None:
            assert z["kind"] == "group"
            assert z["attrs"] == attributes_on_disk(node), f"zarrita's attributes of {node}"
            continue
        ref = refs[node]
        expected = ref[...]
        assert_bit_equal(z["reads"][0]["data"], expected, f"zarrita read of {node}")
        assert_bit_equal(z["reads"][1]["data"], expected[middle_region(ref.shape)],
                         f"zarrita read of a region of {node}")
        doc = metadata_document(node)
        assert (z["shape"], z["chunks"]) == (list(ref.shape), list(ref.chunks))
        assert z["dtype"] == np.dtype(ref.dtype).name and z["fill_value"] == doc["fill_value"]
        names = doc.get("dimension_names") or (attributes_document(node) or {}).get(
            "_ARRAY_DIMENSIONS")
        assert z["dimension_names"] == names
        if doc["zarr_format"] == 3:   # ngff's v2 levels have no _ARRAY_DIMENSIONS (not in 0.4)
            assert names == [a["name"] for a in multiscale["axes"]]
    return len(refs)


@pytest.mark.parametrize("case", OME_WRITES)
def test_ngff_ome_image_read_by_zarrita(case, tmp_path, scratch):
    create, convert = OME_WRITES[case]
    out = tmp_path / "out.zarr"
    if create:
        run_ok(NGFF_BIN, create[0], out, *create[1:])
    else:
        src = tmp_path / "src.zarr"
        run_ok(NGFF_BIN, "create", src, *IMAGE, "--levels", 2, "--chunks", "1,8,32,32")
        ngff_convert(src, out, *convert)
    version = "0.4" if "0.4" in case else "0.5"
    assert ((out / "zarr.json").exists()) == (version == "0.5")
    if version == "0.5":
        assert attributes_on_disk(out)["ome"]["version"] == "0.5"
    assert check_image(out, scratch) >= 4     # two or more levels of the image and of its labels


# ---------------------------------------------------------------------------------------------
# zarrita writes, ngff reads

W_SHAPE, W_CHUNKS = [19, 26, 11], [8, 10, 4]

# zarr.create options (the codecs zarrita can encode) and a fill value
ZARRITA_WRITES = {
    "uint8-raw": dict(dtype="uint8", codecs=[{"name": "bytes"}], fillValue=0),
    "int8-zstd": dict(dtype="int8", codecs=[{"name": "bytes"}, ZSTD], fillValue=-7),
    "uint16-zstd-names": dict(dtype="uint16", codecs=[BYTES_LE, ZSTD], fillValue=9,
                              dimensionNames=["z", "y", "x"], attributes=ATTRIBUTES),
    "int16-bigendian-raw-dot": dict(dtype="int16", codecs=[BYTES_BE], fillValue=-1,
                                    chunkSeparator="."),
    "int32-bigendian-blosc": dict(dtype="int32", codecs=[BYTES_BE, blosc("lz4", 4)],
                                  fillValue=-100),
    "uint32-lz4": dict(dtype="uint32", codecs=[BYTES_LE, LZ4], fillValue=4000000000),
    "int64-zstd": dict(dtype="int64", codecs=[BYTES_LE, ZSTD], fillValue=-(2**40)),
    "uint64-blosc-zstd": dict(dtype="uint64", codecs=[BYTES_LE, blosc("zstd", 8)], fillValue=3),
    "float32-lz4-nan": dict(dtype="float32", codecs=[BYTES_LE, LZ4], fillValue="NaN"),
    "float64-transpose-bigendian-zstd": dict(
        dtype="float64", codecs=[{"name": "transpose", "configuration": {"order": [2, 0, 1]}},
                                 BYTES_BE, ZSTD], fillValue="-Infinity"),
    "bool-blosc": dict(dtype="bool", codecs=[{"name": "bytes"}, blosc("lz4", 1, "bitshuffle")],
                       fillValue=True),
}

# .zarray documents (write.mjs writes them; zarrita writes the chunks)
ZARRITA_WRITES_V2 = {
    "v2-uint16-zstd": v2("<u2", {"id": "zstd", "level": 3}, fill=0, shape=W_SHAPE,
                         chunks=W_CHUNKS),
    "v2-int32-bigendian-blosc-slash": v2(">i4", {"id": "blosc", "cname": "lz4", "clevel": 5,
                                                 "shuffle": 1, "blocksize": 0}, fill=-1,
                                         separator="/", shape=W_SHAPE, chunks=W_CHUNKS),
    "v2-float64-F-lz4-nan": v2("<f8", {"id": "lz4", "acceleration": 1}, fill="NaN", order="F",
                               shape=W_SHAPE, chunks=W_CHUNKS),
    "v2-uint8-raw-null": v2("|u1", None, fill=None, shape=W_SHAPE, chunks=W_CHUNKS),
}


def zarrita_writes(name, seed):
    """Two writes: most of the array (cutting chunks at the far x edge, leaving the last column
    of chunks missing), then a small overlapping region (read-modify-write of stored chunks);
    and what the array then holds."""
    first = (slice(0, 19), slice(0, 26), slice(0, 7))
    second = (slice(3, 5), slice(2, 20), slice(1, 3))
    a, b = make_data(name, W_SHAPE, seed)[first], make_data(name, W_SHAPE, seed + 1)[second]
    return [(first, a), (second, b)]


def expected_after(name, fill, writes):
    expected = np.full(W_SHAPE, fill_scalar(fill), dtype=np_dtype(name))
    for region, data in writes:
        expected[region] = data
    return expected


def check_ngff_reads(path: Path, expected: np.ndarray, scratch: Path, what: str) -> dict:
    assert_bit_equal(rawio_read(path, expected.dtype, W_SHAPE, tmp=scratch), expected,
                     f"ngff read of {what}")
    for region in regions(W_SHAPE):
        assert_bit_equal(rawio_read(path, expected.dtype, W_SHAPE, region, tmp=scratch),
                         expected[region], f"ngff read of {what} {region}")
    assert_bit_equal(zarr.open_array(str(path), mode="r")[...], expected,
                     f"zarr-python read of {what}")
    info = ngff_info(path)
    assert info["shape"] == W_SHAPE and info["chunks"] == W_CHUNKS
    # The last column of chunks (x from 8) was never written: 3 x 3 of the 3 x 3 x 3 missing.
    assert info["chunks_total"] == 27 and info["chunks_stored"] == 18 == len(chunk_keys(path))
    return info


@pytest.mark.parametrize("case", ZARRITA_WRITES)
def test_zarrita_writes_ngff_reads(case, tmp_path, scratch):
    options = ZARRITA_WRITES[case]
    writes = zarrita_writes(options["dtype"], seed=len(case))
    path = tmp_path / "a.zarr"
    zarrita_write(path, [{"path": "", "array": {"shape": W_SHAPE, "chunkShape": W_CHUNKS,
                                                **options}, "writes": writes}], scratch)
    expected = expected_after(options["dtype"], options["fillValue"], writes)
    info = check_ngff_reads(path, expected, scratch, f"zarrita's {case}")
    doc = metadata_document(path)
    assert (doc["data_type"], doc["fill_value"]) == (options["dtype"], options["fillValue"])
    assert doc["codecs"] == options["codecs"]
    assert rawio_metadata(path) == doc, "ngff's parse + serialise of zarrita's zarr.json"
    assert (info["data_type"], info["fill_value"]) == (options["dtype"], options["fillValue"])
    assert info["codecs"] == options["codecs"]
    assert info.get("dimension_names") == options.get("dimensionNames")
    assert info["attributes"] == options.get("attributes", {})
    assert info["chunk_key_separator"] == options.get("chunkSeparator", "/")


@pytest.mark.parametrize("case", ZARRITA_WRITES_V2)
def test_zarrita_writes_v2_chunks_ngff_reads(case, tmp_path, scratch):
    doc = ZARRITA_WRITES_V2[case]
    name = V2_NAMES[doc["dtype"][1:]]
    writes = zarrita_writes(name, seed=len(case))
    path = tmp_path / "a.zarr"
    zarrita_write(path, [{"path": "", "zarray": doc, "zattrs": ATTRIBUTES, "writes": writes}],
                  scratch)
    info = check_ngff_reads(path, expected_after(name, doc["fill_value"], writes), scratch,
                            f"zarrita's {case}")
    assert info["fill_value"] == doc["fill_value"] and info["attributes"] == ATTRIBUTES
    assert all(k.count(doc["dimension_separator"]) == 2 for k in chunk_keys(path))


def test_zarrita_default_metadata_is_refused(tmp_path, scratch):
    """zarr.create without codecs or fill value writes "codecs": [] and "fill_value": null;
    Zarr v3 requires an array-to-bytes codec and a fill value, so ngff (like zarr-python) says
    so in one line instead of guessing."""
    data = make_data("uint16", W_SHAPE, seed=1)
    zarrita_write(tmp_path, [
        {"path": "nofill", "array": {"shape": W_SHAPE, "chunkShape": W_CHUNKS, "dtype": "uint16",
                                     "codecs": [BYTES_LE]}, "writes": [(None, data)]},
        {"path": "nocodecs", "array": {"shape": W_SHAPE, "chunkShape": W_CHUNKS,
                                       "dtype": "uint16", "fillValue": 0},
         "writes": [(None, data)]},
    ], scratch)
    assert metadata_document(tmp_path / "nofill")["fill_value"] is None
    assert metadata_document(tmp_path / "nocodecs")["codecs"] == []
    line = run_error(NGFF_BIN, "info", tmp_path / "nofill", code=EXIT_INVALID)
    assert "fill_value null" in line, line
    line = run_error(NGFF_BIN, "info", tmp_path / "nocodecs", code=EXIT_INVALID)
    assert "'codecs' must be a non-empty array" in line, line
    # zarrita reads its own array back (no codecs: it takes little-endian bytes).
    assert_bit_equal(zarrita_read(tmp_path / "nocodecs", scratch)["reads"][0]["data"], data)


def test_zarrita_ome_image_ngff_validates_and_reads(tmp_path, scratch):
    """An OME-Zarr 0.5 image made with zarrita alone (groups, two levels, labels): `ngff
    validate --deep` finds it valid, `ngff info` shows its metadata, ngff reads every level."""
    axes = [{"name": "z", "type": "space", "unit": "micrometer"},
            {"name": "y", "type": "space", "unit": "micrometer"},
            {"name": "x", "type": "space", "unit": "micrometer"}]

    def multiscales(name):
        return [{"name": name, "type": "nearest", "metadata": {"method": "numpy slicing"},
                 "axes": axes, "datasets": [
            {"path": str(k), "coordinateTransformations": [
                {"type": "scale", "scale": [0.5 * 2**k] * 3}]} for k in range(2)]}]

    full = (make_data("uint16", [12, 40, 50], seed=3) % 1000).astype(np.uint16)
    cells = (full // 100).astype(np.uint32)
    levels = {"": [full, full[::2, ::2, ::2]], "labels/cells": [cells, cells[::2, ::2, ::2]]}

    def array_node(path, data, codecs):
        return {"path": path, "array": {"shape": list(data.shape), "chunkShape": [4, 16, 16],
                                        "dtype": str(data.dtype), "codecs": codecs,
                                        "fillValue": 0, "dimensionNames": ["z", "y", "x"]},
                "writes": [(None, data)]}

    root = tmp_path / "img.zarr"
    nodes = [
        {"path": "", "group": {"attributes": {"ome": {"version": "0.5",
                                                      "multiscales": multiscales("zarrita")}}}},
        {"path": "labels", "group": {"attributes": {"ome": {"version": "0.5",
                                                            "labels": ["cells"]}}}},
        {"path": "labels/cells", "group": {"attributes": {"ome": {
            "version": "0.5", "multiscales": multiscales("cells"),
            "image-label": {"colors": [{"label-value": 1, "rgba": [255, 0, 0, 255]}]}}}}},
    ]
    for prefix, arrays in levels.items():
        for k, data in enumerate(arrays):
            codecs = [BYTES_LE, ZSTD] if k == 0 else [BYTES_BE, blosc("lz4", data.itemsize)]
            nodes.append(array_node(f"{prefix}/{k}".lstrip("/"), data, codecs))
    zarrita_write(root, nodes, scratch)

    r = run(NGFF_BIN, "validate", root, "--deep", "--strict", "--json")
    assert r.returncode == 0, describe(r)
    verdict = json.loads(r.stdout)
    assert verdict["valid"] and verdict["version"] == "0.5" and verdict["kind"] == "image", verdict
    assert verdict["counts"]["error"] == 0 and verdict["counts"]["warning"] == 0, verdict
    info = ngff_info(root)
    assert info["attributes"]["ome"]["multiscales"][0]["name"] == "zarrita"
    for prefix, arrays in levels.items():
        for k, data in enumerate(arrays):
            level = root / prefix / str(k)
            assert_bit_equal(rawio_read(level, data.dtype, data.shape, tmp=scratch), data,
                             f"ngff read of zarrita's {level.relative_to(tmp_path)}")
            assert ngff_info(level)["dimension_names"] == ["z", "y", "x"]
    # ngff converts zarrita's image into OME 0.4 (Zarr v2), which zarrita reads back.
    ngff_convert(root, tmp_path / "v04.zarr", "--zarr-format", 2, "--codec", "zstd:1")
    assert check_image(tmp_path / "v04.zarr", scratch) == 4
