"""zarr-python 3 with its default (pure Python + numcodecs) codec pipeline.

Threads: `threading.max_workers` bounds the thread pool that encodes and decodes chunks;
`async.concurrency` (I/O requests in flight, not threads) keeps its default.
"""
import zarr

from . import Adapter, Reader, Writer, slices


class _Reader(Reader):
    def __init__(self, array):
        self.a = array

    def read_all(self):
        return self.a[...]

    def read_region(self, start, shape):
        return self.a[slices(start, shape)]


class _Writer(Writer):
    def __init__(self, array):
        self.a = array

    def write_region(self, start, block):
        self.a[slices(start, block.shape)] = block


class ZarrPythonAdapter(Adapter):
    name = "zarr-python"

    def __init__(self, threads):
        super().__init__(threads)
        zarr.config.set({"threading.max_workers": threads})

    def version(self):
        return zarr.__version__

    def open_read(self, path):
        return _Reader(zarr.open_array(path, mode="r"))

    def create(self, path, shape, dtype, layout):
        a = zarr.create_array(path, shape=shape, dtype=dtype, chunks=layout.chunks,
                              shards=layout.shards, compressors=layout.compressors or None,
                              filters=None, fill_value=0, zarr_format=3, overwrite=True)
        return _Writer(a)


ADAPTER = ZarrPythonAdapter
