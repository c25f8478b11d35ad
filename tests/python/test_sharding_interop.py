"""Sharded arrays (sharding_indexed) both ways with zarr-python 3 and tensorstore: index at the
start and at the end, with and without crc32c, inner codec chains, a transpose before sharding,
nested sharding, partial edge shards and missing inner chunks. Then ngff's own sharded writers
(Python API, `ngff convert --shards`, `ngff create --shards`) read back by zarr-python, and corrupt
shard indexes giving one clear line, never a crash."""

import json

import numpy as np
import pytest
import tensorstore as ts
import zarr

from ngff_tools import (EXIT_INVALID, NGFF_BIN, NGFF_RAWIO, assert_bit_equal, chunk_keys,
                        make_data, metadata_document, ngff_convert, ngff_info, rawio_create,
                        rawio_metadata, rawio_read, run_error, run_ok)

SHAPE, SHARDS, INNER = [37, 45, 20], [16, 16, 10], [8, 4, 5]
BYTES_LE = {"name": "bytes", "configuration": {"endian": "little"}}
BYTES_BE = {"name": "bytes", "configuration": {"endian": "big"}}
CRC = {"name": "crc32c"}
ZSTD = {"name": "zstd", "configuration": {"level": 3, "checksum": False}}
GZIP = {"name": "gzip", "configuration": {"level": 1}}
BLOSC = {"name": "blosc", "configuration": {"cname": "lz4", "clevel": 5, "shuffle": "shuffle",
                                            "typesize": 2, "blocksize": 0}}


def sharding(codecs, index_codecs, location, inner=INNER):
    return {"name": "sharding_indexed",
            "configuration": {"chunk_shape": inner, "codecs": codecs,
                              "index_codecs": index_codecs, "index_location": location}}


CASES = {
    "end-crc32c-zstd": [sharding([BYTES_LE, ZSTD], [BYTES_LE, CRC], "end")],
    "start-crc32c-gzip": [sharding([BYTES_LE, GZIP], [BYTES_LE, CRC], "start")],
    "end-plain-raw": [sharding([BYTES_LE], [BYTES_LE], "end")],
    "start-plain-blosc-bigendian": [sharding([BYTES_BE, BLOSC], [BYTES_BE], "start")],
    # The transpose runs first, so the shards the codec sees are transposed (10 x 16 x 16) and
    # inner chunks are given in that order. zarr-python checks the inner shape against the
    # untransposed shard, so the shape chosen divides both.
    "transpose-then-shard": [{"name": "transpose", "configuration": {"order": [2, 0, 1]}},
                             sharding([BYTES_LE, ZSTD], [BYTES_LE, CRC], "end", [2, 8, 2])],
    "nested": [sharding([sharding([BYTES_LE, GZIP], [BYTES_LE, CRC], "start", [4, 2, 5])],
                        [BYTES_LE, CRC], "end")],
}


def document(codecs, shards=SHARDS):
    return {"zarr_format": 3, "node_type": "array", "shape": SHAPE, "data_type": "uint16",
            "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": shards}},
            "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
            "fill_value": 7, "codecs": codecs, "attributes": {}}


def expected_data(seed):
    """12-bit noise with the fill value in one whole shard and in some inner chunks, so that
    empty index entries and missing shards are both exercised."""
    data = make_data("uint16", SHAPE, seed=seed) % 4096
    data[16:32, 16:32, 10:20] = 7          # one whole shard of fill value: not stored
    data[0:8, 0:4, 0:5] = 7                # one inner chunk of fill value: empty entry
    return data


def regions():
    return [(slice(3, 4), slice(5, 6), slice(7, 8)),      # one voxel
            (slice(8, 16), slice(4, 8), slice(5, 10)),     # exactly one inner chunk
            (slice(10, 37), slice(0, 45), slice(9, 11)),   # across shards, edge shards
            (slice(0, 8), slice(0, 4), slice(0, 5))]       # the empty inner chunk


