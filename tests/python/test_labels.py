"""Label images through the Python package: ngff.write_labels (numpy, dask, xarray) into an image
written by ngff, read back by ome-zarr-py's Reader and validated by ome-zarr-models; label images
that ome-zarr-py writes (write_labels with colors and properties) read by ngff with equal voxels
and metadata; img.labels as a mapping with the images' views; label pyramids only by mode or
nearest."""

from __future__ import annotations

import numpy as np
import pytest
import zarr

import ngff
from ome_tools import (VERSIONS, ZARR_FORMAT, label_nodes, ome_attributes, read_with_ome_zarr_py,
                       validate_with_models)

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore:Scale value not provided:UserWarning")]

COLORS = {1: (255, 0, 0, 255), 2: (0, 255, 0, 128), 3: (0, 0, 255, 255)}
PROPERTIES = {1: {"class": "nucleus", "area": 120}, 2: {"class": "cytoplasm"},
              3: {"class": "background", "score": 0.5}}


def segmentation(shape, seed=0, dtype="uint32"):
    """Blocky labels 0..3 (blocks of 4 voxels, so mode and nearest levels differ little)."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 4, tuple(max(1, (s + 3) // 4) for s in shape))
    full = coarse
    for axis in range(len(shape)):
        full = np.repeat(full, 4, axis=axis)
    return full[tuple(slice(0, s) for s in shape)].astype(dtype)


def image_with_labels(path, version, labels=None, **kwargs):
    data = (np.arange(2 * 8 * 32 * 32) % 1000).astype("uint16").reshape(2, 8, 32, 32)
    img = ngff.write_image(path, data, axes="czyx", scale=(1, 2.0, 0.5, 0.5),
                           units={"z": "micrometer", "y": "micrometer", "x": "micrometer"},
                           levels=3, ome_version=version)
    labels = segmentation((8, 32, 32)) if labels is None else labels
    cells = ngff.write_labels(img, "cells", labels, colors=COLORS, properties=PROPERTIES,
                              **kwargs)
    return img, labels, cells


@pytest.mark.parametrize("version", VERSIONS)
def test_ngff_labels_read_by_ome_zarr_py_and_valid_for_models(tmp_path, version):
    path = tmp_path / "image.zarr"
    img, labels, cells = image_with_labels(path, version)
    assert len(cells) == len(img) == 3, "a label pyramid has the image's levels by default"
    assert cells.dims == ("z", "y", "x") and cells.scale == (2.0, 0.5, 0.5)
    assert cells[2].scale == img[2].scale[1:]

    stored = ome_attributes(path / "labels" / "cells")["image-label"]
    assert stored["colors"][1] == {"label-value": 2, "rgba": [0, 255, 0, 128]}
    assert stored["source"] == {"image": "../../"}
    assert ("version" in stored) == (version == "0.4")
    assert ome_attributes(path / "labels")["labels"] == ["cells"]

    nodes = label_nodes(read_with_ome_zarr_py(path / "labels" / "cells"))
    node = nodes["cells"]
    assert np.array_equal(np.asarray(node.data[0]), labels)
    for k, level in enumerate(cells):
        assert np.array_equal(np.asarray(node.data[k]), level.to_numpy()), f"level {k}"
    assert node.metadata["color"] == {k: [c / 255 for c in v] for k, v in COLORS.items()}
    assert node.metadata["properties"] == PROPERTIES
    # The image's Reader walk finds the label image too.
    image_nodes = read_with_ome_zarr_py(path)
    assert "cells" in label_nodes(image_nodes)

    validate_with_models(path, version)


@pytest.mark.parametrize("version", VERSIONS)
def test_ome_zarr_py_labels_read_by_ngff(tmp_path, version):
    from ome_zarr.format import FormatV04, FormatV05
    from ome_zarr.writer import write_image, write_labels

    fmt = FormatV04() if version == "0.4" else FormatV05()
    path = tmp_path / "peer.zarr"
    root = zarr.open_group(str(path), mode="w", zarr_format=ZARR_FORMAT[version])
    data = (np.arange(2 * 8 * 64 * 64) % 999).astype("uint16").reshape(2, 8, 64, 64)
    write_image(data, root, axes="czyx", fmt=fmt)
    labels = segmentation((8, 64, 64), seed=5, dtype="uint16")
    metadata = {"colors": [{"label-value": k, "rgba": list(v)} for k, v in COLORS.items()],
                "properties": [{"label-value": k, **v} for k, v in PROPERTIES.items()]}
    write_labels(labels, root, name="nuclei", axes="zyx", fmt=fmt, label_metadata=metadata)

    img = ngff.open_image(path)
    assert list(img.labels) == ["nuclei"] and len(img.labels) == 1 and "nuclei" in img.labels
    nuclei = img.labels["nuclei"]
    assert isinstance(nuclei, ngff.LabelImage)
    assert nuclei.colors == COLORS
    assert nuclei.properties == PROPERTIES
    # ome-zarr-py writes no "source"; ngff gives what is stored
    assert nuclei.source == ome_attributes(path / "labels" / "nuclei")["image-label"].get("source")
    assert np.array_equal(nuclei[0].to_numpy(), labels)
    peer = zarr.open_group(str(path / "labels" / "nuclei"), mode="r")
    for k, level in enumerate(nuclei):
        assert np.array_equal(level.to_numpy(), peer[level.path][...]), f"level {k}"
    assert np.array_equal(img.label("nuclei")[1].to_numpy(), nuclei[1].to_numpy())


def test_labels_mapping_has_the_image_views(tmp_path):
    img, labels, _ = image_with_labels(tmp_path / "i.zarr", "0.5")
    again = ngff.open_image(tmp_path / "i.zarr")
    assert dict(again.labels).keys() == {"cells"}
    cells = again.labels["cells"]
    xa = cells[0].to_xarray()
    assert xa.dims == ("z", "y", "x") and xa.x.attrs["units"] == "micrometer"
    assert np.array_equal(xa.values, labels)
    assert np.array_equal(cells[1].to_dask().compute(), cells[1].to_numpy())
    with pytest.raises(KeyError, match="no label image 'nope'"):
        again.labels["nope"]
    assert list(ngff.open_image(tmp_path / "i.zarr" / "labels" / "cells").labels) == []


def test_dask_and_xarray_input_equal_numpy(tmp_path):
    import dask.array as da
    import xarray as xr

    img, labels, cells = image_with_labels(tmp_path / "i.zarr", "0.4", method="nearest")
    lazy = ngff.write_labels(img, "lazy", da.from_array(labels, chunks=(4, 16, 16)),
                             colors=COLORS, method="nearest")
    xa = ngff.write_labels(img, "xa", xr.DataArray(labels, dims=("z", "y", "x")),
                           method="nearest")
    for k in range(len(cells)):
        assert np.array_equal(lazy[k].to_numpy(), cells[k].to_numpy()), f"dask level {k}"
        assert np.array_equal(xa[k].to_numpy(), cells[k].to_numpy()), f"xarray level {k}"
    assert lazy.colors == COLORS and lazy.properties == {}
    assert list(ngff.open_image(tmp_path / "i.zarr").labels) == ["cells", "lazy", "xa"]
    # The list form of colors and properties, and labels with a channel axis of extent 1.
    ngff.write_labels(img, "listed", labels[np.newaxis], axes="czyx",
                      colors=[{"label-value": 1, "rgba": [1, 2, 3, 4]}],
                      properties=[{"label-value": 1, "kind": "x"}], source={"image": "../../"})
    listed = ngff.open_image(tmp_path / "i.zarr").labels["listed"]
    assert listed.colors == {1: (1, 2, 3, 4)} and listed.properties == {1: {"kind": "x"}}


@pytest.mark.parametrize("method", ["mean", "gaussian", "min", "max"])
def test_label_pyramids_only_by_mode_or_nearest(tmp_path, method):
    import dask.array as da

    img, labels, _ = image_with_labels(tmp_path / "i.zarr", "0.5")
    for data in (labels, da.from_array(labels, chunks=8)):
        with pytest.raises(ngff.UsageError, match="mode or nearest") as err:
            ngff.write_labels(img, "bad", data, method=method)  # type: ignore[arg-type]
        assert isinstance(err.value, ValueError)
    assert list(ngff.open_image(tmp_path / "i.zarr").labels) == ["cells"]
    assert not (tmp_path / "i.zarr" / "labels" / "bad").exists()


def test_label_images_hold_integers_and_fit_the_image(tmp_path):
    img, labels, _ = image_with_labels(tmp_path / "i.zarr", "0.5")
    with pytest.raises(ngff.UsageError, match="integers"):
        ngff.write_labels(img, "float", labels.astype("float32"))
    with pytest.raises(ngff.UsageError, match="axis 'y' has 16 voxels"):
        ngff.write_labels(img, "small", labels[:, :16])
    with pytest.raises(ngff.UsageError, match="name the label axes"):
        ngff.write_labels(img, "flat", labels[0])
    with pytest.raises(ngff.NgffError, match="already exists"):
        ngff.write_labels(img, "cells", labels)
    ngff.write_labels(img, "cells", labels + 1, overwrite=True)
    assert np.array_equal(ngff.open_image(tmp_path / "i.zarr").labels["cells"][0].to_numpy(),
                          labels + 1)
    assert list(ngff.open_image(tmp_path / "i.zarr").labels) == ["cells"]
