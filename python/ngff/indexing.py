"""numpy-style basic indexing over a box reader: ints, slices with any step (negative too),
Ellipsis. The data read is the bounding box of the selection; steps are applied in numpy."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from types import EllipsisType
from typing import Any, TypeAlias, Union

import numpy as np

#: One entry of a basic index: an integer (Python or numpy), a slice with any step, or ``...``.
Index: TypeAlias = Union[int, "np.integer[Any]", slice, EllipsisType]
#: What ``a[key]`` accepts: one entry or a tuple of them, as numpy's basic indexing.
Key: TypeAlias = Union[Index, tuple[Index, ...]]


def normalize_key(key: Key, shape: Sequence[int]
                  ) -> tuple[list[int], list[int], tuple[int | slice, ...], list[int]]:
    """Returns (box_start, box_shape, local, drop): the bounding box to read, the slices that pick
    the selection out of the box, and which axes integer indices remove."""
    keys: tuple[object, ...] = key if isinstance(key, tuple) else (key,)
    if any(k is None for k in keys):
        raise IndexError("ngff arrays do not support np.newaxis in indices")
    n_ellipsis = sum(1 for k in keys if k is Ellipsis)
    if n_ellipsis > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if n_ellipsis:
        i = next(i for i, k in enumerate(keys) if k is Ellipsis)
        fill = len(shape) - (len(keys) - 1)
        if fill < 0:
            raise IndexError(f"too many indices for array: array is {len(shape)}-dimensional")
        keys = keys[:i] + (slice(None),) * fill + keys[i + 1:]
    if len(keys) > len(shape):
        raise IndexError(f"too many indices for array: array is {len(shape)}-dimensional, "
                         f"but {len(keys)} were indexed")
    keys = keys + (slice(None),) * (len(shape) - len(keys))
    start: list[int] = []
    box: list[int] = []
    local: list[int | slice] = []
    drop: list[int] = []
    for axis, (k, n) in enumerate(zip(keys, shape)):
        if isinstance(k, numbers.Integral) and not isinstance(k, bool):
            i = int(k)
            if i < -n or i >= n:
                raise IndexError(f"index {i} is out of bounds for axis {axis} with size {n}")
            i %= n
            start.append(i)
            box.append(1)
            local.append(0)
            drop.append(axis)
        elif isinstance(k, slice):
            r = range(n)[k]
            if len(r) == 0:
                start.append(0)
                box.append(0)
                local.append(slice(0, 0))
                continue
            lo, hi = min(r[0], r[-1]), max(r[0], r[-1]) + 1
            start.append(lo)
            box.append(hi - lo)
            first, last = r[0] - lo, r[-1] - lo
            if r.step > 0:
                local.append(slice(first, last + 1, r.step))
            else:
                local.append(slice(first, last - 1 if last > 0 else None, r.step))
        else:
            raise IndexError(f"only integers, slices and '...' are valid ngff indices, "
                             f"got {type(k).__name__}")
    return start, box, tuple(local), drop


def selection_shape(box: Sequence[int], local: Sequence[int | slice]) -> tuple[int, ...]:
    """The shape of the selection (before integer axes are dropped)."""
    out = []
    for n, s in zip(box, local):
        out.append(1 if isinstance(s, int) else len(range(n)[s]))
    return tuple(out)
