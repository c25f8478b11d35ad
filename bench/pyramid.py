"""Pyramid benchmark: write a 5-level OME-Zarr 0.5 pyramid of the same volume with ngff and with
ome-zarr-py, each in its own process, and report wall time, peak RSS and the ratios.

    build/venv/bin/python bench/pyramid.py [--shape 64,1024,1024] [--ngff build/ngff]

ome-zarr-py gets the volume as a numpy array (its usual input) and writes it with its default
pyramid (resize, scale factors 2, 4, 8, 16). ngff gets the same voxels as an unpyramided
OME-Zarr (level 0 only, written by this script with zarr-python) and rebuilds the 5 levels with
`ngff convert --levels 5`, so it also pays for reading and decoding level 0. Not a timed test.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import sys, time, json, resource, numpy as np
mode, src, dst, shape = sys.argv[1], sys.argv[2], sys.argv[3], tuple(map(int, sys.argv[4].split(",")))
t0 = time.perf_counter()
if mode == "ome-zarr-py":
    import zarr
    from ome_zarr.writer import write_image
    from ome_zarr.format import FormatV05
    data = np.fromfile(src, dtype="<u2").reshape(shape)
    t0 = time.perf_counter()  # timing after imports and loading, as for ngff
    root = zarr.open_group(dst, mode="w", zarr_format=3)
    write_image(data, root, axes="zyx", fmt=FormatV05())
else:
    import subprocess
    subprocess.run([mode, "convert", src, dst, "--levels", "5", "--method", "mean", "--quiet",
                    "--overwrite"], check=True)
elapsed = time.perf_counter() - t0
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
print(json.dumps({"seconds": elapsed, "peak_mib": peak}))
"""


def make_volume(shape, path):
    import numpy as np
    z, y, x = (np.arange(n, dtype=np.float32) for n in shape)
    vol = (1000 + 600 * np.sin(x[None, None, :] / 30) * np.cos(y[None, :, None] / 45)
           + 5 * z[:, None, None])
    rng = np.random.default_rng(0)
    vol = (vol + rng.normal(0, 40, shape)).clip(0, 4095).astype("<u2")  # noisy 12-bit
    vol.tofile(path)
    return vol


def make_inputs(raw, src, shape):
    """The raw volume for ome-zarr-py and a level-0-only OME-Zarr 0.5 of it for ngff."""
    import zarr
    vol = make_volume(shape, raw)
    g = zarr.open_group(src, mode="w", zarr_format=3)
    chunks = (min(shape[0], 64), 256, 256)
    a = g.create_array("0", shape=shape, chunks=chunks, dtype="uint16",
                       dimension_names=["z", "y", "x"])
    a[...] = vol
    axes = [{"name": n, "type": "space"} for n in "zyx"]
    g.attrs["ome"] = {"version": "0.5", "multiscales": [{"axes": axes, "datasets": [
        {"path": "0", "coordinateTransformations": [{"type": "scale", "scale": [1, 1, 1]}]}]}]}


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--make-inputs":
        make_inputs(sys.argv[2], sys.argv[3], tuple(map(int, sys.argv[4].split(","))))
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--shape", default="64,1024,1024")
    ap.add_argument("--ngff", default=os.path.join(os.path.dirname(__file__), "..", "build", "ngff"))
    args = ap.parse_args()
    shape = tuple(map(int, args.shape.split(",")))
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "vol.raw")
        src = os.path.join(tmp, "src.zarr")
        # The inputs are made in a child process: peak RSS is inherited across fork, so this
        # process must stay small for the measured children's figures to be theirs.
        subprocess.run([sys.executable, __file__, "--make-inputs", raw, src, args.shape],
                       check=True)
        results = {}
        for name, source in (("ngff", src), ("ome-zarr-py", raw)):
            mode = os.path.abspath(args.ngff) if name == "ngff" else name
            out = subprocess.run([sys.executable, "-c", CHILD, mode, source,
                                  os.path.join(tmp, name + ".zarr"), args.shape],
                                 check=True, capture_output=True, text=True)
            results[name] = json.loads(out.stdout.strip().splitlines()[-1])
    mib = 2 * shape[0] * shape[1] * shape[2] / 2**20
    print(f"pyramid of a {args.shape} uint16 volume ({mib:.0f} MiB), 5 levels, OME-NGFF 0.5, "
          f"{os.cpu_count()} cores")
    for name, r in results.items():
        print(f"  {name:12s} {r['seconds']:7.2f} s   peak RSS {r['peak_mib']:7.1f} MiB")
    n, o = results["ngff"], results["ome-zarr-py"]
    print(f"  ratio ngff/ome-zarr-py: time {n['seconds'] / o['seconds']:.2f}, "
          f"peak RSS {n['peak_mib'] / o['peak_mib']:.2f}")


if __name__ == "__main__":
    main()
