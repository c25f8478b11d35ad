#include "image/render_composite.hpp"

#include <algorithm>
#include <cmath>

namespace ngff::image {

double percentile(std::vector<double> values, double p) {
  std::erase_if(values, [](double v) { return std::isnan(v); });
  if (values.empty()) return 0;
  const double rank = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(rank));
  const size_t hi = std::min(lo + 1, values.size() - 1);
  const auto lo_it = values.begin() + static_cast<std::ptrdiff_t>(lo);
  std::nth_element(values.begin(), lo_it, values.end());
  const double a = *lo_it;
  // The next rank is the smallest of the values above the lo-th.
  const double b = hi == lo ? a : *std::min_element(lo_it + 1, values.end());
  return a + (b - a) * (rank - static_cast<double>(lo));
}

void composite_channel(const std::vector<double>& plane, const ChannelStyle& style,
                       std::vector<double>& rgb) {
  const double start = style.start.value_or(0);
  const double width = style.end.value_or(1) - start;
  // A flat window (a constant plane's percentiles) draws what is at or above it at full
  // intensity.
  const bool flat = !(width > 0) && !(width < 0);
  std::array<double, 3> color{};
  for (size_t k = 0; k < 3; ++k) color[k] = style.color[k] / 255.0;
  for (size_t i = 0; i < plane.size(); ++i) {
    double v =
        flat ? (plane[i] >= start ? 1.0 : 0.0) : std::clamp((plane[i] - start) / width, 0.0, 1.0);
    if (std::isnan(v)) v = 0;
    if (style.inverted) v = 1 - v;
    for (size_t k = 0; k < 3; ++k) rgb[3 * i + k] += v * color[k];
  }
}

std::vector<uint8_t> to_rgb8(const std::vector<double>& rgb) {
  std::vector<uint8_t> out(rgb.size());
  for (size_t i = 0; i < rgb.size(); ++i)
    out[i] = static_cast<uint8_t>(std::lround(std::clamp(rgb[i], 0.0, 1.0) * 255.0));
  return out;
}

void overlay_labels(std::vector<uint8_t>& rgb, const std::vector<int64_t>& labels,
                    const std::function<std::array<uint8_t, 4>(int64_t)>& color, double opacity) {
  int64_t last = 0;
  std::array<uint8_t, 4> c{};
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] == 0) continue;
    if (labels[i] != last) c = color(last = labels[i]);  // labels come in runs
    const double a = std::clamp(c[3] / 255.0 * opacity, 0.0, 1.0);
    for (size_t k = 0; k < 3; ++k) {
      const double v = rgb[3 * i + k] * (1 - a) + c[k] * a;
      rgb[3 * i + k] = static_cast<uint8_t>(std::lround(v));
    }
  }
}

}  // namespace ngff::image
