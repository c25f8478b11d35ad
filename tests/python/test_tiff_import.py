"""`ngff convert` of TIFF, BigTIFF and OME-TIFF files and stacks of 2-D TIFFs, all written by
tifffile: the OME-Zarr holds the source's voxels (as tifffile decodes them) and its metadata,
and ome-zarr-py, zarr-python and ome-zarr-models read and accept it."""

import subprocess

import numpy as np
import pytest
import tifffile
import zarr

import ngff
from ngff_tools import NGFF_BIN
from ome_tools import read_with_ome_zarr_py, validate_with_models

UM = "micrometer"


def ramp(shape, dtype="uint16"):
    return (np.arange(np.prod(shape)) % 3000).astype(dtype).reshape(shape)


def convert(src, dst, *args, ok=True):
    r = subprocess.run([NGFF_BIN, "convert", str(src), str(dst), "-q", *map(str, args)],
                       capture_output=True, text=True, timeout=600)
    if ok:
        assert r.returncode == 0, r.stderr
    return r


def check_readers(path, version, expected0):
    """ome-zarr-models validates; ome-zarr-py and zarr-python read level 0 equal."""
    validate_with_models(path, version)
    node = read_with_ome_zarr_py(path)[0]
    assert np.array_equal(np.asarray(node.data[0]), expected0)
    z = zarr.open_group(str(path), mode="r")
    assert np.array_equal(z["0"][...], expected0)


LAYOUTS = {
    "tiled-zlib": dict(tile=(32, 32), compression="zlib"),
    "strips-lzw": dict(rowsperstrip=7, compression="lzw"),
    "strips-packbits": dict(rowsperstrip=16, compression="packbits"),
    "tiled-zstd": dict(tile=(16, 48), compression="zstd"),
    "uncompressed-bigtiff": dict(bigtiff=True),
    "predictor-deflate": dict(compression="deflate", predictor=True),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("version", ["0.4", "0.5"])
def test_multipage_stacks_every_layout_and_compression(tmp_path, layout, version):
    x = ramp((5, 70, 90))
    src = tmp_path / "s.tif"
    tifffile.imwrite(src, x, **LAYOUTS[layout])
    dst = tmp_path / "s.ome.zarr"
    convert(src, dst, "--levels", 2, "--ome-version", version)
    img = ngff.open_image(dst)
    assert img.dims == ("z", "y", "x") and len(img) == 2
    assert np.array_equal(img[0].to_numpy(), x)
    check_readers(dst, version, x)


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "uint32", "int32", "float32",
                                   "float64"])
def test_sample_formats(tmp_path, dtype):
    x = (ramp((3, 20, 30)) - 1000).astype(dtype)
    tifffile.imwrite(tmp_path / "d.tif", x, tile=(16, 16), photometric="minisblack")
    convert(tmp_path / "d.tif", tmp_path / "d.ome.zarr", "--levels", 1)
    level = ngff.open_image(tmp_path / "d.ome.zarr")[0]
    assert level.dtype == np.dtype(dtype) and np.array_equal(level.to_numpy(), x)


