"""numpy-style basic indexing over a box reader: ints, slices with any step (negative too),
Ellipsis. The data read is the bounding box of the selection; steps are applied in numpy."""

from __future__ import annotations

import numbers


def normalize_key(key, shape):
    """Returns (box_start, box_shape, local, drop): the bounding box to read, the slices that pick
    the selection out of the box, and which axes integer indices remove."""
    if not isinstance(key, tuple):
        key = (key,)
    if any(k is None for k in key):
        raise IndexError("ngff arrays do not support np.newaxis in indices")
    n_ellipsis = sum(1 for k in key if k is Ellipsis)
    if n_ellipsis > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if n_ellipsis:
        i = next(i for i, k in enumerate(key) if k is Ellipsis)
        fill = len(shape) - (len(key) - 1)
        if fill < 0:
            raise IndexError(f"too many indices for array: array is {len(shape)}-dimensional")
        key = key[:i] + (slice(None),) * fill + key[i + 1:]
    if len(key) > len(shape):
        raise IndexError(f"too many indices for array: array is {len(shape)}-dimensional, "
                         f"but {len(key)} were indexed")
    key = key + (slice(None),) * (len(shape) - len(key))
    start, box, local, drop = [], [], [], []
    for axis, (k, n) in enumerate(zip(key, shape)):
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


def selection_shape(box, local):
    """The shape of the selection (before integer axes are dropped)."""
    out = []
    for n, s in zip(box, local):
        out.append(1 if isinstance(s, int) else len(range(n)[s]))
    return tuple(out)
