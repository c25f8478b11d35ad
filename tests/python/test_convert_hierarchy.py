"""`ngff convert` of whole OME-Zarr hierarchies between 0.4 (Zarr v2) and 0.5 (Zarr v3): a plate
written by ome-zarr-py (plate, rows, wells, field images, labels on one field), a bioformats2raw
root (series images written by ome-zarr-py, the OME group with METADATA.ome.xml) and a labelled
image. ome-zarr-models validates the 0.5 output, ome-zarr-py's Reader walks it, zarr-python finds
the same voxels everywhere, the metadata is the source's in the other layout, and converting back
gives the source's metadata. A plate naming a missing well fails naming the JSON path and leaves
nothing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import zarr

import ngff
from ngff_tools import EXIT_IO, NGFF_BIN, ngff_convert, run_error
from ome_tools import ZARR_FORMAT, read_with_ome_zarr_py, spec_names, validate_with_models

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore:Scale value not provided:UserWarning")]

ROWS, COLUMNS = ["A", "B"], ["1", "2", "3"]
WELLS = ["A/1", "A/3", "B/2"]
FIELDS = 2
LABEL_FIELD = "A/1/0"
LABEL_METADATA = {"colors": [{"label-value": 1, "rgba": [255, 0, 0, 255]},
                             {"label-value": 2, "rgba": [0, 0, 255, 255]}],
                  "properties": [{"label-value": 1, "class": "nucleus"},
                                 {"label-value": 2, "class": "cell"}]}
OME_XML = ('<?xml version="1.0" encoding="UTF-8"?>\r\n<OME xmlns="http://www.openmicroscopy.org/'
           'Schemas/OME/2016-06"><Image ID="Image:0" Name="first \u00b5"/>'
           '<Image ID="Image:1" Name="second"/></OME>\n').encode()


def fmt_of(version):
    from ome_zarr.format import FormatV04, FormatV05
    return FormatV04() if version == "0.4" else FormatV05()


def field_data(i: int) -> np.ndarray:
    return ((np.arange(2 * 4 * 48 * 48) * (i + 3)) % 3001).astype("uint16").reshape(2, 4, 48, 48)


def field_labels() -> np.ndarray:
    return (np.arange(4 * 48 * 48) // 500 % 3).astype("uint32").reshape(4, 48, 48)


def write_plate(path: Path, version: str = "0.4") -> None:
    from ome_zarr.writer import (write_image, write_labels, write_plate_metadata,
                                 write_well_metadata)
    fmt = fmt_of(version)
    root = zarr.open_group(str(path), mode="w", zarr_format=ZARR_FORMAT[version])
    write_plate_metadata(root, ROWS, COLUMNS, WELLS, fmt=fmt, field_count=FIELDS,
                         name="test plate")
    for w, well in enumerate(WELLS):
        row, column = well.split("/")
        group = root.require_group(row).require_group(column)
        write_well_metadata(group, [{"path": str(f)} for f in range(FIELDS)], fmt=fmt)
        for f in range(FIELDS):
            image = group.require_group(str(f))
            write_image(field_data(w * FIELDS + f), image, axes="czyx", fmt=fmt)
            if f"{well}/{f}" == LABEL_FIELD:
                write_labels(field_labels(), image, name="cells", axes="zyx", fmt=fmt,
                             label_metadata=LABEL_METADATA)


def attributes(path: Path) -> dict:
    """A group's attributes as stored: .zattrs (v2) or zarr.json "attributes" (v3)."""
    if (path / "zarr.json").exists():
        return json.loads((path / "zarr.json").read_text()).get("attributes", {})
    za = path / ".zattrs"
    return json.loads(za.read_text()) if za.exists() else {}


def in_04_layout(attrs: dict) -> dict:
    """0.5 attributes in the 0.4 layout, as the spec maps them: "ome" members at the top level,
    "version": "0.4" inside plate, well, image-label and each multiscale."""
    out = {k: v for k, v in attrs.items() if k != "ome"}
    for key, value in attrs.get("ome", {}).items():
        if key == "version":
            continue
        value = json.loads(json.dumps(value))
        if key in ("plate", "well", "image-label"):
            value["version"] = "0.4"
        if key == "multiscales":
            for m in value:
                m["version"] = "0.4"
        out[key] = value
    return out


def without_versions(attrs: dict) -> dict:
    """Attributes with every per-key "version" dropped (what differs between the layouts)."""
    out = json.loads(json.dumps(attrs))
    for key in ("plate", "well", "image-label"):
        if isinstance(out.get(key), dict):
            out[key].pop("version", None)
    for m in out.get("multiscales", []):
        m.pop("version", None)
    return out


