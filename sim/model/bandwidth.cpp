#include <algorithm>
#include <cmath>

#include "model/mechanisms.hpp"

namespace geosim {

/// B(i, j) = sum_k omega_k min(1, log(1 + s V_k(i, j) / ref_k) / log(1 + s)),
/// V_k(i, j) = F_k(i, j) + F_k(j, i). Scale-free: writing a channel in another unit changes
/// V and ref alike. Only pairs with a sender (World::sender_rows) can have V > 0: each such pair is
/// visited once, from its smaller sender, and adds what the dense loop over i < j would.
void update_bandwidth(World& w, const Scenario& sc) {
  const double s = sc.params.bandwidth_log_scale;
  const double norm = std::log1p(s);
  w.B.setZero();
  const int row = sc.rest_of_world;  // no bandwidth with the rest of the world: not a state
  for (int k = 0; k < w.k; ++k) {
    const double omega = sc.channels[k].bandwidth_weight;
    if (omega == 0.0) continue;
    const Matrix& F = w.flow[k];
    const double c = s / w.ref[k];
    const char* sender = &w.is_sender[static_cast<std::size_t>(k) * static_cast<std::size_t>(w.n)];
    for (int a : senders(w, k)) {
      if (a == row) continue;
      for (int j = 0; j < w.n; ++j) {
        if (j == a || j == row || (sender[j] && j < a)) continue;  // (j, a) was visited from j
        const int lo = std::min(a, j), hi = std::max(a, j);
        const double v = std::max(0.0, F(lo, hi) + F(hi, lo));
        if (v == 0.0) continue;
        // At c v >= s the log term is at its cap, 1 (log1p is monotonic): no log needed.
        const double cv = c * v;
        const double b = cv >= s ? omega : omega * std::min(1.0, std::log1p(cv) / norm);
        w.B(lo, hi) += b;
        w.B(hi, lo) += b;
      }
    }
  }
}

}  // namespace geosim
