// Pure downsampling kernels for OME-Zarr pyramids: in-memory C-order arrays in, in-memory arrays
// out, no I/O (the pyramid writer reads tiles, calls these and writes the results). Modelled on
// tensorstore's DownsampleArray(source, target, factors, method).
//
// Geometry. Along each dimension d of size n with integer factor f >= 1, output element i covers
// the input block [i*f, min((i+1)*f, n)); the output has ceil(n/f) elements, and a partial block
// at the upper edge uses only its valid elements (as tensorstore's downsample does).
//
// Methods (the block is visited in C order):
//   nearest  the first element of the block, x[i*f] — i.e. numpy's x[::f0, ::f1, ...]; bits copied.
//   mean     arithmetic mean of the block. Integers (and bool) are summed exactly in integer
//            arithmetic (128-bit for int64/uint64) and the quotient is rounded to nearest, ties to
//            even (numpy's np.round), so the result is exact for any data; bool is
//            np.round(mean) != 0, i.e. true when more than half of the block is true. Floating
//            types are summed in double in C order over the block and divided by the count, then
//            rounded once to the type (float16 is read through float and written by correctly
//            rounded double->half, as numpy's astype). Complex: per component. NaN/inf propagate
//            (a NaN computed by mean or gaussian is the default quiet NaN, whatever the inputs'
//            payloads, so that results do not depend on operand order).
//   min/max  smallest/largest element of the block. Floating: if the block contains a NaN the
//            result is NaN (the first NaN of the block, bits kept), as np.min/np.max; among equal
//            values (-0.0 == +0.0) the first in the block wins. Complex: UsageError.
//   mode     most frequent value of the block, values compared by their bits (so -0.0 and +0.0,
//            or NaNs with different payloads, are different values). Ties go to the smallest
//            value: numeric order for integers, false < true for bool, IEEE 754 totalOrder for
//            floats (-NaN < -inf < ... < -0.0 < +0.0 < ... < +inf < +NaN), and lexicographic
//            (real, imag) with totalOrder per component for complex. Meant for label images.
//   gaussian exactly scipy.ndimage.gaussian_filter(x.astype(float64), sigma, mode='nearest',
//            truncate=4.0) followed by the block mean (same half-pixel shift as mean): separable
//            passes in axis order 0, 1, ..., sigma_d = 2*f_d/6 (the convention of
//            skimage.transform.pyramid_reduce), radius_d = int(4*sigma_d + 0.5), weights
//            exp(-x^2/(2 sigma^2)) normalised to sum 1, edges replicated; axes with f_d == 1 are
//            not smoothed. The block mean of the smoothed doubles is summed in C order. Integers:
//            rounded to nearest (ties to even), then clipped to the type's range; bool:
//            round(v) != 0; floats: rounded once to the type; complex: per component. The
//            operation order of scipy's correlate1d is followed, so results agree with scipy to
//            the last bit or nearly so (the weights come from libm's exp).
//
// All numeric Zarr types, any rank (a 0-d array is copied). Data is native-endian.
// Tiling: downsample_region computes any output box from an input box holding its blocks plus
// downsample_halo() elements of context (clipped to the array), and its results are
// bit-identical to downsample() of the whole array, whatever the tiling.
//
// Pyramid metadata note: every method except nearest centres output pixels on their blocks, so
// those levels need a translation of (scale_n - scale_0)/2 per axis; nearest does not.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "ngff/zarr/dtype.hpp"
#include "ngff/zarr/region.hpp"

namespace ngff::image {

enum class DownsampleMethod { nearest, mean, gaussian, mode, min, max };

// "nearest", "mean", "gaussian", "mode", "min", "max". Throws UsageError for other names, listing
// the valid ones.
DownsampleMethod parse_downsample_method(std::string_view name);
std::string_view to_string(DownsampleMethod method);

// ceil(in_shape[d] / factors[d]) per dimension. Throws UsageError when the ranks differ or a factor
// is 0.
zarr::Shape downsampled_shape(const zarr::Shape& in_shape, const zarr::Shape& factors);

// Downsamples the C-order, native-endian array `in` of `in_shape` and `dtype` by `factors` (>= 1
// per dimension) into `out`, which receives product(downsampled_shape(in_shape, factors)) elements
// in C order. `in` and `out` must not overlap. Throws UsageError for bad factors and for min/max
// of complex types.
void downsample(const std::byte* in, const zarr::Shape& in_shape, zarr::DataType dtype,
                const zarr::Shape& factors, DownsampleMethod method, std::byte* out);

// The context, in input elements on each side of each dimension, that a tile needs beyond its
// blocks for its output to equal the whole-array result: the Gaussian radius int(4*sigma + 0.5)
// for gaussian along dimensions with factor > 1 (3 for f=2, 4 for f=3, 5 for f=4), else 0.
zarr::Shape downsample_halo(const zarr::Shape& factors, DownsampleMethod method);

// The input box that downsample_region needs for the output box `out_region` (in output
// coordinates): the blocks of its elements, widened by downsample_halo() and clipped to
// `full_shape`. Empty when `out_region` is empty.
zarr::Region downsample_input_region(const zarr::Region& out_region, const zarr::Shape& full_shape,
                                     const zarr::Shape& factors, DownsampleMethod method);

// Tiled downsampling for the streaming pyramid writer. `in` holds the box `in_region` of the input
// array of shape `full_shape` (C order); it must contain downsample_input_region(out_region, ...)
// (larger is fine). Writes the output box `out_region` (output coordinates, inside
// downsampled_shape(full_shape, factors)) into `out` in C order. The result is bit-identical to
// the corresponding part of downsample() of the whole array. Throws UsageError when a region is
// outside its array or `in_region` lacks needed input.
void downsample_region(const std::byte* in, const zarr::Region& in_region,
                       const zarr::Shape& full_shape, zarr::DataType dtype,
                       const zarr::Shape& factors, DownsampleMethod method,
                       const zarr::Region& out_region, std::byte* out);

}  // namespace ngff::image