def groups_and_arrays(path: Path) -> tuple[list[str], list[str]]:
    """Every group and array below `path` (relative paths), from zarr-python's walk."""
    root = zarr.open_group(str(path), mode="r")
    groups, arrays = [], []
    for name, node in root.members(max_depth=None):
        (arrays if isinstance(node, zarr.Array) else groups).append(name)
    return sorted(groups), sorted(arrays)


def assert_same_voxels(a: Path, b: Path) -> None:
    groups_a, arrays_a = groups_and_arrays(a)
    groups_b, arrays_b = groups_and_arrays(b)
    assert groups_a == groups_b and arrays_a == arrays_b, "the same tree"
    for name in arrays_a:
        x = zarr.open_array(str(a / name), mode="r")
        y = zarr.open_array(str(b / name), mode="r")
        assert x.dtype == y.dtype and x.shape == y.shape, name
        assert np.array_equal(x[...], y[...]), name
    return None


def assert_same_metadata_modulo_layout(src: Path, dst: Path, dst_version: str) -> None:
    """Every group's attributes are the source's in the other layout (source 0.4)."""
    groups, _ = groups_and_arrays(src)
    for name in ["", *groups]:
        a, b = attributes(src / name), attributes(dst / name)
        if dst_version == "0.5":
            if a:
                assert b["ome"]["version"] == "0.5", name
            assert without_versions(in_04_layout(b)) == without_versions(a), name
        else:
            assert b == a, name