@pytest.mark.parametrize("planar", ["contig", "separate"])
def test_rgb_samples_become_channels(tmp_path, planar):
    rgb = ramp((40, 50, 3), "uint8")
    data = rgb if planar == "contig" else np.moveaxis(rgb, -1, 0)
    tifffile.imwrite(tmp_path / "c.tif", data, photometric="rgb", planarconfig=planar,
                     tile=(16, 16))
    convert(tmp_path / "c.tif", tmp_path / "c.ome.zarr", "--levels", 2)
    img = ngff.open_image(tmp_path / "c.ome.zarr")
    assert img.dims == ("c", "y", "x")
    assert np.array_equal(img[0].to_numpy(), np.moveaxis(rgb, -1, 0))


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("planar", ["gray", "contig", "separate"])
def test_a_single_plane_is_read_in_bands_as_tifffile_decodes_it(tmp_path, layout, planar):
    """A region of one page is decoded in bands of whole tile rows (strips), on every core: any
    region, at any offset, and a conversion whose blocks start inside tiles, equal tifffile's."""
    gray = planar == "gray"
    x = ramp((300, 410) if gray else (300, 410, 3), "uint16" if gray else "uint8")
    data = np.moveaxis(x, -1, 0) if planar == "separate" else x
    extra = {} if gray else dict(photometric="rgb", planarconfig=planar)
    tifffile.imwrite(tmp_path / "p.tif", data, **LAYOUTS[layout], **extra)
    expected = x if gray else np.moveaxis(x, -1, 0)
    tif = ngff.open_tiff(tmp_path / "p.tif")
    assert np.array_equal(tif.to_numpy(), expected)
    for rows, cols in [(slice(5, 290), slice(3, 400)), (slice(33, 34), slice(None)),
                       (slice(100, 227), slice(17, 18)), (slice(250, 300), slice(0, 410))]:
        assert np.array_equal(tif[..., rows, cols], expected[..., rows, cols])
    # A 1 MiB budget: blocks of 168 rows, which start inside tiles and strips.
    convert(tmp_path / "p.tif", tmp_path / "p.ome.zarr", "--levels", 2, "--memory", 1,
            "--chunks", "24,40" if gray else "1,24,40")
    assert np.array_equal(zarr.open_group(str(tmp_path / "p.ome.zarr"), mode="r")["0"][...],
                          expected)


@pytest.mark.parametrize("planar", ["contig", "separate"])
def test_rgb_pages_of_a_stack_read_in_bands_as_tifffile_decodes_them(tmp_path, planar):
    """Three RGB pages: a read of every sample of several z decodes each page's samples
    together, band by band, and hands each to its c plane."""
    x = ramp((3, 200, 300, 3), "uint8")
    data = np.moveaxis(x, -1, 1) if planar == "separate" else x
    tifffile.imwrite(tmp_path / "s.tif", data, photometric="rgb", planarconfig=planar,
                     tile=(32, 32), compression="zlib")
    expected = np.moveaxis(x, -1, 0)  # c, z, y, x
    tif = ngff.open_tiff(tmp_path / "s.tif")
    assert tif.dims == ("c", "z", "y", "x")
    assert np.array_equal(tif.to_numpy(), expected)
    assert np.array_equal(tif[:, 1:3, 17:190, 5:299], expected[:, 1:3, 17:190, 5:299])


@pytest.mark.parametrize("layout,expected_chunks", [(dict(tile=(240, 240)), [720, 720]),
                                                    (dict(tile=(256, 256)), [768, 768]),
                                                    (dict(tile=(1008, 1008)), [750, 750]),
                                                    (dict(tile=(560, 560)), [750, 750]),
                                                    (dict(rowsperstrip=3), [750, 750])])
def test_default_chunks_hold_whole_tiles(tmp_path, layout, expected_chunks):
    """The default chunks (about 1-2 MiB: 750 × 750 here) are rounded to whole tiles of the
    source where a chunk would cut them (a slide scanner's 240² tiles, 256² tiles under an
    image's halvings), so no tile is decoded twice. Left be: tiles larger than a chunk, tiles
    whose nearest multiple is more than a quarter away (560: 560), strips of a few rows."""
    x = ramp((1500, 1500))
    tifffile.imwrite(tmp_path / "t.tif", x, compression="zlib", **layout)
    convert(tmp_path / "t.tif", tmp_path / "t.ome.zarr", "--levels", 2)
    z = zarr.open_group(str(tmp_path / "t.ome.zarr"), mode="r")
    assert list(z["0"].chunks) == expected_chunks
    assert np.array_equal(z["0"][...], x)


def test_shards_given_alone_choose_chunks_that_divide_them(tmp_path):
    """Under --shards without --chunks, default chunks rounded to whole tiles (720 × 720 for
    240² tiles) that do not divide the shards give way to the plain default (750 × 750); shards
    that this does not divide either are an error naming both shapes, as they always were."""
    x = ramp((1500, 1500))
    tifffile.imwrite(tmp_path / "t.tif", x, tile=(240, 240), compression="zlib")
    convert(tmp_path / "t.tif", tmp_path / "t.ome.zarr", "--levels", 2, "--shards", "1440,1500")
    z = zarr.open_group(str(tmp_path / "t.ome.zarr"), mode="r")
    assert list(z["0"].shards) == [1440, 1500] and list(z["0"].chunks) == [720, 750]
    assert np.array_equal(z["0"][...], x)
    r = convert(tmp_path / "t.tif", tmp_path / "u.ome.zarr", "--shards", "1024,1500", ok=False)
    assert r.returncode != 0 and "multiple of the chunk shape [750,750]" in r.stderr


