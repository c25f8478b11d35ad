#!/usr/bin/env bash
# Installs what ngff needs to build and test, idempotently: Debian packages with apt-get (only
# those missing), then a Python venv under the build folder with the test peers from PyPI (only
# when requirements changed). Quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}

DEB_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config python3-venv clang clang-format clang-tidy
  libblosc-dev libzstd-dev zlib1g-dev liblz4-dev nlohmann-json3-dev libcurl4-openssl-dev
  libtiff-dev libpugixml-dev libpng-dev libcli11-dev libfmt-dev libtbb-dev libcpp-httplib-dev
  libgtest-dev libbenchmark-dev
  chromium
)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
apt_install() {
  echo "setup: installing Debian packages: $*"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
# The sanitizer and libFuzzer runtimes of the installed clang (make fuzz); the package is named
# after clang's major version (Debian 12: libclang-rt-14-dev).
clang_major=$(clang --version | grep -oE 'version [0-9]+' | grep -oE '[0-9]+')
rt="libclang-rt-$clang_major-dev"
dpkg-query -W -f='${Status}' "$rt" 2>/dev/null | grep -q 'install ok installed' || apt_install "$rt"

# JavaScript from npm, as a folder's package-lock.json pins it, into its node_modules; reinstalled
# when the lock changes.
command -v npm >/dev/null || apt_install nodejs npm
npm_install() {
  local dir=$1
  if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.ngff-package-lock" 2>/dev/null; then
    echo "setup: installing $dir/package-lock.json into $dir/node_modules"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$dir/node_modules/.ngff-package-lock"
  fi
}
# `ngff view`'s JavaScript (OpenSeadragon, embedded at build time) and the browser test's driver
# (playwright-core).
npm_install viewer
# zarrita, the JavaScript Zarr library that tests/python/test_zarrita_interop.py runs under node.
npm_install tests/js

# A venv under the build folder holding the packages of a requirements file, (re)installed only
# when that file changed since the last install.
ensure_venv() {
  local venv=$1 req=$2
  local stamp="$venv/.ngff-requirements"
  if [ ! -x "$venv/bin/python" ]; then
    echo "setup: creating $venv"
    mkdir -p "$BUILD_DIR"
    python3 -m venv "$venv"
  fi
  if [ ! -f "$stamp" ] || ! cmp -s "$req" "$stamp"; then
    echo "setup: installing Python packages from $req into $venv"
    "$venv/bin/pip" install -q --disable-pip-version-check --upgrade pip >/dev/null
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
    cp "$req" "$stamp"
  fi
}
# The Python test peers.
ensure_venv "$BUILD_DIR/venv" scripts/requirements-test.txt
# The spatial-image stack, whose pins exclude the peers above (requirements-spatial.txt says why).
ensure_venv "$BUILD_DIR/venv-spatial" scripts/requirements-spatial.txt
