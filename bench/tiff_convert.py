"""TIFF to OME-Zarr conversion benchmark: the same tiled TIFFs converted to a multiscale OME-Zarr
0.5 pyramid by ngff, ngff-zarr, ome-zarr-py and a plain tifffile + zarr-python script, each in
its own process; wall time, peak RSS and whether ome-zarr-models accepts the output.

    build/venv/bin/python bench/tiff_convert.py [--shape 512,2048,2048] [--rgb-size 16384]
        [--slide-size 16384] [--levels 5] [--timeout 900] [--workdir DIR] [--write-results]

Inputs (made with tifffile, band by band so generation stays in bounded memory): (a) a tiled
(256×256) uncompressed BigTIFF z-stack of noisy 12-bit uint16 planes, (b) a tiled (256×256)
uncompressed RGB uint8 TIFF with contiguous samples, (c) a whole-slide-like RGB uint8 TIFF of
JPEG-compressed 240×240 tiles (the layout of Aperio SVS slides, whose tiles share no small
multiple with 2-D chunks). Every contender reads the TIFF itself and writes all `--levels`
levels with a mean-like 2× downsampling:

  ngff            `ngff convert IN OUT --levels N --method mean --quiet` (default --memory)
  ngff level 0    `ngff convert IN OUT --levels 1`: read the TIFF once + write level 0 alone,
                  the baseline of the pyramid overhead ratio
  ngff zstd:3     the same as ngff with `--codec zstd:3`, the codec zarr-python writes by
                  default (ngff's default is blosc:lz4:5 with shuffling): the figure with the
                  compression the Python peers use
  ngff --memory 32  the same as ngff within a 32 MiB budget (default 256): the time a small
                  memory costs
  ngff --shards   the same as ngff with 16-32 MiB shards of its default chunks (`--shards
                  64,512,512`, RGB `1,4096,4096`): OME-Zarr 0.5's sharded layout, far fewer files
  ngff-zarr       `to_ngff_image` + `to_multiscales(scale_factors=[2, 4, ..])` + `to_ngff_zarr`
                  on a dask array over tifffile's zarr store; its default method (ITK-Wasm
                  gaussian) and, with --bin-shrink, itkwasm_bin_shrink
  ome-zarr-py     `write_image` of `da.from_zarr(tifffile.imread(IN, aszarr=True))`, its default
                  Scaler (resize; downsamples y and x only)
  tifffile+zarr   tifffile's zarr store → dask → zarr v3 level 0, then each level a 2× dask
                  `coarsen(mean)` of the one above, OME 0.5 metadata written by hand

Then a scaling series for ngff alone: the z-stack at ¼, ½ and 1× its planes. A contender still
running after --timeout seconds is stopped and reported as such. Temporary files live in
--workdir (default a temporary directory under /tmp) and are deleted at the end; each output is
deleted once measured and validated. Not a timed test.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TILE = 256
SLIDE_TILE = 240  # Aperio SVS slides' tile side

# The measured child: a fresh interpreter, so its peak RSS (own, or of the CLI it runs) is the
# contender's alone. Time starts after the imports.
CHILD = r"""
import sys, time, json, resource
kind, src, dst, levels, mode, ngff = sys.argv[1:7]
levels = int(levels)
rgb = mode in ("rgb", "slide")
if kind.startswith("ngff-cli"):
    import subprocess
    t0 = time.perf_counter()
    n = "1" if kind == "ngff-cli-l0" else str(levels)
    codec = ["--codec", "zstd:3"] if kind == "ngff-cli-zstd3" else []
    memory = ["--memory", "32"] if kind == "ngff-cli-m32" else []
    # 16-32 MiB shards of ngff's default chunks: 0.5's sharded layout, a sixteenth of the files.
    shards = (["--shards", "1,4096,4096" if rgb else "64,512,512"]
              if kind == "ngff-cli-shards" else [])
    subprocess.run([ngff, "convert", src, dst, "--levels", n, "--method", "mean", "--quiet",
                    *codec, *memory, *shards], check=True)
