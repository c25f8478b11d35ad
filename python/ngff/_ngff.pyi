"""C++ core of the ngff package (Zarr v2/v3 and OME-Zarr 0.4/0.5)."""

# Written from `python -m nanobind.stubgen -m ngff._ngff` (nanobind 2/3) with the types nanobind
# cannot see made precise: tuples of ints for shapes, the axis dicts, NDArray[Any], the exception
# classes (created at run time with __module__ "ngff"). tests/python/test_py_typing.py checks that
# its names, parameters and defaults are those stubgen reads from the built module.

from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any

from numpy.typing import NDArray

__version__: str

class NgffError(Exception):
    """Base of all ngff errors."""

class StoreError(NgffError, OSError):
    """A store could not read or write bytes."""

class KeyNotFoundError(StoreError, KeyError):
    """A key or node that was required is absent."""

class InvalidKeyError(NgffError, ValueError):
    """A key that is invalid."""

class MetadataError(NgffError, ValueError):
    """Zarr metadata that is malformed or not understood."""

class CodecError(NgffError, ValueError):
    """A codec that is unknown, misconfigured or failing."""

class ValidationError(NgffError, ValueError):
    """Metadata that does not validate against OME-NGFF."""

class UsageError(NgffError, ValueError):
    """Invalid arguments from the caller."""

def copy(
    src: str,
    dst: str,
    *,
    overwrite: bool = False,
    dry_run: bool = False,
    jobs: int = 8,
    memory_mib: float = 256.0,
) -> dict[str, int]:
    """Copy every key of a store or node to another store (folder, .ozx/.zip, ...), in parallel."""

