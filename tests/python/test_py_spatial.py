"""ngff images as spatial images and multiscale-spatial-image DataTrees, and write_image taking
them back: voxels, scales, translations, units and channel names kept, levels written as they
are. (The real spatial-image, multiscale-spatial-image and multiview-stitcher packages are tested
in tests/python_spatial, in their own venv.)"""

import dask.array as da
import numpy as np
import pytest
import xarray as xr

import ngff

UM = "micrometer"


def ramp(shape, dtype="uint16"):
    return (np.arange(np.prod(shape)) % 4000).astype(dtype).reshape(shape)


def source_image(path, version):
    return ngff.write_image(path, ramp((2, 12, 40, 48)), axes="czyx", scale=(1, 2.0, 0.5, 0.25),
                            translation=(0, 10.0, -3.0, 4.5), units={"z": UM, "y": UM, "x": UM},
                            levels=3, ome_version=version,
                            omero={"channels": [{"label": "DAPI"}, {"label": "GFP"}]})


def assert_same_image(a, b):
    assert len(a) == len(b) and a.dims == b.dims and a.units == b.units
    assert a.channel_labels() == b.channel_labels()
    for la, lb in zip(a, b):
        assert la.shape == lb.shape and la.dtype == lb.dtype
        assert la.scale == pytest.approx(lb.scale) and la.translation == pytest.approx(
            lb.translation)
        assert np.array_equal(la.to_numpy(), lb.to_numpy())


@pytest.mark.parametrize("version", ["0.4", "0.5"])
def test_image_to_datatree_and_back(tmp_path, version):
    img = source_image(tmp_path / "a.ome.zarr", version)
    tree = img.to_multiscale_spatial_image()
    assert sorted(tree.children) == ["scale0", "scale1", "scale2"]
    level1 = tree["scale1/image"]
    assert level1.name == "image" and level1.dims == ("c", "z", "y", "x")
    assert isinstance(level1.data, da.Array)  # lazy
    assert list(level1.c.values) == ["DAPI", "GFP"]
    assert level1.x.attrs["units"] == UM and level1.x.attrs["long_name"] == "x"
    np.testing.assert_allclose(level1.x.values, img[1].translation[3] + np.arange(
        img[1].shape[3]) * img[1].scale[3])
    assert tree.attrs["multiscales"][0]["axes"][1]["name"] == "z"
    assert tree.attrs["omero"]["channels"][1]["label"] == "GFP"
    assert tree.attrs["ngff_url"] == img.url

    back = ngff.write_image(tmp_path / "b.ome.zarr", tree, ome_version=version)
    assert back.version == version
    assert_same_image(back, img)
    # The levels were written as they are, not recomputed (nothing in the tree says how they
    # were made, so the multiscale has no "type").
    assert "type" not in back.metadata["multiscales"][0]
    # open_multiscale_spatial_image is the same tree
    again = ngff.open_multiscale_spatial_image(tmp_path / "b.ome.zarr")
    xr.testing.assert_identical(again["scale2/image"].compute(), tree["scale2/image"].compute())


def test_datatree_levels_written_as_given(tmp_path):
    """A tree made by hand: numpy and dask levels, odd factors and offsets, a level whose z has
    one voxel (its scale from the shape ratio), children in any order."""
    def level(data, z0, dz, y0, dy):
        return xr.Dataset({"image": xr.DataArray(
            data, dims=("z", "y"), coords={
                "z": ("z", z0 + dz * np.arange(data.shape[0]), {"units": "nanometer"}),
                "y": ("y", y0 + dy * np.arange(data.shape[1]), {"units": "nanometer"})})})

    full = ramp((3, 30), "float32")
    coarse = da.from_array(full[:1, ::3] * 2, chunks=(1, 4))
    tree = xr.DataTree.from_dict({"scale1": level(coarse, 5.0, 1.0, 1.5, 1.5),
                                  "scale0": level(full, 4.0, 1.0, 1.0, 0.5)})
    img = ngff.write_image(tmp_path / "t.ome.zarr", tree, chunks=(1, 8))
    assert [lv.shape for lv in img] == [(3, 30), (1, 10)]
    assert img[0].scale == (1.0, 0.5) and img[0].translation == (4.0, 1.0)
    assert img[1].scale == (3.0, 1.5) and img[1].translation == (5.0, 1.5)
    assert img.units == {"z": "nanometer", "y": "nanometer"}
    assert np.array_equal(img[1].to_numpy(), full[:1, ::3] * 2)
    assert ngff.open_array(img[1].url).chunks == (1, 8)


def test_spatial_image_input_keeps_channel_names_and_units(tmp_path):
    img = source_image(tmp_path / "a.ome.zarr", "0.5")
    sim = img[0].to_spatial_image()
    sliced = sim.isel(x=slice(8, None))  # attrs stay as they were; the coordinates are right
    out = ngff.write_image(tmp_path / "s.ome.zarr", sliced, levels=2)
    assert out.channel_labels() == ["DAPI", "GFP"] and out.units == img.units
    assert out.scale == img.scale
    assert out.translation == pytest.approx(
        img.translation[:3] + (img.translation[3] + 8 * img.scale[3],))
    assert np.array_equal(out[0].to_numpy(), img[0].to_numpy()[..., 8:])


def test_spatial_image_needs_tczyx_dims(tmp_path):
    img = ngff.write_image(tmp_path / "o.ome.zarr", ramp((4, 16, 16)),
                           axes=[{"name": n, "type": "space"} for n in ("angle", "y", "x")],
                           levels=1)
    with pytest.raises(ValueError, match="dims among t, c, z, y, x"):
        img[0].to_spatial_image()
    assert img[0].to_xarray().dims == ("angle", "y", "x")  # the general view still works


def test_bad_trees_are_refused_before_writing(tmp_path):
    a = xr.DataArray(ramp((8, 8)), dims=("y", "x"))
    growing = xr.DataTree.from_dict({"scale0": xr.Dataset({"image": a[:4]}),
                                     "scale1": xr.Dataset({"image": a})})
    with pytest.raises(ngff.UsageError, match="level 1 on axis 'y'.*larger"):
        ngff.write_image(tmp_path / "g.ome.zarr", growing)
    assert not (tmp_path / "g.ome.zarr").exists()
    mixed = xr.DataTree.from_dict({"scale0": xr.Dataset({"image": a}),
                                   "scale1": xr.Dataset({"image": a.rename(y="z")})})
    with pytest.raises(ngff.UsageError, match="level 1 has dims"):
        ngff.write_image(tmp_path / "m.ome.zarr", mixed)
    two = xr.DataTree.from_dict({"scale0": xr.Dataset({"p": a, "q": a})})
    with pytest.raises(ValueError, match="one variable"):
        ngff.write_image(tmp_path / "v.ome.zarr", two)
    with pytest.raises(ValueError, match="no levels"):
        ngff.write_image(tmp_path / "e.ome.zarr", xr.DataTree())
    tree = xr.DataTree.from_dict({"scale0": xr.Dataset({"image": a})})
    with pytest.raises(ngff.UsageError, match="zip"):
        ngff.write_image(tmp_path / "z.ozx", tree)