def write_zarr_python(path, codecs, data):
    path.mkdir()
    (path / "zarr.json").write_text(json.dumps(document(codecs)))
    zarr.open_array(str(path), mode="r+")[...] = data


def open_tensorstore(path, codecs=None):
    spec = {"driver": "zarr3", "kvstore": {"driver": "file", "path": str(path)}}
    if codecs is not None:
        meta = document(codecs)
        del meta["zarr_format"], meta["node_type"], meta["attributes"]
        spec.update(metadata=meta, create=True)
    return ts.open(spec).result()


@pytest.mark.parametrize("case", CASES)
def test_zarr_python_writes_ngff_reads(case, tmp_path, scratch):
    path = tmp_path / "a.zarr"
    data = expected_data(seed=len(case))
    write_zarr_python(path, CASES[case], data)
    assert_bit_equal(rawio_read(path, data.dtype, SHAPE, tmp=scratch), data,
                     f"ngff read of zarr-python's {case}")
    for r in regions():
        assert_bit_equal(rawio_read(path, data.dtype, SHAPE, r, tmp=scratch), data[r])
    assert rawio_metadata(path) == metadata_document(path)


@pytest.mark.parametrize("case", CASES)
def test_ngff_writes_zarr_python_and_tensorstore_read(case, tmp_path, scratch):
    ref, out = tmp_path / "ref.zarr", tmp_path / "out.zarr"
    data = expected_data(seed=len(case) + 1)
    write_zarr_python(ref, CASES[case], data)
    rawio_create(out, document(CASES[case]), data, tmp=scratch)
    assert metadata_document(out) == metadata_document(ref)
    # Same shards stored (the all-fill shard in neither).
    assert chunk_keys(out) == chunk_keys(ref)
    assert_bit_equal(zarr.open_array(str(out), mode="r")[...], data, f"zarr-python read of {case}")
    assert_bit_equal(open_tensorstore(out).read().result(), data, f"tensorstore read of {case}")


@pytest.mark.parametrize("case", CASES)
def test_tensorstore_writes_ngff_reads(case, tmp_path, scratch):
    path = tmp_path / "a.zarr"
    data = expected_data(seed=len(case) + 2)
    arr = open_tensorstore(path, CASES[case])
    arr[:30].write(data[:30]).result()    # the last rows stay missing: fill value
    expected = arr.read().result()
    assert_bit_equal(rawio_read(path, data.dtype, SHAPE, tmp=scratch), expected,
                     f"ngff read of tensorstore's {case}")
    for r in regions():
        assert_bit_equal(rawio_read(path, data.dtype, SHAPE, r, tmp=scratch), expected[r])


def test_python_api_creates_what_zarr_python_creates(tmp_path):
    import ngff
    data = expected_data(seed=3)
    a = ngff.create_array(tmp_path / "n.zarr", SHAPE, "uint16", chunks=INNER, shards=SHARDS,
                          codec="zstd:3")
    assert a.chunks == tuple(INNER) and a.shards == tuple(SHARDS)
    a[...] = data
    a[1:3, 40:45, :] = 1   # a partial-shard write keeps the rest of the shard
    data[1:3, 40:45, :] = 1
    z = zarr.open_array(str(tmp_path / "n.zarr"), mode="r")
    assert z.chunks == tuple(INNER) and z.shards == tuple(SHARDS)
    assert_bit_equal(z[...], data, "zarr-python read of ngff.create_array(shards=...)")
    assert_bit_equal(ngff.open_array(tmp_path / "n.zarr")[...], data)
    # zarr-python's own sharded array reads the same through ngff.
    ref = zarr.create_array(str(tmp_path / "z.zarr"), shape=SHAPE, chunks=INNER, shards=SHARDS,
                            dtype="uint16", compressors=zarr.codecs.ZstdCodec(level=3))
    ref[...] = data
    assert_bit_equal(ngff.open_array(tmp_path / "z.zarr")[...], data)
    info = ngff_info(tmp_path / "z.zarr")
    assert info["chunks"] == INNER and info["shards"] == SHARDS
    assert info["chunks_per_shard"] == 2 * 4 * 2 and info["shard_index_location"] == "end"
    with pytest.raises(ngff.UsageError):
        ngff.create_array(tmp_path / "bad.zarr", SHAPE, "uint16", chunks=INNER, shards=[15, 16, 10])
    with pytest.raises(ngff.UsageError):
        ngff.create_array(tmp_path / "v2.zarr", SHAPE, "uint16", chunks=INNER, shards=SHARDS,
                          zarr_format=2)