else:
    import numpy as np, zarr, tifffile, dask, dask.array as da
    def tiff_dask():
        store = tifffile.imread(src, aszarr=True)
        return da.from_zarr(zarr.open_array(store, mode="r"))
    if kind.startswith("ngff-zarr"):
        from ngff_zarr import to_ngff_image, to_multiscales, to_ngff_zarr, Methods
        t0 = time.perf_counter()
        arr = tiff_dask()
        dims = ("y", "x", "c") if rgb else ("z", "y", "x")
        image = to_ngff_image(arr, dims=dims)
        method = Methods.ITKWASM_BIN_SHRINK if kind == "ngff-zarr-binshrink" else None
        ms = to_multiscales(image, scale_factors=[2 ** i for i in range(1, levels)],
                            method=method)
        to_ngff_zarr(dst, ms, version="0.5")
    elif kind == "ome-zarr-py":
        from ome_zarr.writer import write_image
        from ome_zarr.format import FormatV05
        from ome_zarr.scale import Scaler
        t0 = time.perf_counter()
        arr = tiff_dask()
        if rgb:
            arr = da.moveaxis(arr, -1, 0)  # OME axes order: c before y, x
        root = zarr.open_group(dst, mode="w", zarr_format=3)
        write_image(arr, root, axes="cyx" if rgb else "zyx", fmt=FormatV05(),
                    scaler=Scaler(max_layer=levels - 1))
    elif kind == "tifffile+zarr":
        t0 = time.perf_counter()
        arr = tiff_dask()
        if rgb:
            arr = da.moveaxis(arr, -1, 0)
        spatial = (1, 2)  if rgb else (0, 1, 2)  # axes halved per level
        chunks = (3, 256, 256) if rgb else (min(arr.shape[0], 64), 256, 256)
        root = zarr.open_group(dst, mode="w", zarr_format=3)
        names = ["c", "y", "x"] if rgb else ["z", "y", "x"]
        datasets = []
        for level in range(levels):
            if level:
                prev = da.from_zarr(root[str(level - 1)])
                factors = {a: 2 if a in spatial and prev.shape[a] >= 2 else 1
                           for a in range(prev.ndim)}
                arr = da.coarsen(np.mean, prev.astype("float32"), factors, trim_excess=True)
                arr = arr.round().astype(prev.dtype)
            arr = arr.rechunk(tuple(min(c, s) for c, s in zip(chunks, arr.shape)))
            out = root.create_array(str(level), shape=arr.shape, dtype=arr.dtype,
                                    chunks=arr.chunksize, dimension_names=names)
            da.store(arr, out, lock=False)
            scale = [1.0 if a not in spatial else float(2 ** level) for a in range(arr.ndim)]
            datasets.append({"path": str(level), "coordinateTransformations": [
                {"type": "scale", "scale": scale}]})
        axes = [{"name": n, "type": "channel" if n == "c" else "space"} for n in names]
        root.attrs["ome"] = {"version": "0.5", "multiscales": [
            {"axes": axes, "datasets": datasets, "name": "image"}]}
    else:
        raise SystemExit("unknown contender " + kind)
elapsed = time.perf_counter() - t0
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
print(json.dumps({"seconds": elapsed, "peak_mib": peak}))
"""

VALIDATE = r"""
import sys, warnings, zarr, ome_zarr_models
try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = ome_zarr_models.open_ome_zarr(zarr.open_group(sys.argv[1], mode="r"), version="0.5")
    levels = len(m.attributes.ome.multiscales[0].datasets)
    print(f"yes ({levels} levels)")
except Exception as e:
    print("no: " + type(e).__name__ + ": " + str(e).splitlines()[0][:120])
