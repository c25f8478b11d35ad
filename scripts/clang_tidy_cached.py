#!/usr/bin/env python3
"""clang-tidy over the project's sources, in parallel, skipping what was clean before.

Usage: clang_tidy_cached.py BUILD_DIR [FILE_PREFIX ...]

Reads BUILD_DIR/compile_commands.json and runs clang-tidy (the repository's .clang-tidy) on every
git-tracked source in it under the given prefixes (default: src/ cli/ tests/ examples/).

Cache: a file's result depends on clang-tidy's version, the .clang-tidy files, its compile command
and the contents of everything it includes. The includes come from the last build's dependency
records (`ninja -t deps`); a file never built is always checked. A clean result is stored as an
empty marker named by the hash of all that, so an unchanged file is not checked again. A change
that adds an include changes a file already hashed (the source or a header), so the old key
cannot be reused. Findings are never cached: they print every time. The markers live in
$NGFF_LINT_CACHE_DIR, else BUILD_DIR/lint-cache; the hash names paths relative to the checkout
and the build folder, so one cache directory serves every clone (CI's fresh checkouts too).

Exit status: 0 when no file has findings, 1 otherwise.
"""

import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_PREFIXES = ("src/", "cli/", "tests/", "examples/")
# Compile commands come from whichever compiler configured the build (GCC by default): clang does
# not know every GCC warning flag, and -Werror would make that an error.
EXTRA_ARGS = ["--extra-arg=-Wno-unknown-warning-option"]
FINDING = re.compile(r"^(.+?):(\d+):(\d+): (warning|error): (.*) \[([\w.,-]+)\]$")


def sha256_file(path, memo):
    if path not in memo:
        try:
            memo[path] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            memo[path] = "missing"
    return memo[path]


def ninja_deps(build_dir):
    """Object file -> list of absolute paths it was built from (source and every header)."""
    try:
        out = subprocess.run(["ninja", "-C", str(build_dir), "-t", "deps"], capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    deps, current = {}, None
    for line in out.splitlines():
        if line and not line[0].isspace():
            current = line.split(":", 1)[0]
            deps[current] = []
        elif line.strip() and current is not None:
            deps[current].append(os.path.normpath(os.path.join(build_dir, line.strip())))
    return deps


def blocks(output, root):
    """clang-tidy's findings, each with its source excerpt and notes, keyed by place and check."""
    where, lines = None, []
    for line in output.splitlines() + [None]:
        m = FINDING.match(line) if line is not None else None
        if (m or line is None) and where:
            yield where, "\n".join(lines)
        if m:
            path = os.path.relpath(m[1], root)
            where = (path, int(m[2]), int(m[3]), m[6])
            lines = [f"{path}:{m[2]}:{m[3]}: {m[4]}: {m[5]} [{m[6]}]"]
        elif where and line is not None:
            lines.append(line)


def object_of(entry):
    args = entry.get("arguments") or shlex.split(entry["command"])
    return args[args.index("-o") + 1] if "-o" in args else None


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    build_dir = Path(sys.argv[1]).resolve()
    prefixes = tuple(sys.argv[2:]) or DEFAULT_PREFIXES
    root = Path(subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True,
                               text=True, check=True).stdout.strip())
    tracked = set(subprocess.run(["git", "-C", str(root), "ls-files", "*.cpp"], capture_output=True,
                                 text=True, check=True).stdout.split())
    entries = json.loads((build_dir / "compile_commands.json").read_text())
    units = []
    for e in entries:
        rel = os.path.relpath(e["file"], root)
        if rel in tracked and rel.startswith(prefixes):
            units.append((rel, e))
    units.sort()

    version = subprocess.run(["clang-tidy", "--version"], capture_output=True, text=True,
                             check=True).stdout
    configs = subprocess.run(["git", "-C", str(root), "ls-files", "--cached", "--others",
                              "--exclude-standard", "*.clang-tidy"],
                             capture_output=True, text=True, check=True).stdout.split()
    memo = {}
    base = hashlib.sha256(version.encode())
    base.update(" ".join(EXTRA_ARGS).encode())
    for c in configs:
        base.update(c.encode() + sha256_file(root / c, memo).encode())
    deps = ninja_deps(build_dir)
    cache = Path(os.environ.get("NGFF_LINT_CACHE_DIR") or build_dir / "lint-cache")
    cache.mkdir(parents=True, exist_ok=True)

    def portable(text):  # the same key in every clone and build folder
        return text.replace(str(build_dir), "<build>").replace(str(root), "<root>")

    def key_of(entry):
        files = deps.get(object_of(entry) or "")
        if not files:
            return None
        h = base.copy()
        h.update(portable(json.dumps(entry, sort_keys=True)).encode())
        for f in sorted(set(files)):
            h.update(portable(f).encode() + sha256_file(f, memo).encode())
        return h.hexdigest()

    keys = {rel: key_of(e) for rel, e in units}
    todo = [rel for rel, _ in units if not (keys[rel] and (cache / keys[rel]).exists())]

    def tidy(rel):
        proc = subprocess.run(["clang-tidy", "--quiet", "-p", str(build_dir), *EXTRA_ARGS,
                               str(root / rel)], capture_output=True, text=True)
        return rel, proc

    start = time.monotonic()
    findings = {}  # (file, line, col, check) -> message; a header's finding counts once
    failed = []
    jobs = int(os.environ.get("JOBS", os.cpu_count() or 2))
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for rel, proc in pool.map(tidy, todo):
            found = 0
            for where, text in blocks(proc.stdout, root):
                findings.setdefault(where, text)
                found += 1
            if proc.returncode != 0 or found:
                failed.append(rel)
                if proc.returncode != 0 and not found:  # e.g. a file that does not parse
                    print(f"{rel}: clang-tidy failed:\n{proc.stderr.strip()}", file=sys.stderr)
            elif keys[rel]:
                (cache / keys[rel]).touch()
    for where in sorted(findings):
        print(findings[where])
    checks = {}
    for where in findings:
        checks[where[3]] = checks.get(where[3], 0) + 1
    for check, n in sorted(checks.items(), key=lambda kv: -kv[1]):
        print(f"  {n:4d} {check}")
    print(f"clang-tidy: {len(findings)} findings in {len(failed)} of {len(units)} files "
          f"({len(units) - len(todo)} unchanged since a clean check, skipped; "
          f"{time.monotonic() - start:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
