"""`ngff validate` / ngff.validate against the peers and the spec's corpora.

(a) A generated corpus of mutations of valid 0.4 and 0.5 images, label images and plates written
    by ngff (fields dropped, renamed, retyped, reordered; arrays removed or reshaped): ngff's
    verdict must equal ome-zarr-models' (pydantic models of 0.4 / 0.5) but for the listed
    disagreements, each decided by the spec text quoted beside it.
(b) The conformance runner's protocol: `ngff validate --json --exit-zero` prints one object with
    a boolean "valid", for attributes documents and for groups, valid and not.
(c) What ngff writes (samples, 0.4 and 0.5, sharded, plates, labels) is clean under
    `--strict --deep`.
(d) `--deep` finds a deleted chunk (warning) and a corrupted one (error).
The spec's files (for (b) and the schema oracle) come from $NGFF_SPEC_FIXTURES, else from the
folder `ngff validate` itself reports as its schemas; without them those tests skip.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Callable

import numpy as np
import pytest
import zarr

import ngff
from ngff_tools import NGFF_BIN, run, run_ok
from ome_tools import ngff_create

VERSIONS = ("0.4", "0.5")


# ---------------------------------------------------------------------------------------------
# Reading and writing a group's attributes in either layout

def attrs_file(group: Path) -> Path:
    return group / ("zarr.json" if (group / "zarr.json").exists() else ".zattrs")


def read_attrs(group: Path) -> dict:
    doc = json.loads(attrs_file(group).read_text())
    return doc.get("attributes", {}) if attrs_file(group).name == "zarr.json" else doc


def write_attrs(group: Path, attrs: dict) -> None:
    f = attrs_file(group)
    if f.name == "zarr.json":
        doc = json.loads(f.read_text())
        doc["attributes"] = attrs
        f.write_text(json.dumps(doc))
    else:
        f.write_text(json.dumps(attrs))


def ome(attrs: dict) -> dict:
    """The object holding the OME members: "ome" in 0.5, the attributes themselves in 0.4."""
    return attrs["ome"] if "ome" in attrs else attrs


def array_meta_file(array: Path) -> Path:
    return array / ("zarr.json" if (array / "zarr.json").exists() else ".zarray")


# ---------------------------------------------------------------------------------------------
# (a) The mutation corpus

# A mutation changes the written hierarchy in place: (root group path) -> None.
Mutation = Callable[[Path], None]


def on_member(key: str, change: Callable[[dict], None]) -> Mutation:
    """A mutation of one OME member ("multiscales", "plate", ...) of the root's attributes."""
    def mutate(root: Path) -> None:
        attrs = read_attrs(root)
        change(ome(attrs) if key == "" else ome(attrs)[key])
        write_attrs(root, attrs)
    return mutate


def on_ms(change: Callable[[dict], None]) -> Mutation:
    return on_member("multiscales", lambda ms: change(ms[0]))


def set_path(obj, path: list, value) -> None:
    for p in path[:-1]:
        obj = obj[p]
    obj[path[-1]] = value


def drop(obj, path: list) -> None:
    for p in path[:-1]:
        obj = obj[p]
    del obj[path[-1]]


def rename(obj, path: list, new: str) -> None:
    for p in path[:-1]:
        obj = obj[p]
    obj[new] = obj.pop(path[-1])


def on_array(level: str, change: Callable[[dict], None]) -> Mutation:
    """A change to the metadata document of the level array `level` (relative path)."""
    def mutate(root: Path) -> None:
        f = array_meta_file(root / level)
        doc = json.loads(f.read_text())
        change(doc)
        f.write_text(json.dumps(doc))
    return mutate


def remove_dir(rel: str) -> Mutation:
    return lambda root: shutil.rmtree(root / rel)


def larger_level(doc: dict) -> None:
    doc["shape"] = [s * 4 for s in doc["shape"]]


def other_dtype(doc: dict) -> None:
    if "data_type" in doc:
        doc["data_type"] = "float32"
    else:
        doc["dtype"] = "<f4"


def extra_dim(doc: dict) -> None:
    doc["shape"] = [1] + doc["shape"]
    if "chunk_grid" in doc:
        cfg = doc["chunk_grid"]["configuration"]
        cfg["chunk_shape"] = [1] + cfg["chunk_shape"]
        if "dimension_names" in doc and doc["dimension_names"] is not None:
            doc["dimension_names"] = ["extra"] + doc["dimension_names"]
    else:
        doc["chunks"] = [1] + doc["chunks"]


