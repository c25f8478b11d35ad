"""zarrs (Rust) as zarr-python's codec pipeline (zarrs-python): zarr-python's API and
metadata handling, with chunk encoding, decoding and store I/O in Rust.

Threads: the pipeline's rayon pool takes `threading.max_workers` (RAYON_NUM_THREADS is also
set by the harness, for any global pool).
"""
import zarr
import zarrs  # noqa: F401  (fail at load, not at the first read, if it is missing)

from . import dist_version
from .zarr_python_lib import ZarrPythonAdapter


class ZarrsAdapter(ZarrPythonAdapter):
    name = "zarrs"

    def __init__(self, threads):
        super().__init__(threads)
        # strict: an operation zarrs cannot do raises instead of silently falling back to
        # zarr-python's own pipeline (which would be measured under the zarrs name).
        zarr.config.set({"codec_pipeline.path": "zarrs.ZarrsCodecPipeline",
                         "codec_pipeline.strict": True})

    def version(self):
        return f"{dist_version('zarrs')} (zarr {zarr.__version__})"


ADAPTER = ZarrsAdapter
