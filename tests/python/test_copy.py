"""`ngff copy SRC DST`: any store to any store (folder, .ozx), resumable (a rerun skips what is
there with the same size and completes a partial copy), --dry-run writes nothing, --progress
reports bytes and objects, and a source that cannot list is copied by walking its metadata."""

import re
import zipfile
from pathlib import Path

import numpy as np
import pytest
import zarr

from ngff_tools import EXIT_IO, NGFF_BIN, NGFF_RAWIO, ngff_info, run_error, run_ok, tree_files
from ome_tools import ngff_create, write_with_ome_zarr_py


def files(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes()
            for p in sorted(Path(path).rglob("*")) if p.is_file()}


def copy(*args) -> str:
    """Runs ngff copy; returns its stderr summary."""
    return run_ok(NGFF_BIN, "copy", *args).stderr


def counts(summary: str) -> tuple[int, int]:
    m = re.search(r"copied (\d+) objects? .*skipped (\d+) objects?", summary)
    assert m, summary
    return int(m.group(1)), int(m.group(2))


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    path = tmp_path_factory.mktemp("src") / "img.zarr"
    return ngff_create(path, "0.5", shape=(2, 6, 48, 48), levels=3)


def test_copy_is_resumable(source, tmp_path):
    dst = tmp_path / "dst.zarr"
    n = len(files(source))
    assert counts(copy(source, dst)) == (n, 0)
    assert files(dst) == files(source)
    assert counts(copy(source, dst)) == (0, n), "a second run skips everything"
    # A partial destination: chunks missing, one torn (other size), root metadata missing.
    chunks = [k for k in files(dst) if "/c/" in k]
    (dst / chunks[0]).unlink()
    (dst / chunks[1]).write_bytes(b"torn")
    (dst / "zarr.json").unlink()
    assert counts(copy(source, dst)) == (3, n - 3)
    assert files(dst) == files(source)
    assert counts(copy(source, dst, "--overwrite")) == (n, 0)


def test_ozx_round_trip_and_resume(source, tmp_path):
    ozx = tmp_path / "img.ozx"
    n = len(files(source))
    assert counts(copy(source, ozx)) == (n, 0)
    assert counts(copy(source, ozx)) == (0, n), "a zip destination resumes too"
    back = tmp_path / "back.zarr"
    copy(ozx, back)
    assert files(back) == files(source)
    # a partial zip (what an interrupted copy leaves: some chunks, no metadata) is completed
    partial = tmp_path / "partial.ozx"
    chunks = [k for k in files(source) if "/c/" in k][::2]
    with zipfile.ZipFile(partial, "w") as z:
        for k in chunks:
            z.write(source / k, k)
    assert counts(copy(source, partial)) == (n - len(chunks), len(chunks))
    copy(partial, tmp_path / "completed.zarr")
    assert files(tmp_path / "completed.zarr") == files(source)
    # a node inside a zip, into a node path of a folder
    copy(f"{ozx}/0", tmp_path / "level0.zarr")
    assert files(tmp_path / "level0.zarr") == files(source / "0")


def test_dry_run_writes_nothing(source, tmp_path):
    dst = tmp_path / "dry.zarr"
    total = sum(len(v) for v in files(source).values())
    for target in (dst, tmp_path / "dry.ozx"):
        r = run_ok(NGFF_BIN, "copy", source, target, "--dry-run")
        assert f"would copy {len(files(source))} objects" in r.stdout
        assert not target.exists()
    assert tree_files(tmp_path) == []
    # against a partial destination it counts only what is missing
    copy(source, dst)
    (dst / "zarr.json").unlink()
    r = run_ok(NGFF_BIN, "copy", source, dst, "--dry-run")
    assert "would copy 1 object " in r.stdout
    assert not (dst / "zarr.json").exists()
    assert total > 0


def test_progress_output(source, tmp_path):
    r = run_ok(NGFF_BIN, "copy", source, tmp_path / "p.zarr", "--progress")
    lines = [l for l in r.stderr.splitlines() if l.startswith("copy:")]
    assert lines and "100%" in lines[-1], r.stderr
    assert re.search(r"\d+/\d+ objects", lines[-1]) and "/s" in lines[-1] and "ETA" in lines[-1]
    quiet = run_ok(NGFF_BIN, "copy", source, tmp_path / "q.zarr", "--quiet")
    assert quiet.stderr == ""


def test_missing_source(tmp_path):
    line = run_error(NGFF_BIN, "copy", tmp_path / "nope.zarr", tmp_path / "out.zarr", code=EXIT_IO)
    assert "nope.zarr" in line
    assert not (tmp_path / "out.zarr").exists()


@pytest.mark.parametrize("version", ["0.4", "0.5"])
def test_copy_from_a_source_that_cannot_list(version, tmp_path):
    """The metadata walk (what HTTP sources use): multiscales levels and labels are found."""
    folder = tmp_path / "py.zarr"
    rng = np.random.default_rng(2)
    data = rng.integers(0, 500, (1, 4, 64, 64), dtype=np.uint16)
    data[:, :, :16, :16] = 0  # a fill-value region: its chunks are not stored, and are skipped
    write_with_ome_zarr_py(folder, data, version, "czyx",
                           labels={"cells": (data[0] // 50).astype(np.uint8)})
    out = tmp_path / "walked.zarr"
    r = run_ok(NGFF_RAWIO, "walk-copy", folder, out)
    assert int(r.stdout.split()[0]) == len(files(folder)), r.stdout
    assert files(out) == files(folder)
    level0 = ngff_info(out)["ome"]["levels"][0]["path"]
    np.testing.assert_array_equal(zarr.open_array(str(out / level0), mode="r")[...], data)


def test_failed_copy_into_a_zip_is_kept_for_resuming(source, tmp_path):
    """A chunk that fails its CRC-32 stops the copy; the zip written so far is finished without
    metadata (so it is not mistaken for a complete image) and a rerun resumes it."""
    good = tmp_path / "good.ozx"
    copy(source, good)
    raw = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as z:
        # The copy walks keys in sorted order (--jobs 1), so the sorted-last chunk fails last;
        # the zip's own order depends on which thread finished first when it was written.
        chunk = max((i for i in z.infolist() if "/c/" in i.filename), key=lambda i: i.filename)
    at = chunk.header_offset + 30 + len(chunk.filename) + len(chunk.extra)
    raw[at + chunk.file_size // 2] ^= 0xFF
    bad = tmp_path / "bad.ozx"
    bad.write_bytes(bytes(raw))
    out = tmp_path / "out.ozx"
    line = run_error(NGFF_BIN, "copy", bad, out, "--jobs", "1", code=EXIT_IO)
    assert "CRC-32" in line and chunk.filename in line
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
    assert names and "zarr.json" not in names and chunk.filename not in names
    assert counts(copy(source, out)) == (len(files(source)) - len(names), len(names))
    copy(out, tmp_path / "final.zarr")
    assert files(tmp_path / "final.zarr") == files(source)


def test_python_copy(source, tmp_path):
    import ngff
    ozx = tmp_path / "py.ozx"
    n = len(files(source))
    dry = ngff.copy(str(source), str(ozx), dry_run=True)
    assert dry["objects"] == n and dry["bytes"] == sum(map(len, files(source).values()))
    assert not ozx.exists()
    assert ngff.copy(str(source), str(ozx))["objects"] == n
    again = ngff.copy(str(source), str(ozx))
    assert again["objects"] == 0 and again["skipped_objects"] == n
    with pytest.raises(ngff.KeyNotFoundError):
        ngff.copy(str(tmp_path / "missing.zarr"), str(tmp_path / "x.zarr"))
