#include <algorithm>

#include "model/mechanisms.hpp"

namespace geosim {

namespace {

/// Intensity of the sanction or penalty a applies to b.
double sigma(const World& w, int a, int b) {
  return std::min(1.0, std::max(w.sanction(a, b), w.penalty(a, b)));
}

/// Intensity between a and b, whoever applies it.
double sigma_pair(const World& w, int a, int b) {
  return std::max(sigma(w, a, b), sigma(w, b, a));
}

/// A transit state t may carry goods between a and b if it has no sanction relation with
/// either, and is on the transit list of the sanction (if that has one).
bool may_divert(const World& w, int a, int b, int t) {
  if (t == a || t == b || sigma_pair(w, t, a) > 0.0 || sigma_pair(w, t, b) > 0.0) return false;
  const std::vector<int>* list = nullptr;
  if (w.sanction(a, b) >= w.sanction(b, a))
    list = w.sanction_transit[static_cast<std::size_t>(a) * w.n + b];
  if (list == nullptr && w.sanction(b, a) > 0.0)
    list = w.sanction_transit[static_cast<std::size_t>(b) * w.n + a];
  return list == nullptr || std::find(list->begin(), list->end(), t) != list->end();
}

/// Largest compliance of t with a threat about re-exports to r (0 if no threat covers it).
double compliance_toward(const World& w, int t, int r) {
  double c = 0.0;
  for (const Threat& th : w.threats)
    if (th.transit == t && th.target == r) c = std::max(c, th.compliance);
  return c;
}

/// Cuts the trade between a and b (a < b) in channel k at intensity s and diverts a share phi
/// of it through transit states in proportion to their own trade with the pair. Goods headed
/// for a sanctioned party count as re-exports to it. Returns the trade lost for good in each
/// direction (from a to b, from b to a).
std::pair<double, double> cut_and_divert(World& w, const Scenario& sc, int k, int a, int b,
                                         double s) {
  Matrix& F = w.flow[k];
  const Matrix& F0 = w.tmp_nn;  // flows before any cut this turn
  const double lost_ab = s * F0(a, b);
  const double lost_ba = s * F0(b, a);
  F(a, b) -= lost_ab;
  F(b, a) -= lost_ba;
  const bool a_sanctioned = sigma(w, b, a) > 0.0, b_sanctioned = sigma(w, a, b) > 0.0;
  double weight_sum = 0.0;
  for (int t = 0; t < w.n; ++t)
    if (may_divert(w, a, b, t)) weight_sum += F0(t, a) + F0(a, t) + F0(t, b) + F0(b, t);
  double passed_ab = 0.0, passed_ba = 0.0;  // shares that got through
  if (weight_sum > 0.0) {
    for (int t = 0; t < w.n; ++t) {
      if (!may_divert(w, a, b, t)) continue;
      const double share =
          sc.params.trade_substitution * (F0(t, a) + F0(a, t) + F0(t, b) + F0(b, t)) / weight_sum;
      const double to_b = share * (1.0 - compliance_toward(w, t, b));  // a -> t -> b
      const double to_a = share * (1.0 - compliance_toward(w, t, a));  // b -> t -> a
      F(a, t) += to_b * lost_ab;
      F(t, b) += to_b * lost_ab;
      F(b, t) += to_a * lost_ba;
      F(t, a) += to_a * lost_ba;
      if (b_sanctioned) {
        w.reexports_to(t, b) += to_b * lost_ab;
        w.reexport_potential(t, b) += share * lost_ab;
      }
      if (a_sanctioned) {
        w.reexports_to(t, a) += to_a * lost_ba;
        w.reexport_potential(t, a) += share * lost_ba;
      }
      passed_ab += to_b;
      passed_ba += to_a;
    }
  }
  return {lost_ab * (1.0 - passed_ab), lost_ba * (1.0 - passed_ba)};
}

}  // namespace

void apply_sanctions(World& w, const Scenario& sc) {
  w.reexports_to.setZero();
  w.reexport_potential.setZero();
  w.tmp_n.setZero();  // trade lost for good, per sanctioned actor
  for (int k = 0; k < w.k; ++k) {
    if (!sc.channels[k].sanctionable) continue;
    w.tmp_nn = w.flow[k];
    // One cut per pair, at the larger intensity of the two directions, so that mutual
    // sanctions do not cut the same trade twice.
    for (int a = 0; a < w.n; ++a)
      for (int b = a + 1; b < w.n; ++b) {
        const double s = sigma_pair(w, a, b);
        if (s <= 0.0) continue;
        const auto [lost_ab, lost_ba] = cut_and_divert(w, sc, k, a, b, s);
        // What is lost for good drags the sanctioned party (both, if both are).
        if (sigma(w, a, b) > 0.0) w.tmp_n(b) += lost_ab + lost_ba;
        if (sigma(w, b, a) > 0.0) w.tmp_n(a) += lost_ab + lost_ba;
      }
  }
  w.reexports = w.reexports_to.rowwise().sum();
  // Drag on next turn's growth: net lost trade as a share of gdp (USD m vs USD bn).
  for (int i = 0; i < w.n; ++i)
    w.drag(i) = sc.params.sanction_drag * w.tmp_n(i) / (1000.0 * w.gdp(i));
}

}  // namespace geosim
