"""The storage layouts the benchmark writes and reads, as Zarr v3 codec JSON.

Every library is given the same codec configuration (same level, shuffle, typesize, blocksize,
index codecs), so stored sizes compare and a library's bytes are readable by every other.
Adapters translate a Layout into their own API; none of them invents its own defaults.
"""
from __future__ import annotations

from dataclasses import dataclass

# 128³ uint16 chunks are 4 MiB: in the 1-8 MiB range chunked-array guides recommend, and
# 512³ has 64 of them, enough to keep 2 threads busy. 64³ (512 KiB) would mostly measure
# per-chunk overhead; that is what the sharded layout's inner chunks and the chunk-by-chunk
# and random-read workloads are for.
CHUNK = 128
SHARD = 256        # 256³ shards ...
INNER = 64         # ... of 64³ inner chunks (64 per shard)
ZSTD_LEVEL = 3     # zstd's own default; the level most tools pick
BLOSC_CLEVEL = 5   # blosc's (and numcodecs') default

BYTES = {"name": "bytes", "configuration": {"endian": "little"}}
ZSTD = {"name": "zstd", "configuration": {"level": ZSTD_LEVEL, "checksum": False}}
BLOSC_LZ4 = {"name": "blosc", "configuration": {"cname": "lz4", "clevel": BLOSC_CLEVEL,
                                                 "shuffle": "shuffle", "typesize": 2,
                                                 "blocksize": 0}}
# zarr-python's default shard index; tensorstore and zarrs use the same.
INDEX_CODECS = [BYTES, {"name": "crc32c"}]


@dataclass(frozen=True)
class Layout:
    name: str
    chunks: tuple          # the chunk shape, or the inner chunk shape when sharded
    shards: tuple | None   # the shard shape, or None
    codec: str             # "raw", "zstd" or "blosc-lz4" (of the chunks, or the inner chunks)

    @property
    def compressors(self) -> list:
        """The bytes→bytes codecs, as Zarr v3 JSON."""
        return {"raw": [], "zstd": [ZSTD], "blosc-lz4": [BLOSC_LZ4]}[self.codec]

    @property
    def storage_chunks(self) -> tuple:
        """The shape of one stored object (a shard when sharded)."""
        return self.shards or self.chunks

    def codecs_json(self) -> list:
        """The whole v3 `codecs` list of the array's zarr.json."""
        inner = [BYTES, *self.compressors]
        if self.shards is None:
            return inner
        return [{"name": "sharding_indexed",
                 "configuration": {"chunk_shape": list(self.chunks), "codecs": inner,
                                   "index_codecs": INDEX_CODECS, "index_location": "end"}}]

    def describe(self) -> str:
        c = "×".join(map(str, self.chunks))
        codec = {"raw": "no compression", "zstd": f"zstd {ZSTD_LEVEL}",
                 "blosc-lz4": f"blosc lz4 {BLOSC_CLEVEL} shuffle"}[self.codec]
        if self.shards:
            return f"{'×'.join(map(str, self.shards))} shards of {c} chunks, {codec}"
        return f"{c} chunks, {codec}"


def layouts(ndim: int = 3) -> dict[str, Layout]:
    cube = lambda n: (n,) * ndim  # noqa: E731
    return {
        "raw": Layout("raw", cube(CHUNK), None, "raw"),
        "zstd": Layout("zstd", cube(CHUNK), None, "zstd"),
        "blosc": Layout("blosc", cube(CHUNK), None, "blosc-lz4"),
        "sharded": Layout("sharded", cube(INNER), cube(SHARD), "zstd"),
        # Write-only extra: acquire-zarr compresses only through blosc, so this is the one
        # sharded layout all five libraries can write.
        "sharded-blosc": Layout("sharded-blosc", cube(INNER), cube(SHARD), "blosc-lz4"),
    }


def boxes(shape, block):
    """(start, shape) of every block of a regular grid over `shape` (edge blocks clipped), in
    C order."""
    import itertools
    ranges = [range(0, n, b) for n, b in zip(shape, block)]
    for start in itertools.product(*ranges):
        yield start, tuple(min(b, n - s) for s, b, n in zip(start, block, shape))
