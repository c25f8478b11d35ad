#!/usr/bin/env bash
# `make demo`: writes a sample Zarr v2 volume with zarr-python, inspects it with `ngff info`,
# converts it to Zarr v3 with ngff (new chunks and codec) and checks with zarr-python that the
# voxels are unchanged; then creates an OME-Zarr sample image with labels and a pyramid, converts
# it to OME-NGFF 0.4, and reads it from Python as xarray.
set -euo pipefail
BUILD_DIR=${1:-build}
NGFF="$BUILD_DIR/ngff"
PY="$BUILD_DIR/venv/bin/python"
OUT="$BUILD_DIR/demo"
rm -rf "$OUT"
mkdir -p "$OUT"

echo "== 1. zarr-python writes a 64x256x256 uint16 volume as Zarr v2 (blosc-lz4)"
"$PY" - "$OUT/volume_v2.zarr" <<'PY'
import sys, numpy as np, zarr, numcodecs
z, y, x = np.mgrid[0:64, 0:256, 0:256]
vol = (1000 + 800 * np.sin(x / 20.0) * np.cos(y / 30.0) + 10 * z).astype("uint16")
a = zarr.create_array(sys.argv[1], shape=vol.shape, chunks=(16, 64, 64), dtype="uint16",
                      zarr_format=2, compressors=numcodecs.Blosc("lz4", 5, numcodecs.Blosc.SHUFFLE),
                      attributes={"description": "ngff demo volume"})
a[...] = vol
PY

echo; echo "== 2. ngff info"
"$NGFF" info "$OUT/volume_v2.zarr"

echo; echo "== 3. ngff convert to Zarr v3, 32x128x128 chunks, zstd level 5 + crc32c"
"$NGFF" convert "$OUT/volume_v2.zarr" "$OUT/volume_v3.zarr" --zarr-format 3 \
  --chunks 32,128,128 --codec zstd:5+crc32c --progress
"$NGFF" info "$OUT/volume_v3.zarr"

echo; echo "== 4. zarr-python reads what ngff wrote"
"$PY" - "$OUT/volume_v2.zarr" "$OUT/volume_v3.zarr" <<'PY'
import sys, numpy as np, zarr
a, b = zarr.open_array(sys.argv[1]), zarr.open_array(sys.argv[2])
assert b.metadata.zarr_format == 3 and b.chunks == (32, 128, 128)
assert np.array_equal(a[...], b[...]), "voxels differ"
assert b.attrs["description"] == "ngff demo volume"
print(f"equal voxels: {b.shape} {b.dtype}, codecs {[c.__class__.__name__ for c in b.metadata.codecs]}")
PY
echo; echo "== 5. ngff create: an OME-Zarr 0.5 sample volume with labels and a pyramid"
"$NGFF" create "$OUT/sample.ome.zarr" --sample volume --progress
"$NGFF" info "$OUT/sample.ome.zarr"

echo; echo "== 6. ngff convert the whole image (labels included) to OME-NGFF 0.4 / Zarr v2"
"$NGFF" convert "$OUT/sample.ome.zarr" "$OUT/sample_v04.ome.zarr" --ome-version 0.4 --progress
"$NGFF" info "$OUT/sample_v04.ome.zarr"

echo; echo "== 7. Python: the image as xarray with physical coordinates"
PYTHONPATH="$BUILD_DIR/python_pkg" "$PY" - "$OUT/sample.ome.zarr" <<'PY'
import sys, ngff
img = ngff.open_image(sys.argv[1])
print(img)
xa = img[1].to_xarray()
print(xa.dims, xa.shape, "x from", float(xa.x[0]), xa.x.attrs["units"], "step", float(xa.x[1] - xa.x[0]))
print("labels:", img.labels, "max label id:", int(img.label("cells")[0].to_numpy().max()))
PY
echo; echo "demo done: outputs in $OUT"
