#include <algorithm>
#include <cmath>

#include "model/mechanisms.hpp"

namespace geosim {

/// B(i, j) = sum_k omega_k min(1, log(1 + s V_k(i, j) / ref_k) / log(1 + s)),
/// V_k(i, j) = F_k(i, j) + F_k(j, i). Scale-free: writing a channel in another unit changes
/// V and ref alike.
void update_bandwidth(World& w, const Scenario& sc) {
  const double s = sc.params.bandwidth_log_scale;
  const double norm = std::log1p(s);
  w.B.setZero();
  for (int k = 0; k < w.k; ++k) {
    const double omega = sc.channels[k].bandwidth_weight;
    if (omega == 0.0) continue;
    const Matrix& F = w.flow[k];
    const double c = s / w.ref[k];
    const int row = sc.rest_of_world;  // no bandwidth with the rest of the world: not a state
    for (int i = 0; i < w.n; ++i)
      for (int j = i + 1; j < w.n; ++j) {
        if (i == row || j == row) continue;
        const double v = std::max(0.0, F(i, j) + F(j, i));
        if (v == 0.0) continue;
        const double b = omega * std::min(1.0, std::log1p(c * v) / norm);
        w.B(i, j) += b;
        w.B(j, i) += b;
      }
  }
}

}  // namespace geosim