@pytest.mark.parametrize("samples,dtype", [(3, "uint16"), (4, "uint8"), (4, "uint16"),
                                           (2, "uint8"), (5, "float32")])
def test_interleaved_samples_split_into_channels(tmp_path, samples, dtype):
    """RGB(A) of 8 and 16 bits take a one-pass split; other sample counts the per-sample copy.
    Whole reads and reads of some channels, at tile edges, equal tifffile's."""
    pixels = ramp((45, 70, samples), dtype)
    extra = {"photometric": "rgb"} if samples in (3, 4) else {"photometric": "minisblack",
                                                             "planarconfig": "contig"}
    if samples == 4:
        extra["extrasamples"] = ["unassalpha"]
    tifffile.imwrite(tmp_path / "s.tif", pixels, tile=(16, 32), **extra)
    expected = np.moveaxis(tifffile.imread(tmp_path / "s.tif"), -1, 0)
    tif = ngff.open_tiff(tmp_path / "s.tif")
    assert np.array_equal(tif[...], expected)
    assert np.array_equal(tif[1:, 5:40, 3:67], expected[1:, 5:40, 3:67])
    convert(tmp_path / "s.tif", tmp_path / "s.ome.zarr", "--levels", 2)
    assert np.array_equal(ngff.open_image(tmp_path / "s.ome.zarr")[0].to_numpy(), expected)


def test_jpeg_rgb_decodes_as_tifffile_does(tmp_path):
    rgb = np.dstack([np.tile(np.linspace(0, 255, 64, dtype=np.uint8), (48, 1))] * 3)
    tifffile.imwrite(tmp_path / "j.tif", rgb, photometric="rgb", compression="jpeg",
                     tile=(16, 16))
    convert(tmp_path / "j.tif", tmp_path / "j.ome.zarr", "--levels", 1)
    ours = ngff.open_image(tmp_path / "j.ome.zarr")[0].to_numpy()
    theirs = np.moveaxis(tifffile.imread(tmp_path / "j.tif"), -1, 0)
    # Two JPEG decoders (libtiff's libjpeg, tifffile's imagecodecs) may round differently.
    assert ours.shape == theirs.shape
    assert np.abs(ours.astype(int) - theirs.astype(int)).max() <= 2


def test_ome_tiff_metadata(tmp_path):
    x = ramp((2, 3, 4, 30, 40), "float32")
    tifffile.imwrite(tmp_path / "o.ome.tif", x, ome=True, tile=(16, 16), metadata={
        "axes": "TCZYX", "PhysicalSizeX": 0.25, "PhysicalSizeY": 0.5, "PhysicalSizeZ": 2.0,
        "PhysicalSizeZUnit": "nm", "TimeIncrement": 5.0, "TimeIncrementUnit": "ms",
        "Channel": {"Name": ["DAPI", "GFP", "RFP"]}})
    dst = tmp_path / "o.ome.zarr"
    convert(tmp_path / "o.ome.tif", dst, "--levels", 2, "--ome-version", "0.4")
    img = ngff.open_image(dst)
    assert img.dims == ("t", "c", "z", "y", "x")
    assert img.scale == (5.0, 1.0, 2.0, 0.5, 0.25)
    assert img.units == {"t": "millisecond", "z": "nanometer", "y": UM, "x": UM}
    assert img.channel_labels() == ["DAPI", "GFP", "RFP"]
    assert np.array_equal(img[0].to_numpy(), x)
    check_readers(dst, "0.4", x)


