#include <cmath>

#include "model/mechanisms.hpp"

namespace geosim {

/// I*(a, b) = B(a, b)^alpha * D(b, a)^beta: a's capacity to influence b needs both ties and b's
/// dependence on a. Then I = (1 - eta) I + eta I*.
void update_influence(World& w, const Scenario& sc, double blend) {
  const double alpha = sc.params.bandwidth_exponent;
  const double beta = sc.params.dependence_exponent;
  for (int a = 0; a < w.n; ++a)
    for (int b = 0; b < w.n; ++b) {
      const double target =
          a == b ? 0.0 : std::pow(w.B(a, b), alpha) * std::pow(std::max(0.0, w.D(b, a)), beta);
      w.I(a, b) = (1.0 - blend) * w.I(a, b) + blend * target;
    }
}

}  // namespace geosim