"""

CONTENDERS = [
    ("ngff", "ngff-cli"),
    ("ngff --codec zstd:3 (zarr-python's default codec)", "ngff-cli-zstd3"),
    ("ngff --memory 32 (a small budget)", "ngff-cli-m32"),
    ("ngff --shards (sharded output)", "ngff-cli-shards"),
    ("ngff-zarr (gaussian, default)", "ngff-zarr"),
    ("ngff-zarr (bin-shrink)", "ngff-zarr-binshrink"),
    ("ome-zarr-py", "ome-zarr-py"),
    ("tifffile + zarr-python", "tifffile+zarr"),
]


# ---------------------------------------------------------------------------------------------
# Inputs

def make_tiff(path, mode, shape):
    """Write the input band by band (a tile's rows of a plane at a time): a smooth pattern +
    noise."""
    import numpy as np
    import tifffile
    rng = np.random.default_rng(0)
    rgb = mode in ("rgb", "slide")
    tile_side = SLIDE_TILE if mode == "slide" else TILE
    if rgb:
        h = w = shape[0]
        full, dtype = (h, w, 3), "uint8"
        planes = 1
    else:
        planes, h, w = shape
        full, dtype = (planes, h, w), "uint16"
    x = np.arange(w, dtype=np.float32)

    def tiles():
        for z in range(planes):
            for y0 in range(0, h, tile_side):
                y = np.arange(y0, min(y0 + tile_side, h), dtype=np.float32)[:, None]
                if rgb:
                    base = np.stack([128 + 90 * np.sin(x / 50 + k) * np.cos(y / 70 - k)
                                     for k in range(3)], axis=-1)
                    band = (base + rng.normal(0, 12, base.shape)).clip(0, 255)
                else:
                    base = 1000 + 600 * np.sin(x / 30) * np.cos(y / 45) + 5 * z
                    band = (base + rng.normal(0, 40, base.shape)).clip(0, 4095)
                band = band.astype(dtype)
                for x0 in range(0, w, tile_side):
                    tile = band[:, x0:x0 + tile_side]
                    if tile.shape[:2] != (tile_side, tile_side):  # edge tiles are padded
                        pad = [(0, tile_side - tile.shape[0]), (0, tile_side - tile.shape[1])]
                        tile = np.pad(tile, pad + [(0, 0)] * (tile.ndim - 2))
                    yield tile

    kw = dict(photometric="rgb", planarconfig="contig") if rgb else dict(
        photometric="minisblack", metadata={"axes": "ZYX"})
    if mode == "slide":
        kw["compression"] = "jpeg"  # imagecodecs' encoder, quality 75 as slide scanners use
    tifffile.imwrite(path, tiles(), shape=full, dtype=dtype, tile=(tile_side, tile_side),
                     bigtiff=True, **kw)


# ---------------------------------------------------------------------------------------------
# Measuring

def run_child(kind, src, dst, levels, mode, ngff, timeout):
    """One contender in a fresh interpreter; its own session, so a timeout stops its children."""
    proc = subprocess.Popen([sys.executable, "-c", CHILD, kind, src, dst, str(levels), mode,
                             ngff], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    t0 = time.perf_counter()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {"error": f"stopped after {timeout:.0f} s"}
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        last = (err.strip().splitlines() or ["?"])[-1]
        return {"error": f"failed: {last[:150]}"}
    r = json.loads(out.strip().splitlines()[-1])
    r["wall"] = wall
    return r


def validate(path):
    out = subprocess.run([sys.executable, "-c", VALIDATE, path], capture_output=True, text=True)
    return (out.stdout.strip() or "no: " + (out.stderr.strip().splitlines() or ["?"])[-1])[:140]


def du_mib(path):
    total = 0
    for d, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(d, f)) for f in files)
    return total / 2**20


# ngff's runs take seconds, where a one-off (the writeback of the last output, the file system
# freeing its files) moves the figure by a third: they are the median of this many runs. The
# peers' runs take tens of seconds and are run once.
NGFF_RUNS = 5


def measure(label, kind, src, work, levels, mode, ngff, timeout):
    print(f"  {label} ...", end="", flush=True, file=sys.stderr)
    runs = []
    outputs = []
    try:
        for i in range(NGFF_RUNS if kind.startswith("ngff-cli") else 1):
            # Each run writes a new directory; the series' outputs are removed together after
            # it. On a file system without a journal (this benchmark's machine) ext4 skips
            # inodes freed in the last minute when it creates files, so a run right after
            # deleting thousands of files pays seconds for it: no one converting for real does.
            dst = os.path.join(work, f"out-{i}.zarr")
            outputs.append(dst)
            # Flush dirty pages first (the input just written, the last output): their
            # writeback would otherwise land on whoever runs next.
            os.sync()
            r = run_child(kind, src, dst, levels, mode, ngff, timeout)
            if "error" in r:
                print(" " + r["error"], file=sys.stderr)
                return r
            r["valid"] = validate(dst)
            r["out_mib"] = du_mib(dst)
            runs.append(r)
    finally:
        for dst in outputs:
            shutil.rmtree(dst, ignore_errors=True)
    r = sorted(runs, key=lambda x: x["seconds"])[len(runs) // 2]
    r["runs"] = len(runs)
    print(f" {r['seconds']:.1f} s, {r['peak_mib']:.0f} MiB, valid: {r['valid']}"
          + (f" (median of {len(runs)}: " + ", ".join(f"{x['seconds']:.1f}" for x in runs) + " s)"
             if len(runs) > 1 else ""), file=sys.stderr)
    return r


# ---------------------------------------------------------------------------------------------
# Report

def fmt_s(r):
    return f"{r['seconds']:.1f} s" if "seconds" in r else "—"


def fmt_m(r):
    return f"{r['peak_mib']:.0f} MiB" if "peak_mib" in r else "—"


def ratio(r, ref, key):
    return f"{r[key] / ref[key]:.1f}×" if key in r and key in ref else "—"


def input_table(title, results):
    ref = results["ngff"]
    lines = [f"**{title}**", "",
             "| contender | time | peak RSS | output | time / ngff | peak RSS / ngff | valid "
             "(ome-zarr-models) |",
             "|---|---|---|---|---|---|---|"]
    for label, r in results.items():
        valid = r.get("valid", r.get("error", "—"))
        out = f"{r['out_mib']:.0f} MiB" if "out_mib" in r else "—"
        lines.append(f"| {label} | {fmt_s(r)} | {fmt_m(r)} | {out} | {ratio(r, ref, 'seconds')} | "
                     f"{ratio(r, ref, 'peak_mib')} | {valid} |")
    base = results.get("ngff level 0 only (--levels 1)", {})
    if "seconds" in base and "seconds" in ref:
        lines += ["", f"Pyramid overhead: ngff {ref['seconds']:.1f} s / level 0 alone "
                      f"{base['seconds']:.1f} s = **{ref['seconds'] / base['seconds']:.2f}×** "
                      "(target ≤ 1.3×)."]
    return lines


def scaling_table(series):
    lines = ["**Scaling (ngff alone, the z-stack at ¼, ½, 1× its planes)**", "",
             "| input | time | s per GiB | peak RSS |", "|---|---|---|---|"]
    for shape, r in series:
        gib = 2 * shape[0] * shape[1] * shape[2] / 2**30
        per = f"{r['seconds'] / gib:.1f}" if "seconds" in r else "—"
        lines.append(f"| {'×'.join(map(str, shape))} uint16 ({gib:.2f} GiB) | {fmt_s(r)} | "
                     f"{per} | {fmt_m(r)} |")
    return lines


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if "model name" in line)
    except (OSError, StopIteration):
        pass
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) / 2**20
    return f"{os.cpu_count()} vCPU {cpu}, {mem:.0f} GiB RAM, Python {platform.python_version()}"


def versions():
    code = ("import importlib.metadata as m; print(', '.join(f'{p} {m.version(p)}' for p in "
            "('ngff-zarr', 'ome-zarr', 'zarr', 'tifffile', 'dask', 'ome-zarr-models')))")
    return subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True).stdout.strip()


HEADER = "## TIFF to OME-Zarr conversion (`bench/tiff_convert.py`)"


def write_results(section):
    path = os.path.join(HERE, "RESULTS.md")
    with open(path) as f:
        text = f.read()
    start = text.find(HEADER)
    if start >= 0:  # replace the section up to the next "## " heading
        nxt = re.search(r"^## ", text[start + len(HEADER):], flags=re.M)
        end = start + len(HEADER) + nxt.start() if nxt else len(text)
        text = text[:start] + section + "\n" + text[end:]
    else:  # before the generated peer comparison, after the hand-written sections
        anchor = text.find("## Peer comparison (`bench/run`")
        if anchor < 0:
            text = text.rstrip("\n") + "\n\n" + section
        else:
            text = text[:anchor] + section + "\n" + text[anchor:]
    with open(path, "w") as f:
        f.write(text)


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--make-tiff":
        make_tiff(sys.argv[2], sys.argv[3], tuple(map(int, sys.argv[4].split(","))))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shape", default="512,2048,2048", help="z-stack shape Z,Y,X (uint16)")
    ap.add_argument("--rgb-size", type=int, default=16384, help="RGB image side (uint8)")
    ap.add_argument("--slide-size", type=int, default=16384,
                    help="JPEG-tiled RGB slide side (uint8)")
    ap.add_argument("--levels", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=900, help="seconds per contender and input")
    ap.add_argument("--only", default="", help="comma list of inputs: stack,rgb,slide,scaling")
    ap.add_argument("--workdir", help="temporary files here (default: a tempdir under /tmp)")
    ap.add_argument("--ngff", default=os.path.join(HERE, "..", "build", "ngff"))
    ap.add_argument("--quiet-machine", action="store_true",
                    help="say in the results that nothing else ran on the machine meanwhile")
    ap.add_argument("--write-results", action="store_true",
                    help="replace (or add) this benchmark's section of bench/RESULTS.md")
    args = ap.parse_args()
    shape = tuple(map(int, args.shape.split(",")))
    ngff = os.path.abspath(args.ngff)
    only = set(args.only.split(",")) if args.only else {"stack", "rgb", "slide", "scaling"}
    work = tempfile.mkdtemp(prefix="tiff_convert-", dir=args.workdir or None)
    lines = []

    def tiff(name, mode, shp):
        # Made in a child process: peak RSS is inherited across fork, and this process must stay
        # small for the measured children's figures to be theirs.
        path = os.path.join(work, name)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--make-tiff", path, mode,
                        ",".join(map(str, shp))], check=True)
        print(f"made {name} ({os.path.getsize(path) / 2**20:.0f} MiB) in "
              f"{time.perf_counter() - t0:.0f} s", file=sys.stderr)
        return path

    def convert_all(src, mode):
        results = {}
        for label, kind in [CONTENDERS[0], ("ngff level 0 only (--levels 1)", "ngff-cli-l0")] \
                + CONTENDERS[1:]:
            results[label] = measure(label, kind, src, work, args.levels, mode, ngff,
                                     args.timeout)
        return results

    full_run = None  # ngff on the whole z-stack, reused as the scaling series' 1× point
    try:
        if "stack" in only:
            src = tiff("stack.tif", "stack", shape)
            gib = os.path.getsize(src) / 2**30
            results = convert_all(src, "stack")
            full_run = results["ngff"]
            lines += input_table(f"z-stack {'×'.join(map(str, shape))} uint16, tiled BigTIFF "
                                 f"({gib:.2f} GiB)", results) + [""]
            os.remove(src)
        if "rgb" in only:
            src = tiff("rgb.tif", "rgb", (args.rgb_size,))
            gib = os.path.getsize(src) / 2**30
            lines += input_table(f"RGB {args.rgb_size}×{args.rgb_size}×3 uint8, tiled TIFF "
                                 f"({gib:.2f} GiB)", convert_all(src, "rgb")) + [""]
            os.remove(src)
        if "slide" in only:
            src = tiff("slide.tif", "slide", (args.slide_size,))
            mib = os.path.getsize(src) / 2**20
            side = args.slide_size
            lines += input_table(f"whole-slide-like RGB {side}×{side}×3 uint8, JPEG tiles of "
                                 f"{SLIDE_TILE}×{SLIDE_TILE} ({mib:.0f} MiB; "
                                 f"{side * side * 3 / 2**30:.2f} GiB decoded)",
                                 convert_all(src, "slide")) + [""]
            os.remove(src)
        if "scaling" in only:
            series = []
            for div in (4, 2, 1):
                shp = (max(1, shape[0] // div),) + shape[1:]
                if div == 1 and full_run is not None:
                    series.append((shp, full_run))
                    continue
                src = tiff(f"stack-{div}.tif", "stack", shp)
                series.append((shp, measure(f"ngff {shp}", "ngff-cli", src, work, args.levels,
                                            "stack", ngff, args.timeout)))
                os.remove(src)
            lines += scaling_table(series) + [""]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    command = "build/venv/bin/python bench/tiff_convert.py" + "".join(
        " " + a for a in sys.argv[1:] if a not in ("--write-results", "--quiet-machine"))
    intro = [
        HEADER, "",
        f"Command: `{command}` (after `make`).", "",
        f"Machine: {machine()}; "
        + ("no other jobs ran during this run (expect ±10%)" if args.quiet_machine
           else "shared with other jobs during the run (expect ±20%)")
        + f". ngff's figures are the median of {NGFF_RUNS} runs, the peers' one run each. "
        "Peers: " + versions() + ".", "",
        f"Each contender converts the same tiled TIFF to a {args.levels}-level OME-NGFF "
        "0.5 pyramid with a mean-like 2× downsampling, in its own fresh process (peak RSS is that "
        "process's or its CLI child's high-water mark; time starts after the imports); the TIFF "
        "sits in the page cache. ngff: `ngff convert --levels N --method mean` (defaults: --memory "
        "256, codec blosc:lz4:5), again with `--codec zstd:3`, zarr-python's default codec, "
        "with `--memory 32`, and with `--shards` (16-32 MiB shards); output is the size on disk. Its level-0-only run is "
        "the read-once-and-copy baseline. ngff-zarr: "
        "`to_multiscales` + `to_ngff_zarr` over a dask array of tifffile's zarr store (default "
        "ITK-Wasm gaussian, and itkwasm_bin_shrink). ome-zarr-py: `write_image` of the same dask "
        "array, default Scaler (resize, y and x only, so its z-stack levels keep every plane). "
        "tifffile + zarr-python: a plain dask script (level 0 copy, then `coarsen(mean)` per "
        "level). Valid: `ome_zarr_models.open_ome_zarr` on the output root. Each run writes a "
        "new directory, removed with the rest of its series after the series (on this machine's "
        "journal-less ext4, creating files within a minute of deleting thousands is slow). "
        f"A contender still running after {args.timeout:.0f} s is stopped.", "",
    ]
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = "\n".join(intro + lines + [f"({stamp}.)", ""])
    print(section)
    if args.write_results:
        write_results(section)


if __name__ == "__main__":
    main()