def test_convert_shards_and_unshards(tmp_path, scratch):
    src = tmp_path / "src.zarr"
    data = expected_data(seed=4)
    z = zarr.create_array(str(src), shape=SHAPE, chunks=[10, 10, 10], dtype="uint16")
    z[...] = data
    ngff_convert(src, tmp_path / "sharded.zarr", "--chunks", "8,4,5", "--shards", "16,16,10")
    s = zarr.open_array(str(tmp_path / "sharded.zarr"), mode="r")
    assert s.shards == tuple(SHARDS) and s.chunks == tuple(INNER)
    assert_bit_equal(s[...], data, "zarr-python read of `ngff convert --shards`")
    # Converting again keeps the sharding; --shards none drops it (inner chunks become chunks).
    ngff_convert(tmp_path / "sharded.zarr", tmp_path / "kept.zarr", "--codec", "gzip:1")
    assert zarr.open_array(str(tmp_path / "kept.zarr"), mode="r").shards == tuple(SHARDS)
    ngff_convert(tmp_path / "sharded.zarr", tmp_path / "flat.zarr", "--shards", "none")
    flat = zarr.open_array(str(tmp_path / "flat.zarr"), mode="r")
    assert flat.shards is None and flat.chunks == tuple(INNER)
    assert_bit_equal(flat[...], data)
    ngff_convert(tmp_path / "sharded.zarr", tmp_path / "v2.zarr", "--zarr-format", "2")
    assert_bit_equal(zarr.open_array(str(tmp_path / "v2.zarr"), mode="r")[...], data)
    text = run_ok(NGFF_BIN, "info", tmp_path / "sharded.zarr").stdout
    assert "shards" in text and "index at the end" in text, text
    line = run_error(NGFF_BIN, "convert", src, tmp_path / "bad.zarr", "--chunks", "8,4,5",
                     "--shards", "15,16,10", code=2)
    assert "multiple" in line and not (tmp_path / "bad.zarr").exists()


def test_shards_streamed_in_pieces_are_read_by_peers(tmp_path):
    """With a budget far below a shard, `ngff convert` writes each shard's inner chunks as its
    blocks come (the pyramid's walk is not C order) and adds the index last: the inner chunks lie
    out of C order in the shard, which the format allows and zarr-python and tensorstore read."""
    src = tmp_path / "src.zarr"
    run_ok(NGFF_BIN, "create", src, "--sample", "volume", "--shape", "1,32,256,256",
           "--levels", 1, "--quiet")
    out = tmp_path / "out.zarr"
    run_ok(NGFF_BIN, "convert", src, out, "--levels", 3, "--method", "mean", "--chunks",
           "1,8,32,32", "--shards", "1,32,256,256", "--memory", "0.5", "--quiet")
    plain = tmp_path / "plain.zarr"
    run_ok(NGFF_BIN, "convert", src, plain, "--levels", 3, "--method", "mean", "--chunks",
           "1,8,32,32", "--quiet")
    # Level 0 is one shard: its index (at the end, then a crc32c) lists the 4*8*8 inner chunks.
    shard = (out / "0" / "c" / "0" / "0" / "0" / "0").read_bytes()
    index = np.frombuffer(shard[-(256 * 16 + 4):-4], dtype="<u8").reshape(-1, 2)
    offsets = index[:, 0]
    assert (offsets != 2**64 - 1).all() and (np.diff(offsets.astype(np.int64)) < 0).any(), \
        "expected inner chunks out of C order (written as the blocks came)"
    for level in ("0", "1", "2"):
        expected = zarr.open_array(str(plain / level), mode="r")[...]
        assert_bit_equal(zarr.open_array(str(out / level), mode="r")[...], expected,
                         f"zarr-python read of streamed level {level}")
        store = ts.open({"driver": "zarr3",
                         "kvstore": {"driver": "file", "path": str(out / level)}}).result()
        assert_bit_equal(store.read().result(), expected, f"tensorstore read of level {level}")


