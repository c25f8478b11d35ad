"""The Python package's images: open_image/levels/to_numpy/to_dask/to_xarray against
ome-zarr-py's interpretation of the same metadata; write_image from numpy, dask and xarray."""

import numpy as np
import pytest
import zarr

import ngff


def ramp(shape, dtype="uint16"):
    return (np.arange(np.prod(shape)) % 4000).astype(dtype).reshape(shape)


@pytest.mark.parametrize("version", ["0.4", "0.5"])
def test_write_numpy_and_read_back(tmp_path, version):
    x = ramp((2, 8, 40, 48))
    img = ngff.write_image(tmp_path / "i.zarr", x, axes="czyx", scale=(1, 2.0, 0.5, 0.5),
                           units={"x": "micrometer", "y": "micrometer", "z": "micrometer"},
                           levels=3, method="mean", ome_version=version)
    again = ngff.open_image(tmp_path / "i.zarr")
    assert again.version == version and len(again) == 3 and again.dims == ("c", "z", "y", "x")
    assert np.array_equal(again[0].to_numpy(), x)
    assert np.array_equal(again[0].to_numpy((1, slice(2, 5), 3)), x[1, 2:5, 3])
    assert again[1].shape == (2, 4, 20, 24) and again[2].scale == (1, 8.0, 2.0, 2.0)
    assert again[2].translation == (0, (8.0 - 2.0) / 2, (2.0 - 0.5) / 2, (2.0 - 0.5) / 2)
    assert again.units == {"z": "micrometer", "y": "micrometer", "x": "micrometer"}
    xa = again[0].to_xarray()
    assert xa.coords["x"].attrs["units"] == "micrometer"
    assert list(xa.coords["c"].values) == [0, 1]
    assert np.array_equal(again[1].to_dask().compute(), again[1].to_numpy())
    assert img.url == again.url


def test_xarray_coords_equal_ome_zarr_py_interpretation(tmp_path):
    """ome-zarr-py writes the image; its Reader gives the transforms; our xarray coords must be
    translation + index * scale of those transforms. (ome-zarr-py drops the axes' units here,
    so units in attrs are checked in test_write_numpy_and_read_back.)"""
    from ome_zarr.format import FormatV05
    from ome_zarr.io import parse_url
    from ome_zarr.reader import Reader
    from ome_zarr.writer import write_image
    path = tmp_path / "peer.zarr"
    root = zarr.open_group(path, mode="w", zarr_format=3)
    x = ramp((2, 16, 64, 64))
    transforms = [[{"type": "scale", "scale": [1, 2.0, 0.25 * 2**k, 0.25 * 2**k]},
                   {"type": "translation", "translation": [0, 5.0, 10.0, -3.0]}]
                  for k in range(3)]
    write_image(x, root, axes=[{"name": "c", "type": "channel"}] +
                [{"name": n, "type": "space", "unit": "micrometer"} for n in "zyx"],
                fmt=FormatV05(), scale_factors=(2, 4), coordinate_transformations=transforms)
    node = list(Reader(parse_url(str(path)))())[0]
    img = ngff.open_image(path)
    assert len(img) == len(node.data) == 3
    for k, level in enumerate(img):
        ct = node.metadata["coordinateTransformations"][k]
        scale = next(t["scale"] for t in ct if t["type"] == "scale")
        trans = next(t["translation"] for t in ct if t["type"] == "translation")
        xa = level.to_xarray()
        assert xa.dims == ("c", "z", "y", "x")
        for i, d in enumerate("zyx", start=1):
            expected = trans[i] + np.arange(level.shape[i]) * scale[i]
            assert np.allclose(xa.coords[d].values, expected), (k, d)
            assert xa.coords[d].attrs["type"] == "space"
        assert np.array_equal(xa.values, np.asarray(node.data[k]))


def test_write_dask_and_xarray_inputs(tmp_path):
    import dask.array as da
    import xarray as xr
    x = ramp((3, 50, 70), "float32")
    d = da.from_array(x, chunks=(1, 25, 35))
    img = ngff.write_image(tmp_path / "d.zarr", d, axes="zyx", scale=(2.0, 0.5, 0.5), levels=2,
                           chunks=(1, 16, 16), method="mean")
    ref = ngff.write_image(tmp_path / "n.zarr", x, axes="zyx", scale=(2.0, 0.5, 0.5), levels=2,
                           chunks=(1, 16, 16), method="mean")
    for a, b in zip(img, ref):
        assert a.shape == b.shape and a.scale == b.scale and a.translation == b.translation
        assert np.array_equal(a.to_numpy(), b.to_numpy())
    xa = img[0].to_xarray()
    back = ngff.write_image(tmp_path / "x.zarr", xa, levels=1)
    assert back.dims == ("z", "y", "x") and back.scale == (2.0, 0.5, 0.5)
    assert back.units == {}
    assert np.array_equal(back[0].to_numpy(), x)
    assert isinstance(xr.DataArray, type)


def test_errors_name_the_problem(tmp_path):
    with pytest.raises(ngff.KeyNotFoundError):
        ngff.open_image(tmp_path / "nothing.zarr")
    zarr.open_group(tmp_path / "plain.zarr", mode="w", zarr_format=3)
    with pytest.raises(ngff.ValidationError) as e:
        ngff.open_image(tmp_path / "plain.zarr")
    assert "multiscales" in str(e.value)
    with pytest.raises(ngff.UsageError):
        ngff.write_image(tmp_path / "w.zarr", np.zeros((4, 4, 4)), axes="cyx", levels=2,
                         method="nope")
