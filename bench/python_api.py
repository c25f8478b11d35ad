"""Python benchmark: read a level to numpy, and write_image with a pyramid, with the ngff package
vs ome-zarr-py vs zarr-python, each workload and library in its own process, in one run.

    PYTHONPATH=build/python_pkg build/venv/bin/python bench/python_api.py [--shape 64,1024,1024]

Read: level 0 of a zstd-compressed OME-Zarr 0.5 image (chunks 1x256x256... as written by ngff)
into a numpy array: ngff `img[0].to_numpy()`, zarr-python `zarr.open_array(...)[...]`,
ome-zarr-py `Reader` then `node.data[0].compute()`. Write: a numpy volume to a 4-level
OME-Zarr 0.5 pyramid: ngff `write_image(levels=4, method="mean")`, ome-zarr-py `write_image`
with its default pyramid. Times exclude imports; each figure is the best of 3 runs.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

CHILD = r"""
import json, sys, time
lib, task, path, raw, shape = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
shape = tuple(map(int, shape.split(",")))
import numpy as np
if lib == "ngff":
    import ngff
elif lib == "zarr-python":
    import zarr
else:
    import zarr
    from ome_zarr.io import parse_url
    from ome_zarr.reader import Reader
    from ome_zarr.writer import write_image
    from ome_zarr.format import FormatV05
data = np.fromfile(raw, dtype="<u2").reshape(shape) if task == "write" else None
best = float("inf")
for rep in range(3):
    t0 = time.perf_counter()
    if task == "read":
        if lib == "ngff":
            out = ngff.open_image(path)[0].to_numpy()
        elif lib == "zarr-python":
            out = zarr.open_array(path + "/0", mode="r")[...]
        else:
            out = np.asarray(list(Reader(parse_url(path))())[0].data[0].compute())
        assert out.shape == shape
    else:
        dst = f"{path}-{lib}-{rep}.zarr"
        if lib == "ngff":
            ngff.write_image(dst, data, axes="zyx", levels=4, method="mean", overwrite=True)
        else:
            root = zarr.open_group(dst, mode="w", zarr_format=3)
            write_image(data, root, axes="zyx", fmt=FormatV05(), scale_factors=(2, 4, 8))
    best = min(best, time.perf_counter() - t0)
print(json.dumps({"seconds": best}))
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shape", default="64,1024,1024")
    args = ap.parse_args()
    shape = tuple(map(int, args.shape.split(",")))
    import numpy as np
    import ngff
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "vol.raw")
        rng = np.random.default_rng(0)
        z, y, x = np.ogrid[0:shape[0], 0:shape[1], 0:shape[2]]
        vol = (1000 + 600 * np.sin(x / 30) * np.cos(y / 45) + 5 * z
               + rng.normal(0, 40, shape)).clip(0, 4095).astype("<u2")
        vol.tofile(raw)
        image = os.path.join(tmp, "image.zarr")
        ngff.write_image(image, vol, axes="zyx", levels=1, codec="zstd:3")
        del vol
        mib = 2 * np.prod(shape) / 2**20
        print(f"{args.shape} uint16 ({mib:.0f} MiB), {os.cpu_count()} cores, best of 3")
        for task, libs in (("read", ["ngff", "zarr-python", "ome-zarr-py"]),
                           ("write", ["ngff", "ome-zarr-py"])):
            times = {}
            for lib in libs:
                out = subprocess.run([sys.executable, "-c", CHILD, lib, task, image, raw,
                                      args.shape], check=True, capture_output=True, text=True,
                                     env=dict(os.environ))
                times[lib] = json.loads(out.stdout.strip().splitlines()[-1])["seconds"]
            best_peer = min(v for k, v in times.items() if k != "ngff")
            row = ", ".join(f"{k} {v:.3f} s" for k, v in times.items())
            print(f"  {task:5s}: {row}; ngff/best peer {times['ngff'] / best_peer:.2f}")


if __name__ == "__main__":
    main()