def dimension_names(doc: dict) -> None:
    if "zarr_format" in doc and doc["zarr_format"] == 3:
        doc["dimension_names"] = [f"d{i}" for i in range(len(doc["shape"]))]


def image_mutations() -> dict[str, Mutation]:
    """Mutations of an image's multiscales and arrays (for images and label images alike)."""
    def scale_of(ms, i=0):
        return ms["datasets"][i]["coordinateTransformations"][0]

    return {
        "drop-multiscales": on_member("", lambda o: o.pop("multiscales")),
        "multiscales-object": on_member("", lambda o: o.__setitem__("multiscales",
                                                                     o["multiscales"][0])),
        "multiscales-empty": on_member("multiscales", lambda ms: ms.clear()),
        "drop-axes": on_ms(lambda m: m.pop("axes")),
        "drop-datasets": on_ms(lambda m: m.pop("datasets")),
        "datasets-empty": on_ms(lambda m: m["datasets"].clear()),
        "drop-dataset-path": on_ms(lambda m: m["datasets"][0].pop("path")),
        "drop-dataset-transforms": on_ms(lambda m: m["datasets"][0].pop(
            "coordinateTransformations")),
        "rename-axis-name": on_ms(lambda m: rename(m, ["axes", 0, "name"], "nom")),
        "rename-axis-type": on_ms(lambda m: rename(m, ["axes", -1, "type"], "kind")),
        "retype-axis-name": on_ms(lambda m: set_path(m, ["axes", 0, "name"], 7)),
        "last-axis-time": on_ms(lambda m: set_path(m, ["axes", -1, "type"], "time")),
        "axes-reversed": on_ms(lambda m: m["axes"].reverse()),
        "axis-name-duplicate": on_ms(lambda m: set_path(m, ["axes", 0, "name"],
                                                        m["axes"][-1]["name"])),
        "drop-first-axis": on_ms(lambda m: m["axes"].pop(0)),
        "axis-unit-parsec": on_ms(lambda m: set_path(m, ["axes", -1, "unit"], "parsec")),
        "axes-six": on_ms(lambda m: m["axes"].extend(
            [{"name": f"q{i}"} for i in range(6 - len(m["axes"]))] + [{"name": "r"}])),
        "retype-scale": on_ms(lambda m: set_path(scale_of(m), ["scale"], "1")),
        "scale-short": on_ms(lambda m: scale_of(m)["scale"].pop()),
        "scale-zero": on_ms(lambda m: set_path(scale_of(m), ["scale", -1], 0)),
        "scale-negative": on_ms(lambda m: set_path(scale_of(m), ["scale", -1], -1.0)),
        "drop-scale-type": on_ms(lambda m: scale_of(m).pop("type")),
        "transform-type-unknown": on_ms(lambda m: set_path(scale_of(m), ["type"], "shear")),
        "transforms-reordered": on_ms(lambda m: m["datasets"][0][
            "coordinateTransformations"].reverse()),
        "two-scales": on_ms(lambda m: m["datasets"][0]["coordinateTransformations"].append(
            copy.deepcopy(scale_of(m)))),
        "datasets-reordered": on_ms(lambda m: m["datasets"].reverse()),
        "dataset-path-missing": on_ms(lambda m: set_path(m, ["datasets", 0, "path"], "nope")),
        "dataset-path-retyped": on_ms(lambda m: set_path(m, ["datasets", 0, "path"], 0)),
        "dataset-duplicate": on_ms(lambda m: m["datasets"].append(
            copy.deepcopy(m["datasets"][0]))),
        "retype-name": on_ms(lambda m: set_path(m, ["name"], 5)),
        "extra-member": on_ms(lambda m: set_path(m, ["x-unknown"], {"a": 1})),
        "remove-level-1": remove_dir("1"),
        "remove-level-0": remove_dir("0"),
        "level-1-larger": on_array("1", larger_level),
        "level-1-other-dtype": on_array("1", other_dtype),
        "level-0-extra-dim": on_array("0", extra_dim),
        "dimension-names-renamed": on_array("0", dimension_names),
    }