@pytest.mark.parametrize("order", ["ZCT", "TZC"])
def test_ome_dimension_orders(tmp_path, order):
    """tifffile stores planes in the axes order it is given; the OME DimensionOrder says which
    page holds which (z, c, t)."""
    axes = {"ZCT": "TCZYX", "TZC": "CZTYX"}[order]
    shape = {"T": 2, "C": 3, "Z": 4, "Y": 10, "X": 12}
    x = ramp(tuple(shape[a] for a in axes))
    tifffile.imwrite(tmp_path / "d.ome.tif", x, ome=True, metadata={"axes": axes})
    convert(tmp_path / "d.ome.tif", tmp_path / "d.ome.zarr", "--levels", 1)
    got = ngff.open_image(tmp_path / "d.ome.zarr")[0].to_numpy()
    want = np.transpose(x, [axes.index(a) for a in "TCZYX"])
    assert np.array_equal(got, want)


def test_multi_series_ome_tiff_bioformats2raw_layout_or_one_series(tmp_path):
    a = ramp((5, 70, 90))
    rgb = ramp((40, 50, 3), "uint8")
    src = tmp_path / "m.ome.tif"
    with tifffile.TiffWriter(src, ome=True) as w:
        w.write(a, metadata={"axes": "ZYX", "Name": "first"})
        w.write(rgb, photometric="rgb", metadata={"axes": "YXS", "Name": "second"})
    dst = tmp_path / "m.ome.zarr"
    convert(src, dst, "--levels", 2)
    first, second = ngff.open_image(dst, series=0), ngff.open_image(dst, series=1)
    assert first.name == "first" and np.array_equal(first[0].to_numpy(), a)
    assert second.name == "second" and np.array_equal(second[0].to_numpy(),
                                                      np.moveaxis(rgb, -1, 0))
    xml = (dst / "OME" / "METADATA.ome.xml").read_text()
    assert xml == tifffile.TiffFile(src).pages[0].description
    from ome_zarr_models.v05 import Image
    Image.from_zarr(zarr.open_group(str(dst / "1"), mode="r"))
    one = tmp_path / "one.ome.zarr"
    convert(src, one, "--series", 1, "--levels", 1)
    assert ngff.open_image(one).name == "second"
    r = convert(src, tmp_path / "x.ome.zarr", "--series", 2, ok=False)
    assert r.returncode != 0 and "has 2 series; there is no series 2" in r.stderr


@pytest.mark.parametrize("how", ["glob", "folder"])
def test_stack_of_2d_files_in_natural_order(tmp_path, how):
    planes = tmp_path / "planes"
    planes.mkdir()
    x = ramp((12, 20, 24))
    for i in range(12):
        tifffile.imwrite(planes / f"plane{i}.tif", x[i])  # plane10 sorts after plane9
    src = planes / "plane*.tif" if how == "glob" else planes
    convert(src, tmp_path / "p.ome.zarr", "--levels", 1)
    img = ngff.open_image(tmp_path / "p.ome.zarr")
    assert img.dims == ("z", "y", "x") and np.array_equal(img[0].to_numpy(), x)
    convert(src, tmp_path / "t.ome.zarr", "--levels", 1, "--stack-axis", "t")
    assert ngff.open_image(tmp_path / "t.ome.zarr").dims == ("t", "y", "x")


RAW_LAYOUTS = {
    "tiles": dict(tile=(32, 48), photometric="minisblack"),
    "strips": dict(rowsperstrip=7, photometric="minisblack"),
    "planar-rgb-tiles": dict(tile=(16, 32), photometric="rgb", planarconfig="separate"),
}


