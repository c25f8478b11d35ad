#!/usr/bin/env bash
# Checks ngff as a package others build on, from an existing build (BUILD_DIR, default build):
#   1. `cmake --install` into a temporary prefix: library, CLI, public headers (none of the
#      implementation headers under src/), CMake package, pkg-config file;
#   2. examples/ as a separate CMake project that finds ngff only through find_package (only
#      -DCMAKE_PREFIX_PATH=<prefix>), then write_image and read_image on its output;
#   3. a small program compiled with `pkg-config --cflags --libs ngff`, run;
#   4. a parent project that add_subdirectory()s ngff, configured only: warnings are not errors,
#      tests are not built, no -Werror reaches any flags.
# KEEP_TMP=1 keeps the temporary folder. Prints one line: "install-check: OK (...)" or "install-check: FAILED: <why>".
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
BUILD_DIR=${BUILD_DIR:-build}
GENERATOR=()
command -v ninja >/dev/null && GENERATOR=(-G Ninja)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ngff-install-check.XXXXXX")
LOG="$TMP/log"
if [ -n "${KEEP_TMP:-}" ]; then
  echo "install-check: keeping $TMP"
else
  trap 'rm -rf "$TMP"' EXIT
fi

fail() {
  echo "install-check: FAILED: $*" >&2
  [ -s "$LOG" ] && tail -n 40 "$LOG" >&2
  exit 1
}
# Runs a step with its output in $LOG, shown only when it fails.
step() {
  local what=$1
  shift
  "$@" >"$LOG" 2>&1 || fail "$what"
}

