"""High-content screening plates: ``open_plate`` reads a plate (wells by name, fields as images,
a whole-plate dask/xarray view), ``write_plate`` writes one from arrays by well.

The hierarchy is read by the C++ core (``ome::open_node``): every well and field the metadata
names is checked to exist, and a bad plate raises ValidationError naming the JSON path."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from . import _ngff
from .array import Url
from .image import MultiscaleImage, open_image
from .write import ImageData, OmeVersion, _is_zip, write_image

if TYPE_CHECKING:
    import dask.array as da
    import xarray as xr


class Well:
    """One well of a plate: its position and its fields of view (images, opened on first use).

    >>> well = plate.wells["A/1"]
    >>> well.row, well.column, len(well.fields)
    ('A', '1', 2)
    >>> well.fields[0][0].to_numpy().shape
    (2, 128, 128)
    """

    def __init__(self, plate_url: str, entry: dict[str, Any]) -> None:
        #: The well's path in the plate, "A/1".
        self.path: str = entry["path"]
        #: Row and column names.
        self.row: str = entry["row"]
        self.column: str = entry["column"]
        #: Indices into the plate's rows and columns.
        self.row_index: int = entry["rowIndex"]
        self.column_index: int = entry["columnIndex"]
        #: The fields' paths in the well ("0", "1", ...).
        self.field_paths: list[str] = [f["path"] for f in entry["fields"]]
        #: The acquisition of each field (None where the metadata gives none).
        self.acquisitions: list[int | None] = [f["acquisition"] for f in entry["fields"]]
        self._url = f"{plate_url.rstrip('/')}/{self.path}"
        self._fields: list[MultiscaleImage] | None = None

    @property
    def url(self) -> str:
        """The well group's URL."""
        return self._url

    @property
    def fields(self) -> list[MultiscaleImage]:
        """The field images, as open_image returns them."""
        if self._fields is None:
            self._fields = [open_image(f"{self._url}/{p}") for p in self.field_paths]
        return self._fields

    def __repr__(self) -> str:
        return f"<ngff.Well {self.path} fields={self.field_paths}>"


class Plate:
    """An OME-Zarr plate: ``rows``, ``columns``, ``wells`` (a dict "A/1" -> :class:`Well`),
    ``acquisitions``, ``field_count``, the raw ``metadata``, and whole-plate views.

    >>> plate = ngff.open_plate("plate.ome.zarr")
    >>> plate.rows, plate.columns, sorted(plate.wells)
    (['A', 'B'], ['1', '2', '3'], ['A/1', 'A/2', 'B/3'])
    >>> plate.to_dask(field=0, level=0).shape     # row, col, then the image's dims
    (2, 3, 2, 128, 128)
    """

    def __init__(self, url: str, node: dict[str, Any]) -> None:
        self.url = url
        #: "0.4" or "0.5".
        self.version: str = node["ome_version"]
        self.name: str | None = node["name"]
        self.rows: list[str] = node["rows"]
        self.columns: list[str] = node["columns"]
        self.field_count: int | None = node["field_count"]
        self.acquisitions: list[dict[str, Any]] = node["acquisitions"]
        #: The "plate" metadata object as stored.
        self.metadata: dict[str, Any] = node["metadata"]
        self.wells: dict[str, Well] = {w["path"]: Well(url, w) for w in node["wells"]}

    def __repr__(self) -> str:
        return (f"<ngff.Plate {self.url} OME-NGFF {self.version} {len(self.rows)}x"
                f"{len(self.columns)} wells={len(self.wells)}>")

    def _cells(self, field: int, level: int) -> tuple[list[list[da.Array | None]], Any]:
        """The dask array of each (row, column) cell (None where no well or no such field),
        and a level that serves as the template for shape, dtype, chunks and fill value."""
        cells: list[list[da.Array | None]] = [[None] * len(self.columns) for _ in self.rows]
        template = None
        for well in self.wells.values():
            if field >= len(well.field_paths):
                continue
            lv = well.fields[field][level]
            if template is None:
                template = lv
            elif lv.shape != template.shape or lv.dtype != template.dtype:
                raise _ngff.UsageError(
                    f"plate {self.url}: field {field} level {level} of well {well.path} is "
                    f"{lv.shape} {lv.dtype}, but other wells have {template.shape} "
                    f"{template.dtype}; a whole-plate view needs one shape")
            cells[well.row_index][well.column_index] = lv.to_dask()
        if template is None:
            raise _ngff.UsageError(f"plate {self.url}: no well has a field {field}")
        return cells, template

    def to_dask(self, field: int = 0, level: int = 0) -> da.Array:
        """One lazy array of the whole plate for field ``field`` at pyramid level ``level``:
        dims (row, col, *image dims); wells that are missing (or lack the field) read as the
        level's fill value."""
        import dask.array as da
        import numpy as np
        cells, template = self._cells(field, level)
        fill = template.array().fill_value
        empty = da.full(template.shape, fill if fill is not None else 0,
                        dtype=np.dtype(template.dtype), chunks=template.to_dask().chunksize)
        return da.stack([da.stack([c if c is not None else empty for c in row])
                         for row in cells])

    def to_xarray(self, field: int = 0, level: int = 0) -> xr.DataArray:
        """:meth:`to_dask` as an xarray.DataArray: ``row`` and ``col`` coordinates hold the
        row and column names, the image dims keep their physical coordinates."""
        import xarray as xr
        _, template = self._cells(field, level)
        image = template.to_xarray()
        coords: dict[str, Any] = {"row": self.rows, "col": self.columns}
        coords.update({k: v for k, v in image.coords.items()})
        return xr.DataArray(self.to_dask(field, level), dims=("row", "col", *image.dims),
                            coords=coords, name=self.name,
                            attrs={**image.attrs, "field": field, "plate": self.url})


