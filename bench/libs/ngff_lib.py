"""ngff (this project), through its Python API: open_array / create_array, numpy indexing.

Threads: the C++ core runs on TBB's default arena, which is as wide as the process's CPU
affinity mask; the worker pins the process to `threads` CPUs before importing, so that is the
limit (ngff has no thread-count setting or environment variable).
"""
import ngff

from . import Adapter, Reader, Writer

# ngff's codec spelling (src/zarr/codec_spelling.cpp) for each layout codec; the JSON it
# produces equals layouts.ZSTD / layouts.BLOSC_LZ4.
SPELLING = {"raw": "raw", "zstd": "zstd:3", "blosc-lz4": "blosc:lz4:5:shuffle"}


class _Reader(Reader):
    def __init__(self, array):
        self.a = array

    def read_all(self):
        return self.a[...]

    def read_region(self, start, shape):
        return self.a.read(start, shape)


class _Writer(Writer):
    def __init__(self, array):
        self.a = array

    def write_region(self, start, block):
        self.a.write(start, block)


class NgffAdapter(Adapter):
    name = "ngff"

    def version(self):
        return ngff.__version__

    def open_read(self, path):
        return _Reader(ngff.open_array(path))

    def create(self, path, shape, dtype, layout):
        kwargs = {}
        if layout.shards:  # only passed when sharded: older builds have no `shards` argument
            kwargs["shards"] = layout.shards
        a = ngff.create_array(path, shape, dtype, chunks=layout.chunks,
                              codec=SPELLING[layout.codec], zarr_format=3, fill_value=0,
                              overwrite=True, **kwargs)
        return _Writer(a)


ADAPTER = NgffAdapter
