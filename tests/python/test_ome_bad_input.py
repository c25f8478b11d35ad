"""Bad OME-Zarr metadata (0.4 and 0.5): `ngff info`, `ngff convert --ome-version` and
`ngff pyramid` fail with ONE line on stderr naming the JSON path of the problem
(e.g. "multiscales[0].datasets[1].path"), exit 1 for invalid metadata and 3 for a dataset whose
array is missing; convert writes nothing and pyramid changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ngff_tools import EXIT_INVALID, EXIT_IO, NGFF_BIN, run_error
from ome_tools import OTHER_VERSION, VERSIONS, ngff_create

COMMANDS = ("info", "convert", "pyramid")


def _ms(o):
    return o["multiscales"][0]


def _ct(o, dataset, index):
    return _ms(o)["datasets"][dataset]["coordinateTransformations"][index]


def _drop_first_axis(o):
    """Axes and transforms agree with each other (3 values) but not with the 4-d arrays."""
    _ms(o)["axes"].pop(0)
    for ds in _ms(o)["datasets"]:
        for t in ds["coordinateTransformations"]:
            t[t["type"]] = t[t["type"]][1:]


def _unknown_version(o):
    if "version" in o:            # 0.5: ome.version
        o["version"] = "0.9"
    else:                         # 0.4: multiscales[0].version
        _ms(o)["version"] = "0.9"


# name: (mutation of the OME attributes, JSON paths one of which the message names, exit code,
#        commands that must fail)
CASES = {
    # A group whose OME attributes lack "multiscales" is no image: `info` may show it as a plain
    # group, but rebuilding its levels or converting it as an OME image must fail.
    "missing multiscales": (lambda o: o.pop("multiscales"), ["multiscales"], EXIT_INVALID,
                            ("convert", "pyramid")),
    "multiscales not a list": (lambda o: o.__setitem__("multiscales", {}), ["multiscales"],
                               EXIT_INVALID, COMMANDS),
    "scale count != axes count": (
        lambda o: _ct(o, 1, 0).__setitem__("scale", [1.0, 2.0, 2.0]),
        ["multiscales[0].datasets[1].coordinateTransformations[0].scale"], EXIT_INVALID,
        COMMANDS),
    "translation count != axes count": (
        lambda o: _ct(o, 1, 1).__setitem__("translation", [1.0, 2.0]),
        ["multiscales[0].datasets[1].coordinateTransformations[1].translation"], EXIT_INVALID,
        COMMANDS),
    "axes count != transform count": (
        lambda o: _ms(o)["axes"].pop(0),
        ["multiscales[0].axes", "multiscales[0].datasets[0].coordinateTransformations[0].scale"],
        EXIT_INVALID, COMMANDS),
    "axes count != array rank": (_drop_first_axis, ["multiscales[0].axes",
                                                    "multiscales[0].datasets[0].path"],
                                 EXIT_INVALID, COMMANDS),
    "unknown version": (_unknown_version, ["ome.version", "multiscales[0].version"],
                        EXIT_INVALID, COMMANDS),
    "dataset path key missing": (lambda o: _ms(o)["datasets"][1].pop("path"),
                                 ["multiscales[0].datasets[1]"], EXIT_INVALID, COMMANDS),
    "dataset path names no array": (lambda o: _ms(o)["datasets"][1].__setitem__("path", "nope"),
                                    ["multiscales[0].datasets[1].path"], EXIT_IO, COMMANDS),
    "no datasets": (lambda o: _ms(o).__setitem__("datasets", []), ["multiscales[0].datasets"],
                    EXIT_INVALID, COMMANDS),
    "translation before scale": (
        lambda o: _ms(o)["datasets"][1]["coordinateTransformations"].reverse(),
        ["multiscales[0].datasets[1].coordinateTransformations"], EXIT_INVALID, COMMANDS),
    "duplicate axis name": (lambda o: _ms(o)["axes"][2].__setitem__("name", "z"),
                            ["multiscales[0].axes[2].name", "multiscales[0].axes"],
                            EXIT_INVALID, COMMANDS),
    "zero scale": (lambda o: _ct(o, 1, 0).__setitem__("scale", [1.0, 0.0, 1.0, 1.0]),
                   ["multiscales[0].datasets[1].coordinateTransformations[0].scale"],
                   EXIT_INVALID, COMMANDS),
    "axes missing": (lambda o: _ms(o).pop("axes"), ["multiscales[0]"], EXIT_INVALID, COMMANDS),
}


def _broken_image(tmp_path: Path, version: str, mutate) -> Path:
    path = ngff_create(tmp_path / "bad.zarr", version, shape=(2, 8, 32, 32), levels=2)
    doc = path / ("zarr.json" if version == "0.5" else ".zattrs")
    data = json.loads(doc.read_text())
    mutate(data["attributes"]["ome"] if version == "0.5" else data)
    doc.write_text(json.dumps(data))
    return path


def _snapshot(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes()
            for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case,version,command", [
    pytest.param(case, version, command, id=f"{case}-{version}-{command}")
    for case in sorted(CASES) for version in VERSIONS for command in CASES[case][3]])
def test_bad_ome_metadata(case, version, command, tmp_path):
    mutate, json_paths, code, _ = CASES[case]
    path = _broken_image(tmp_path, version, mutate)
    before = _snapshot(path)
    dst = tmp_path / "dst.zarr"
    args = {"info": ("info", path, "--json"),
            "convert": ("convert", path, dst, "--ome-version", OTHER_VERSION[version], "-q"),
            "pyramid": ("pyramid", path, "--levels", 2, "--method", "mean", "-q")}[command]
    line = run_error(NGFF_BIN, *args, code=code)
    assert any(p in line for p in json_paths), (
        f"the message names none of {json_paths}: {line!r}")
    assert str(path.name) in line, f"the message does not name the image: {line!r}"
    assert not dst.exists(), "convert failed but wrote something"
    assert _snapshot(path) == before, f"`ngff {command}` changed the image it rejected"