[ -f "$BUILD_DIR/CMakeCache.txt" ] || fail "$BUILD_DIR is not a configured build (make build)"
version=$(sed -n 's/^project(ngff VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)

# 1. Install.
PREFIX="$TMP/prefix"
step "cmake --install $BUILD_DIR" cmake --install "$BUILD_DIR" --prefix "$PREFIX"
PC=$(find "$PREFIX" -name ngff.pc -path '*/pkgconfig/*' | head -n 1)
[ -n "$PC" ] || fail "no ngff.pc installed"
LIBDIR=$(dirname "$(dirname "$PC")")
[ -x "$PREFIX/bin/ngff" ] || fail "no bin/ngff installed"
[ -f "$PREFIX/include/ngff/version.hpp" ] || fail "no include/ngff/version.hpp installed"
[ -f "$LIBDIR/cmake/ngff/ngffConfig.cmake" ] || fail "no ngffConfig.cmake installed"
[ -f "$LIBDIR/cmake/ngff/ngffConfigVersion.cmake" ] || fail "no ngffConfigVersion.cmake installed"
if [ -f "$LIBDIR/libngff.a" ]; then
  kind=static
elif compgen -G "$LIBDIR/libngff.so*" >/dev/null; then
  kind=shared
else
  fail "no libngff.a or libngff.so in $LIBDIR"
fi
# Every installed header is a public one (include/ngff) or the generated version.hpp.
while IFS= read -r header; do
  rel=${header#"$PREFIX/include/"}
  [ "$rel" = ngff/version.hpp ] || [ -f "include/$rel" ] ||
    fail "installed header $rel is not a public header of include/ngff"
done < <(find "$PREFIX/include" -type f)
[ -z "$(find "$PREFIX" -name codec_pipeline.hpp)" ] || fail "implementation header installed"
[ "$("$PREFIX/bin/ngff" --version)" = "ngff $version" ] || fail "installed ngff --version"

# 2. The examples against the installed package.
EX="$TMP/examples-build"
step "configuring examples/ with find_package(ngff)" \
  cmake -S examples -B "$EX" "${GENERATOR[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$PREFIX"
found=$(sed -n 's/^ngff_DIR:PATH=//p' "$EX/CMakeCache.txt")
[ "$found" = "$LIBDIR/cmake/ngff" ] || fail "examples/ found ngff in '$found', not in $PREFIX"
step "building examples/" cmake --build "$EX" -j "${JOBS:-2}"
step "write_image" "$EX/ngff_example_write_image" "$TMP/image.ome.zarr"
step "read_image" "$EX/ngff_example_read_image" "$TMP/image.ome.zarr"
grep -q '^level 0: shape 2 64 512 512' "$LOG" || fail "read_image: unexpected output"
grep -q '^axes: czyx, 67108864 bytes of uint16 read' "$LOG" || fail "read_image: unexpected output"

# 3. pkg-config.
cat >"$TMP/pc_check.cpp" <<'CPP'
// Writes a blosc-compressed Zarr v3 array into memory and reads it back: compiles against the
// installed headers and links the library with its compressors.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

#include <ngff/store/memory_store.hpp>
#include <ngff/version.hpp>
#include <ngff/zarr/array.hpp>
#include <ngff/zarr/array_spec.hpp>
#include <ngff/zarr/codec_spelling.hpp>

int main() {
  ngff::zarr::ArraySpec spec;
  spec.shape = {64, 64};
  spec.chunks = {32, 32};
  spec.dtype = ngff::zarr::DataType::uint16;
  spec.compression = ngff::zarr::parse_codec_spelling("blosc:zstd:5:shuffle", spec.dtype);
  auto store = std::make_shared<ngff::MemoryStore>();
  auto a = ngff::zarr::Array::create(store, "a", ngff::zarr::make_array_metadata(spec));
  std::vector<uint16_t> in(64 * 64), out(64 * 64);
  for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<uint16_t>(i * 7);
  a.write(ngff::zarr::Region::whole(spec.shape), in.data());
  ngff::zarr::Array::open(store, "a").read(ngff::zarr::Region::whole(spec.shape), out.data());
  if (in != out) return 1;
  std::printf("ngff %s\n", NGFF_VERSION_STRING);
  return ngff::version == NGFF_VERSION_STRING ? 0 : 1;
}
CPP
export PKG_CONFIG_PATH="$LIBDIR/pkgconfig"
step "pkg-config --cflags --libs ngff" pkg-config --cflags --libs ngff
# shellcheck disable=SC2207  # pkg-config output is meant to be word-split
flags=($(cat "$LOG"))
step "compiling with pkg-config's flags" \
  "${CXX:-c++}" -std=c++20 "$TMP/pc_check.cpp" -o "$TMP/pc_check" "${flags[@]}"
LD_LIBRARY_PATH="$LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" step "running the pkg-config program" \
  "$TMP/pc_check"
grep -qx "ngff $version" "$LOG" || fail "pkg-config program: unexpected output"

# 4. As a subproject (configure only: building the library twice is too slow for CI).
mkdir -p "$TMP/parent"
cat >"$TMP/parent/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.22)
project(parent LANGUAGES CXX)
add_subdirectory("$REPO" ngff)
file(WRITE "\${CMAKE_BINARY_DIR}/ngff-options.txt"
     "NGFF_WERROR=\${NGFF_WERROR} NGFF_BUILD_TESTS=\${NGFF_BUILD_TESTS} "
     "NGFF_BUILD_EXAMPLES=\${NGFF_BUILD_EXAMPLES} CMAKE_BUILD_TYPE=\${CMAKE_BUILD_TYPE}")
add_executable(parent_app main.cpp)
target_link_libraries(parent_app PRIVATE ngff::ngff)
CMAKE
printf '#include <ngff/ngff.hpp>\nint main() { return ngff::version.empty(); }\n' \
  >"$TMP/parent/main.cpp"
step "configuring a parent project with add_subdirectory(ngff)" \
  cmake -S "$TMP/parent" -B "$TMP/parent-build" "${GENERATOR[@]}" \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
options=$(cat "$TMP/parent-build/ngff-options.txt")
[ "$options" = "NGFF_WERROR=OFF NGFF_BUILD_TESTS=OFF NGFF_BUILD_EXAMPLES=OFF CMAKE_BUILD_TYPE=" ] ||
  fail "as a subproject: $options"
! grep -q -e '-Werror' -e '-fsanitize' "$TMP/parent-build/compile_commands.json" ||
  fail "as a subproject: -Werror or -fsanitize in the flags"
grep -q 'main.cpp' "$TMP/parent-build/compile_commands.json" ||
  fail "as a subproject: the parent's target is missing from compile_commands.json"

echo "install-check: OK ($kind libngff $version: install, find_package examples, pkg-config," \
  "add_subdirectory)"
