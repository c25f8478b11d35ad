"""Crash safety of every writer: `ngff convert`, `ngff pyramid`, `ngff copy` to a folder and to
an `.ozx`, and the Python writer are SIGKILLed at random points, over and over. After each kill
every object present must be whole (metadata valid JSON; every chunk byte for byte what a
complete run writes, or what was there before, so it decodes), no multiscales metadata may list a
level that is not completely written, and rerunning the command must complete the output.
Disk full: under RLIMIT_FSIZE every writer fails with a clear error and leaves no torn object.

NGFF_CRASH_SECONDS bounds the kill loop of each writer (default 3 s: about 40 s in all). The
figures (iterations, objects checked, torn objects) are printed with -s."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ngff_tools import EXIT_IO, NGFF_BIN, run_ok
from ome_tools import ngff_create

BUDGET = float(os.environ.get("NGFF_CRASH_SECONDS", "3"))
TEMP_MARKER = ".ngff-tmp-"
METADATA = {"zarr.json", ".zarray", ".zattrs", ".zgroup", ".zmetadata"}

PY_WRITER = """
import sys, numpy as np, ngff
data = (np.arange(16 * 128 * 128, dtype=np.uint32) * 2654435761 % 4099).astype(np.uint16)
print("writing", flush=True)
ngff.write_image(sys.argv[1], data.reshape(1, 16, 128, 128), levels=3, chunks=(1, 8, 32, 32),
                 shards=(1, 16, 64, 64), overwrite=True)
