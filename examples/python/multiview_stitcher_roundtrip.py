"""multiview-stitcher -> ngff -> multiview-stitcher (and multiscale-spatial-image), the physical
metadata printed at each step.

Needs the spatial stack: pip install "ngff[spatial]" multiview-stitcher
Run: python multiview_stitcher_roundtrip.py OUT_FOLDER
"""

import sys
from pathlib import Path

import numpy as np
from multiview_stitcher import ngff_utils
from multiview_stitcher import spatial_image_utils as si_utils

import ngff


def show(step: str, spacing: dict, origin: dict, extra: str = "") -> None:
    def fmt(values: dict) -> str:  # coordinates differ from decimals in the 15th digit
        return "{" + ", ".join(f"{k}: {float(v):.6g}" for k, v in values.items()) + "}"
    print(f"{step}: spacing {fmt(spacing)} origin {fmt(origin)}{extra}")


def main(out: Path) -> None:
    # 1. A tile as multiview-stitcher keeps it: a spatial image with scale and translation.
    voxels = np.random.default_rng(0).integers(0, 1000, (2, 16, 128, 128), dtype=np.uint16)
    sim = si_utils.get_sim_from_array(voxels, dims=["c", "z", "y", "x"],
                                      scale={"z": 2.0, "y": 0.325, "x": 0.325},
                                      translation={"z": 10.0, "y": -40.0, "x": 12.5},
                                      c_coords=["DAPI", "GFP"])
    show("multiview-stitcher tile", si_utils.get_spacing_from_sim(sim),
         si_utils.get_origin_from_sim(sim), f" channels {[str(c) for c in sim.c.values]}")

    # 2. ngff writes it (a pyramid in 0.4, which multiview-stitcher 0.1.62 reads) ...
    path = out / "tile.ome.zarr"
    img = ngff.write_image(path, sim, ome_version="0.4", levels=3, overwrite=True)
    for level in img:
        show(f"ngff level {level.index}", dict(zip(level.dims, level.scale)),
             dict(zip(level.dims, level.translation)), f" shape {level.shape}")
    print(f"ngff channels {img.channel_labels()}")

    # 3. ... as a multiscale-spatial-image DataTree for the xarray stack ...
    tree = img.to_multiscale_spatial_image()
    for name, node in tree.children.items():
        level = node["image"]
        show(f"DataTree {name}", {d: float(level[d][1] - level[d][0]) for d in "zyx"},
             {d: float(level[d][0]) for d in "zyx"})

    # 4. ... and multiview-stitcher reads ngff's file back.
    again = ngff_utils.read_sim_from_ome_zarr(str(path))
    show("multiview-stitcher reads ngff", si_utils.get_spacing_from_sim(again),
         si_utils.get_origin_from_sim(again), f" channels {[str(c) for c in again.c.values]}")
    assert np.array_equal(np.asarray(again.squeeze("t", drop=True)), voxels)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
