"""The peer comparison: runs every workload × library in its own worker process, collects
the JSON results and writes the tables into bench/RESULTS.md. Started by `bench/run`, which
prepares the venv and the build first; see `bench/run --help`.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

# The parent stays small and imports no numpy or library: every worker is its child, and a
# child's ru_maxrss starts at the parent's (the workers report VmHWM, but stay safe).
from layouts import layouts  # noqa: E402
from report import render, update_results  # noqa: E402
from system import drop_page_cache  # noqa: E402

LIBS = ["ngff", "tensorstore", "zarr-python", "zarrs", "acquire-zarr"]
WRITE_ONLY = {"acquire-zarr"}
DATASETS = ["smooth", "noisy"]


def plan(args):
    """(workload, layout, libraries, repeats) rows, in report order."""
    readers = [lib for lib in args.libs if lib not in WRITE_ONLY]
    slow = 1  # one run: these take long or already time many requests
    rows = [("read", name, readers, args.repeats) for name in ("raw", "zstd", "blosc", "sharded")]
    rows += [("write", name, args.libs, args.repeats)
             for name in ("raw", "zstd", "blosc", "sharded", "sharded-blosc")]
    rows += [("chunks", "zstd", readers, args.repeats),
             ("random", "sharded", readers, slow),
             ("reencode", "sharded", readers, slow)]
    if args.workloads:
        rows = [r for r in rows if any(w in f"{r[0]} {r[1]}" for w in args.workloads)]
    return rows


def run_worker(spec, env, timeout, log_dir):
    cmd = [sys.executable, os.path.join(HERE, "worker.py"), json.dumps(spec)]
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return dict(spec, status="error", message=f"timeout after {timeout} s")
    result = next((json.loads(line[len("BENCH-RESULT "):]) for line in p.stdout.splitlines()
                   if line.startswith("BENCH-RESULT ")), None)
    if result is None:
        # The worker died without reporting (crash, OOM kill): its last stderr line says why.
        tail = (p.stderr.strip().splitlines() or [f"exit code {p.returncode}"])[-1]
        result = dict(spec, status="error", message=f"worker died ({p.returncode}): {tail}")
    if result["status"] == "error":  # keep the traceback for whoever reads the table
        name = "-".join(str(spec[k]) for k in ("dataset", "n", "workload", "layout", "lib"))
        result["log"] = os.path.join(log_dir, name + ".log")
        with open(result["log"], "w") as f:
            f.write(p.stdout + p.stderr)
    return result


def summary(r) -> str:
    if r["status"] != "ok":
        return f"{r['status']}: {r.get('message', '')}" + (f" (log: {r['log']})" if "log" in r
                                                            else "")
    s = f"{r['seconds']:.3f} s, {r['bytes'] / r['seconds'] / 1e6:.0f} MB/s"
    if "latency_ms" in r:
        s += f", median {r['latency_ms']['median']:.2f} ms"
    return s + f", peak {r['peak_rss_mib']:.0f} MiB"


def main():
    ap = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    ap.add_argument("--size", type=int, default=int(os.environ.get("NGFF_BENCH_SIZE", 512)),
                    help="volume edge n (n³ uint16); default 512 (256 MiB), or 1024")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: 256³ and 1 repeat (unless --size/--repeats say otherwise)")
    ap.add_argument("--repeats", type=int, default=None,
                    help="runs per fast workload, best kept (default 3; 1 with --quick)")
    ap.add_argument("--threads", type=int, default=2, help="CPUs per worker (default 2)")
    ap.add_argument("--libs", default=",".join(LIBS), help="comma-separated subset")
    ap.add_argument("--datasets", default=",".join(DATASETS), help="smooth,noisy")
    ap.add_argument("--only", dest="workloads", default="",
                    help="comma-separated substrings of 'WORKLOAD LAYOUT' rows, e.g. "
                         "'read,random' or 'write sharded'")
    ap.add_argument("--cache", choices=["cold", "warm", "auto"], default="auto",
                    help="cold: drop the page cache before each timed read (root); auto: cold "
                         "when possible")
    ap.add_argument("--random-reads", type=int, default=1000)
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per worker")
    ap.add_argument("--data-dir", default=os.path.join(HERE, "..", "build", "bench-data"))
    ap.add_argument("--results", default=os.path.join(HERE, "RESULTS.md"),
                    help="markdown file whose generated section is replaced ('' = none)")
    ap.add_argument("--rerender", action="store_true",
                    help="only rewrite the tables (e.g. after changing report.py) from the last "
                         "published run, kept in DATA_DIR/results.json")
    args = ap.parse_args()
    data_dir = os.path.abspath(args.data_dir)
    if args.rerender:
        with open(os.path.join(data_dir, "results.json")) as f:
            saved = json.load(f)
        return publish(render(saved["records"], saved["meta"]), args.results)
    if args.quick and "--size" not in " ".join(sys.argv) and "NGFF_BENCH_SIZE" not in os.environ:
        args.size = 256
    if args.repeats is None:
        args.repeats = 1 if args.quick else 3
    args.libs = [lib for lib in args.libs.split(",") if lib]
    args.workloads = [w for w in args.workloads.split(",") if w]
    unknown = set(args.libs) - set(LIBS)
    if unknown:
        ap.error(f"unknown libraries {sorted(unknown)} (expected some of {LIBS})")
    cold = args.cache == "cold" or (args.cache == "auto" and drop_page_cache())
    if args.cache == "cold" and not drop_page_cache():
        ap.error("--cache cold: cannot write /proc/sys/vm/drop_caches (not root, or a container)")

    out_dir = os.path.join(data_dir, "out")
    log_dir = os.path.join(data_dir, "logs")
    os.makedirs(out_dir, exist_ok=True)
    os.makedirs(log_dir, exist_ok=True)
    env = dict(os.environ, RAYON_NUM_THREADS=str(args.threads),
               ZARR_MAX_THREADS=str(args.threads),  # acquire-zarr's default pool size
               OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    rows = plan(args)
    started = time.time()
    records = []
    for dataset in args.datasets.split(","):
        print(f"== {dataset} {args.size}³: preparing the cached arrays", file=sys.stderr)
        subprocess.run([sys.executable, os.path.join(HERE, "worker.py"), "--prepare", data_dir,
                        dataset, str(args.size)], env=env, check=True)
        for workload, layout, libs, repeats in rows:
            for lib in libs:
                spec = {"lib": lib, "workload": workload, "layout": layout, "dataset": dataset,
                        "n": args.size, "cache_root": data_dir, "out_dir": out_dir,
                        "repeats": repeats, "cold": cold and workload != "write",
                        "random_reads": args.random_reads, "threads": args.threads}
                r = run_worker(spec, env, args.timeout, log_dir)
                r["repeats"] = repeats
                records.append(r)
                print(f"  {workload:8s} {layout:13s} {lib:12s} {summary(r)}", file=sys.stderr)
    elapsed = time.time() - started
    meta = {"command": os.environ.get("BENCH_COMMAND", "bench/run " + " ".join(sys.argv[1:])),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "size": args.size, "threads": args.threads, "repeats": args.repeats,
            "cache": "cold (page cache dropped before each timed read)" if cold else
                     ("warm page cache (--cache warm)" if args.cache == "warm" else
                      "warm page cache (could not drop it)"),
            "elapsed_s": elapsed, "layouts": {k: v.describe() for k, v in layouts().items()},
            "random_reads": args.random_reads}
    if args.results:  # what --rerender re-reads: the run behind the published tables
        with open(os.path.join(data_dir, "results.json"), "w") as f:
            json.dump({"meta": meta, "records": records}, f, indent=1)
    publish(render(records, meta), args.results)
    print(f"bench/run: {elapsed / 60:.1f} min", file=sys.stderr)


def publish(text, results):
    print(text)
    if results:
        update_results(results, text)
        print(f"bench/run: wrote {os.path.relpath(results)}", file=sys.stderr)


if __name__ == "__main__":
    main()
