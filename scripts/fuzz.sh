#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer targets (fuzz/, clang with ASan+UBSan) in BUILD_DIR-fuzz, then
# runs each for FUZZ_SECONDS (default 60) from its seeds (written by make_fuzz_seeds, plus the
# OME-NGFF spec's example documents when NGFF_SPEC_FIXTURES points at them) and the corpus kept
# from earlier runs. The inputs in fuzz/regressions/<target>/ (every crash found so far) are run
# first. Prints executions and coverage per target; exits non-zero on any crash, leak, timeout
# or out-of-memory, leaving the input in BUILD_DIR-fuzz/artifacts/.
# Usage: scripts/fuzz.sh BUILD_DIR [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
shift || true
FUZZ_DIR="$BUILD_DIR-fuzz"
SECONDS_EACH=${FUZZ_SECONDS:-60}
JOBS=${JOBS:-$(nproc)}
FIXTURES=${NGFF_SPEC_FIXTURES:-$PWD/../shared/fixtures/ngff}

if [ ! -f "$FUZZ_DIR/build.ninja" ]; then
  cmake -S . -B "$FUZZ_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DNGFF_FUZZ=ON -DNGFF_BUILD_TESTS=OFF -DNGFF_BUILD_EXAMPLES=OFF
fi
cmake --build "$FUZZ_DIR" -j "$JOBS" --target ngff_fuzz

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(fuzz_zarr_metadata fuzz_chunk_decode fuzz_ome_metadata fuzz_zip fuzz_s3_list
           fuzz_http_range fuzz_tiff)
fi

seeds="$FUZZ_DIR/seeds"
rm -rf "$seeds"
"$FUZZ_DIR/fuzz/make_fuzz_seeds" "$seeds"
if [ -d "$FIXTURES" ]; then
  # The spec's example documents (attributes of images, labels, plates, wells, ...).
  mkdir -p "$seeds/fuzz_ome_metadata"
  find "$FIXTURES" -name '*.json' -size -64k -print0 |
    while IFS= read -r -d '' f; do
      cp "$f" "$seeds/fuzz_ome_metadata/$(echo "$f" | md5sum | cut -c1-16).json"
    done
else
  echo "fuzz: spec fixtures not found at $FIXTURES (NGFF_SPEC_FIXTURES); seeding from ngff's own"
fi

status=0
summary=()
for t in "${targets[@]}"; do
  bin="$FUZZ_DIR/fuzz/$t"
  corpus="$FUZZ_DIR/corpus/$t"
  artifacts="$FUZZ_DIR/artifacts"
  mkdir -p "$corpus" "$artifacts" "$seeds/$t"
  dict=()
  case $t in fuzz_zarr_metadata | fuzz_ome_metadata) dict=(-dict=fuzz/json.dict) ;; esac
  if [ -d "fuzz/regressions/$t" ] && [ -n "$(ls -A "fuzz/regressions/$t")" ]; then
    "$bin" -malloc_limit_mb=2048 -rss_limit_mb=2048 "fuzz/regressions/$t"/* >"$FUZZ_DIR/$t.regressions.log" 2>&1 || {
      echo "fuzz: $t fails on a known regression input:"; tail -30 "$FUZZ_DIR/$t.regressions.log"
      status=1; continue; }
  fi
  log="$FUZZ_DIR/$t.log"
  if "$bin" "$corpus" "$seeds/$t" "${dict[@]}" -max_total_time="$SECONDS_EACH" -timeout=10 \
      -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="$artifacts/$t-" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
    grep -E "ERROR|SUMMARY|Test unit written" "$log" | head -20 || true
  fi
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo '?')
  units=$(ls "$corpus" | wc -l)
  summary+=("$(printf '%-20s %-6s %10s execs  %6s edges  %6s corpus' "$t" "$result" "$execs" "$cov" "$units")")
done
echo "fuzz: ${SECONDS_EACH}s per target"
printf '%s\n' "${summary[@]}"
exit $status