@pytest.fixture(scope="module")
def plate04(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("plate") / "plate04.zarr"
    write_plate(path, "0.4")
    return path


def test_plate_converts_to_05_and_back(plate04, tmp_path):
    from ome_zarr_models.v05 import HCS, Image, ImageLabel, Labels

    v05, back = tmp_path / "plate05.zarr", tmp_path / "back04.zarr"
    ngff_convert(plate04, v05, "--ome-version", "0.5")
    assert zarr.open_group(str(v05), mode="r").metadata.zarr_format == 3
    hcs = HCS.from_zarr(zarr.open_group(str(v05), mode="r"))
    assert [w.path for w in hcs.ome_attributes.plate.wells] == WELLS
    field = zarr.open_group(str(v05 / LABEL_FIELD), mode="r")
    Image.from_zarr(field)
    Labels.from_zarr(field["labels"])
    ImageLabel.from_zarr(field["labels"]["cells"])
    validate_with_models(v05 / LABEL_FIELD, "0.5")
    assert_same_voxels(plate04, v05)
    assert_same_metadata_modulo_layout(plate04, v05, "0.5")
    plate = attributes(v05)["ome"]
    assert plate["plate"]["name"] == "test plate" and plate["plate"]["field_count"] == FIELDS

    # ome-zarr-py's Reader walks the converted plate; ngff reads the labels with their metadata
    assert "Plate" in spec_names(read_with_ome_zarr_py(v05)[0])
    cells = ngff.open_image(v05 / LABEL_FIELD).labels["cells"]
    assert cells.colors == {1: (255, 0, 0, 255), 2: (0, 0, 255, 255)}
    assert cells.properties == {1: {"class": "nucleus"}, 2: {"class": "cell"}}
    assert np.array_equal(cells[0].to_numpy(), field_labels())

    ngff_convert(v05, back, "--ome-version", "0.4")
    assert zarr.open_group(str(back), mode="r").metadata.zarr_format == 2
    assert_same_voxels(plate04, back)
    assert_same_metadata_modulo_layout(plate04, back, "0.4")


def test_plate_options_apply_to_every_image(plate04, tmp_path):
    out = tmp_path / "rechunked.zarr"
    ngff_convert(plate04, out, "--ome-version", "0.5", "--chunks", "1,2,16,16", "--codec",
                 "gzip:2")
    def level0(image: Path) -> dict:
        path = attributes(image)["ome"]["multiscales"][0]["datasets"][0]["path"]
        doc: dict = json.loads((image / path / "zarr.json").read_text())
        return doc

    for well in WELLS:
        for f in range(FIELDS):
            doc = level0(out / well / str(f))
            assert doc["chunk_grid"]["configuration"]["chunk_shape"] == [1, 2, 16, 16]
            assert [c["name"] for c in doc["codecs"]][-1] == "gzip"
    # the label image (zyx) takes the chunks of its axes
    label0 = level0(out / LABEL_FIELD / "labels" / "cells")
    assert label0["chunk_grid"]["configuration"]["chunk_shape"] == [2, 16, 16]
    assert [c["name"] for c in label0["codecs"]][-1] == "gzip"


def test_plate_naming_a_missing_well_fails_and_leaves_nothing(plate04, tmp_path):
    import shutil
    broken = tmp_path / "broken.zarr"
    shutil.copytree(plate04, broken)
    shutil.rmtree(broken / "A" / "3")
    out = tmp_path / "out.zarr"
    line = run_error(NGFF_BIN, "convert", broken, out, "--ome-version", "0.5", code=EXIT_IO)
    assert "attributes.plate.wells[1].path" in line and "'A/3'" in line, line
    assert not out.exists()
    # a well naming a missing field
    shutil.copytree(plate04, broken, dirs_exist_ok=True)
    shutil.rmtree(broken / "B" / "2" / "1")
    line = run_error(NGFF_BIN, "convert", broken, out, "--ome-version", "0.5", code=EXIT_IO)
    assert "B/2" in line and "attributes.well.images[1].path" in line, line
    assert not out.exists()


def write_bioformats2raw(path: Path, version: str) -> None:
    from ome_zarr.writer import write_image
    fmt = fmt_of(version)
    root = zarr.open_group(str(path), mode="w", zarr_format=ZARR_FORMAT[version])
    layout = {"bioformats2raw.layout": 3}
    root.attrs.update(layout if version == "0.4" else {"ome": {"version": "0.5", **layout}})
    ome = root.require_group("OME")
    series = {"series": ["0", "1"]}
    ome.attrs.update(series if version == "0.4" else {"ome": {"version": "0.5", **series}})
    (path / "OME" / "METADATA.ome.xml").write_bytes(OME_XML)
    for i in range(2):
        write_image(field_data(i)[0], root.require_group(str(i)), axes="zyx", fmt=fmt)


@pytest.mark.parametrize("version", ["0.4", "0.5"])
def test_bioformats2raw_keeps_the_ome_xml(tmp_path, version):
    src, out, back = tmp_path / "b2r.zarr", tmp_path / "out.zarr", tmp_path / "back.zarr"
    write_bioformats2raw(src, version)
    other = "0.5" if version == "0.4" else "0.4"
    ngff_convert(src, out, "--ome-version", other)
    assert (out / "OME" / "METADATA.ome.xml").read_bytes() == OME_XML
    assert_same_voxels(src, out)
    if other == "0.5":
        from ome_zarr_models.v05 import BioFormats2Raw
        assert attributes(out) == {"ome": {"version": "0.5", "bioformats2raw.layout": 3}}
        assert attributes(out / "OME") == {"ome": {"version": "0.5", "series": ["0", "1"]}}
        BioFormats2Raw.from_zarr(zarr.open_group(str(out), mode="r"))
        for i in range(2):
            validate_with_models(out / str(i), "0.5")
    else:
        assert attributes(out) == {"bioformats2raw.layout": 3}
        assert attributes(out / "OME") == {"series": ["0", "1"]}
        for i in range(2):
            validate_with_models(out / str(i), "0.4")
    ngff_convert(out, back, "--ome-version", version)
    assert (back / "OME" / "METADATA.ome.xml").read_bytes() == OME_XML
    assert attributes(back) == attributes(src)
    assert attributes(back / "OME") == attributes(src / "OME")
    assert_same_voxels(src, back)


def test_series_list_pointing_nowhere_fails(tmp_path):
    src, out = tmp_path / "b2r.zarr", tmp_path / "out.zarr"
    write_bioformats2raw(src, "0.4")
    (src / "OME" / ".zattrs").write_text(json.dumps({"series": ["0", "1", "5"]}))
    line = run_error(NGFF_BIN, "convert", src, out, "--ome-version", "0.5", code=EXIT_IO)
    assert "attributes.series[2]" in line and "'5'" in line, line
    assert not out.exists()


@pytest.mark.parametrize("version", ["0.4", "0.5"])
def test_labelled_image_converts_with_its_labels(tmp_path, version):
    src, out = tmp_path / "img.zarr", tmp_path / "out.zarr"
    img = ngff.write_image(src, field_data(0), axes="czyx", levels=2, ome_version=version)
    ngff.write_labels(img, "cells", field_labels(), colors={1: (9, 8, 7, 6)},
                      properties={1: {"class": "x"}})
    other = "0.5" if version == "0.4" else "0.4"
    ngff_convert(src, out, "--ome-version", other)
    converted = ngff.open_image(out)
    assert converted.version == other and list(converted.labels) == ["cells"]
    cells = converted.labels["cells"]
    assert cells.colors == {1: (9, 8, 7, 6)} and cells.properties == {1: {"class": "x"}}
    assert cells.source == {"image": "../../"}
    assert_same_voxels(src, out)
    validate_with_models(out, other)