def label_mutations() -> dict[str, Mutation]:
    def on_label(change):
        return on_member("image-label", change)

    def add_colors(il):
        il["colors"] = [{"label-value": 1, "rgba": [255, 0, 0, 255]}]

    return {
        "drop-image-label": on_member("", lambda o: o.pop("image-label")),
        "image-label-list": on_member("", lambda o: o.__setitem__("image-label", [])),
        "colors-empty": on_label(lambda il: il.__setitem__("colors", [])),
        "colors-object": on_label(lambda il: il.__setitem__("colors", {"1": "red"})),
        "color-value-string": on_label(lambda il: (add_colors(il),
                                                   set_path(il, ["colors", 0, "label-value"],
                                                            "one"))),
        "color-value-float": on_label(lambda il: (add_colors(il),
                                                  set_path(il, ["colors", 0, "label-value"],
                                                           1.5))),
        "color-drop-value": on_label(lambda il: (add_colors(il),
                                                 drop(il, ["colors", 0, "label-value"]))),
        "rgba-five": on_label(lambda il: (add_colors(il),
                                          il["colors"][0]["rgba"].append(0))),
        "rgba-300": on_label(lambda il: (add_colors(il),
                                         set_path(il, ["colors", 0, "rgba", 0], 300))),
        "colors-duplicate": on_label(lambda il: (add_colors(il), il["colors"].append(
            copy.deepcopy(il["colors"][0])))),
        "properties-no-value": on_label(lambda il: il.__setitem__("properties",
                                                                  [{"class": "cell"}])),
        # One property per coloured value: ome-zarr-models wants the two lists to name the same
        # values (the spec does not say so; ngff accepts either).
        "properties-ok": on_label(lambda il: il.__setitem__(
            "properties", [{"label-value": c["label-value"], "class": "cell"}
                           for c in il.get("colors") or [{"label-value": 1}]])),
        "source-retyped": on_label(lambda il: il.__setitem__("source", "../../")),
        "source-image-retyped": on_label(lambda il: il.__setitem__("source", {"image": 3})),
        "label-float-dtype": lambda root: (on_array("0", other_dtype)(root),
                                           on_array("1", other_dtype)(root)),
    }


def plate_mutations() -> dict[str, Mutation]:
    def on_plate(change):
        return on_member("plate", change)

    def well_group(root: Path) -> Path:
        return root / "A" / "1"

    def on_well(change):
        def mutate(root):
            attrs = read_attrs(well_group(root))
            change(ome(attrs)["well"])
            write_attrs(well_group(root), attrs)
        return mutate

    return {
        "drop-plate": on_member("", lambda o: o.pop("plate")),
        "drop-rows": on_plate(lambda p: p.pop("rows")),
        "drop-columns": on_plate(lambda p: p.pop("columns")),
        "drop-wells": on_plate(lambda p: p.pop("wells")),
        "rows-empty": on_plate(lambda p: p.__setitem__("rows", [])),
        "wells-empty": on_plate(lambda p: p.__setitem__("wells", [])),
        "row-name-dash": on_plate(lambda p: set_path(p, ["rows", 0, "name"], "A-")),
        "row-name-retyped": on_plate(lambda p: set_path(p, ["rows", 0, "name"], 1)),
        "rename-row-name": on_plate(lambda p: rename(p, ["rows", 0, "name"], "label")),
        "rows-duplicate": on_plate(lambda p: p["rows"].append(copy.deepcopy(p["rows"][0]))),
        "columns-reordered": on_plate(lambda p: p["columns"].reverse()),
        "well-path-swapped": on_plate(lambda p: set_path(
            p, ["wells", 0, "path"], "/".join(reversed(p["wells"][0]["path"].split("/"))))),
        "well-path-extra-dir": on_plate(lambda p: set_path(
            p, ["wells", 0, "path"], p["wells"][0]["path"] + "/0")),
        "well-row-index-range": on_plate(lambda p: set_path(p, ["wells", 0, "rowIndex"], 99)),
        "well-row-index-retyped": on_plate(lambda p: set_path(p, ["wells", 0, "rowIndex"],
                                                              "0")),
        "drop-well-column-index": on_plate(lambda p: drop(p, ["wells", 0, "columnIndex"])),
        "wells-duplicate": on_plate(lambda p: p["wells"].append(copy.deepcopy(p["wells"][0]))),
        "acquisition-id-negative": on_plate(lambda p: set_path(p, ["acquisitions", 0, "id"],
                                                               -1)),
        "acquisition-id-retyped": on_plate(lambda p: set_path(p, ["acquisitions", 0, "id"],
                                                              "0")),
        "max-field-count-zero": on_plate(lambda p: set_path(
            p, ["acquisitions", 0, "maximumfieldcount"], 0)),
        "field-count-zero": on_plate(lambda p: p.__setitem__("field_count", 0)),
        "field-count-one": on_plate(lambda p: p.__setitem__("field_count", 1)),
        "remove-well": remove_dir("A/1"),
        "remove-field": remove_dir("A/1/0"),
        "well-images-empty": on_well(lambda w: w.__setitem__("images", [])),
        "well-drop-images": on_well(lambda w: w.pop("images")),
        "well-image-path-retyped": on_well(lambda w: set_path(w, ["images", 0, "path"], 0)),
        "well-acquisition-unknown": on_well(lambda w: set_path(w, ["images", 0, "acquisition"],
                                                               7)),
        "extra-member": on_plate(lambda p: p.__setitem__("x-unknown", True)),
    }


