"""`ngff view`'s symbolic link policy: /data/KEY serves a file of a local dataset only when its
real path, every link resolved, lies inside the dataset's real folder. A link to a chunk folder
inside the dataset is served byte for byte; a link to a file or folder outside gets 403 (so the
server cannot be made to hand out other files of the disk); tiles are drawn through every link,
like every other ngff command reads (they show image data, not a file's bytes)."""

from __future__ import annotations

import pytest

from ngff_tools import NGFF_BIN, run_ok
from view_tools import get, has_view, view_server

SECRET = b"root:x:0:0:not for the web:/root:/bin/sh\n"


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    if not has_view():
        pytest.skip("ngff was built without `ngff view` (-DNGFF_VIEWER=OFF)")
    base = tmp_path_factory.mktemp("links")
    ds = base / "img.zarr"
    run_ok(NGFF_BIN, "create", ds, "--shape", "2,4,64,64", "--levels", "2", "--chunks",
           "1,4,32,32", "--quiet")
    outside = base / "outside"
    outside.mkdir()
    (outside / "passwd").write_bytes(SECRET)
    # A file outside, linked by an ordinary key name and by a chunk's name.
    (ds / "passwd").symlink_to(outside / "passwd")
    (ds / "labels" / "cells" / "0" / "c" / "0" / "0" / "0").unlink()
    (ds / "labels" / "cells" / "0" / "c" / "0" / "0" / "0").symlink_to(outside / "passwd")
    # Level 0's chunks in a shared folder inside the dataset, linked back (relative link).
    (ds / "shared").mkdir()
    (ds / "0" / "c").rename(ds / "shared" / "c0")
    (ds / "0" / "c").symlink_to("../shared/c0")
    # Level 1's chunks moved outside the dataset and linked in (absolute link).
    (ds / "1" / "c").rename(outside / "c1")
    (ds / "1" / "c").symlink_to(outside / "c1")
    # A folder outside, a link cycle, and the dataset opened through a link to it.
    (ds / "etc").symlink_to(outside)
    (ds / "loop").symlink_to("loop")
    (base / "alias.zarr").symlink_to(ds)
    return base


@pytest.mark.parametrize("name", ["img.zarr", "alias.zarr"])
def test_data_serves_no_file_outside_the_dataset_through_a_link(linked, name):
    ds = linked / "img.zarr"
    with view_server(linked / name) as port:
        # Inside, through the relative link to the shared folder: the file's bytes, ranges too.
        chunk = (ds / "shared" / "c0" / "0" / "0" / "0" / "0").read_bytes()
        status, body, _ = get(port, "/data/0/c/0/0/0/0")
        assert status == 200 and body == chunk
        status, part, _ = get(port, "/data/0/c/0/0/0/0", {"Range": "bytes=3-20"})
        assert status == 206 and part == chunk[3:21]
        assert get(port, "/data/zarr.json")[1] == (ds / "zarr.json").read_bytes()
        assert get(port, "/data/1/zarr.json")[0] == 200
        # Outside: a file, a chunk key linked to that file, a folder, a chunk folder.
        for key in ("passwd", "labels/cells/0/c/0/0/0", "etc/passwd", "1/c/0/0/0/0",
                    "loop/x"):
            status, body, _ = get(port, f"/data/{key}")
            assert status == 403 and SECRET not in body, (key, status)
        # Tiles are drawn through every link: the coarsest tile reads level 1 (outside), the
        # finest level 0 (linked inside).
        for tile in ("/tile/0/0_0.png?image=", "/tile/6/0_0.png?image="):
            status, png, _ = get(port, tile)
            assert status == 200 and png[:4] == b"\x89PNG", (tile, status, png[:200])
