"""Zipped Zarr / OME-Zarr (.ozx, NGFF RFC-9) both ways: zarr-python 3's ZipStore and Python's
zipfile read the zips ngff writes (`ngff copy`, `create`, `convert` straight to .ozx), and ngff
reads zips that zarr-python and zipfile wrote (stored and deflated entries, v2 and v3). Corrupt
and hostile zips fail with one line naming the file and the problem."""

import io
import json
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest
import zarr

from ngff_tools import (EXIT_IO, NGFF_BIN, NGFF_RAWIO, assert_bit_equal, ngff_info, rawio_read,
                        run_error, run_ok)
from ome_tools import ngff_create, write_with_ome_zarr_py

VERSIONS = ("0.4", "0.5")


def zarr_tree(group: zarr.Group, prefix: str = "") -> dict[str, object]:
    """Every node below a zarr-python group: path -> (attributes, data for arrays)."""
    out = {prefix or "/": (group.attrs.asdict(), None)}
    for name, member in sorted(group.members()):
        path = f"{prefix}/{name}" if prefix else name
        if isinstance(member, zarr.Array):
            out[path] = (member.attrs.asdict(), member[...])
        else:
            out.update(zarr_tree(member, path))
    return out


def assert_same_tree(actual: dict, expected: dict) -> None:
    assert sorted(actual) == sorted(expected)
    for path, (attrs, data) in expected.items():
        got_attrs, got_data = actual[path]
        assert got_attrs == attrs, path
        if data is not None:
            assert_bit_equal(got_data, data, path)


def read_zip_with_zarr_python(path: Path) -> dict:
    store = zarr.storage.ZipStore(path, mode="r")
    try:
        return zarr_tree(zarr.open_group(store, mode="r"))
    finally:
        store.close()


def read_folder_with_zarr_python(path: Path) -> dict:
    return zarr_tree(zarr.open_group(str(path), mode="r"))


def check_rfc9_layout(path: Path, version: str, sharded: bool = False) -> None:
    """Stored entries, root metadata first (then the other zarr.json); RFC-9's OME comment only
    for its recommended variant (0.5 with every array sharded)."""
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)
        names = [i.filename for i in infos]
        assert len(names) == len(set(names)), "each key once in the central directory"
        by_offset = [i.filename for i in sorted(infos, key=lambda i: i.header_offset)]
        if version == "0.5":
            assert names[0] == "zarr.json" and by_offset[0] == "zarr.json"
            jsons = [n for n in names if n.endswith("zarr.json")]
            assert names[:len(jsons)] == jsons, "every zarr.json before the chunks"
            depths = [n.count("/") for n in jsons]
            assert depths == sorted(depths), "breadth-first"
            if sharded:
                assert z.comment.endswith(b"\0")
                assert json.loads(z.comment.rstrip(b"\0")) == {"ome": {"version": "0.5"}}
            else:
                assert z.comment == b""
        else:
            assert names[0] in (".zattrs", ".zgroup")
            assert z.comment == b""
        assert z.testzip() is None, "CRC-32 of every entry"


@pytest.fixture(scope="module", params=VERSIONS)
def image(request, tmp_path_factory):
    version = request.param
    path = tmp_path_factory.mktemp(f"img{version}") / "img.zarr"
    ngff_create(path, version, shape=(2, 6, 40, 48), levels=3)
    return version, path


def test_copy_folder_to_ozx_read_by_zarr_python(image, tmp_path):
    version, folder = image
    ozx = tmp_path / "img.ozx"
    run_ok(NGFF_BIN, "copy", folder, ozx, "--quiet")
    assert_same_tree(read_zip_with_zarr_python(ozx), read_folder_with_zarr_python(folder))
    check_rfc9_layout(ozx, version)
    assert [p.name for p in tmp_path.iterdir()] == ["img.ozx"], "no temporary left behind"
    # ngff reads it back: the OME view and a level's voxels.
    assert ngff_info(ozx)["ome"] == ngff_info(folder)["ome"]
    level = ngff_info(folder)["ome"]["levels"][1]
    arr = zarr.open_array(str(folder / level["path"]), mode="r")
    assert_bit_equal(rawio_read(f"{ozx}/{level['path']}", arr.dtype, arr.shape, tmp=tmp_path),
                     arr[...])


