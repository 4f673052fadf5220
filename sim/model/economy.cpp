#include <algorithm>
#include <cmath>

#include "core/power.hpp"
#include "model/mechanisms.hpp"

namespace geosim {

void grow_economy(World& w, const Scenario& sc) {
  const double years = sc.months_per_turn / 12.0;
  // Continuous compounding of growth less drag: gdp stays positive however large the drag.
  for (int i = 0; i < w.n; ++i)
    w.gdp(i) *= std::exp((std::log1p(sc.actors[i].growth) - w.drag(i)) * years);
  if (!w.conflicts.empty()) lose_growth_to_conflicts(w, sc);  // v2
}

/// Institutional dependence (v2): in each bloc, a member's inflow from another member is the
/// bloc's weight times that member's share of the gdp of the other members; frozen memberships
/// do not count. inst_dep(j, i) is j's part of i's inflow.
static void institutional_dependence(World& w, const Scenario& sc, TurnPool* pool) {
  for_row_blocks(pool, w.n, [&](int r0, int r1) { w.inst_dep.middleRows(r0, r1 - r0).setZero(); });
  for (int b = 0; b < static_cast<int>(sc.blocs.size()); ++b) {
    const double weight = sc.blocs[static_cast<std::size_t>(b)].weight;
    double total = 0.0;
    for (int l = 0; l < w.n; ++l)
      if (w.membership(l, b) > 0.0 && w.frozen(l, b) == 0.0) total += w.gdp(l);
    for (int i = 0; i < w.n; ++i) {
      if (w.membership(i, b) == 0.0 || w.frozen(i, b) > 0.0) continue;
      const double others = total - w.gdp(i);
      if (others <= 0.0) continue;
      for (int j = 0; j < w.n; ++j)
        if (j != i && w.membership(j, b) > 0.0 && w.frozen(j, b) == 0.0)
          w.inst_dep(j, i) += weight * w.gdp(j) / others;
    }
  }
}

namespace {

double gdp_scale(const World& w, double elasticity, int i) {
  return power(w.gdp(i) / w.gdp0(i), elasticity);
}

bool has_preference(const Scenario& sc, int k) {
  return sc.version >= 2 && sc.channels[k].sanctionable;  // bloc trade preferences (v2)
}

}  // namespace

double base_scale(const World& w, const Scenario& sc, int k, int i, int j) {
  const double scale = gdp_scale(w, sc.channels[k].gdp_elasticity, i);
  return has_preference(sc, k) ? scale * w.preference(i, j) : scale;
}

/// F_k = base_k x base_scale (row by row: one power per sender and elasticity, shared by the
/// channels with the same elasticity), plus the pulse part; only the senders' rows (the others
/// are 0 in base, pulse and flow).
void compose_flows(World& w, const Scenario& sc, TurnPool* pool) {
  Matrix& scales = w.tmp_kn;  // row k: each sender's gdp scale for channel k's elasticity
  for (int k = 0; k < w.k; ++k) {
    const double e = sc.channels[k].gdp_elasticity;
    int same = 0;
    while (e != 0.0 && same < k && sc.channels[same].gdp_elasticity != e) ++same;
    if (e != 0.0 && same == k)
      for (int a = 0; a < w.n; ++a) scales(k, a) = gdp_scale(w, e, a);
    else if (e != 0.0)
      scales.row(k) = scales.row(same);
  }
  for_row_blocks(pool, w.n, [&](int r0, int r1) {
    for (int k = 0; k < w.k; ++k) {
      const double e = sc.channels[k].gdp_elasticity;
      const bool preference = has_preference(sc, k);
      const std::span<const int> rows = senders(w, k);
      for (auto it = std::lower_bound(rows.begin(), rows.end(), r0); it != rows.end() && *it < r1;
           ++it) {
        const int a = *it;
        if (e == 0.0) {
          if (preference)
            w.flow[k].row(a) =
                w.base[k].row(a).cwiseProduct(w.preference.row(a)) + w.pulse[k].row(a);
          else
            w.flow[k].row(a) = w.base[k].row(a) + w.pulse[k].row(a);
          continue;
        }
        const double scale = scales(k, a);
        if (preference)
          w.flow[k].row(a) =
              w.base[k].row(a).cwiseProduct(w.preference.row(a)) * scale + w.pulse[k].row(a);
        else
          w.flow[k].row(a) = w.base[k].row(a) * scale + w.pulse[k].row(a);
      }
    }
  });
  for (const Deployment& d : w.deployments) {
    w.flow[d.channel](d.from, d.to) += d.personnel;
    mark_sender(w, d.channel, d.from);
  }
  if (sc.version >= 2) institutional_dependence(w, sc, pool);
}

}  // namespace geosim
