#include <algorithm>
#include <cmath>

#include "model/mechanisms.hpp"

namespace geosim {

/// B(i, j) = sum_k omega_k min(1, log(1 + s V_k(i, j) / ref_k) / log(1 + s)),
/// V_k(i, j) = F_k(i, j) + F_k(j, i). Scale-free: writing a channel in another unit changes
/// V and ref alike. Row lo of the upper triangle sums its cells (lo, hi > lo) over the channels
/// in order, then the lower triangle copies it. Only pairs with a sender (World::sender_rows)
/// can have V > 0: a sending row visits all its cells, any other row only the senders' columns.
/// With a pool, each thread takes a block of upper rows (balanced for the triangle's shape),
/// then a block of lower rows to copy.
void update_bandwidth(World& w, const Scenario& sc, TurnPool* pool) {
  const double s = sc.params.bandwidth_log_scale;
  const double norm = std::log1p(s);
  const int row = sc.rest_of_world;  // no bandwidth with the rest of the world: not a state
  const int n = w.n;
  for_triangle_blocks(pool, n, [&](int r0, int r1) {
    for (int lo = r0; lo < r1; ++lo) {
      double* out = &w.B(lo, 0);
      std::fill(out + lo, out + n, 0.0);
      if (lo == row) continue;
      for (int k = 0; k < w.k; ++k) {
        const double omega = sc.channels[k].bandwidth_weight;
        if (omega == 0.0) continue;
        const Matrix& F = w.flow[k];
        const double c = s / w.ref[k];
        auto cell = [&](int hi) {
          if (hi == row) return;
          const double v = std::max(0.0, F(lo, hi) + F(hi, lo));
          if (v == 0.0) return;
          // At c v >= s the log term is at its cap, 1 (log1p is monotonic): no log needed.
          const double cv = c * v;
          out[hi] += cv >= s ? omega : omega * std::min(1.0, std::log1p(cv) / norm);
        };
        if (w.is_sender[static_cast<std::size_t>(k) * static_cast<std::size_t>(n) +
                        static_cast<std::size_t>(lo)]) {
          for (int hi = lo + 1; hi < n; ++hi) cell(hi);
        } else {
          const std::span<const int> rows = senders(w, k);
          for (auto it = std::upper_bound(rows.begin(), rows.end(), lo); it != rows.end(); ++it)
            cell(*it);
        }
      }
    }
  });
  for_row_blocks(pool, n, [&](int r0, int r1) {
    for (int i = r0; i < r1; ++i)
      for (int j = 0; j < i; ++j) w.B(i, j) = w.B(j, i);
  });
}

}  // namespace geosim