def write_bases(tmp: Path) -> dict[tuple[str, str], Path]:
    """Valid images (with labels) and plates written by ngff, per version: small, two levels."""
    bases = {}
    for version in VERSIONS:
        image = ngff_create(tmp / f"image-{version}.zarr", version, sample="volume",
                            shape=(1, 4, 32, 32), levels=2)
        bases[(version, "image")] = image
        bases[(version, "label")] = image / "labels" / "cells"
        bases[(version, "plate")] = ngff_create(tmp / f"plate-{version}.zarr", version,
                                                sample="plate", shape=(1, 16, 16), levels=2)
    return bases


def peer_verdict(path: Path, version: str) -> tuple[bool, str]:
    """ome-zarr-models: whether it opens the group (every model is tried) without an error."""
    import ome_zarr_models
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ome_zarr_models.open_ome_zarr(zarr.open_group(str(path), mode="r"), version=version)
        return True, ""
    except Exception as e:  # noqa: BLE001 (any failure is the peer's "invalid")
        return False, f"{type(e).__name__}: {str(e).splitlines()[0][:160]}"


def schema_files(attrs: dict) -> list[str]:
    """The schemas ngff applies to a root document, by what it holds (validate_metadata.cpp)."""
    o = ome(attrs)
    if "multiscales" in o:
        return ["image.schema"] + (["label.schema"] if "image-label" in o else [])
    for key, file in (("plate", "plate.schema"), ("well", "well.schema"),
                      ("image-label", "label.schema")):
        if key in o:
            return [file]
    return ["ome_zarr.schema"] if "ome" in attrs else []  # 0.5: the generic one, anyOf kinds


def schema_differs(registry, root: Path) -> bool:
    """Whether ngff's schema half and jsonschema judge the root's attributes differently."""
    attrs = read_attrs(root)
    ids = {Path(i).name: i for i in registry}
    theirs = all(oracle_valid(registry, ids[f], attrs) for f in schema_files(attrs))
    report = ngff.validation_report(str(root))
    ours = not any(p["rule"].startswith("schema:") and p["node_url"] == report["url"]
                   for p in report["problems"])
    return ours != theirs


def ngff_verdict(path: Path) -> tuple[bool, str]:
    try:
        report = ngff.validation_report(str(path))
    except ngff.StoreError as e:
        return False, f"unreadable: {e}"
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    return report["valid"], "; ".join(f"{p['rule']} {p['json_path']}: {p['message']}"
                                      for p in errors[:2])


# Where ngff's verdict differs from ome-zarr-models' 1.7: "kind/mutation" -> (versions, the spec
# text that decides it). In every case ngff rejects what ome-zarr-models accepts: the JSON schemas
# of the version reject it (rule schema:...), or a MUST the schemas cannot express does (arrays,
# wells and fields on disk, indices). The spec quoted is 0.4's and 0.5's unless one is named.
_LEVELS = ("datasets: \"The 'path's MUST be ordered from largest (i.e. highest resolution) to "
           "smallest\" (multiscales/shape-order)")
_DTYPE = ("the levels are \"the same image\" at several resolutions (\"multiscales\": \"a list of "
          "... datasets ... of the same image\"); one dtype across them (multiscales/dtype-equal)")
_LABEL_INT = "label images: \"The pixels of the label images MUST be integer data types\""
_COLORS = ("image-label: \"the colors key ... MUST be a list of JSON objects\", \"Each of these "
           "objects MUST contain the label-value key, whose value MUST be the integer "
           "corresponding to a particular label\" and \"rgba ... MUST be an array of four "
           "integers between 0 and 255, inclusive\" (label.schema: colors minItems 1, "
           "uniqueItems)")