class TiffSeries:
    @property
    def path(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def shards(self) -> tuple[int, ...] | None: ...
    @property
    def index(self) -> int: ...
    @property
    def series_count(self) -> int: ...
    @property
    def ome_xml(self) -> str: ...
    @property
    def notes(self) -> list[str]: ...
    @property
    def name(self) -> str: ...
    @property
    def shape(self) -> tuple[int, ...]: ...
    @property
    def dtype(self) -> str: ...
    @property
    def chunks(self) -> tuple[int, ...]: ...
    @property
    def axes(self) -> list[dict[str, str]]: ...
    @property
    def scale(self) -> list[float]: ...
    @property
    def translation(self) -> list[float]: ...
    @property
    def omero_json(self) -> str | None: ...
    def read(self, start: Sequence[int], shape: Sequence[int]) -> NDArray[Any]: ...

def open_tiff(path: str, series: int = 0, stack_axis: str = "z") -> TiffSeries: ...
def convert(
    src: str,
    dst: str,
    *,
    ome_version: str | None = None,
    zarr_format: int | None = None,
    levels: int | None = None,
    method: str | None = None,
    chunks: Sequence[int] | None = None,
    shards: Sequence[int] | None = None,
    codec: str | None = None,
    overwrite: bool = False,
    memory_mib: float = 256.0,
    series: int | None = None,
    stack_axis: str = "z",
) -> dict[str, Any]: ...

class Array:
    @staticmethod
    def open(url: str) -> Array: ...
    @staticmethod
    def create(
        url: str,
        shape: Sequence[int],
        dtype: str,
        chunks: Sequence[int] | None = None,
        shards: Sequence[int] | None = None,
        codec: str = "blosc:lz4:5",
        zarr_format: int = 3,
        fill_value: object | None = None,
        dimension_names: Sequence[str | None] | None = None,
        attributes_json: str = "{}",
        overwrite: bool = False,
    ) -> Array: ...
    @property
    def shape(self) -> tuple[int, ...]: ...
    @property
    def dtype(self) -> str: ...
    @property
    def chunks(self) -> tuple[int, ...]: ...
    @property
    def shards(self) -> tuple[int, ...] | None: ...
    @property
    def zarr_format(self) -> int: ...
    @property
    def url(self) -> str: ...
    @property
    def fill_value_json(self) -> str: ...
    @property
    def attributes_json(self) -> str: ...
    @property
    def codecs_json(self) -> str: ...
    def read(self, start: Sequence[int], shape: Sequence[int]) -> NDArray[Any]: ...
    def write(
        self,
        start: Sequence[int],
        data: Annotated[NDArray[Any], dict(order="C", device="cpu", writable=False)],
    ) -> None: ...
    def set_attributes_json(self, text: str) -> None: ...
    def __getstate__(self) -> tuple[str]: ...
    def __setstate__(self, arg: tuple[str], /) -> None: ...
    def __repr__(self) -> str: ...

class Level:
    @property
    def shape(self) -> tuple[int, ...]: ...
    @property
    def dtype(self) -> str: ...
    @property
    def chunks(self) -> tuple[int, ...]: ...
    @property
    def shards(self) -> tuple[int, ...] | None: ...
    @property
    def scale(self) -> list[float]: ...
    @property
    def translation(self) -> list[float]: ...
    @property
    def axes(self) -> list[dict[str, str | None]]:
        """One dict per axis: name, type and unit (None where unset)."""
    @property
    def affine(self) -> list[list[float]] | None: ...
    @property
    def affine_target(self) -> str | None: ...
    @property
    def url(self) -> str: ...
    @property
    def path(self) -> str: ...
    def read(self, start: Sequence[int], shape: Sequence[int]) -> NDArray[Any]: ...
    def __getstate__(self) -> tuple[str, int]: ...
    def __setstate__(self, arg: tuple[str, int], /) -> None: ...
    def __repr__(self) -> str: ...

class Image:
    @staticmethod
    def open(url: str, series: int = 0) -> Image: ...
    @property
    def levels(self) -> list[Level]: ...
    @property
    def attributes_json(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def label_names(self) -> list[str]: ...
    def label(self, name: str) -> Image: ...
    def level_for_resolution(self, target: Sequence[float]) -> int: ...
    @property
    def url(self) -> str: ...
    def __getstate__(self) -> tuple[str]: ...
    def __setstate__(self, arg: tuple[str], /) -> None: ...
    def __repr__(self) -> str: ...

# The JSON of ome::describe(ome::open_node(url)): a node's kind and structure.
def describe_node(url: str) -> str: ...
def write_plate_metadata(
    url: str, plate_json: str, wells_json: str, version: str, overwrite: bool = False
) -> None: ...
def validation_report_json(url: str, strict: bool = False, deep: bool = False) -> str: ...

# `axes`: a string of letters of "tczyx", or axis names and OME axis dicts.
def write_image(
    url: str,
    data: Annotated[NDArray[Any], dict(order="C", device="cpu", writable=False)],
    axes: str | Iterable[str | Mapping[str, Any]],
    scale: Sequence[float] | None = None,
    translation: Sequence[float] | None = None,
    units: Mapping[str, str] | None = None,
    levels: int = 0,
    method: str = "mean",
    chunks: Sequence[int] | None = None,
    shards: Sequence[int] | None = None,
    codec: str = "blosc:lz4:5",
    ome_version: str = "0.5",
    name: str = "image",
    omero_json: str | None = None,
    overwrite: bool = False,
    memory_mib: float = 512.0,
) -> Image: ...
def create_image_levels(
    url: str,
    shape: Sequence[int],
    dtype: str,
    axes: str | Iterable[str | Mapping[str, Any]],
    scale: Sequence[float] | None = None,
    translation: Sequence[float] | None = None,
    units: Mapping[str, str] | None = None,
    levels: int = 0,
    method: str = "mean",
    chunks: Sequence[int] | None = None,
    shards: Sequence[int] | None = None,
    codec: str = "blosc:lz4:5",
    ome_version: str = "0.5",
    name: str = "image",
    omero_json: str | None = None,
    overwrite: bool = False,
) -> Image: ...
def create_image_with_levels(
    url: str,
    shapes: Sequence[Sequence[int]],
    dtype: str,
    axes: str | Iterable[str | Mapping[str, Any]],
    scales: Sequence[Sequence[float]],
    translations: Sequence[Sequence[float]],
    units: Mapping[str, str] | None = None,
    chunks: Sequence[int] | None = None,
    shards: Sequence[int] | None = None,
    codec: str = "blosc:lz4:5",
    ome_version: str = "0.5",
    name: str = "image",
    omero_json: str | None = None,
    overwrite: bool = False,
) -> Image: ...
def write_labels(
    image_url: str,
    name: str,
    data: Annotated[NDArray[Any], dict(order="C", device="cpu", writable=False)],
    axes: Sequence[str],
    levels: int = 0,
    method: str = "mode",
    chunks: Sequence[int] | None = None,
    shards: Sequence[int] | None = None,
    codec: str = "blosc:lz4:5",
    image_label_json: str | None = None,
    overwrite: bool = False,
    memory_mib: float = 512.0,
) -> Image: ...
def create_label_levels(
    image_url: str,
    name: str,
    shape: Sequence[int],
    dtype: str,
    axes: Sequence[str],
    levels: int = 0,
    method: str = "mode",
    chunks: Sequence[int] | None = None,
    shards: Sequence[int] | None = None,
    codec: str = "blosc:lz4:5",
    image_label_json: str | None = None,
    overwrite: bool = False,
) -> Image: ...
def downsample_block(
    src_url: str,
    dst_url: str,
    out_start: Sequence[int],
    out_shape: Sequence[int],
    factors: Sequence[int],
    method: str,
) -> None: ...
def open_render_image(url: str, series: int = 0) -> Image: ...
# `windows`: (channel, start, end) each; `region`: (y, x, height, width) in level-0 indices.
def render(
    image: Image,
    level: int | None = None,
    width: int = 1024,
    height: int = 1024,
    z: int | None = None,
    mip: bool = False,
    t: int | None = None,
    channels: Sequence[int] = [],
    windows: Sequence[tuple[int, float, float]] = [],
    labels: str = "",
    label_opacity: float = 0.5,
    region: Sequence[int] | None = None,
) -> NDArray[Any]: ...