@pytest.mark.parametrize("layout", sorted(RAW_LAYOUTS))
@pytest.mark.parametrize("dtype", ["uint16", "float32"])
@pytest.mark.parametrize("byteorder", ["<", ">"])
def test_uncompressed_rows_are_read_in_place(tmp_path, layout, dtype, byteorder):
    """Uncompressed strips and tiles are read row range by row range from the file rather than
    through libtiff: reads cutting blocks at every edge, of both byte orders, equal tifffile's;
    a tile the file ends inside is a clear error."""
    x = ramp((3, 45, 70), dtype)
    src = tmp_path / "raw.tif"
    tifffile.imwrite(src, x, byteorder=byteorder, **RAW_LAYOUTS[layout])
    expected = tifffile.imread(src)
    assert np.array_equal(expected, x)
    tif = ngff.open_tiff(src)
    assert np.array_equal(tif[...], x)
    assert np.array_equal(tif[1:, 5:40, 3:67], x[1:, 5:40, 3:67])
    assert np.array_equal(tif[:, 31:33, 47:49], x[:, 31:33, 47:49])
    convert(src, tmp_path / "raw.ome.zarr", "--levels", 2, "--chunks", "8,16,16")
    assert np.array_equal(ngff.open_image(tmp_path / "raw.ome.zarr")[0].to_numpy(), x)
    # Cut inside the last page's first block (a cut within padding rows would lose nothing).
    # tifffile writes a stack of strips' IFDs after all of its data: that cut breaks the chain.
    with tifffile.TiffFile(src) as t:
        cut = t.pages[-1].dataoffsets[0] + 10
        ifd_lost = any(page.offset >= cut for page in t.pages)
    (tmp_path / "cut.tif").write_bytes(src.read_bytes()[:cut])
    r = convert(tmp_path / "cut.tif", tmp_path / "cut.ome.zarr", ok=False)
    one_line_error(r, "cut.tif", "the chain of pages breaks" if ifd_lost
                   else "cannot be read (the file ends inside it)")
    assert not (tmp_path / "cut.ome.zarr").exists()


