"""HCS plates with ngff-zarr, both ways, in 0.4 (Zarr v2) and 0.5 (Zarr v3): a plate ngff-zarr
writes (to_hcs_zarr + write_hcs_well_image) reads in ngff with its grid, acquisitions and equal
field voxels; a plate ngff writes (ngff.write_plate) reads in ngff-zarr's from_hcs_zarr, validated
against its schemas and structural rules, with equal voxels, scales and acquisitions."""
from __future__ import annotations

import logging

import ngff_zarr as nz
import numpy as np
import pytest

import ngff
from ome_tools import VERSIONS

logging.getLogger("ngff_zarr").setLevel(logging.ERROR)

WELLS = {"A/1": 2, "A/3": 1, "B/2": 2}  # well -> number of fields
ROWS, COLUMNS = ["A", "B"], ["1", "2", "3"]


def _field(well: str, field: int) -> np.ndarray:
    """A different (2, 24, 32) uint16 image for every well and field."""
    seed = sum(map(ord, well)) * 7 + field
    return ((np.arange(2 * 24 * 32) * 3 + seed * 101) % 3001).astype(np.uint16).reshape(2, 24, 32)


@pytest.mark.parametrize("version", VERSIONS)
def test_ngff_zarr_plate_reads_in_ngff(version, tmp_path):
    path = tmp_path / "peer_plate.ome.zarr"
    wells = [nz.PlateWell(path=w, rowIndex=ROWS.index(w[0]), columnIndex=COLUMNS.index(w[2:]))
             for w in WELLS]
    metadata = nz.Plate(rows=[nz.PlateRow(name=r) for r in ROWS],
                        columns=[nz.PlateColumn(name=c) for c in COLUMNS], wells=wells,
                        acquisitions=[nz.PlateAcquisition(id=0, name="first")],
                        field_count=2, name="peer plate", version=version)
    nz.to_hcs_zarr(nz.HCSPlate(store=str(path), plate_metadata=metadata), str(path))
    for well, count in WELLS.items():
        for f in range(count):
            image = nz.to_ngff_image(_field(well, f), dims=["c", "y", "x"],
                                     scale={"y": 0.5, "x": 0.5})
            multiscales = nz.to_multiscales(image, scale_factors=[2])
            nz.hcs.write_hcs_well_image(str(path), multiscales, metadata, well[0], well[2:],
                                        field_index=f, acquisition_id=0, version=version)

    plate = ngff.open_plate(path)
    assert plate.name == "peer plate"
    assert plate.rows == ROWS and plate.columns == COLUMNS
    assert sorted(plate.wells) == sorted(WELLS)
    for well, count in WELLS.items():
        fields = plate.wells[well].fields
        assert len(fields) == count
        for f, img in enumerate(fields):
            assert img[0].dims == ("c", "y", "x")
            assert list(img[0].scale) == [1.0, 0.5, 0.5]
            np.testing.assert_array_equal(img[0].to_numpy(), _field(well, f))


@pytest.mark.parametrize("version", VERSIONS)
def test_ngff_plate_reads_in_ngff_zarr(version, tmp_path):
    path = tmp_path / "plate.ome.zarr"
    images = {w: [_field(w, f) for f in range(n)] for w, n in WELLS.items()}
    ngff.write_plate(path, images, rows=ROWS, columns=COLUMNS, name="ngff plate",
                     version=version, acquisitions=[{"id": 0, "name": "first"}], axes="cyx",
                     scale=[1.0, 0.5, 0.5], levels=2)
    peer = nz.from_hcs_zarr(str(path), validate=True)
    assert peer.name == "ngff plate"
    assert [r.name for r in peer.rows] == ROWS and [c.name for c in peer.columns] == COLUMNS
    assert sorted(w.path for w in peer.wells) == sorted(WELLS)
    assert [a.id for a in peer.acquisitions] == [0]
    for well, count in WELLS.items():
        peer_well = peer.get_well(well[0], well[2:])
        assert peer_well is not None and len(peer_well.images) == count
        for f in range(count):
            multiscales = peer_well.get_image(f)
            assert multiscales is not None and len(multiscales.images) == 2
            level0 = multiscales.images[0]
            assert tuple(level0.dims) == ("c", "y", "x")
            assert level0.scale["y"] == 0.5 and level0.scale["x"] == 0.5
            np.testing.assert_array_equal(np.asarray(level0.data), _field(well, f))
