#pragma once
/// Statistics of weighted samples (calibration particles): effective sample size and
/// quantiles. The analysis package uses the same quantile definition (analysis/
/// calibration_figures.py), so a median in a file and an interval drawn from it agree.
#include <algorithm>
#include <cstddef>
#include <numeric>
#include <span>
#include <vector>

namespace geosim {

/// Effective sample size 1 / sum w^2 of weights normalised to sum 1 (Kish).
inline double effective_sample_size(std::span<const double> w) {
  const double total = std::accumulate(w.begin(), w.end(), 0.0);
  double s = 0.0;
  for (double x : w) s += (x / total) * (x / total);
  return s > 0.0 ? 1.0 / s : 0.0;
}

/// The weighted q-quantile, "mid-step" definition: values sorted, weights normalised, value i
/// placed at c_i = (sum of the weights up to and including i) - w_i / 2; linear interpolation
/// between neighbours at q, the end values outside [c_first, c_last]. With equal weights this
/// is numpy's quantile with method "hazen". Zero weights are left out. Precondition: some
/// weight is positive.
inline double weighted_quantile(std::span<const double> x, std::span<const double> w, double q) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (w[i] > 0.0) order.push_back(i);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return x[a] < x[b] || (x[a] == x[b] && a < b); });
  double total = 0.0;
  for (std::size_t i : order) total += w[i];
  double cum = 0.0, prev_c = 0.0, prev_x = 0.0;
  for (std::size_t n = 0; n < order.size(); ++n) {
    const std::size_t i = order[n];
    const double c = (cum + w[i] / 2.0) / total;
    cum += w[i];
    if (q <= c) {
      if (n == 0) return x[i];
      return prev_x + (x[i] - prev_x) * (q - prev_c) / (c - prev_c);
    }
    prev_c = c;
    prev_x = x[i];
  }
  return x[order.back()];
}

}  // namespace geosim