"""


def objects(path: Path) -> dict[str, bytes]:
    """Every object of a folder or .ozx output, temporary files left out ({} when absent)."""
    if not path.exists():
        return {}
    if path.is_file():
        with zipfile.ZipFile(path) as z:  # a zip is renamed into place when whole: it must open
            assert z.testzip() is None, f"{path}: an entry fails its CRC"
            return {n: z.read(n) for n in z.namelist() if not n.endswith("/")}
    return {p.relative_to(path).as_posix(): p.read_bytes()
            for p in sorted(path.rglob("*")) if p.is_file() and TEMP_MARKER not in p.name}


def multiscales(key: str, value: bytes) -> list[dict]:
    doc = json.loads(value)
    if key.endswith("zarr.json"):
        doc = doc.get("attributes", {}).get("ome", {})
    return doc.get("multiscales", []) if isinstance(doc, dict) else []


@dataclass
class Figures:
    iterations: int = 0
    objects: int = 0
    torn: list = field(default_factory=list)
    temp_files: int = 0


def check_interrupted(out: Path, complete: dict, before: dict, figures: Figures) -> None:
    """What a killed writer left: every object whole, and no metadata listing a level that is
    not completely written."""
    present = objects(out)
    figures.objects += len(present)
    for key, value in present.items():
        if key.rsplit("/", 1)[-1] in METADATA:
            # Metadata may be written in steps (a group's attributes before its levels exist):
            # each step must be valid JSON, and what it claims is checked below.
            try:
                json.loads(value)
            except ValueError:
                figures.torn.append(f"{key}: invalid JSON")
        elif value != complete.get(key) and value != before.get(key):
            figures.torn.append(f"{key}: {len(value)} bytes, neither the complete object nor "
                                "the one there before")
    for key, value in present.items():
        if key.rsplit("/", 1)[-1] not in (".zattrs", "zarr.json"):
            continue
        node = key.rpartition("/")[0]
        for image in multiscales(key, value):
            for dataset in image.get("datasets", []):
                level = f"{node}/{dataset['path']}".lstrip("/") + "/"
                missing = [k for k in complete if k.startswith(level) and present.get(k) != complete[k]]
                if missing:
                    figures.torn.append(f"{key} lists {level} but {missing[0]} is not written")
    # A zip's temporaries lie beside it, named after it; other writers' outputs share that
    # folder (and may keep what their own killed runs left), so only the zip's own count.
    if out.suffix == ".ozx":
        figures.temp_files += len(list(out.parent.glob(f".{out.name}{TEMP_MARKER}*")))
    elif out.exists():
        figures.temp_files += sum(1 for p in out.rglob(f"*{TEMP_MARKER}*"))


@dataclass
class Writer:
    name: str
    out: Path
    command: list          # the run that is killed
    rerun: list            # what completes an interrupted output
    prepare: object = None  # restores the input before each run (pyramid rewrites in place)
    marker: bool = False    # prints "writing" when it starts to write (after Python's imports)


def run_killed(writer: Writer, seconds: float) -> None:
    """Runs the writer and kills it `seconds` after it starts writing."""
    proc = subprocess.Popen([str(a) for a in writer.command], stderr=subprocess.DEVNULL,
                            stdout=subprocess.PIPE if writer.marker else subprocess.DEVNULL)
    if writer.marker:
        proc.stdout.readline()
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash")
    image = ngff_create(root / "src.zarr", "0.5", shape=(2, 16, 192, 192), levels=1)
    base = ngff_create(root / "base.zarr", "0.4", shape=(2, 16, 192, 192), levels=1)
    return root, image, base


def writers(root: Path, image: Path, base: Path) -> list[Writer]:
    convert = [NGFF_BIN, "convert", image, root / "conv.zarr", "--ome-version", "0.4",
               "--levels", "4", "--chunks", "1,8,32,32", "--quiet"]
    pyramid = [NGFF_BIN, "pyramid", root / "pyr.zarr", "--levels", "4", "--quiet"]

    def restore_pyramid_input():
        shutil.rmtree(root / "pyr.zarr", ignore_errors=True)
        shutil.copytree(base, root / "pyr.zarr")

    python = [sys.executable, "-c", PY_WRITER, root / "py.zarr"]
    return [
        Writer("convert", root / "conv.zarr", convert, convert + ["--overwrite"]),
        Writer("pyramid", root / "pyr.zarr", pyramid, pyramid, restore_pyramid_input),
        Writer("copy to a folder", root / "copy.zarr", [NGFF_BIN, "copy", image, root / "copy.zarr", "--quiet"],
               [NGFF_BIN, "copy", image, root / "copy.zarr", "--quiet"]),
        Writer("copy to .ozx", root / "copy.ozx", [NGFF_BIN, "copy", image, root / "copy.ozx", "--quiet"],
               [NGFF_BIN, "copy", image, root / "copy.ozx", "--quiet"]),
        Writer("python write_image", root / "py.zarr", python, python, marker=True),
    ]


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


@pytest.mark.parametrize("which", range(5), ids=["convert", "pyramid", "copy-folder", "copy-ozx",
                                                   "python"])
def test_killed_writers_leave_whole_objects_and_rerun_completes(sources, which):
    root, image, base = sources
    writer = writers(root, image, base)[which]
    remove(writer.out)
    if writer.prepare:
        writer.prepare()
    before = objects(writer.out)
    proc = subprocess.Popen([str(a) for a in writer.command], stdout=subprocess.PIPE, text=True)
    start = time.monotonic()
    if writer.marker:
        proc.stdout.readline()
        start = time.monotonic()
    proc.communicate(timeout=120)
    assert proc.returncode == 0, f"{writer.name} failed"
    duration = time.monotonic() - start  # of the writing
    complete = objects(writer.out)
    assert len(complete) > len(before)
    run_ok(NGFF_BIN, "validate", writer.out, "--deep")

    rng = random.Random(15 + which)
    figures = Figures()
    deadline = time.monotonic() + BUDGET
    while time.monotonic() < deadline or figures.iterations < 3:
        remove(writer.out)
        if writer.prepare:
            writer.prepare()
        run_killed(writer, rng.uniform(0.0, duration))
        check_interrupted(writer.out, complete, before, figures)
        figures.iterations += 1
        run_ok(*writer.rerun)
        assert objects(writer.out) == complete, f"{writer.name}: the rerun did not complete it"
        # A zip is written to one temporary beside it, as large as the zip: a rerun removes
        # those that killed writers left.
        assert not list(writer.out.parent.glob(f".{writer.out.name}{TEMP_MARKER}*"))
    print(f"\ncrash safety: {writer.name}: {figures.iterations} kills (run {duration:.2f} s), "
          f"{figures.objects} objects checked, {len(figures.torn)} torn, "
          f"{figures.temp_files} temporary files left")
    assert not figures.torn, "\n".join(figures.torn[:20])


def limited_file_size(limit: int):
    def set_limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return set_limit


@pytest.mark.parametrize("which", [0, 2, 3, 4], ids=["convert", "copy-folder", "copy-ozx",
                                                      "python"])
def test_disk_full_is_a_clear_error_without_torn_objects(sources, which):
    root, image, base = sources
    writer = writers(root, image, base)[which]
    remove(writer.out)
    run_ok(*writer.command)
    complete = objects(writer.out)
    remove(writer.out)
    r = subprocess.run([str(a) for a in writer.command], capture_output=True, text=True,
                       preexec_fn=limited_file_size(6000), timeout=120)
    assert r.returncode != 0, f"{writer.name} succeeded under a 6000-byte file size limit"
    if writer.command[0] == NGFF_BIN:
        assert r.returncode == EXIT_IO, r.stderr
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "error" in lines[0] and "too large" in lines[0].lower(), r.stderr
    else:
        assert "ngff" in r.stderr and "too large" in r.stderr.lower(), r.stderr[-2000:]
    figures = Figures()
    check_interrupted(writer.out, complete, {}, figures)
    assert not figures.torn, "\n".join(figures.torn[:20])
    assert figures.temp_files == 0, "a failed write left its temporary file"
    run_ok(*writer.rerun)
    assert objects(writer.out) == complete
