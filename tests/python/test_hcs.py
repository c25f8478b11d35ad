"""HCS plates and bioformats2raw roots (issue 11): ome-zarr-py writes plates that ngff reads
(voxels and metadata, CLI and Python); ngff writes plates that ome-zarr-py's Reader walks and
ome-zarr-models validates; a bioformats2raw layout built here reads with its series names; bad
plates, wells and series lists fail naming the JSON path."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import zarr

import ngff
from ngff_tools import NGFF_BIN, assert_bit_equal, ngff_info, run_error, run_ok
from ome_tools import VERSIONS, ZARR_FORMAT, read_with_ome_zarr_py, spec_names

ROWS, COLUMNS = ["A", "B"], ["1", "2", "3"]
WELLS = {"A/1": 2, "A/3": 1, "B/2": 2}  # well -> number of fields
SHAPE = (2, 48, 40)  # c, y, x


def field_data(well: str, field: int) -> np.ndarray:
    seed = sum(map(ord, well)) * 10 + field
    return np.random.default_rng(seed).integers(0, 4000, SHAPE, dtype=np.uint16)


def all_fields() -> dict[str, list[np.ndarray]]:
    return {w: [field_data(w, f) for f in range(n)] for w, n in WELLS.items()}


def write_plate_with_ome_zarr_py(path: Path, version: str) -> None:
    from ome_zarr.format import FormatV04, FormatV05
    from ome_zarr.writer import write_image, write_plate_metadata, write_well_metadata

    fmt = FormatV04() if version == "0.4" else FormatV05()
    root = zarr.open_group(str(path), mode="w", zarr_format=ZARR_FORMAT[version])
    write_plate_metadata(root, ROWS, COLUMNS, list(WELLS), fmt=fmt, name="peer plate",
                         acquisitions=[{"id": 0, "name": "run 1"}], field_count=2)
    for well, fields in all_fields().items():
        row, column = well.split("/")
        well_group = root.require_group(row).require_group(column)
        write_well_metadata(well_group, [{"path": str(i), "acquisition": 0}
                                         for i in range(len(fields))], fmt=fmt)
        for i, data in enumerate(fields):
            write_image(data, well_group.require_group(str(i)), axes="cyx", fmt=fmt)


def check_plate_view(plate: ngff.Plate, version: str) -> None:
    assert plate.version == version
    assert plate.rows == ROWS and plate.columns == COLUMNS
    assert sorted(plate.wells) == sorted(WELLS)
    for well, fields in all_fields().items():
        w = plate.wells[well]
        assert (w.row, w.column) == tuple(well.split("/"))
        assert len(w.fields) == len(fields)
        for f, data in enumerate(fields):
            assert_bit_equal(w.fields[f][0].to_numpy(), data, f"{well} field {f}")
    whole = plate.to_dask(field=0, level=0)
    assert whole.shape == (len(ROWS), len(COLUMNS), *SHAPE)
    values = whole.compute()
    for r, row in enumerate(ROWS):
        for c, column in enumerate(COLUMNS):
            well = f"{row}/{column}"
            expected = field_data(well, 0) if well in WELLS else np.zeros(SHAPE, np.uint16)
            assert_bit_equal(values[r, c], expected, f"plate view {well}")
    xa = plate.to_xarray(field=1)
    assert xa.dims == ("row", "col", "c", "y", "x")
    assert_bit_equal(xa.sel(row="B", col="2").values, field_data("B/2", 1), "xarray B/2 field 1")
    assert not xa.sel(row="A", col="3").values.any(), "A/3 has one field: field 1 is fill"


@pytest.mark.parametrize("version", VERSIONS)
def test_ome_zarr_py_plate_read_by_ngff(tmp_path, version):
    path = tmp_path / "peer.ome.zarr"
    write_plate_with_ome_zarr_py(path, version)
    info = ngff_info(path)["ome"]
    assert info["kind"] == "plate" and info["ome_version"] == version
    assert info["name"] == "peer plate"
    assert info["rows"] == ROWS and info["columns"] == COLUMNS
    assert {w["path"]: len(w["fields"]) for w in info["wells"]} == WELLS
    assert info["acquisitions"][0]["id"] == 0 and info["field_count"] == 2
    text = run_ok(NGFF_BIN, "info", path).stdout
    assert "2 rows x 3 columns, 3 wells filled, 5 fields" in text, text
    check_plate_view(ngff.open_plate(path), version)


def validate_plate_with_models(path: Path, version: str) -> None:
    """ome-zarr-models' HCS model (plate, its wells and their field images) accepts the plate."""
    if version == "0.4":
        from ome_zarr_models.v04 import HCS
    else:
        from ome_zarr_models.v05 import HCS
    HCS.from_zarr(zarr.open_group(str(path), mode="r", zarr_format=ZARR_FORMAT[version]))


