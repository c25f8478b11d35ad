"""One measurement in its own process: `worker.py TASK_JSON` prints one line
`BENCH-RESULT {json}`. A fresh process per library and workload keeps peak RSS, thread pools
and caches separate. `worker.py --prepare CACHE_ROOT DATASET N` builds a dataset's cache.
"""
import json
import os
import sys
import traceback


def pin(threads: int):
    """Restricts the process to `threads` CPUs before any library starts its thread pool:
    the one limit every library obeys (TBB and rayon size their pools from the mask)."""
    cpus = sorted(os.sched_getaffinity(0))
    if threads < len(cpus):
        os.sched_setaffinity(0, cpus[:threads])


def measure(spec: dict) -> dict:
    from libs import Unsupported, load
    from workloads import WORKLOADS, Task
    out = {k: spec[k] for k in ("lib", "workload", "layout", "dataset", "n")}
    try:
        lib = load(spec["lib"], spec["threads"])
        out["version"] = lib.version()
        fn, _ = WORKLOADS[spec["workload"]]
        task = Task(**{k: spec[k] for k in Task.__dataclass_fields__ if k in spec})
        out.update(fn(lib, task))
        out["seconds"] = min(out["times"])
        out["status"] = "ok" if out["checksum_ok"] else "error"
        if not out["checksum_ok"]:
            out["message"] = "checksum mismatch"
    except Unsupported as e:
        out.update(status="n/a", message=str(e))
    except Exception as e:  # reported in the table; the run goes on
        traceback.print_exc()
        message = f"{type(e).__name__}: {e}".splitlines()[0]
        out.update(status="error", message=message.replace(spec["cache_root"], "<data>"))
    return out


def main():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    if sys.argv[1] == "--prepare":
        from datasets import Cache
        Cache(sys.argv[2], sys.argv[3], int(sys.argv[4])).build()
        return
    spec = json.loads(sys.argv[1])
    pin(spec["threads"])
    print("BENCH-RESULT " + json.dumps(measure(spec)), flush=True)


if __name__ == "__main__":
    main()
