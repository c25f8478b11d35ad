"""acquire-zarr: a write-only streaming writer (frames are appended in acquisition order).

It always writes sharded v3 arrays (an unsharded layout becomes one chunk per shard, which
costs one 16-byte index entry + crc32c per object) and compresses only through blosc (lz4 or
zstd), so plain-zstd layouts are n/a. Threads: StreamSettings.max_threads.
"""
import acquire_zarr as aq

from . import Adapter, Unsupported, dist_version

CODECS = {"blosc-lz4": aq.CompressionCodec.BLOSC_LZ4}
SHUFFLE = {"noshuffle": 0, "shuffle": 1, "bitshuffle": 2}  # blosc's own numbering


class AcquireAdapter(Adapter):
    name = "acquire-zarr"

    def version(self):
        return dist_version("acquire-zarr")

    def write(self, path, data, layout):
        compression = None
        if layout.codec != "raw":
            if layout.codec not in CODECS:
                raise Unsupported("acquire-zarr compresses only with blosc (lz4/zstd)")
            blosc = layout.compressors[0]["configuration"]
            compression = aq.CompressionSettings(
                compressor=aq.Compressor.BLOSC1, codec=CODECS[layout.codec],
                level=blosc["clevel"], shuffle=SHUFFLE[blosc["shuffle"]])
        per_shard = ([s // c for s, c in zip(layout.shards, layout.chunks)] if layout.shards
                     else [1] * data.ndim)
        dims = [aq.Dimension(name=name, kind=aq.DimensionType.SPACE, array_size_px=n,
                             chunk_size_px=c, shard_size_chunks=k)
                for name, n, c, k in zip("zyx"[-data.ndim:], data.shape, layout.chunks,
                                         per_shard)]
        settings = aq.StreamSettings(
            store_path=path, overwrite=True, max_threads=self.threads,
            arrays=[aq.ArraySettings(dimensions=dims, data_type=data.dtype,
                                     compression=compression)])
        stream = aq.ZarrStream(settings)
        stream.append(data)
        stream.close()


ADAPTER = AcquireAdapter