def test_create_and_convert_write_ozx_directly(image, tmp_path):
    version, folder = image
    created = tmp_path / "created.ozx"
    ngff_create(created, version, shape=(2, 6, 40, 48), levels=3)
    assert_same_tree(read_zip_with_zarr_python(created), read_folder_with_zarr_python(folder))
    check_rfc9_layout(created, version)
    converted = tmp_path / "converted.ozx"
    run_ok(NGFF_BIN, "convert", folder, converted, "--quiet")
    assert_same_tree(read_zip_with_zarr_python(converted), read_folder_with_zarr_python(folder))
    # and back out of the zip into a folder
    out = tmp_path / "out.zarr"
    run_ok(NGFF_BIN, "convert", converted, out, "--quiet")
    assert_same_tree(read_folder_with_zarr_python(out), read_folder_with_zarr_python(folder))


def test_sharded_image_gets_the_rfc9_comment(tmp_path):
    """A sharded OME-Zarr 0.5 image (written by zarr-python) is RFC-9's recommended variant."""
    folder = tmp_path / "sharded.zarr"
    data = np.arange(64 * 64, dtype=np.uint8).reshape(64, 64)
    root = zarr.open_group(str(folder), mode="w", zarr_format=3)
    root.attrs["ome"] = {"version": "0.5", "multiscales": [{
        "axes": [{"name": "y", "type": "space"}, {"name": "x", "type": "space"}],
        "datasets": [{"path": "0", "coordinateTransformations": [
            {"type": "scale", "scale": [1.0, 1.0]}]}]}]}
    a = root.create_array("0", shape=data.shape, chunks=(16, 16), shards=(32, 32),
                          dtype=data.dtype, dimension_names=["y", "x"])
    a[...] = data
    ozx = tmp_path / "sharded.ozx"
    run_ok(NGFF_BIN, "copy", folder, ozx, "--quiet")
    check_rfc9_layout(ozx, "0.5", sharded=True)
    assert_same_tree(read_zip_with_zarr_python(ozx), read_folder_with_zarr_python(folder))


def test_pyramid_rewrites_an_ozx_in_place(tmp_path):
    ozx = ngff_create(tmp_path / "p.ozx", "0.5", shape=(1, 4, 64, 64), levels=2)
    run_ok(NGFF_BIN, "pyramid", ozx, "--levels", "4", "--quiet")
    tree = read_zip_with_zarr_python(ozx)
    assert len(tree["/"][0]["ome"]["multiscales"][0]["datasets"]) == 4
    check_rfc9_layout(ozx, "0.5")


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_ngff_reads_zarr_python_zipstore(zarr_format, tmp_path):
    path = tmp_path / f"zp{zarr_format}.zip"
    data = np.arange(7 * 9 * 5, dtype="<u2").reshape(7, 9, 5)
    store = zarr.storage.ZipStore(path, mode="w")
    root = zarr.open_group(store, mode="w", zarr_format=zarr_format)
    root.attrs["hello"] = "zip"
    a = root.create_array("a/b", shape=data.shape, chunks=(3, 4, 2), dtype=data.dtype)
    a[...] = data
    store.close()
    assert_bit_equal(rawio_read(f"{path}/a/b", data.dtype, data.shape, tmp=tmp_path), data)
    info = ngff_info(path)
    assert info["attributes"] == {"hello": "zip"}
    # ngff copy out of the zip gives the same tree zarr-python reads
    out = tmp_path / "out.zarr"
    run_ok(NGFF_BIN, "copy", path, out, "--quiet")
    assert_same_tree(read_folder_with_zarr_python(out), read_zip_with_zarr_python(path))


