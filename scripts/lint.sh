#!/usr/bin/env bash
# `make lint`: the formatting check, then clang-tidy over the library, CLI, tests and examples.
# Usage: scripts/lint.sh BUILD_DIR (configured: clang-tidy reads its compile_commands.json).
# Exits non-zero on any finding; the last lines summarise both checks.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
start=$SECONDS

# clang-format --dry-run --Werror prints each misformatted place and fails.
mapfile -t sources < <(git ls-files '*.cpp' '*.hpp')
format_out=$(clang-format --dry-run --Werror "${sources[@]}" 2>&1)
format_status=$?
unformatted=$(grep -oE '^[^:]+\.(cpp|hpp):' <<<"$format_out" | sort -u | wc -l)
[ $format_status -eq 0 ] || printf '%s\n' "$format_out"

python3 scripts/clang_tidy_cached.py "$BUILD_DIR" | tee "$BUILD_DIR/lint-tidy.log"
tidy_status=${PIPESTATUS[0]}

echo "clang-format: $unformatted of ${#sources[@]} files need formatting (make format fixes them)"
if [ $format_status -eq 0 ] && [ "$tidy_status" -eq 0 ]; then
  echo "lint: clean ($((SECONDS - start)) s)"
else
  echo "lint: FAILED ($((SECONDS - start)) s)"
  exit 1
fi
