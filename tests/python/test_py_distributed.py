"""write_image from a dask array on a dask.distributed LocalCluster with 2 worker processes:
every task handles one block of whole chunks, the result equals the input, and reading it back
through to_dask on the cluster gives the same voxels."""

import numpy as np
import pytest

import ngff


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None, memory_limit="400MiB")
    with Client(cluster) as c:
        yield c
    cluster.close()


def test_distributed_write_and_read(tmp_path, client):
    import dask.array as da
    shape, chunks = (4, 256, 256), (1, 64, 64)
    data = da.random.default_rng(0).integers(0, 4096, size=shape, chunks=(1, 128, 128),
                                             dtype="uint16")
    expected = data.compute()
    img = ngff.write_image(tmp_path / "dist.zarr", data, axes="zyx", scale=(1.0, 0.5, 0.5),
                           levels=3, chunks=chunks, method="mean")
    read = img[0].to_dask()
    assert read.numblocks == tuple(-(-n // c) for n, c in zip(shape, chunks))
    assert np.array_equal(client.compute(read).result(), expected)
    ref = ngff.write_image(tmp_path / "ref.zarr", expected, axes="zyx", scale=(1.0, 0.5, 0.5),
                           levels=3, chunks=chunks, method="mean")
    for a, b in zip(img, ref):
        assert np.array_equal(a.to_numpy(), b.to_numpy())
        assert a.scale == b.scale and a.translation == b.translation
    assert len(client.scheduler_info()["workers"]) == 2


def test_no_worker_holds_the_whole_image(tmp_path, client):
    """A 256 MiB image through workers limited to 400 MiB each: a worker holding the whole image
    (plus its own ~150 MiB) would pass the limit and be restarted, failing the computation."""
    import dask.array as da
    shape = (16, 2048, 4096)
    data = da.random.default_rng(1).integers(0, 4096, size=shape, chunks=(2, 512, 1024),
                                             dtype="uint16")
    img = ngff.write_image(tmp_path / "big.zarr", data, axes="zyx", levels=2,
                           chunks=(1, 512, 512), method="nearest", codec="zstd:1")
    read = img[0].to_dask(chunks=(2, 512, 1024))
    assert bool(client.compute((read == data).all()).result())
    assert bool(client.compute((img[1].to_dask() == data[::2, ::2, ::2]).all()).result())
