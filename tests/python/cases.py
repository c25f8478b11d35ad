"""Array cases shared by the interop tests: each knows how zarr-python creates it and which data
goes in. A case is a small frozen description; its `id` names it in pytest's output."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Sequence

import numpy as np
import zarr
import zarr.codecs as zc

from ngff_tools import make_data, np_dtype, v2_dtype

NULL = "null"  # v2 fill_value null (undefined)
DEFAULT = "default"  # let zarr-python choose the fill value (zero)


def _fill_for_zarr(fill, dtype_name):
    if fill is DEFAULT:
        return 0 if dtype_name != "bool" else False
    if fill is NULL:
        return None
    return fill


def _fill_id(fill) -> str:
    if fill is DEFAULT:
        return ""
    if fill is NULL:
        return "-fill_null"
    if isinstance(fill, complex):
        return f"-fill_{fill.real}_{fill.imag}"
    return f"-fill_{fill}"


def partial_region(shape: Sequence[int]) -> tuple[slice, ...]:
    """The region a 'partial' case writes: the first half of the first dimension and a bit of the
    others, so that some chunks are stored, some cut and some missing."""
    return tuple(slice(0, max(1, n // 2) if n else 0) if i == 0 else slice(1 if n > 2 else 0, n)
                 for i, n in enumerate(shape))


@dataclass(frozen=True)
class Case:
    dtype: str = "uint16"
    shape: tuple = (7, 9, 5)
    chunks: tuple = (3, 4, 2)
    fill: Any = DEFAULT
    partial: bool = False  # write only partial_region(): missing chunks read as the fill value
    seed: int = 0

    def data(self) -> np.ndarray:
        return make_data(self.dtype, self.shape, self.seed)

    def written_region(self):
        return partial_region(self.shape) if self.partial and self.shape else tuple(
            slice(0, n) for n in self.shape)

    def fill_and_write(self, arr) -> None:
        """Writes the case's data (or the part of it in partial_region) with zarr-python."""
        data = self.data()
        region = self.written_region()
        arr[region if self.shape else ...] = data[region] if self.shape else data


@dataclass(frozen=True)
class V2Case(Case):
    endian: str = "<"  # '<' or '>' (ignored for one-byte types)
    order: str = "C"
    compressor: Any = None  # a numcodecs codec or None
    filters: Optional[tuple] = None  # numcodecs codecs or None
    separator: str = "."

    @property
    def deterministic_chunks(self) -> bool:
        """Chunk bytes are fixed by the spec (no compressor, only checksums)."""
        return all(type(c).__name__ == "CRC32C" for c in (self.compressor, *(self.filters or ()))
                   if c is not None)

    @property
    def id(self) -> str:
        comp = "raw" if self.compressor is None else codec_id(self.compressor)
        filt = "" if not self.filters else "+" + "+".join(codec_id(f) for f in self.filters)
        return (f"{v2_dtype(self.dtype, self.endian)}-{self.order}-{shape_id(self.shape)}"
                f"-{comp}{filt}-sep{self.separator}{_fill_id(self.fill)}"
                f"{'-partial' if self.partial else ''}")

    def create(self, path, attributes=None):
        return zarr.create_array(
            store=str(path), shape=self.shape, chunks=self.chunks,
            dtype=v2_dtype(self.dtype, self.endian), zarr_format=2, order=self.order,
            compressors=self.compressor, filters=list(self.filters) if self.filters else None,
            chunk_key_encoding={"name": "v2", "separator": self.separator},
            fill_value=_fill_for_zarr(self.fill, self.dtype), attributes=attributes)


@dataclass(frozen=True)
class V3Case(Case):
    endian: str = "little"
    transpose: Optional[tuple] = None  # order of a transpose codec, or none
    compressors: tuple = ()  # zarr.codecs bytes->bytes codecs
    key_encoding: tuple = ("default", "/")  # (name, separator)
    dimension_names: Optional[tuple] = None

    @property
    def deterministic_chunks(self) -> bool:
        return all(isinstance(c, zc.Crc32cCodec) for c in self.compressors)

    @property
    def id(self) -> str:
        comp = "+".join(codec_id(c) for c in self.compressors) or "raw"
        tr = f"-T{''.join(map(str, self.transpose))}" if self.transpose else ""
        return (f"{self.dtype}-{self.endian}-{shape_id(self.shape)}{tr}-{comp}"
                f"-{self.key_encoding[0]}{self.key_encoding[1]}{_fill_id(self.fill)}"
                f"{'-partial' if self.partial else ''}")

    def create(self, path, attributes=None):
        itemsize = np_dtype(self.dtype).itemsize
        return zarr.create_array(
            store=str(path), shape=self.shape, chunks=self.chunks, dtype=self.dtype,
            zarr_format=3,
            filters=[zc.TransposeCodec(order=list(self.transpose))] if self.transpose else [],
            serializer=zc.BytesCodec(endian=self.endian if itemsize > 1 else None),
            compressors=list(self.compressors),
            chunk_key_encoding={"name": self.key_encoding[0], "separator": self.key_encoding[1]},
            fill_value=_fill_for_zarr(self.fill, self.dtype), attributes=attributes,
            dimension_names=self.dimension_names)


def shape_id(shape) -> str:
    return "x".join(map(str, shape)) if shape else "0d"


def codec_id(c) -> str:
    """A short name of a numcodecs or zarr.codecs codec for test ids."""
    name = type(c).__name__.lower().replace("codec", "")
    cfg = c.get_config() if hasattr(c, "get_config") else c.to_dict().get("configuration", {})
    if name == "blosc":
        shuffle = cfg.get("shuffle")
        shuffle = {0: "noshuffle", 1: "shuffle", 2: "bitshuffle", -1: "autoshuffle"}.get(
            shuffle, getattr(shuffle, "value", shuffle))
        return f"blosc_{getattr(cfg.get('cname'), 'value', cfg.get('cname'))}_{shuffle}"
    level = cfg.get("level", cfg.get("clevel"))
    return name if level is None else f"{name}{level}"


def make_tree(root, zarr_format):
    """A group tree with nested groups, arrays (one without chunks) and attributes everywhere."""
    g = zarr.open_group(str(root), mode="w", zarr_format=zarr_format,
                        attributes={"root": True, "n": 1})
    g.create_array("top", shape=(10,), chunks=(4,), dtype="int16")[...] = np.arange(10)
    sub = g.create_group("sub", attributes={"level": 1})
    deeper = sub.create_group("deeper", attributes={"level": 2})
    a = deeper.create_array("img", shape=(6, 7), chunks=(4, 4), dtype="float32",
                            attributes={"unit": "µm"}, fill_value=float("nan"))
    a[:5] = np.arange(35, dtype=np.float32).reshape(5, 7)
    sub.create_array("empty", shape=(3, 3), chunks=(2, 2), dtype="uint8")
    g.create_group("nothing")
    return g
