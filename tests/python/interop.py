"""The three round trips run on every zarr-python case (v2 and v3), shared by the test files.

  zarr_writes_ngff_reads      zarr-python writes; ngff reads the whole array and a region
                              bit-equal, and re-serialises zarr-python's metadata unchanged.
  ngff_creates_zarr_reads     ngff creates the array from zarr-python's own metadata document:
                              same document, same attributes, same chunk keys (and, without a
                              compressor, the same chunk bytes); zarr-python reads it bit-equal.
  ngff_writes_region          ngff writes a region into zarr-python's array (read-modify-write
                              of cut chunks); zarr-python reads the expected bits.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import zarr

from ngff_tools import (assert_bit_equal, attributes_document, chunk_keys, metadata_document,
                        middle_region, rawio_create, rawio_metadata, rawio_read, rawio_write)

ATTRIBUTES = {"title": "interop", "nested": {"list": [1, 2.5, None, "x"], "unicode": "µm"}}


def zarr_writes_ngff_reads(case, tmp_path, scratch) -> None:
    path = tmp_path / "a.zarr"
    arr = case.create(path)
    case.fill_and_write(arr)
    expected = arr[...]
    got = rawio_read(path, expected.dtype, case.shape, tmp=scratch)
    assert_bit_equal(got, expected, f"ngff read of {case.id}")
    assert rawio_metadata(path) == metadata_document(path), "parse + serialise is not identity"
    if case.shape and 0 not in case.shape:
        region = middle_region(case.shape)
        got = rawio_read(path, expected.dtype, case.shape, region, tmp=scratch)
        assert_bit_equal(got, expected[region], f"ngff read of {case.id} region {region}")


def ngff_creates_zarr_reads(case, tmp_path, scratch) -> None:
    ref, out = tmp_path / "ref.zarr", tmp_path / "out.zarr"
    ref_arr = case.create(ref, attributes=ATTRIBUTES)
    case.fill_and_write(ref_arr)
    expected = ref_arr[...]
    v2 = ref_arr.metadata.zarr_format == 2
    rawio_create(out, metadata_document(ref), expected, tmp=scratch,
                 attributes=ATTRIBUTES if v2 else None)
    assert metadata_document(out) == metadata_document(ref)
    if v2:
        assert attributes_document(out) == ATTRIBUTES
    got = zarr.open_array(str(out), mode="r")
    assert got.metadata.zarr_format == ref_arr.metadata.zarr_format
    assert dict(got.attrs) == ATTRIBUTES
    assert_bit_equal(got[...], expected, f"zarr-python read of ngff's {case.id}")
    assert chunk_keys(out) == chunk_keys(ref), "ngff stored other chunks than zarr-python"
    if case.deterministic_chunks:
        for key in sorted(chunk_keys(ref)):
            assert (out / key).read_bytes() == (ref / key).read_bytes(), f"chunk {key} differs"


def ngff_writes_region(case, tmp_path, scratch) -> None:
    path = tmp_path / "a.zarr"
    arr = case.create(path)
    case.fill_and_write(arr)
    expected = np.array(arr[...])
    new = dataclasses.replace(case, seed=case.seed + 100).data()
    if case.shape:
        region = middle_region(case.shape)
        expected[region] = new[region]
        rawio_write(path, new[region], region, tmp=scratch)
    else:
        expected[...] = new
        rawio_write(path, new, tmp=scratch)
    assert_bit_equal(zarr.open_array(str(path), mode="r")[...], expected,
                     f"zarr-python read after ngff wrote into {case.id}")
    assert_bit_equal(rawio_read(path, expected.dtype, case.shape, tmp=scratch), expected,
                     f"ngff read after ngff wrote into {case.id}")
