"""ngff-zarr (PyPI `ngff-zarr`) as a peer: images it writes (0.4 and 0.5, multiscale, with scale,
translation and units) read in ngff with equal voxels and metadata; images ngff writes (0.4 with
each v2 compressor, and 0.5) read in ngff-zarr's `from_ngff_zarr`, validated against its schemas,
with equal voxels, axes, scale, translation and units; and ngff-zarr reads the 0.1-0.3 images
ngff reads. Small arrays keep it quick."""

from __future__ import annotations

import json
import logging

import ngff_zarr as nz
import numcodecs
import numpy as np
import pytest
import zarr

import ngff
from legacy_images import LEGACY_VERSIONS, axes_of, level_data, write_legacy_image
from ngff_tools import assert_bit_equal
from ome_tools import VERSIONS, assert_close, assert_levels_match_peer, ngff_level, ome_view

logging.getLogger("ngff_zarr").setLevel(logging.ERROR)

DIMS = ("c", "y", "x")
SCALE = {"c": 1.0, "y": 0.5, "x": 0.25}
TRANSLATION = {"c": 0.0, "y": 10.0, "x": -3.0}
UNITS = {"y": "micrometer", "x": "micrometer"}


def _data(shape=(2, 32, 40)) -> np.ndarray:
    return (np.arange(int(np.prod(shape))) % 4093).astype(np.uint16).reshape(shape)


@pytest.mark.parametrize("version", VERSIONS)
def test_ngff_zarr_writes_ngff_reads(version, tmp_path):
    image = nz.to_ngff_image(_data(), dims=list(DIMS), scale={d: SCALE[d] for d in "yx"},
                             translation={d: TRANSLATION[d] for d in "yx"}, axes_units=UNITS,
                             name="peer")
    multiscales = nz.to_multiscales(image, scale_factors=[2, 4],
                                    method=nz.Methods.DASK_BIN_SHRINK)
    path = tmp_path / "peer.ome.zarr"
    nz.to_ngff_zarr(str(path), multiscales, version=version)

    view = ome_view(path)
    assert view["ome_version"] == version and view["name"] == "peer"
    assert [a["name"] for a in view["axes"]] == list(DIMS)
    assert [a["type"] for a in view["axes"]] == ["channel", "space", "space"]
    assert [a["unit"] for a in view["axes"]] == [None, "micrometer", "micrometer"]
    assert len(multiscales.images) == 3
    assert_levels_match_peer(path, view, multiscales.images, DIMS, tmp_path)

    img = ngff.open_image(path)
    assert img.units == UNITS
    assert np.array_equal(img[2].to_numpy(), np.asarray(multiscales.images[2].data))


@pytest.mark.parametrize("version,codec", [
    ("0.4", "zstd:3"), ("0.4", "blosc"), ("0.4", "gzip"), ("0.5", "zstd:3")])
def test_ngff_writes_ngff_zarr_reads(version, codec, tmp_path):
    """ngff's zstd and its other v2 compressors are configurations ngff-zarr's own Zarr
    reader takes: it rejected the `"checksum": false` ngff used to write for v2 zstd."""
    path = tmp_path / "ngff.ome.zarr"
    data = _data()
    img = ngff.write_image(path, data, axes="".join(DIMS), scale=[SCALE[d] for d in DIMS],
                           translation=[TRANSLATION[d] for d in DIMS], units=UNITS, levels=3,
                           method="mean", codec=codec, ome_version=version, name="mine")
    peer = nz.from_ngff_zarr(str(path), validate=True)
    assert len(peer.images) == len(img) == 3
    assert [a.name for a in peer.metadata.axes] == list(DIMS)
    assert [a.type for a in peer.metadata.axes] == ["channel", "space", "space"]
    for k, (level, image) in enumerate(zip(img, peer.images)):
        assert tuple(image.dims) == DIMS
        assert_close([image.scale[d] for d in DIMS], level.scale, f"level {k} scale")
        assert_close([image.translation[d] for d in DIMS], level.translation,
                     f"level {k} translation")
        assert {d: u for d, u in (image.axes_units or {}).items() if u} == UNITS
        assert_bit_equal(np.asarray(image.data), level.to_numpy(), f"level {k}")
    assert np.array_equal(np.asarray(peer.images[0].data), data)
    if version == "0.4":
        # The compressor as zarr-python writes the same codec (no "checksum": false for zstd).
        ours = json.loads((path / "0" / ".zarray").read_text())["compressor"]
        twin = zarr.create_array(str(tmp_path / "twin.zarr"), shape=(4,), chunks=(2,),
                                 dtype="u2", zarr_format=2,
                                 compressors=numcodecs.get_codec(dict(ours)))
        assert twin.metadata.to_dict()["compressor"] == ours


@pytest.mark.parametrize("version", LEGACY_VERSIONS)
def test_ngff_zarr_reads_what_ngff_reads_of_legacy_versions(version, tmp_path):
    """ngff-zarr reads 0.1-0.3 to the same voxels and axes as ngff. (It gives every level a
    scale of 1; ngff derives the levels' scales from their shapes.)"""
    path = tmp_path / "old.zarr"
    data = write_legacy_image(path, version)
    peer = nz.from_ngff_zarr(str(path))
    view = ome_view(path)
    assert tuple(peer.images[0].dims) == tuple(a["name"] for a in axes_of(version))
    for k, (level, image) in enumerate(zip(view["levels"], peer.images)):
        assert_bit_equal(np.asarray(image.data), level_data(data, k), f"ngff-zarr level {k}")
        assert_bit_equal(ngff_level(path, level, tmp_path), np.asarray(image.data), f"level {k}")