def test_sharded_ome_image_from_cli_and_python(tmp_path):
    import ngff
    out = tmp_path / "img.zarr"
    run_ok(NGFF_BIN, "create", out, "--sample", "volume", "--shape", "2,40,96,96",
           "--chunks", "1,8,32,32", "--shards", "1,16,64,64", "--levels", "3", "-q")
    img = ngff.open_image(out)
    assert img[0].chunks == (1, 8, 32, 32) and img[0].shards == (1, 16, 64, 64)
    group = zarr.open_group(str(out), mode="r")
    for k, level in enumerate(img):
        z = group[str(k)]
        assert z.shards is not None
        assert_bit_equal(z[...], level.to_numpy(), f"level {k}")
    from ome_zarr_models.v05.image import Image
    Image.from_zarr(group)   # validates the 0.5 metadata
    # Python write_image with shards, numpy and dask inputs agree.
    import dask.array as da
    x = img[0].to_numpy()[0]
    a = ngff.write_image(tmp_path / "np.zarr", x, axes="zyx", chunks=(8, 16, 16),
                         shards=(16, 32, 32), levels=2)
    b = ngff.write_image(tmp_path / "da.zarr", da.from_array(x, chunks=(10, 30, 30)), axes="zyx",
                         chunks=(8, 16, 16), shards=(16, 32, 32), levels=2)
    for la, lb in zip(a, b):
        assert la.shards == lb.shards == tuple(min(s, -(-n // c) * c) for s, n, c in
                                                zip((16, 32, 32), la.shape, (8, 16, 16)))
        assert_bit_equal(la.to_numpy(), lb.to_numpy())
    run_error(NGFF_BIN, "create", tmp_path / "v04.zarr", "--sample", "volume", "--ome-version",
              "0.4", "--shards", "1,16,64,64", code=2)


@pytest.mark.parametrize("corruption", ["crc", "offset", "truncated"])
def test_corrupt_shard_index_is_one_clear_error(corruption, tmp_path, scratch):
    path = tmp_path / "a.zarr"
    data = expected_data(seed=5)
    write_zarr_python(path, CASES["end-crc32c-zstd"], data)
    shard = path / "c" / "0" / "0" / "0"
    raw = bytearray(shard.read_bytes())
    index_at = len(raw) - (2 * 4 * 2) * 16 - 4
    if corruption == "crc":
        raw[index_at + 20] ^= 0xFF
    elif corruption == "offset":
        import crc32c   # numcodecs' checksum package
        # Inner chunk (0, 0, 1) points far past the end; the checksum is made right again, so
        # the bounds check (not the crc) must catch it.
        raw[index_at + 16:index_at + 24] = (10 ** 12).to_bytes(8, "little")
        raw[-4:] = crc32c.crc32c(bytes(raw[index_at:-4])).to_bytes(4, "little")
    else:
        raw = raw[:30]
    shard.write_bytes(bytes(raw))
    for region in ("", "0:8,0:4,5:10"):
        args = ["read", path, tmp_path / "out.bin"] + (["--region", region] if region else [])
        line = run_error(NGFF_RAWIO, *args, code=EXIT_INVALID)
        assert "c/0/0/0" in line, line
