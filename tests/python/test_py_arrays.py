"""The Python package's plain arrays: numpy and dask round trips for every dtype, numpy indexing
semantics (random property-style selections), exceptions mapped to Python types."""

import numpy as np
import pytest

import ngff
from ngff_tools import DTYPES, make_data, np_dtype

SHAPE = (7, 11, 13)
CHUNKS = (3, 4, 5)


@pytest.mark.parametrize("zarr_format", [2, 3])
@pytest.mark.parametrize("name", list(DTYPES))
def test_numpy_and_dask_round_trip(tmp_path, name, zarr_format):
    x = make_data(name, SHAPE, seed=1)
    a = ngff.create_array(tmp_path / "a.zarr", SHAPE, np_dtype(name), chunks=CHUNKS,
                          zarr_format=zarr_format)
    a[...] = x
    b = ngff.open_array(tmp_path / "a.zarr")
    assert b.dtype == x.dtype and b.shape == SHAPE and b.chunks == CHUNKS
    assert b[...].tobytes() == x.tobytes()
    d = b.to_dask()
    assert d.chunks == tuple(tuple(min(c, n - i) for i in range(0, n, c))
                             for n, c in zip(SHAPE, CHUNKS))
    assert d.compute().tobytes() == x.tobytes()


def random_key(rng, shape):
    key = []
    for n in shape:
        kind = rng.integers(0, 4)
        if kind == 0:
            key.append(int(rng.integers(-n, n)))
        elif kind == 1:
            key.append(slice(None))
        else:
            start = int(rng.integers(-n - 2, n + 2)) if rng.random() < 0.8 else None
            stop = int(rng.integers(-n - 2, n + 2)) if rng.random() < 0.8 else None
            step = int(rng.choice([1, 1, 2, 3, -1, -2, 5])) if rng.random() < 0.7 else None
            key.append(slice(start, stop, step))
    if rng.random() < 0.2:  # an ellipsis replacing a run of axes
        i = int(rng.integers(0, len(key)))
        j = int(rng.integers(i, len(key) + 1))
        key = key[:i] + [Ellipsis] + key[j:]
    return tuple(key)


@pytest.mark.parametrize("seed", range(4))
def test_indexing_matches_numpy(tmp_path, seed):
    rng = np.random.default_rng(seed)
    x = np.arange(np.prod(SHAPE), dtype="int32").reshape(SHAPE)
    a = ngff.create_array(tmp_path / "a.zarr", SHAPE, "int32", chunks=CHUNKS)
    a[...] = x
    for _ in range(150):
        key = random_key(rng, SHAPE)
        expected = x[key]
        got = a[key]
        assert got.shape == expected.shape, key
        assert np.array_equal(got, expected), key
        value = rng.integers(-1000, 0, size=expected.shape, dtype="int32")
        x[key] = value
        a[key] = value
        assert np.array_equal(a[...], x), f"after setting {key}"
    a[1, ..., ::2] = 7  # scalar broadcast
    x[1, ..., ::2] = 7
    assert np.array_equal(a[...], x)


def test_indexing_errors_are_numpy_like(tmp_path):
    a = ngff.create_array(tmp_path / "a.zarr", (4, 5), "uint8")
    with pytest.raises(IndexError):
        a[4, 0]
    with pytest.raises(IndexError):
        a[0, 0, 0]
    with pytest.raises(IndexError):
        a[..., ...]
    with pytest.raises(IndexError):
        a[[1, 2]]
    assert a[-4, -1] == 0 and a[0].shape == (5,) and a[:, 2].shape == (4,)
    assert a[2:1].shape == (0, 5)


def test_zero_dimensional(tmp_path):
    a = ngff.create_array(tmp_path / "s.zarr", (), "float64")
    a[...] = 2.5
    assert ngff.open_array(tmp_path / "s.zarr")[()] == 2.5


def test_exceptions_are_python_types(tmp_path):
    with pytest.raises(ngff.KeyNotFoundError) as e:
        ngff.open_array(tmp_path / "missing.zarr")
    assert isinstance(e.value, KeyError) and isinstance(e.value, ngff.NgffError)
    assert "missing.zarr" in str(e.value)
    bad = tmp_path / "bad.zarr"
    bad.mkdir()
    (bad / "zarr.json").write_text('{"zarr_format": 3, "node_type": "array"}')
    with pytest.raises(ngff.MetadataError) as e:
        ngff.open_array(bad)
    assert isinstance(e.value, ValueError) and "shape" in str(e.value)
    with pytest.raises(ngff.UsageError):
        ngff.create_array(tmp_path / "c.zarr", (4,), "uint8", codec="nonsense")
    a = ngff.create_array(tmp_path / "ok.zarr", (4,), "uint8", chunks=(4,), codec="raw")
    a[...] = 1
    (tmp_path / "ok.zarr" / "c" / "0").write_bytes(b"xx")
    with pytest.raises(ngff.CodecError) as e:
        a[...]
    assert "c/0" in str(e.value)


def test_attributes_and_pickling(tmp_path):
    import pickle
    a = ngff.create_array(tmp_path / "a.zarr", (4,), "uint16", attributes={"k": [1, "two"]})
    assert a.attrs == {"k": [1, "two"]}
    a.attrs = {"k": 3}
    b = pickle.loads(pickle.dumps(ngff.open_array(tmp_path / "a.zarr")))
    assert b.attrs == {"k": 3} and b.url == a.url