def open_plate(url: Url) -> Plate:
    """Opens the OME-Zarr 0.4 or 0.5 plate at ``url``.

    >>> plate = ngff.open_plate("plate.ome.zarr")
    >>> plate.wells["A/1"].fields[0].dims
    ('c', 'y', 'x')
    """
    node = json.loads(_ngff.describe_node(str(url)))
    if node["kind"] != "plate":
        raise _ngff.UsageError(f"{url} is not a plate (it is a {node['kind']})")
    return Plate(str(url), node)


def _sort_names(names: set[str]) -> list[str]:
    """Names in natural order: "2" before "10", "B" before "AA"."""
    return sorted(names, key=lambda n: [(0, int(p), "") if p.isdigit() else (1, 0, p)
                                        for p in re.findall(r"\d+|\D+", n)])


def write_plate(url: Url, images_by_well: Mapping[str, ImageData | Sequence[ImageData]],
                rows: Sequence[str] | None = None, columns: Sequence[str] | None = None,
                name: str | None = None, version: OmeVersion = "0.5",
                acquisitions: Sequence[Mapping[str, Any]] | None = None,
                overwrite: bool = False, **image_options: Any) -> Plate:
    """Writes an OME-Zarr plate: ``images_by_well`` maps well paths ("A/1") to one image or a
    list of field images (numpy, dask or xarray, as :func:`write_image` takes); ``rows`` and
    ``columns`` name the grid (default: the names the wells use, in natural order).
    ``acquisitions`` are the plate's acquisition objects ({"id": 0, "name": ...}); with one,
    every field names it. ``image_options`` go to :func:`write_image` for every field (axes,
    scale, units, levels, method, chunks, codec, omero, ...). Everything is checked before
    anything is written.

    >>> fields = {"A/1": [np.zeros((2, 64, 64), np.uint16)] * 2, "B/3": np.ones((2, 64, 64))}
    >>> plate = ngff.write_plate("plate.ome.zarr", fields, rows="AB", columns=["1", "2", "3"],
    ...                          axes="cyx", version="0.4")
    """
    if _is_zip(str(url)):
        raise _ngff.UsageError(
            f"write_plate: cannot write into the zip {url} field by field; write the plate to a "
            "folder and ngff.copy() it into the zip")
    fields: dict[str, list[ImageData]] = {}
    for well, images in images_by_well.items():
        if isinstance(images, (list, tuple)):
            fields[well] = list(images)
        else:
            fields[well] = [images]  # type: ignore[list-item]
        if not fields[well]:
            raise _ngff.UsageError(f"write_plate: well '{well}' has no field images")
    parts = {w: w.split("/") for w in fields}
    for w, p in parts.items():
        if len(p) != 2:
            raise _ngff.UsageError(f"write_plate: well '{w}': expected '<row>/<column>', e.g. 'A/1'")
    row_names = list(rows) if rows is not None else _sort_names({p[0] for p in parts.values()})
    column_names = (list(columns) if columns is not None
                    else _sort_names({p[1] for p in parts.values()}))
    wells = []
    for w in sorted(fields, key=lambda w: (row_names.index(parts[w][0])
                                           if parts[w][0] in row_names else -1,
                                           column_names.index(parts[w][1])
                                           if parts[w][1] in column_names else -1)):
        r, c = parts[w]
        if r not in row_names or c not in column_names:
            raise _ngff.UsageError(
                f"write_plate: well '{w}' is not on the grid (rows {row_names}, "
                f"columns {column_names})")
        wells.append({"path": w, "rowIndex": row_names.index(r),
                      "columnIndex": column_names.index(c)})
    plate: dict[str, Any] = {
        "rows": [{"name": r} for r in row_names],
        "columns": [{"name": c} for c in column_names],
        "wells": wells,
        "field_count": max(len(f) for f in fields.values()),
    }
    if name is not None:
        plate["name"] = name
    acquisition_list = [dict(a) for a in acquisitions] if acquisitions else []
    if acquisition_list:
        plate["acquisitions"] = acquisition_list
    if version == "0.4":
        plate["version"] = "0.4"
    well_meta: dict[str, Any] = {}
    for w, images in fields.items():
        entries: list[dict[str, Any]] = []
        for i in range(len(images)):
            entry: dict[str, Any] = {"path": str(i)}
            if len(acquisition_list) == 1:
                entry["acquisition"] = acquisition_list[0]["id"]
            entries.append(entry)
        well_meta[w] = {"images": entries, **({"version": "0.4"} if version == "0.4" else {})}
    _ngff.write_plate_metadata(str(url), json.dumps(plate), json.dumps(well_meta), version,
                               bool(overwrite))
    base = str(url).rstrip("/")
    for w, images in fields.items():
        for i, data in enumerate(images):
            write_image(f"{base}/{w}/{i}", data, ome_version=version, **image_options)
    return open_plate(url)
