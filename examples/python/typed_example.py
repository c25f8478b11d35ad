"""The main ngff Python API with type annotations: mypy --strict accepts it
(tests/python/test_py_typing.py checks that, and runs it).

    python examples/python/typed_example.py [FOLDER]     # writes into FOLDER (default: a temp dir)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import dask.array as da
import numpy as np
import numpy.typing as npt

import ngff


def write_and_read(folder: Path) -> None:
    # A 2-channel volume, written with a 3-level pyramid and physical metadata.
    volume: npt.NDArray[np.uint16] = np.arange(2 * 16 * 64 * 64, dtype=np.uint16).reshape(
        2, 16, 64, 64)
    written: ngff.MultiscaleImage = ngff.write_image(
        folder / "cells.ome.zarr", volume, axes="czyx", scale=(1.0, 2.0, 0.5, 0.5),
        units={"z": "micrometer", "y": "micrometer", "x": "micrometer"}, levels=3,
        method="mean", chunks=(1, 8, 32, 32),
        omero={"channels": [{"label": "DAPI"}, {"label": "GFP"}]})

    img = ngff.open_image(written.url)
    dims: tuple[str, ...] = img.dims
    shapes: list[tuple[int, ...]] = [level.shape for level in img]
    labels: list[str] | None = img.channel_labels()
    print(f"ngff {ngff.__version__}: {img.url}: OME-NGFF {img.version}, dims {dims}, "
          f"levels {shapes}, channels {labels}")

    # A level as numpy (whole, or a numpy-style region) and as dask.
    level0: ngff.ImageLevel = img[0]
    full: npt.NDArray[Any] = level0.to_numpy()
    assert full.dtype == np.uint16 and (full == volume).all()
    plane = level0.to_numpy((1, 8))  # channel 1, plane 8
    assert plane.shape == (64, 64)
    lazy: da.Array = img[1].to_dask()
    assert lazy.shape == img[1].shape
    coarse = np.asarray(lazy)
    print(f"level 1 via dask: {coarse.shape}, mean {coarse.mean():.1f}; scale {img[1].scale}")

    # The level-0 Zarr array with numpy indexing: read a strided box, write a block.
    array: ngff.ZarrArray = ngff.open_array(level0.url)
    block = array[0, ::2, -10:, :5]
    assert block.shape == (8, 10, 5)
    array[0, 0, :4, :4] = 7
    assert (array[0, 0, :4, :4] == 7).all()

    # A new sharded Zarr v3 array.
    sharded = ngff.create_array(folder / "sharded.zarr", (64, 64), "float32", chunks=(16, 16),
                                shards=(32, 32), fill_value=0.0)
    sharded[:32, :32] = np.ones((32, 32), dtype=np.float32)
    assert sharded.shards == (32, 32) and float(sharded[...].sum()) == 32 * 32

    # Copy the image into a zip and read it back from there.
    counts: dict[str, int] = ngff.copy(img.url, str(folder / "cells.ozx"))
    zipped = ngff.open_image(folder / "cells.ozx")
    assert (zipped[0].to_numpy() == array.to_numpy()).all()
    print(f"copied {counts['objects']} objects ({counts['bytes']} bytes) to {zipped.url}")

    # Errors are ngff.NgffError subclasses; a missing node is also a KeyError.
    try:
        ngff.open_array(folder / "missing.zarr")
    except ngff.KeyNotFoundError as e:
        print(f"{type(e).__name__}: {e}")


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        write_and_read(Path(argv[1]))
    else:
        with tempfile.TemporaryDirectory() as folder:
            write_and_read(Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
