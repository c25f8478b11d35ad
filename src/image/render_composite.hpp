// The arithmetic of ngff::image::render, apart from any reading: percentile windows, channel
// compositing and the label overlay, on planes already sampled at the picture's pixels.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "ngff/image/render.hpp"

namespace ngff::image {

// numpy's default (linear) percentile: the value at rank p/100 * (n - 1) of the sorted values,
// interpolated between neighbours. NaNs are ignored; 0 when nothing is left.
double percentile(std::vector<double> values, double p);

// Adds `plane` (one value per pixel) drawn in `style` (start and end set) to `rgb` (three sums
// per pixel, 1.0 being full intensity).
void composite_channel(const std::vector<double>& plane, const ChannelStyle& style,
                       std::vector<double>& rgb);

// The sums as 8-bit samples: clamped to [0, 1], times 255, rounded.
std::vector<uint8_t> to_rgb8(const std::vector<double>& rgb);

// Lays `labels` (one value per pixel, 0 transparent) over `rgb`: each pixel moves towards its
// label's colour by the colour's alpha times `opacity`.
void overlay_labels(std::vector<uint8_t>& rgb, const std::vector<int64_t>& labels,
                    const std::function<std::array<uint8_t, 4>(int64_t)>& color, double opacity);

}  // namespace ngff::image