_PLATE_WELLS = ("plate: \"The plate object MUST contain a wells key whose value MUST be a list of "
                "JSON objects\"; plate.schema: wells minItems 1, uniqueItems, rowIndex integer")
DISAGREEMENTS = {
    "image/retype-axis-name": ("0.4", "axes: \"MUST contain the field 'name'\", a string "
                               "(image.schema $defs/axes: name type string)"),
    "label/retype-axis-name": ("0.4", "as image/retype-axis-name"),
    "image/retype-name": ("0.4 0.5", "multiscales: \"name\" is a string (image.schema: "
                          "multiscales items name type string)"),
    "label/retype-name": ("0.4 0.5", "as image/retype-name"),
    "image/level-1-larger": ("0.4 0.5", _LEVELS),
    "label/level-1-larger": ("0.4 0.5", _LEVELS),
    "image/level-1-other-dtype": ("0.4 0.5", _DTYPE),
    "label/level-1-other-dtype": ("0.4 0.5", _DTYPE + "; and " + _LABEL_INT),
    "label/label-float-dtype": ("0.4 0.5", _LABEL_INT),
    "label/image-label-list": ("0.4", "image-label is an object (label.schema: image-label type "
                               "object)"),
    "label/colors-empty": ("0.4 0.5", _COLORS),
    "label/colors-object": ("0.4", _COLORS),
    "label/color-value-string": ("0.4", _COLORS),
    "label/color-value-float": ("0.4", _COLORS),
    "label/color-drop-value": ("0.4", _COLORS),
    "label/rgba-five": ("0.4", _COLORS),
    "label/rgba-300": ("0.4", _COLORS),
    "label/colors-duplicate": ("0.4", _COLORS),
    "label/properties-no-value": ("0.4", "\"Each object in the properties array MUST contain the "
                                  "label-value key\""),
    "label/source-retyped": ("0.4", "\"The value of the source key MUST be a JSON object\""),
    "label/source-image-retyped": ("0.4", "source: \"image\" is a relative path, a string "
                                   "(label.schema: source.image type string)"),
    "plate/wells-empty": ("0.4 0.5", _PLATE_WELLS),
    "plate/wells-duplicate": ("0.4 0.5", _PLATE_WELLS),
    "plate/well-row-index-retyped": ("0.4 0.5", "\"a rowIndex key whose value MUST be an "
                                     "integer identifying the index into the rows array\""),
    "plate/well-row-index-range": ("0.4 0.5", "as well-row-index-retyped: an index into the rows "
                                   "array, so inside it"),
    "plate/columns-reordered": ("0.4 0.5", "\"The rowIndex, columnIndex, and path MUST all refer "
                                "to the same row/column pair\" (plate/well-path)"),
    "plate/acquisition-id-retyped": ("0.4 0.5", "acquisitions: \"MUST contain an id key whose "
                                     "value MUST be an unique integer identifier greater than or "
                                     "equal to 0\""),
    "plate/field-count-one": ("0.4 0.5", "\"field_count ... MUST be a positive integer defining "
                              "the maximum number of fields per view across all wells\": two "
                              "fields exceed 1 (plate/field-count)"),
    "plate/remove-well": ("0.4 0.5", "wells: \"a path key whose value MUST be a string "
                          "specifying the path to the well subgroup\": there is none "
                          "(plate/well-exists)"),
    "plate/remove-field": ("0.4 0.5", "well images: \"a path key whose value MUST be a string "
                           "specifying the path to the field of view\": there is none "
                           "(well/field-exists)"),
    "plate/well-images-empty": ("0.4 0.5", "well: \"MUST contain an images key whose value MUST "
                                "be a list of JSON objects specifying all fields of views\" "
                                "(well.schema: images minItems 1)"),
}


