"""tensorstore, zarr3 driver on the local file kvstore.

Threads: a context with data_copy_concurrency (encode/decode/copy threads) and
file_io_concurrency limited to `threads`; no chunk cache (the default), so repeated reads
decode again as in the other libraries.
"""
import numpy as np
import tensorstore as ts

from . import Adapter, Reader, Writer, dist_version, slices


class _Reader(Reader):
    def __init__(self, store):
        self.t = store

    def read_all(self):
        return self.t.read().result()

    def read_region(self, start, shape):
        return self.t[slices(start, shape)].read().result()


class _Writer(Writer):
    def __init__(self, store):
        self.t = store

    def write_region(self, start, block):
        self.t[slices(start, block.shape)].write(block).result()


class TensorstoreAdapter(Adapter):
    name = "tensorstore"

    def __init__(self, threads):
        super().__init__(threads)
        self.context = ts.Context({"data_copy_concurrency": {"limit": threads},
                                   "file_io_concurrency": {"limit": threads}})

    def version(self):
        return dist_version("tensorstore")

    def _spec(self, path):
        return {"driver": "zarr3", "kvstore": {"driver": "file", "path": path}}

    def open_read(self, path):
        return _Reader(ts.open(self._spec(path), context=self.context, read=True).result())

    def create(self, path, shape, dtype, layout):
        spec = self._spec(path)
        spec["metadata"] = {
            "shape": list(shape), "data_type": np.dtype(dtype).name, "fill_value": 0,
            "chunk_grid": {"name": "regular",
                           "configuration": {"chunk_shape": list(layout.storage_chunks)}},
            "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
            "codecs": layout.codecs_json(),
        }
        store = ts.open(spec, context=self.context, create=True, delete_existing=True).result()
        return _Writer(store)


ADAPTER = TensorstoreAdapter
