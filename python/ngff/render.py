"""A picture of an OME-Zarr image: :func:`render` draws one y/x plane with the channels in their
omero colours and windows and a label image over them, as ``ngff render`` does."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from . import _ngff
from .array import Url
from .image import MultiscaleImage


def render(image: Url | MultiscaleImage, *, size: tuple[int, int] | None = (1024, 1024),
           level: int | None = None, z: int | None = None, mip: bool = False,
           t: int | None = None, channels: Sequence[int] = (),
           windows: dict[int, tuple[float, float]] | None = None, labels: str | None = None,
           label_opacity: float = 0.5,
           region: tuple[tuple[int, int], tuple[int, int]] | None = None,
           series: int = 0) -> npt.NDArray[np.uint8]:
    """Renders ``image`` (an image, a URL of one, of a well or plate (their first field) or of a
    bioformats2raw root (``series``)) as an RGB picture, ``(height, width, 3)`` uint8.

    The picture fits in ``size`` (width, height; never enlarged; None: the region at the level's
    own resolution), read from the coarsest level that covers it unless ``level`` is given.
    ``z`` (a full-resolution index; default the omero defaultZ, else the middle) or ``mip`` (the
    maximum over z), ``t`` (default the omero defaultT, else 0). ``channels``: the channel
    indices to draw (default those omero marks active), each in its omero colour and window;
    ``windows`` maps a channel to its (start, end) instead; a channel without a window gets the
    0.1 and 99.9 percentiles of the plane. ``labels`` names a label image to lay over the
    picture in its image-label colours (a stable palette for values without one), at
    ``label_opacity``. ``region``: ((y0, y1), (x0, x1)) in full-resolution indices.

    >>> rgb = ngff.render("image.ome.zarr", size=(256, 256), mip=True, labels="cells")
    >>> rgb.shape, rgb.dtype
    ((256, 256, 3), dtype('uint8'))
    """
    core = (image._core if isinstance(image, MultiscaleImage)
            else _ngff.open_render_image(str(image), int(series)))
    width, height = size if size is not None else (0, 0)
    box = None
    if region is not None:
        (y0, y1), (x0, x1) = region
        box = [int(y0), int(x0), int(y1) - int(y0), int(x1) - int(x0)]
    out: npt.NDArray[np.uint8] = _ngff.render(
        core, level=level, width=int(width), height=int(height), z=z, mip=bool(mip), t=t,
        channels=[int(c) for c in channels],
        windows=[(int(c), float(s), float(e)) for c, (s, e) in (windows or {}).items()],
        labels=labels or "", label_opacity=float(label_opacity), region=box)
    return out
