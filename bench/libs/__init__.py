"""One adapter per library, all with the same small interface, so a workload is written once.

    lib = load("tensorstore", threads=2)      # imports the library, applies the thread limit
    r = lib.open_read(path)                   # -> Reader
    r.read_all(); r.read_region(start, shape) # -> numpy arrays
    w = lib.create(path, shape, dtype, layout)  # -> Writer (regions in any order)
    w.write_region(start, block); w.close()
    lib.write(path, data, layout)             # whole array (default: create + one region)

A library that cannot do something raises Unsupported (reported as "n/a", not as an error).
"""
from __future__ import annotations

import importlib

# name in tables -> module in this package
LIBRARIES = {
    "ngff": "ngff_lib",
    "tensorstore": "tensorstore_lib",
    "zarr-python": "zarr_python_lib",
    "zarrs": "zarrs_lib",
    "acquire-zarr": "acquire_lib",
}


class Unsupported(Exception):
    """The library lacks the feature a workload needs."""


class Reader:
    def read_all(self):
        raise NotImplementedError

    def read_region(self, start, shape):
        raise NotImplementedError


class Writer:
    def write_region(self, start, block):
        raise NotImplementedError

    def close(self):
        pass


class Adapter:
    name = "?"

    def __init__(self, threads: int):
        self.threads = threads

    def version(self) -> str:
        raise NotImplementedError

    def open_read(self, path: str) -> Reader:
        raise Unsupported(f"{self.name} does not read")

    def create(self, path: str, shape, dtype, layout) -> Writer:
        raise Unsupported(f"{self.name} does not write regions")

    def write(self, path: str, data, layout) -> None:
        w = self.create(path, data.shape, data.dtype, layout)
        w.write_region((0,) * data.ndim, data)
        w.close()


def load(name: str, threads: int) -> Adapter:
    module = importlib.import_module(f"{__name__}.{LIBRARIES[name]}")
    return module.ADAPTER(threads)


def dist_version(distribution: str) -> str:
    """The installed version of a PyPI distribution (not every module has __version__)."""
    from importlib.metadata import version
    return version(distribution)


def slices(start, shape):
    return tuple(slice(s, s + n) for s, n in zip(start, shape))
