"""The concurrency contract of a local store (docs/reliability.md): several processes writing
disjoint chunks, or disjoint shards, of one array at the same time give exactly the array
written — every object is replaced whole by a rename, so no write can tear another. (Writers of
different inner chunks of one shard race on the shard's read-modify-write: that is documented as
unsupported, and callers split work on shard boundaries.)"""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
import zarr

from ngff_tools import NGFF_RAWIO, describe, native, rawio_create, region_spelling


def metadata(shape, chunks, shards=None) -> dict:
    codecs = [{"name": "bytes", "configuration": {"endian": "little"}},
              {"name": "zstd", "configuration": {"level": 1, "checksum": False}}]
    grid = chunks
    if shards is not None:
        codecs = [{"name": "sharding_indexed", "configuration": {
            "chunk_shape": chunks, "codecs": codecs,
            "index_codecs": [{"name": "bytes", "configuration": {"endian": "little"}},
                             {"name": "crc32c"}]}}]
        grid = shards
    return {"zarr_format": 3, "node_type": "array", "shape": shape, "data_type": "uint16",
            "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": grid}},
            "chunk_key_encoding": {"name": "default"}, "fill_value": 0, "codecs": codecs}


@pytest.mark.parametrize("sharded", [False, True], ids=["chunks", "shards"])
def test_processes_writing_disjoint_blocks_give_the_whole_array(sharded, tmp_path):
    shape, block = [8, 256, 256], [1, 64, 64]
    meta = metadata(shape, [1, 32, 32], block) if sharded else metadata(shape, block)
    url = tmp_path / "a.zarr"
    rawio_create(url, meta, np.zeros(shape, np.uint16), tmp=tmp_path)
    rng = np.random.default_rng(5)
    expected = rng.integers(1, 60000, shape, dtype=np.uint16)
    # Eight processes at once, each writing every eighth block (interleaved, so neighbouring
    # blocks — and the objects of one folder — are written by different processes at once).
    blocks = [(z, y, x) for z in range(8) for y in range(0, 256, 64) for x in range(0, 256, 64)]
    procs = []
    for w in range(8):
        inputs = []
        for i, (z, y, x) in enumerate(blocks[w::8]):
            region = (slice(z, z + 1), slice(y, y + 64), slice(x, x + 64))
            path = tmp_path / f"in-{w}-{i}.bin"
            path.write_bytes(native(expected[region]).tobytes())
            inputs.append((path, region))
        script = " && ".join(f"{NGFF_RAWIO} write {url} {p} --region '{region_spelling(r)}'"
                             for p, r in inputs)
        procs.append(subprocess.Popen(["sh", "-c", script], stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True))
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    np.testing.assert_array_equal(zarr.open_array(str(url), mode="r")[...], expected)
