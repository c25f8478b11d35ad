"""Process and OS measurements shared by the harness (which must not import numpy: see
harness.py) and the workers."""
import os
import resource


def drop_page_cache() -> bool:
    """Empties the OS page cache, so the next read comes from disk. Needs root, and fails in
    some containers; returns whether it worked."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


def peak_rss_mib() -> float:
    """This process's peak resident set size. VmHWM belongs to the address space made at exec,
    unlike ru_maxrss, which a child inherits from its parent's peak (fork, then exec)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
