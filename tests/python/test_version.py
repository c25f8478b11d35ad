"""One version everywhere: project(ngff VERSION ...) in CMakeLists.txt is its only definition, and
the CLI (`ngff --version`), the Python package (`ngff.__version__`) and the wheel metadata
(pyproject.toml reads it with a regex) all derive from it."""

import re
import tomllib
from pathlib import Path

import ngff
from ngff_tools import NGFF_BIN, run_ok

ROOT = Path(__file__).resolve().parents[2]


def cmake_version() -> str:
    text = (ROOT / "CMakeLists.txt").read_text()
    m = re.search(r"project\(ngff\s+VERSION\s+([0-9]+\.[0-9]+\.[0-9]+)", text)
    assert m, "no project(ngff VERSION x.y.z) in CMakeLists.txt"
    return m.group(1)


def test_cli_version_is_cmake_version():
    assert run_ok(NGFF_BIN, "--version").stdout.strip() == f"ngff {cmake_version()}"


def test_python_version_is_cmake_version():
    assert ngff.__version__ == cmake_version()


def test_pyproject_reads_the_cmake_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    setting = project["tool"]["scikit-build"]["metadata"]["version"]
    assert setting["input"] == "CMakeLists.txt"
    m = re.search(setting["regex"], (ROOT / "CMakeLists.txt").read_text(), re.MULTILINE)
    assert m and m.group("value") == cmake_version()
