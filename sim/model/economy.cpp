#include <algorithm>
#include <cmath>

#include "model/mechanisms.hpp"

namespace geosim {

void grow_economy(World& w, const Scenario& sc) {
  const double years = sc.months_per_turn / 12.0;
  // Continuous compounding of growth less drag: gdp stays positive however large the drag.
  for (int i = 0; i < w.n; ++i)
    w.gdp(i) *= std::exp((std::log1p(sc.actors[i].growth) - w.drag(i)) * years);
}

/// F_k = base_k scaled by (gdp_sender / gdp0_sender)^elasticity_k, plus the pulse part.
void compose_flows(World& w, const Scenario& sc) {
  for (int k = 0; k < w.k; ++k) {
    const double e = sc.channels[k].gdp_elasticity;
    if (e == 0.0) {
      w.flow[k] = w.base[k] + w.pulse[k];
      continue;
    }
    for (int a = 0; a < w.n; ++a) {
      const double scale = std::pow(w.gdp(a) / w.gdp0(a), e);
      w.flow[k].row(a) = w.base[k].row(a) * scale + w.pulse[k].row(a);
    }
  }
}

}  // namespace geosim
