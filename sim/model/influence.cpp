#include <algorithm>
#include <cmath>

#include "core/power.hpp"
#include "model/mechanisms.hpp"

namespace geosim {

/// I*(a, b) = B(a, b)^alpha * D(b, a)^beta: a's capacity to influence b needs both ties and b's
/// dependence on a. Then I = (1 - eta) I + eta I*.
void update_influence(World& w, const Scenario& sc, double blend, TurnPool* pool) {
  const double alpha = sc.params.bandwidth_exponent;
  const double beta = sc.params.dependence_exponent;
  const int row = sc.rest_of_world;       // influences nobody and is influenced by nobody
  const bool war = !w.conflicts.empty();  // read World::war only when a conflict exists
  for_row_blocks(pool, w.n, [&](int r0, int r1) {
    for (int a = r0; a < r1; ++a)
      for (int b = 0; b < w.n; ++b) {
        const double bw = w.B(a, b), dep = std::max(0.0, w.D(b, a));
        // Most pairs have no ties: skip the two pow() calls (exact while the exponents are > 0;
        // pow(0, 0) = 1 keeps the general formula for an exponent of 0).
        const bool none = a == b || (alpha > 0.0 && bw == 0.0) || (beta > 0.0 && dep == 0.0) ||
                          a == row || b == row;
        double target = none ? 0.0 : power(bw, alpha) * power(dep, beta);
        if (war && w.war(a, b) > 0.0) target *= 1.0 - w.war(a, b);  // v2: none across a front
        w.I(a, b) = (1.0 - blend) * w.I(a, b) + blend * target;
      }
  });
}

}  // namespace geosim