@pytest.mark.parametrize("version", VERSIONS)
def test_ngff_plate_read_by_ome_zarr_py(tmp_path, version):
    path = tmp_path / "ngff.ome.zarr"
    plate = ngff.write_plate(path, all_fields(), rows=ROWS, columns=COLUMNS, name="ngff plate",
                             version=version, axes="cyx", levels=2,
                             acquisitions=[{"id": 3, "name": "only"}])
    check_plate_view(plate, version)
    attrs = ngff_info(path)["ome"]["metadata"]
    assert attrs["name"] == "ngff plate" and attrs["field_count"] == 2
    validate_plate_with_models(path, version)
    nodes = read_with_ome_zarr_py(path)
    assert "Plate" in spec_names(nodes[0]), spec_names(nodes[0])
    # ome-zarr-py stitches the plate into one image per level: rows x columns tiles of a field
    stitched = nodes[0].data[0]
    assert tuple(stitched.shape[-2:]) == (len(ROWS) * SHAPE[1], len(COLUMNS) * SHAPE[2])
    tile = np.asarray(stitched[..., SHAPE[1]:2 * SHAPE[1], SHAPE[2]:2 * SHAPE[2]])
    assert_bit_equal(tile.reshape(SHAPE), field_data("B/2", 0), "ome-zarr-py's tile B/2")


@pytest.mark.parametrize("version", VERSIONS)
def test_cli_sample_plate(tmp_path, version):
    path = tmp_path / "sample.ome.zarr"
    run_ok(NGFF_BIN, "create", path, "--sample", "plate", "--ome-version", version, "--quiet")
    text = run_ok(NGFF_BIN, "info", path).stdout
    assert "2 rows x 3 columns, 3 wells filled, 6 fields" in text, text
    assert "    A 2 2 .\n    B . . 2\n" in text, text
    info = ngff_info(path)["ome"]
    assert info["first_field"]["path"] == "A/1/0"
    well = ngff_info(path / "B" / "3")["ome"]
    assert well["kind"] == "well" and [f["path"] for f in well["fields"]] == ["0", "1"]
    validate_plate_with_models(path, version)
    assert "Plate" in spec_names(read_with_ome_zarr_py(path)[0])


# ---------------------------------------------------------------------------------------------
# bioformats2raw

OME_XML = """<?xml version="1.0" encoding="UTF-8"?>
<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06">
  <!-- <Image ID="Image:99" Name="a comment"/> -->
  <Image ID="Image:0" Name="first &amp; best"><Pixels/></Image>
  <ome:Image xmlns:ome="x" Name='second image' ID="Image:1"/>
</OME>
"""


def ome_group_attributes(version: str, **members) -> dict:
    return members if version == "0.4" else {"ome": {"version": "0.5", **members}}


def build_bioformats2raw(path: Path, version: str, *, series_list=True, xml=True) -> list:
    data = [np.random.default_rng(s).integers(0, 255, (3, 32, 24), dtype=np.uint8)
            for s in range(2)]
    for s, d in enumerate(data):
        ngff.write_image(path / str(s), d, axes="cyx", ome_version=version, levels=1,
                         name=f"series {s}")
    fmt = ZARR_FORMAT[version]
    root = zarr.open_group(str(path), mode="a", zarr_format=fmt)
    root.attrs.update(ome_group_attributes(version, **{"bioformats2raw.layout": 3}))
    ome = root.require_group("OME")
    if series_list:
        ome.attrs.update(ome_group_attributes(version, series=["0", "1"]))
    if xml:
        (path / "OME" / "METADATA.ome.xml").write_text(OME_XML)
    return data


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("series_list", [True, False], ids=["series_attribute", "numbered"])
def test_bioformats2raw_series(tmp_path, version, series_list):
    path = tmp_path / "bf2raw.ome.zarr"
    data = build_bioformats2raw(path, version, series_list=series_list)
    info = ngff_info(path)["ome"]
    assert info["kind"] == "bioformats2raw" and info["layout"] == 3
    assert [(s["path"], s["name"], s["id"]) for s in info["series"]] == [
        ("0", "first & best", "Image:0"), ("1", "second image", "Image:1")]
    assert [s["shape"] for s in info["series"]] == [[3, 32, 24]] * 2
    assert {s["data_type"] for s in info["series"]} == {"uint8"}
    text = run_ok(NGFF_BIN, "info", path).stdout
    assert "bioformats2raw 3, 2 series" in text and "'second image'" in text, text
    assert_bit_equal(ngff.open_image(path)[0].to_numpy(), data[0], "default series")
    img = ngff.open_image(path, series=1)
    assert img.name == "series 1"
    assert_bit_equal(img[0].to_numpy(), data[1], "series 1")
    with pytest.raises(ngff.UsageError, match="series 2 does not exist"):
        ngff.open_image(path, series=2)