def test_mutation_corpus_agrees_with_ome_zarr_models(tmp_path):
    pytest.importorskip("ome_zarr_models")
    bases = write_bases(tmp_path / "bases")
    mutations = {"image": image_mutations(), "label": {**image_mutations(), **label_mutations()},
                 "plate": plate_mutations()}
    results = []
    # The schema half next to Python jsonschema on the mutated root documents too, when the
    # spec's schemas are there.
    spec = find_spec_dir()
    registries = {v: schema_registry(spec / v) for v in VERSIONS} if spec else {}
    schema_checked, schema_differ = 0, []
    for (version, kind), base in bases.items():
        # The valid bases themselves first.
        assert ngff_verdict(base)[0], ngff_verdict(base)
        assert peer_verdict(base, version)[0], peer_verdict(base, version)
        for name, mutate in mutations[kind].items():
            case = tmp_path / "cases" / f"{version}-{kind}-{name}"
            shutil.copytree(bases[(version, "plate" if kind == "plate" else "image")], case)
            root = case / "labels" / "cells" if kind == "label" else case
            try:
                mutate(root)
            except (KeyError, IndexError):
                continue  # the base has nothing to mutate there (e.g. no acquisitions)
            ours, why = ngff_verdict(root)
            theirs, their_why = peer_verdict(root, version)
            results.append((version, kind, name, ours, theirs, why, their_why))
            if registries:
                schema_checked += 1
                if schema_differs(registries[version], root):
                    schema_differ.append(f"{version} {kind}/{name}")
    disagreements = {(v, f"{k}/{n}") for v, k, n, ours, theirs, *_ in results if ours != theirs}
    listed = {(v, name) for name, (versions, _) in DISAGREEMENTS.items()
              for v in versions.split()}
    print(f"\nmutation corpus: {len(results)} cases, "
          f"{sum(r[3] == r[4] for r in results)} agree, "
          f"{sum(r[3] != r[4] for r in results)} disagree; ngff invalid "
          f"{sum(not r[3] for r in results)}, ome-zarr-models invalid "
          f"{sum(not r[4] for r in results)}")
    for v, k, n, ours, theirs, why, their_why in results:
        if ours != theirs:
            print(f"  {v} {k}/{n}: ngff {'valid' if ours else 'invalid'} ({why}); "
                  f"ome-zarr-models {'valid' if theirs else 'invalid'} ({their_why})")
    print(f"schema half vs jsonschema on the root documents: {schema_checked} cases, "
          f"differ: {schema_differ}")
    assert not schema_differ
    assert len(results) >= 200
    assert disagreements == listed, (f"unlisted: {sorted(disagreements - listed)}, "
                                     f"agree now: {sorted(listed - disagreements)}")


# ---------------------------------------------------------------------------------------------
# The spec's files: for the conformance protocol and the JSON-schema oracle

def validate_json(path, *flags) -> dict:
    r = run(NGFF_BIN, "validate", "--json", "--exit-zero", "--quiet", str(path), *flags)
    assert r.returncode == 0, r.stdout + r.stderr
    return json.loads(r.stdout)


def find_spec_dir() -> Path | None:
    """$NGFF_SPEC_FIXTURES, else the folder ngff's validator takes its schemas from."""
    env = os.environ.get("NGFF_SPEC_FIXTURES") or os.environ.get("NGFF_SCHEMAS")
    if env:
        d = Path(env)
    else:
        with tempfile.TemporaryDirectory() as tmp:  # any document: only "schemas" matters
            (Path(tmp) / "a.json").write_text("{}")
            r = run(NGFF_BIN, "validate", "--json", "--exit-zero", str(Path(tmp) / "a.json"))
        d = Path(json.loads(r.stdout)["schemas"] or "/nonexistent")
    return d if (d / "0.5" / "schemas").is_dir() else None


@pytest.fixture(scope="module")
def spec_dir() -> Path:
    d = find_spec_dir()
    if d is None:
        pytest.skip("OME-NGFF spec files not found: set NGFF_SPEC_FIXTURES to a folder with "
                    "ngff-spec's 0.4/, 0.5/ and 0.6-dev/")
    return d


# (b) -----------------------------------------------------------------------------------------

