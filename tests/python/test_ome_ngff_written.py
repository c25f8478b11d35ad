"""Images that ngff writes (`ngff create`, OME-NGFF 0.4 and 0.5) are read by the real peers:

  * ome-zarr-py's Reader sees ngff's axes, per-level coordinateTransformations, shapes, voxels,
    omero channels and labels;
  * ome-zarr-models validates the image and its labels;
  * zarr-python reads every level equal to what ngff reads;
  * the levels follow ngff's documented semantics: level k scale = scale_0 x F_k (F_k = 2**k on
    space axes, 1 on channel/time axes), shape = ceil(shape_0 / F_k), translation_0 for
    `nearest` and translation_0 + (scale_k - scale_0)/2 for the block methods; and the voxels are
    those of the method (nearest: stride; min/max: block extremes; mean: block mean +-1).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from ome_tools import (VERSIONS, ZARR_FORMAT, assert_close, axes_without_null_units,
                       check_labels_match_image, check_reader_node, check_reader_omero,
                       check_zarr_python_levels, documented_level, label_nodes, ngff_create,
                       ngff_level, ome_attributes, ome_view, read_with_ome_zarr_py, spec_names,
                       space_factors, transforms, validate_with_models)


@dataclasses.dataclass(frozen=True)
class Sample:
    sample: str
    shape: tuple
    method: str
    dtype: str | None = None
    levels: int = 3
    has_labels: bool = False

    @property
    def id(self):
        return f"{self.sample}-{'x'.join(map(str, self.shape))}-{self.method}-{self.dtype or 'default'}"


SAMPLES = [
    Sample("volume", (2, 16, 64, 64), "mean", has_labels=True),
    Sample("volume", (2, 15, 63, 65), "gaussian", "float32", has_labels=True),
    Sample("volume", (1, 16, 64, 64), "mode", "uint8", has_labels=True),
    Sample("rgb", (3, 64, 64), "nearest"),
    Sample("timelapse", (2, 2, 8, 32, 32), "max", levels=2, has_labels=True),
    Sample("plane", (64, 64), "min", "int16"),
]
PARAMS = [pytest.param((s, v), id=f"{v}-{s.id}") for v in VERSIONS for s in SAMPLES]


@dataclasses.dataclass
class Written:
    sample: Sample
    version: str
    path: object
    view: dict           # how ngff reads it back (`ngff info --json`["ome"])
    stored: dict         # the stored OME attributes document


@pytest.fixture(scope="module", params=PARAMS)
def written(request, tmp_path_factory):
    sample, version = request.param
    path = tmp_path_factory.mktemp("ngff-written") / "image.zarr"
    ngff_create(path, version, sample=sample.sample, shape=sample.shape, levels=sample.levels,
                method=sample.method, dtype=sample.dtype)
    return Written(sample, version, path, ome_view(path), ome_attributes(path))


def test_stored_metadata_is_the_documented_pyramid(written):
    s, view, stored = written.sample, written.view, written.stored
    assert view["ome_version"] == written.version
    ms = stored["multiscales"][0]
    assert stored.get("version", ms.get("version")) == written.version
    assert axes_without_null_units(view["axes"]) == ms["axes"]
    datasets = ms["datasets"]
    assert len(datasets) == len(view["levels"]) == s.levels
    scale0, translation0 = transforms(datasets[0])
    translation0 = translation0 or [0.0] * len(scale0)
    for k, (ds, level) in enumerate(zip(datasets, view["levels"])):
        factors = space_factors(ms["axes"], k)
        scale, translation = documented_level(scale0, translation0, factors, s.method)
        got_scale, got_translation = transforms(ds)
        assert_close(got_scale, scale, f"stored level {k} scale")
        assert_close(got_translation or [0.0] * len(scale), translation,
                     f"stored level {k} translation")
        assert_close(level["scale"], scale, f"ngff's level {k} scale")
        assert_close(level["translation"], translation, f"ngff's level {k} translation")
        assert ds["path"] == level["path"]
        assert level["shape"] == [math.ceil(n / f) for n, f in zip(s.shape, factors)]
        if s.dtype:
            assert level["data_type"] == s.dtype


def _block_reduce(a: np.ndarray, factors, how: str) -> np.ndarray:
    """Block statistic over `factors`, partial edge blocks included (padded so they don't
    count)."""
    shape = [math.ceil(n / f) for n, f in zip(a.shape, factors)]
    pad = [(0, s * f - n) for s, f, n in zip(shape, factors, a.shape)]
    if how == "mean":
        x = np.pad(a.astype(np.float64), pad, constant_values=np.nan)
    else:
        info = np.iinfo(a.dtype) if a.dtype.kind in "iu" else np.finfo(a.dtype)
        x = np.pad(a, pad, constant_values=info.min if how == "max" else info.max)
    blocked = x.reshape([v for s, f in zip(shape, factors) for v in (s, f)])
    axes = tuple(range(1, 2 * a.ndim, 2))
    return {"mean": np.nanmean, "max": np.max, "min": np.min}[how](blocked, axis=axes)


def test_level_voxels_follow_the_method(written, scratch):
    s, view = written.sample, written.view
    base = ngff_level(written.path, view["levels"][0], scratch)
    for k, level in enumerate(view["levels"][1:], start=1):
        got = ngff_level(written.path, level, scratch)
        factors = space_factors(view["axes"], k)
        if s.method == "nearest":
            np.testing.assert_array_equal(got, base[tuple(slice(None, None, f) for f in factors)])
        elif s.method in ("min", "max"):
            np.testing.assert_array_equal(got, _block_reduce(base, factors, s.method))
        elif s.method == "mean" and all(n % f == 0 for n, f in zip(s.shape, factors)):
            # cascaded (level k from level k-1) and rounded: within one unit of the block mean
            diff = np.abs(got.astype(np.float64) - _block_reduce(base, factors, "mean"))
            assert diff.max() <= 1.0, f"level {k}: mean off by {diff.max()}"
        else:  # gaussian, mode: a reference lives in test_downsample_reference.py
            assert got.dtype == base.dtype and got.shape == tuple(level["shape"])


def test_ome_zarr_py_reads_image(written, scratch):
    nodes = read_with_ome_zarr_py(written.path)
    image = nodes[0]
    assert "Multiscales" in spec_names(image) and "Label" not in spec_names(image)
    check_reader_node(image, written.view, written.path, scratch)
    if written.view.get("channels"):
        check_reader_omero(image, written.view["channels"])


def test_ome_zarr_py_reads_labels(written, scratch):
    s, view = written.sample, written.view
    assert bool(view.get("labels")) == s.has_labels, f"labels: {view.get('labels')}"
    if not s.has_labels:
        return
    found = label_nodes(read_with_ome_zarr_py(written.path))
    assert sorted(found) == sorted(view["labels"])
    for name, node in found.items():
        label_path = written.path / "labels" / name
        label_view = ome_view(label_path)
        assert label_view["is_label"] is True
        assert ome_attributes(label_path)["image-label"]["source"]["image"] == "../../"
        check_reader_node(node, label_view, label_path, scratch)
    check_labels_match_image(written.path)


def test_ome_zarr_models_validates(written):
    image = validate_with_models(written.path, written.version)
    assert len(image.datasets[0]) == written.sample.levels
    if written.version == "0.4":
        assert image.attributes.multiscales[0].version == "0.4"
    else:
        assert image.ome_attributes.version == "0.5"


def test_zarr_python_reads_every_level(written, scratch):
    check_zarr_python_levels(written.path, written.view, written.version, scratch)
    for name in written.view.get("labels", []):
        label_path = written.path / "labels" / name
        check_zarr_python_levels(label_path, ome_view(label_path), written.version, scratch)


@pytest.mark.parametrize("version", VERSIONS)
def test_zarr_format_follows_the_ome_version(version, tmp_path):
    path = ngff_create(tmp_path / "i.zarr", version, shape=(1, 8, 32, 32), levels=2)
    names = {p.name for p in path.iterdir()}
    assert ("zarr.json" in names) == (ZARR_FORMAT[version] == 3)
    assert (".zattrs" in names and ".zgroup" in names) == (ZARR_FORMAT[version] == 2)