def test_bad_tiffs_are_clear_errors(tmp_path):
    x = ramp((3, 20, 30))
    tifffile.imwrite(tmp_path / "ok.tif", x, rowsperstrip=4, compression="zlib",
                     photometric="minisblack")
    data = (tmp_path / "ok.tif").read_bytes()
    (tmp_path / "trunc.tif").write_bytes(data[: len(data) // 2])
    r = convert(tmp_path / "trunc.tif", tmp_path / "t.ome.zarr", ok=False)
    assert r.returncode != 0 and "trunc.tif" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    # A stack cut inside its second page's IFD: the chain of pages breaks (not a 1-page file).
    tifffile.imwrite(tmp_path / "stack.tif", x, photometric="minisblack")
    with tifffile.TiffFile(tmp_path / "stack.tif") as t:
        second_ifd = t.pages[1].offset
    (tmp_path / "chain.tif").write_bytes((tmp_path / "stack.tif").read_bytes()[: second_ifd + 4])
    r = convert(tmp_path / "chain.tif", tmp_path / "c.ome.zarr", ok=False)
    one_line_error(r, "chain.tif", "the chain of pages breaks after page 0")
    (tmp_path / "junk.tif").write_bytes(b"not a tiff at all")
    r = convert(tmp_path / "junk.tif", tmp_path / "j.ome.zarr", ok=False)
    assert r.returncode != 0 and "junk.tif: cannot be opened as a TIFF" in r.stderr
    with tifffile.TiffWriter(tmp_path / "mixed.tif") as w:
        w.write(x[0])
        w.write(x[0, :10])
    r = convert(tmp_path / "mixed.tif", tmp_path / "m.ome.zarr", ok=False)
    assert r.returncode != 0 and "page 1 (30x10, 1 samples, uint16) differs from page 0" in r.stderr
    r = convert(tmp_path / "none*.tif", tmp_path / "n.ome.zarr", ok=False)
    assert r.returncode != 0 and "no TIFF files there" in r.stderr
    for bad in ("t.ome.zarr", "j.ome.zarr", "m.ome.zarr"):
        assert not (tmp_path / bad / "zarr.json").exists()


def write_ome_tiff(path):
    x = ramp((3, 4, 30, 40))
    tifffile.imwrite(path, x, ome=True, tile=(16, 16), metadata={
        "axes": "CZYX", "PhysicalSizeX": 0.25, "PhysicalSizeY": 0.25, "PhysicalSizeZ": 2.0,
        "Channel": {"Name": ["DAPI", "GFP", "RFP"]}})
    return x


def test_python_open_tiff_is_a_lazy_spatial_image(tmp_path):
    """ngff.open_tiff: the OME-XML's metadata, numpy/dask/xarray reads equal tifffile's, and the
    xarray view written by ngff.write_image keeps voxel size, units and channel names."""
    import pickle
    src = tmp_path / "s.ome.tif"
    x = write_ome_tiff(src)
    tif = ngff.open_tiff(src)
    assert tif.dims == ("c", "z", "y", "x") and tif.shape == x.shape and tif.dtype == x.dtype
    assert tif.scale == (1.0, 2.0, 0.25, 0.25)
    assert tif.units == {"z": UM, "y": UM, "x": UM}
    assert [c["label"] for c in tif.omero["channels"]] == ["DAPI", "GFP", "RFP"]
    assert tif.series_count == 1 and "<OME" in tif.ome_xml
    assert np.array_equal(tif[1, 2:4, ::3, 5], x[1, 2:4, ::3, 5])
    assert np.array_equal(tif.to_dask().compute(), x)
    assert np.array_equal(pickle.loads(pickle.dumps(tif)).to_numpy(), x)
    xa = tif.to_xarray()
    assert list(xa.c.values) == ["DAPI", "GFP", "RFP"] and xa.x.attrs["units"] == UM
    assert float(xa.z[1]) == 2.0
    img = ngff.write_image(tmp_path / "w.ome.zarr", xa, levels=2)
    assert img.scale == (1.0, 2.0, 0.25, 0.25) and img.units["x"] == UM
    assert img.channel_labels() == ["DAPI", "GFP", "RFP"]
    assert np.array_equal(img[0].to_numpy(), x)
    with pytest.raises(ngff.UsageError, match="stack_axis"):
        ngff.open_tiff(src, stack_axis="q")
    with pytest.raises(ngff.UsageError, match="no series 1"):
        ngff.open_tiff(src, series=1)
    with pytest.raises(ngff.NgffError):
        ngff.open_tiff(tmp_path / "missing.tif")


def test_python_convert_does_what_the_cli_does(tmp_path):
    src = tmp_path / "c.ome.tif"
    x = write_ome_tiff(src)
    out = ngff.convert(src, tmp_path / "py.ome.zarr", levels=2, method="gaussian",
                       ome_version="0.4", chunks=[1, 2, 16, 16])
    assert out["source"] == "tiff" and out["kind"] == "image" and out["images"] == 1
    convert(src, tmp_path / "cli.ome.zarr", "--levels", 2, "--method", "gaussian",
            "--ome-version", "0.4", "--chunks", "1,2,16,16")
    py, cli = ngff.open_image(tmp_path / "py.ome.zarr"), ngff.open_image(tmp_path / "cli.ome.zarr")
    assert py.metadata == cli.metadata
    for a, b in zip(py, cli):
        assert np.array_equal(a.to_numpy(), b.to_numpy())
    assert py[0].chunks == (1, 2, 16, 16)
    check_readers(tmp_path / "py.ome.zarr", "0.4", x)
    # OME-Zarr to OME-Zarr, and plain Zarr, through the same call.
    up = ngff.convert(tmp_path / "py.ome.zarr", tmp_path / "v05.ome.zarr", ome_version="0.5")
    assert up == {"source": "ome-zarr", "kind": "image", "images": 1, "labels": 0, "groups": 0,
                  "arrays": 0, "notes": []}
    assert ngff.open_image(tmp_path / "v05.ome.zarr").version == "0.5"
    plain = ngff.convert(tmp_path / "v05.ome.zarr" / "0", tmp_path / "plain.zarr", zarr_format=2)
    assert plain["source"] == "zarr" and plain["arrays"] == 1
    with pytest.raises(ngff.UsageError, match="levels and method apply"):
        ngff.convert(tmp_path / "plain.zarr", tmp_path / "nope.zarr", levels=2)
    assert not (tmp_path / "nope.zarr").exists()


def one_line_error(r, *needles):
    assert r.returncode != 0, "the conversion succeeded"
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    for needle in needles:
        assert needle in r.stderr, r.stderr


def test_missing_tiles_disagreeing_ome_xml_and_unsupported_samples(tmp_path):
    """The issue's bad inputs: each a one-line error naming the file (and page), nothing left
    that looks complete."""
    x = ramp((4, 64, 64))
    # Tiles missing: the tile table's byte counts and offsets zeroed (as a writer killed before
    # it wrote them would leave them).
    src = tmp_path / "holes.tif"
    tifffile.imwrite(src, x, tile=(32, 32), photometric="minisblack")
    with tifffile.TiffFile(src) as t:
        page = t.pages[1]
        spots = [(page.tags["TileOffsets"].valueoffset, len(page.dataoffsets)),
                 (page.tags["TileByteCounts"].valueoffset, len(page.databytecounts))]
        size = 8 if t.is_bigtiff else 4
    data = bytearray(src.read_bytes())
    for at, n in spots:
        data[at:at + n * size] = bytes(n * size)
    src.write_bytes(bytes(data))
    r = convert(src, tmp_path / "holes.ome.zarr", ok=False)
    one_line_error(r, "holes.tif", ": the tile at row", "is missing (no bytes stored for it)")
    assert not (tmp_path / "holes.ome.zarr" / "zarr.json").exists()

    # OME-XML that disagrees with the pages: it claims a wider image than the IFDs hold.
    ome = tmp_path / "liar.ome.tif"
    tifffile.imwrite(ome, x, ome=True, metadata={"axes": "ZYX"})
    data = ome.read_bytes()
    assert data.count(b'SizeX="64"') == 1
    ome.write_bytes(data.replace(b'SizeX="64"', b'SizeX="65"'))
    r = convert(ome, tmp_path / "liar.ome.zarr", ok=False)
    one_line_error(r, "liar.ome.tif")
    assert not (tmp_path / "liar.ome.zarr" / "zarr.json").exists()

    # A sample format ngff does not import: complex floats.
    cpx = tmp_path / "complex.tif"
    tifffile.imwrite(cpx, (x + 1j * x).astype("complex64"))
    r = convert(cpx, tmp_path / "complex.ome.zarr", ok=False)
    one_line_error(r, "complex.tif", "page 0")
    assert not (tmp_path / "complex.ome.zarr").exists()


@pytest.mark.peak_rss
def test_a_several_gb_tiff_converts_in_bounded_memory(tmp_path, capsys):
    """A 3 GiB tiled BigTIFF z-stack (generated plane by plane) converts to a 4-level pyramid
    with --memory 64 far below its size; the files are deleted after."""
    from test_ome_examples_memory import MIB, peak_rss
    planes, height, width = 48, 8192, 4096
    src = tmp_path / "big.tif"
    row = (np.arange(width, dtype=np.uint32) * 7) % 4096

    def tiles():  # tifffile takes a tiled image as its tiles, page by page, in row order
        rng = np.random.default_rng(0)
        for z in range(planes):
            noise = rng.integers(0, 64, (height, width), dtype=np.uint16)
            plane = (row[None, :] + np.arange(height, dtype=np.uint32)[:, None] + z).astype(
                np.uint16) % 4096 + noise
            for y in range(0, height, 256):
                for x in range(0, width, 256):
                    yield plane[y:y + 256, x:x + 256]

    tifffile.imwrite(src, tiles(), shape=(planes, height, width), dtype="uint16",
                     tile=(256, 256), bigtiff=True, photometric="minisblack")
    size = planes * height * width * 2
    assert src.stat().st_size >= size
    dst = tmp_path / "big.ome.zarr"
    budget = 64
    try:
        peak = peak_rss(NGFF_BIN, "convert", src, dst, "--levels", 4, "--memory", budget,
                        "--quiet")
        bound = 2 * budget * MIB + 64 * MIB
        with capsys.disabled():
            print(f"\nngff convert of a {size / 2**30:.1f} GiB BigTIFF, --memory {budget}: "
                  f"peak RSS {peak / MIB:.0f} MiB (bound {bound / MIB:.0f} MiB)")
        assert peak < bound, f"peak RSS {peak / MIB:.0f} MiB >= {bound / MIB:.0f} MiB"
        img = ngff.open_image(dst)
        assert [lv.shape for lv in img] == [(48, 8192, 4096), (24, 4096, 2048),
                                            (12, 2048, 1024), (6, 1024, 512)]
        with tifffile.TiffFile(src) as t:
            for z in (0, 47):
                assert np.array_equal(img[0].to_numpy((z, slice(4000, 4300))),
                                      t.pages[z].asarray()[4000:4300])
    finally:
        import shutil
        src.unlink()
        shutil.rmtree(dst, ignore_errors=True)