def test_conformance_runner_protocol(spec_dir, tmp_path):
    """`ngff validate --json --exit-zero` answers as the ome/ngff-spec conformance runner expects
    (exit 0, one JSON object with a boolean "valid" and an optional string "message"), for
    attributes documents and for groups, parseable or not."""
    tests = spec_dir / "0.6-dev" / "tests"
    suite = json.loads((spec_dir / "0.5" / "tests" / "image_suite.json").read_text())
    valid_doc = tmp_path / "valid.json"
    valid_doc.write_text(json.dumps(next(t["data"] for t in suite["tests"] if t["valid"])))
    cases = {
        valid_doc: True,
        tests / "attributes/spec/invalid/image/duplicate_scale.json": False,
        tests / "attributes/spec/invalid/plate/missing_rows.json": False,
        tests / "zarr/spec/invalid/image/duplicate_scale.ome.zarr": False,
        tests / "zarr/spec/invalid/label/colors_rgba_length.ome.zarr": False,  # not JSON
    }
    for path, expected in cases.items():
        if not path.exists():
            continue
        out = validate_json(path)
        assert isinstance(out["valid"], bool), out
        assert out["valid"] == expected, (path, out)
        assert isinstance(out.get("message", ""), str)
        assert set(out) >= {"valid", "url", "kind", "strict", "problems", "counts"}
        for p in out["problems"]:
            assert set(p) == {"severity", "node_url", "json_path", "rule", "message"}
    # Without --exit-zero the verdict is the exit code; a missing root is exit 3.
    assert run(NGFF_BIN, "validate", "--quiet", str(valid_doc)).returncode == 0
    bad = tests / "attributes/spec/invalid/image/duplicate_scale.json"
    if bad.exists():
        assert run(NGFF_BIN, "validate", "--quiet", str(bad)).returncode == 1
    assert run(NGFF_BIN, "validate", str(tmp_path / "nothing.zarr")).returncode == 3
    assert run(NGFF_BIN, "validate", "--no-such-flag", str(valid_doc)).returncode == 2


# The schema half next to the reference implementation: Python jsonschema's
# Draft202012Validator with a registry of the version's schema files (what the spec's
# conformance/jsonschema_dingus.py does), on the 0.4 / 0.5 suites and the 0.6-dev attributes
# corpus. ngff picks the schema by what the document holds (image.schema for multiscales, ...);
# these cases are judged differently on purpose:
SCHEMA_ORACLE_EXCEPTIONS = {
    # "version": "0.3" in a 0.4-shaped image: ngff judges 0.1-0.3 by its typed model only (they
    # have no schemas); the model rejects this one (rule model), so the verdict agrees.
    "0.4/image_suite/invalid/invalid_version.json",
    # No "version" under "ome": ngff cannot tell which version's schemas apply; the typed model
    # reports the missing version (so the verdict agrees).
    "0.6-dev/attributes/spec/invalid/scene/scene_missing_version.json",
}


def schema_registry(version_dir: Path):
    import referencing
    import referencing.jsonschema
    resources = []
    for f in sorted((version_dir / "schemas").glob("*.schema")):
        schema = json.loads(f.read_text())
        if f.name == "_version.schema" and schema.get("enum") == ["0.6rc0"]:
            schema["enum"] = ["0.6", "0.6rc0"]  # as ngff widens it
        resources.append((schema["$id"], referencing.Resource.from_contents(
            schema, default_specification=referencing.jsonschema.DRAFT202012)))
    return referencing.Registry().with_resources(resources)


def oracle_valid(registry, schema_id: str, data) -> bool:
    import jsonschema
    schema = registry[schema_id].contents
    return jsonschema.Draft202012Validator(schema, registry=registry).is_valid(data)


def ngff_schema_valid(report: dict, strict: bool) -> bool:
    return not any(p["rule"].startswith("schema:") or p["rule"] == "0.6/io-string-form"
                   or (strict and p["rule"].startswith("schema-strict:"))
                   for p in report["problems"])


def test_schema_half_agrees_with_jsonschema(spec_dir, tmp_path):
    pytest.importorskip("jsonschema")
    pytest.importorskip("referencing")
    cases = []  # (id, document, schema $id, strict)
    for version in ("0.4", "0.5"):
        registry = schema_registry(spec_dir / version)
        ids = {Path(i).name: i for i in registry}
        for f in sorted((spec_dir / version / "tests").glob("*_suite.json")):
            suite = json.loads(f.read_text())
            schema = ids[Path(suite["schema"]["id"]).name]
            for t in suite["tests"]:
                cases.append((f"{version}/{f.stem}/{t.get('formerly', t.get('description'))}",
                              t["data"], registry, schema, f.stem.startswith("strict_")))
    registry = schema_registry(spec_dir / "0.6-dev")
    ids = {Path(i).name: i for i in registry}
    root = spec_dir / "0.6-dev" / "tests" / "attributes"
    for f in sorted(root.rglob("*.json")):
        strict = f.relative_to(root).parts[0] == "strict"
        doc = json.loads(f.read_text())
        doc.pop("_conformance", None)
        cases.append((f"0.6-dev/attributes/{f.relative_to(root)}", doc, registry,
                      ids["strict_ome_zarr.schema" if strict else "ome_zarr.schema"], strict))
    differ = []
    for i, (case_id, data, reg, schema, strict) in enumerate(cases):
        path = tmp_path / f"{i}.json"
        path.write_text(json.dumps(data))
        ours = ngff_schema_valid(validate_json(path, *(["--strict"] if strict else [])), strict)
        if ours != oracle_valid(reg, schema, data):
            differ.append(case_id)
    print(f"\nschema half vs jsonschema: {len(cases)} cases, {len(cases) - len(differ)} agree; "
          f"differ: {differ}")
    assert set(differ) == SCHEMA_ORACLE_EXCEPTIONS


