"""Shared fixtures of the interop suite (run by ctest as `python -m pytest -q tests/python`)."""

import os
import pytest

import ngff_tools


@pytest.fixture(scope="session", autouse=True)
def ngff_executables():
    """The tools under test must exist: a missing binary is a failure, never a skip."""
    for tool in (ngff_tools.NGFF_BIN, ngff_tools.NGFF_RAWIO):
        assert os.access(tool, os.X_OK), (
            f"{tool} is not an executable; build first (cmake --build build) or set "
            "$NGFF_BIN / $NGFF_RAWIO")
    return ngff_tools.NGFF_BIN, ngff_tools.NGFF_RAWIO


@pytest.fixture
def scratch(tmp_path):
    """A directory for the raw files exchanged with ngff_rawio (apart from the stores)."""
    d = tmp_path / "scratch"
    d.mkdir()
    return d
