#include <algorithm>

#include "model/mechanisms.hpp"

namespace geosim {

namespace {

bool may_divert(const World& w, int s, int r, int t) {
  if (t == s || t == r || w.sanction(t, r) > 0.0) return false;
  const auto* list = w.sanction_transit[static_cast<std::size_t>(s) * w.n + r];
  return list == nullptr || std::find(list->begin(), list->end(), t) != list->end();
}

/// Compliance of t with a threat about re-exports to r (0 if no threat covers it).
double compliance_toward(const World& w, int t, int r) {
  for (const Threat& th : w.threats)
    if (th.transit == t && th.target == r) return w.compliance(t);
  return 0.0;
}

/// Cuts the trade of one sanctioned pair in channel k and diverts a share phi of it through
/// transit states in proportion to their own trade with the target. Returns the trade lost
/// for good (USD m/yr).
double cut_and_divert(World& w, const Scenario& sc, int k, int s, int r, double sigma) {
  Matrix& F = w.flow[k];
  const Matrix& F0 = w.tmp_nn;  // flows before any cut this turn
  const double lost_sr = sigma * F0(s, r);
  const double lost_rs = sigma * F0(r, s);
  F(s, r) -= lost_sr;
  F(r, s) -= lost_rs;
  double weight_sum = 0.0;
  for (int t = 0; t < w.n; ++t)
    if (may_divert(w, s, r, t)) weight_sum += F0(t, r) + F0(r, t);
  double passed = 0.0;  // share of the lost trade that got through
  if (weight_sum > 0.0) {
    for (int t = 0; t < w.n; ++t) {
      if (!may_divert(w, s, r, t)) continue;
      const double share = sc.params.trade_substitution * (F0(t, r) + F0(r, t)) / weight_sum;
      const double through = share * (1.0 - compliance_toward(w, t, r));
      F(s, t) += through * lost_sr;
      F(t, r) += through * lost_sr;
      F(r, t) += through * lost_rs;
      F(t, s) += through * lost_rs;
      w.reexports(t) += through * lost_sr;
      w.reexport_potential(t) += share * lost_sr;
      passed += through;
    }
  }
  return (lost_sr + lost_rs) * (1.0 - passed);
}

}  // namespace

void apply_sanctions(World& w, const Scenario& sc) {
  w.reexports.setZero();
  w.reexport_potential.setZero();
  w.tmp_n.setZero();  // trade lost for good, per sanctioned actor
  for (int k = 0; k < w.k; ++k) {
    if (!sc.channels[k].sanctionable) continue;
    w.tmp_nn = w.flow[k];
    for (int s = 0; s < w.n; ++s)
      for (int r = 0; r < w.n; ++r) {
        const double sigma = std::min(1.0, std::max(w.sanction(s, r), w.penalty(s, r)));
        if (sigma <= 0.0 || s == r) continue;
        w.tmp_n(r) += cut_and_divert(w, sc, k, s, r, sigma);
      }
  }
  // Drag on next turn's growth: net lost trade as a share of gdp (USD m vs USD bn).
  for (int i = 0; i < w.n; ++i)
    w.drag(i) = sc.params.sanction_drag * w.tmp_n(i) / (1000.0 * w.gdp(i));
}

}  // namespace geosim
