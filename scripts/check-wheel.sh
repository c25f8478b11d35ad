#!/usr/bin/env bash
# Checks the wheel `make wheel` built: installs it into a fresh venv in a temporary folder, runs a
# write_image + open_image round trip from outside the repository, checks that the type stubs
# are installed, and that the compression, HTTP and threading libraries the module links
# resolve to the copies inside the installed wheel, not to the system's. Run by `make wheel-check`.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
PYTHON=${PYTHON:-python3}
# The shared libraries the module links (ldd of the raw wheel's module) that must be bundled.
# fmt is not needed at run time (the linker drops it: nothing the module uses calls it); zlib is
# one of the libraries manylinux lets a wheel take from the system; glibc, libstdc++ and
# libgcc_s are the system's by design.
BUNDLED=(libblosc libzstd liblz4 libcurl libtbb)

fail() {
  echo "wheel-check: FAILED: $*" >&2
  exit 1
}

shopt -s nullglob
wheels=("$BUILD_DIR"/wheelhouse/ngff-*.whl)
[ ${#wheels[@]} -eq 1 ] ||
  fail "expected one wheel in $BUILD_DIR/wheelhouse, found ${#wheels[@]} (run make wheel)"
WHEEL=$(realpath "${wheels[0]}")
echo "wheel-check: $(basename "$WHEEL") ($(du -h "$WHEEL" | cut -f1))"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$PYTHON" -m venv "$TMP/venv"
PY="$TMP/venv/bin/python"
"$PY" -m pip install -q --disable-pip-version-check "$WHEEL"

# Outside the repository, so that nothing can be imported from the source tree.
cd "$TMP"
"$PY" - <<'EOF'
import os, tempfile
import numpy as np
import ngff

assert "site-packages" in ngff.__file__, ngff.__file__
d = tempfile.mkdtemp()
data = np.arange(2 * 40 * 50, dtype=np.uint16).reshape(2, 40, 50)
img = ngff.write_image(os.path.join(d, "i.ome.zarr"), data, axes="cyx", levels=2, codec="blosc")
back = ngff.open_image(img.url)
assert (back[0].to_numpy() == data).all() and back[1].shape == (2, 20, 25), back
ngff.copy(img.url, os.path.join(d, "i.ozx"))
assert (ngff.open_image(os.path.join(d, "i.ozx"))[0].to_numpy() == data).all()
print("wheel-check: round trip through", back, "and a zip")
EOF

PKG=$("$PY" -c "import ngff, os; print(os.path.dirname(ngff.__file__))")
for f in py.typed _ngff.pyi; do
  [ -f "$PKG/$f" ] || fail "$f is not in the installed package ($PKG)"
done

module=("$PKG"/_ngff*.so)
[ ${#module[@]} -eq 1 ] || fail "no single _ngff*.so in $PKG"
LIBS=$(realpath "$PKG/../ngff.libs")
ldd "${module[0]}" > "$TMP/ldd.txt"
echo "wheel-check: ldd ${module[0]#"$TMP"/}"
sed 's/^/    /' "$TMP/ldd.txt"
if grep -q "not found" "$TMP/ldd.txt"; then fail "unresolved libraries"; fi
for lib in "${BUNDLED[@]}"; do
  # auditwheel renames a bundled library libNAME-<hash>.so.N.
  resolved=$(awk -v lib="$lib" '$1 ~ "^" lib "[-.]" { print $3 }' "$TMP/ldd.txt")
  [ -n "$resolved" ] || fail "the module does not link $lib"
  case "$(realpath "$resolved")" in
    "$LIBS"/*) ;;
    *) fail "$lib resolves to $resolved, not to the wheel's $LIBS" ;;
  esac
done
echo "wheel-check: OK (${BUNDLED[*]} from ngff.libs)"