# (c) -----------------------------------------------------------------------------------------

def strict_gaps(report: dict) -> set:
    return {(p["rule"].split("#")[0], p["message"]) for p in report["problems"]}


@pytest.mark.parametrize("version", VERSIONS)
def test_what_ngff_writes_is_clean_strict_and_deep(version, tmp_path):
    written = []
    for sample in ("volume", "rgb", "timelapse", "plane", "plate"):
        written.append(ngff_create(tmp_path / f"{sample}.zarr", version, sample=sample,
                                   levels=2))
    if version == "0.5":
        written.append(ngff_create(tmp_path / "sharded.zarr", version, sample="plane",
                                   levels=2, extra=("--chunks", "64,64", "--shards",
                                                    "128,128")))
    data = np.arange(2 * 64 * 64, dtype=np.uint16).reshape(2, 64, 64)
    plate = tmp_path / "py-plate.zarr"
    ngff.write_plate(plate, {"A/1": [data, data], "B/2": data}, version=version, axes="cyx",
                     name="plate", acquisitions=[{"id": 0, "name": "a", "maximumfieldcount": 2}],
                     levels=2)
    written.append(plate)
    image = tmp_path / "py-image.zarr"
    ngff.write_image(image, data, axes="cyx", ome_version=version, levels=2)
    labels = (data[0] % 3).astype(np.uint8)
    ngff.write_labels(image, "cells", labels, colors={1: (255, 0, 0, 255), 2: (0, 255, 0, 255)})
    written.append(image)
    # Nothing short of --strict (label images get colours for their values when given none)...
    known = set()
    if find_spec_dir() is None:  # then one warning says the schemas were not found
        known |= {(p["rule"], p["message"]) for p in validate_json(written[0])["problems"]
                  if p["rule"] == "schema/unavailable"}
    for path in written:
        out = validate_json(path, "--strict", "--deep")
        gaps = strict_gaps(out)
        assert out["counts"]["error"] == 0, (path, out["problems"])
        assert gaps <= known, (path, out["problems"])
        assert out["valid"] or gaps, (path, out)


# (d) -----------------------------------------------------------------------------------------

def rules_of(report: dict) -> list[str]:
    """The rules of the problems, but for schema/unavailable (when the schemas are absent)."""
    return sorted(p["rule"] for p in report["problems"] if p["rule"] != "schema/unavailable")


def test_deep_finds_missing_and_corrupt_chunks(tmp_path):
    data = np.random.default_rng(0).integers(1, 255, (64, 64), dtype=np.uint8)
    url = tmp_path / "img.zarr"
    ngff.write_image(url, data, axes="yx", chunks=(32, 32), levels=1, ome_version="0.5")
    assert validate_json(url, "--deep")["valid"]
    (url / "0" / "c" / "0" / "0").unlink()
    out = validate_json(url, "--deep")
    # Absent chunks are legal Zarr (the fill value): reported, valid even under --strict.
    assert out["valid"] and validate_json(url, "--deep", "--strict")["valid"]
    assert rules_of(out) == ["deep/chunk-missing"]
    assert out["problems"][0]["severity"] == "info" and out["counts"]["info"] == 1
    (url / "0" / "c" / "1" / "1").write_bytes(b"\x28\xb5\x2f\xfd garbage")
    out = validate_json(url, "--deep")
    assert not out["valid"]
    assert rules_of(out) == ["deep/chunk-decode", "deep/chunk-missing"], out["problems"]
    assert "c/1/1" in next(p["message"] for p in out["problems"]
                           if p["rule"] == "deep/chunk-decode")
    # Without --deep the chunks are not read.
    assert validate_json(url)["valid"]
    # The human form: one line per problem, then the verdict; exit 1.
    r = run(NGFF_BIN, "validate", "--deep", "--quiet", str(url))
    assert r.returncode == 1
    lines = r.stdout.strip().splitlines()
    assert lines[-1].startswith("invalid: 1 error"), r.stdout
    assert any(line.startswith("error ") and "deep/chunk-decode" in line for line in lines)