@pytest.mark.parametrize("version", VERSIONS)
def test_ngff_reads_ome_zarr_py_image_zipped_with_deflate(version, tmp_path):
    folder = tmp_path / "py.zarr"
    rng = np.random.default_rng(1)
    data = rng.integers(0, 1000, (2, 8, 64, 64), dtype=np.uint16)
    labels = {"cells": (data[0] // 100).astype(np.uint8)}
    write_with_ome_zarr_py(folder, data, version, "czyx", labels=labels)
    zipped = tmp_path / "py.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        for i, f in enumerate(sorted(p for p in folder.rglob("*") if p.is_file())):
            method = zipfile.ZIP_DEFLATED if i % 2 else zipfile.ZIP_STORED  # both kinds
            z.write(f, f.relative_to(folder).as_posix(), compress_type=method)
        z.writestr("some/dir/", b"")  # directory entries are ignored
    view = ngff_info(zipped)["ome"]
    assert view == ngff_info(folder)["ome"]
    level0 = view["levels"][0]["path"]
    assert_bit_equal(rawio_read(f"{zipped}/{level0}", data.dtype, data.shape, tmp=tmp_path),
                     data)
    out = tmp_path / "out.zarr"
    run_ok(NGFF_BIN, "copy", zipped, out, "--quiet")
    for f in folder.rglob("*"):
        if f.is_file():
            assert (out / f.relative_to(folder)).read_bytes() == f.read_bytes(), f


class _Unseekable(io.RawIOBase):
    """A write-only stream zipfile cannot seek: it then writes data descriptors (flag bit 3)."""

    def __init__(self, f):
        self.f = f

    def writable(self):
        return True

    def write(self, b):
        return self.f.write(b)


def test_ngff_reads_streamed_zip_with_data_descriptors(image, tmp_path):
    version, folder = image
    streamed = tmp_path / "streamed.zip"
    with open(streamed, "wb") as f, zipfile.ZipFile(_Unseekable(f), "w") as z:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                z.write(p, p.relative_to(folder).as_posix(), compress_type=zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(streamed) as z:
        assert all(i.flag_bits & 0x08 for i in z.infolist()), "data descriptors were written"
    out = tmp_path / "out.zarr"
    run_ok(NGFF_BIN, "copy", streamed, out, "--quiet")
    for p in folder.rglob("*"):
        if p.is_file():
            assert (out / p.relative_to(folder)).read_bytes() == p.read_bytes(), p


def test_zip64_records_read_by_zipfile_and_zarr_python(image, tmp_path):
    version, folder = image
    z64 = tmp_path / "z64.ozx"
    run_ok(NGFF_RAWIO, "zip64", folder, z64)
    raw = z64.read_bytes()
    assert b"PK\x06\x06" in raw and b"PK\x06\x07" in raw
    eocd = raw.rfind(b"PK\x05\x06")
    assert struct.unpack("<HHIIH", raw[eocd + 8:eocd + 22])[:4] == (
        0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF), "the classic record defers to zip64"
    with zipfile.ZipFile(z64) as z:
        assert z.testzip() is None
        for info in z.infolist():
            assert b"\x01\x00" in info.extra[:2], f"{info.filename}: zip64 extra field"
    assert_same_tree(read_zip_with_zarr_python(z64), read_folder_with_zarr_python(folder))
    assert ngff_info(z64)["ome"] == ngff_info(folder)["ome"]


# ---------------------------------------------------------------------------------------------
# Corrupt and hostile zips

@pytest.fixture
def good_zip(tmp_path):
    folder = ngff_create(tmp_path / "g.zarr", "0.5", shape=(1, 2, 16, 16), levels=1)
    path = tmp_path / "good.ozx"
    run_ok(NGFF_BIN, "copy", folder, path, "--quiet")
    return path


def bad_copy(tmp_path: Path, data: bytes) -> Path:
    bad = tmp_path / "bad.ozx"
    bad.write_bytes(data)
    return bad


def test_truncated_zip(good_zip, tmp_path):
    raw = good_zip.read_bytes()
    bad = bad_copy(tmp_path, raw[:len(raw) - 40])
    line = run_error(NGFF_BIN, "info", bad, code=EXIT_IO)
    assert "bad.ozx" in line and "end of central directory" in line
    line = run_error(NGFF_BIN, "copy", bad, tmp_path / "out.zarr", code=EXIT_IO)
    assert "bad.ozx" in line
    assert not (tmp_path / "out.zarr").exists()
    bad = bad_copy(tmp_path, raw[:100])
    assert "bad.ozx" in run_error(NGFF_BIN, "info", bad, code=EXIT_IO)


def test_bad_offsets(good_zip, tmp_path):
    raw = bytearray(good_zip.read_bytes())
    # the zip64 record's central directory offset pointing past the end
    rec = raw.rfind(b"PK\x06\x06")
    struct.pack_into("<Q", raw, rec + 48, len(raw) * 4)
    line = run_error(NGFF_BIN, "info", bad_copy(tmp_path, bytes(raw)), code=EXIT_IO)
    assert "bad.ozx" in line and "central directory" in line and "past the end" in line
    # a chunk's local header offset past the end of the entries
    raw = bytearray(good_zip.read_bytes())
    with zipfile.ZipFile(good_zip) as z:
        chunk = next(i for i in z.infolist() if "/c/" in i.filename)
        cd = z.start_dir
    at = raw.find(chunk.filename.encode(), cd) - 46
    assert raw[at:at + 4] == b"PK\x01\x02"
    struct.pack_into("<I", raw, at + 42, len(raw) - 10)
    line = run_error(NGFF_BIN, "copy", bad_copy(tmp_path, bytes(raw)), tmp_path / "o",
                     code=EXIT_IO)
    assert chunk.filename in line and "past" in line
    # a broken local header signature
    raw = bytearray(good_zip.read_bytes())
    raw[chunk.header_offset] = 0
    line = run_error(NGFF_BIN, "copy", bad_copy(tmp_path, bytes(raw)), tmp_path / "o2",
                     code=EXIT_IO)
    assert "bad local header" in line and chunk.filename in line


@pytest.mark.parametrize("name", ["../evil", "/abs/evil", "a/../../evil"])
def test_hostile_entry_names(name, tmp_path):
    bad = tmp_path / "hostile.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("zarr.json", json.dumps({"zarr_format": 3, "node_type": "group"}))
        z.writestr(name, b"x")
    line = run_error(NGFF_BIN, "copy", bad, tmp_path / "out", code=EXIT_IO)
    assert name in line and "hostile.zip" in line
    assert not (tmp_path / "out").exists() and not (tmp_path / "evil").exists()


def test_missing_zip(tmp_path):
    line = run_error(NGFF_BIN, "info", tmp_path / "nothing.ozx", code=EXIT_IO)
    assert "nothing.ozx" in line


def test_python_write_image_to_ozx(tmp_path):
    import ngff
    data = np.arange(4 * 32 * 40, dtype=np.uint16).reshape(4, 32, 40)
    path = tmp_path / "py.ozx"
    img = ngff.write_image(str(path), data, axes="zyx", levels=2)
    assert path.exists(), "the zip is finished when write_image returns"
    assert_bit_equal(img[0].to_numpy(), data)
    tree = read_zip_with_zarr_python(path)
    level0 = tree["/"][0]["ome"]["multiscales"][0]["datasets"][0]["path"]
    assert_bit_equal(tree[level0][1], data)
    check_rfc9_layout(path, "0.5")


def test_failed_write_leaves_an_existing_zip_untouched(tmp_path):
    ozx = ngff_create(tmp_path / "e.ozx", "0.5", shape=(1, 2, 16, 16), levels=1)
    before = ozx.read_bytes()
    for args in (["create", ozx, "--shape", "1,2,16,16"],
                 ["convert", ngff_create(tmp_path / "s.zarr", "0.5", shape=(1, 2, 8, 8),
                                         levels=1), ozx]):
        line = run_error(NGFF_BIN, *args, "--quiet", code=EXIT_IO)
        assert "already exists" in line
    assert ozx.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.ozx", "s.zarr"], "no temporaries"


def test_python_dask_write_to_ozx_is_refused(tmp_path):
    import dask.array as da
    import ngff
    data = da.zeros((4, 32, 32), dtype=np.uint8, chunks=(2, 16, 16))
    with pytest.raises(ngff.UsageError, match="cannot be written into the zip"):
        ngff.write_image(str(tmp_path / "d.ozx"), data, axes="zyx")
    assert list(tmp_path.iterdir()) == []