def test_bioformats2raw_without_xml(tmp_path):
    path = tmp_path / "bf2raw.ome.zarr"
    build_bioformats2raw(path, "0.4", xml=False)
    info = ngff_info(path)["ome"]
    assert [s["name"] for s in info["series"]] == [None, None]
    assert info["ome_xml"] is False


# ---------------------------------------------------------------------------------------------
# bad input: an error naming the JSON path, exit code 1 (invalid) in the CLI

def edit_attributes(group: Path, version: str, edit) -> None:
    if version == "0.4":
        f = group / ".zattrs"
        attrs = json.loads(f.read_text())
        edit(attrs)
        f.write_text(json.dumps(attrs))
    else:
        f = group / "zarr.json"
        doc = json.loads(f.read_text())
        edit(doc["attributes"]["ome"])
        f.write_text(json.dumps(doc))


def expect_invalid(path: Path, *fragments: str) -> None:
    line = run_error(NGFF_BIN, "info", path, code=1)
    for fragment in fragments:
        assert fragment in line, line
    with pytest.raises(ngff.ValidationError) as e:
        ngff.open_plate(path)
    for fragment in fragments:
        assert fragment in str(e.value)


@pytest.mark.parametrize("version", VERSIONS)
def test_plate_naming_missing_well(tmp_path, version):
    path = tmp_path / "p.ome.zarr"
    ngff.write_plate(path, {"A/1": np.zeros((8, 8), np.uint8)}, rows="AB", columns="12",
                     version=version, axes="yx")

    def add_well(attrs):
        attrs["plate"]["wells"].append({"path": "B/2", "rowIndex": 1, "columnIndex": 1})
    edit_attributes(path, version, add_well)
    expect_invalid(path, "plate.wells[1].path", "well 'B/2' has no group")


@pytest.mark.parametrize("version", VERSIONS)
def test_well_naming_missing_field(tmp_path, version):
    path = tmp_path / "p.ome.zarr"
    ngff.write_plate(path, {"A/1": np.zeros((8, 8), np.uint8)}, rows="A", columns="1",
                     version=version, axes="yx")
    edit_attributes(path / "A" / "1", version,
                    lambda attrs: attrs["well"]["images"].append({"path": "7"}))
    expect_invalid(path, "well.images[1].path", "field '7' has no group")


@pytest.mark.parametrize("version", VERSIONS)
def test_plate_row_index_out_of_range(tmp_path, version):
    path = tmp_path / "p.ome.zarr"
    ngff.write_plate(path, {"A/1": np.zeros((8, 8), np.uint8)}, rows="A", columns="1",
                     version=version, axes="yx")
    edit_attributes(path, version,
                    lambda attrs: attrs["plate"]["wells"][0].update(rowIndex=4))
    expect_invalid(path, "plate.wells[0].rowIndex", "out of range")


def test_series_list_pointing_nowhere(tmp_path):
    path = tmp_path / "bf2raw.ome.zarr"
    build_bioformats2raw(path, "0.4")
    (path / "OME" / ".zattrs").write_text(json.dumps({"series": ["0", "5"]}))
    line = run_error(NGFF_BIN, "info", path, code=1)
    assert "series[1]" in line and "series '5' has no group" in line, line
    with pytest.raises(ngff.ValidationError, match=r"series\[1\]"):
        ngff.open_image(path, series=1)


def test_write_plate_rejects_before_writing(tmp_path):
    path = tmp_path / "p.ome.zarr"
    with pytest.raises(ngff.UsageError, match="not on the grid"):
        ngff.write_plate(path, {"C/1": np.zeros((8, 8), np.uint8)}, rows="AB", columns="1",
                         axes="yx")
    with pytest.raises(ngff.ValidationError, match="not alphanumeric"):
        ngff.write_plate(path, {"A-1/1": np.zeros((8, 8), np.uint8)}, axes="yx")
    assert not path.exists(), "nothing is written for a bad plate"
