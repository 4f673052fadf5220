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
/// either, is at war with neither (v2), and is on the transit list of the sanction (if that has
/// one).
bool may_divert(const World& w, int a, int b, int t) {
  if (t == a || t == b) return false;
  if (w.sanction_party[t] && (sigma_pair(w, t, a) > 0.0 || sigma_pair(w, t, b) > 0.0)) return false;
  if (!w.conflicts.empty() && (w.war(t, a) > 0.0 || w.war(t, b) > 0.0)) return false;
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
    // compliance_toward(t, b) and (t, a) for every t, in one pass over the threats (the same
    // maxima); scratch: the first 2 n cells of tmp_nn3 (a pair means n >= 2).
    double* toward_b = w.tmp_nn3.data();
    double* toward_a = toward_b + w.n;
    std::fill(toward_b, toward_b + 2 * w.n, 0.0);
    for (const Threat& th : w.threats) {
      if (th.target == b) toward_b[th.transit] = std::max(toward_b[th.transit], th.compliance);
      if (th.target == a) toward_a[th.transit] = std::max(toward_a[th.transit], th.compliance);
    }
    for (int t = 0; t < w.n; ++t) {
      if (!may_divert(w, a, b, t)) continue;
      const double share =
          sc.params.trade_substitution * (F0(t, a) + F0(a, t) + F0(t, b) + F0(b, t)) / weight_sum;
      const double to_b = share * (1.0 - toward_b[t]);  // a -> t -> b
      const double to_a = share * (1.0 - toward_a[t]);  // b -> t -> a
      F(a, t) += to_b * lost_ab;
      F(t, b) += to_b * lost_ab;
      F(b, t) += to_a * lost_ba;
      F(t, a) += to_a * lost_ba;
      mark_sender(w, k, a);
      mark_sender(w, k, b);
      mark_sender(w, k, t);
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

/// Version 2: the route factor of transit t for goods headed to d: 1 in a customs union with d,
/// diversion_neighbour_factor if they border, diversion_distant_factor otherwise.
double route_factor(const World& w, const Scenario& sc, int t, int d) {
  for (int b = 0; b < static_cast<int>(sc.blocs.size()); ++b)
    if (sc.blocs[static_cast<std::size_t>(b)].customs_union && w.membership(t, b) > 0.0 &&
        w.membership(d, b) > 0.0)
      return 1.0;
  const auto& nb = sc.actors[static_cast<std::size_t>(t)].neighbours;
  if (std::find(nb.begin(), nb.end(), d) != nb.end()) return sc.params.diversion_neighbour_factor;
  return sc.params.diversion_distant_factor;
}

/// Version 2: the weight of transit t for goods headed to d: its own turnover with d (before
/// this turn's cuts) times its route factor.
double route_weight(const World& w, const Scenario& sc, const Matrix& F0, int t, int d) {
  return (F0(t, d) + F0(d, t)) * route_factor(w, sc, t, d);
}

/// Version 2: the shares phi w_t of the pair {a, b}'s lost trade headed to `to` (a or b) that
/// each eligible transit t takes, written into `share` (per t); returns false if no route
/// exists. Eligibility (and which transit list applies) is decided in the pair's order, as in
/// version 1, for both directions.
bool route_shares(const World& w, const Scenario& sc, const Matrix& F0, int a, int b, int to,
                  double* share) {
  double sum = 0.0;
  for (int t = 0; t < w.n; ++t) {
    share[t] = may_divert(w, a, b, t) ? route_weight(w, sc, F0, t, to) : 0.0;
    sum += share[t];
  }
  if (sum <= 0.0) return false;
  for (int t = 0; t < w.n; ++t) share[t] *= sc.params.trade_substitution / sum;
  return true;
}

/// Version 2, the same shares from a cached route row: route[t] = route_factor(t, to) if t may
/// carry the pair's goods, else 0 (the same products and sums as route_shares).
bool cached_route_shares(const Scenario& sc, const Matrix& F0, int to, const double* route, int n,
                         double* share) {
  double sum = 0.0;
  for (int t = 0; t < n; ++t) {
    share[t] = route[t] != 0.0 ? (F0(t, to) + F0(to, t)) * route[t] : 0.0;
    sum += share[t];
  }
  if (sum <= 0.0) return false;
  for (int t = 0; t < n; ++t) share[t] *= sc.params.trade_substitution / sum;
  return true;
}

/// Version 2 (model.md, step 4): lost trade is re-routed by route weights, and what a transit
/// state re-routes in all is capped at transit_capacity x its gdp. Two passes over the
/// sanctioned pairs: the first sums what each transit state is asked to carry, the second
/// scales each one's part to its capacity and applies the cuts and the diversion.
///
/// Which transit states may carry a pair's goods, their route factors and their compliance do
/// not change within the phase: with at most n / 2 pairs they are computed once per pair and
/// direction (rows of tmp_nn3 and tmp_nn4) instead of once per channel and pass.
void sanction_pairs_v2(World& w, const Scenario& sc, TurnPool* pool) {
  Vector& asked = w.tmp_n2;  // per transit state: USD m/yr it is asked to re-route
  asked.setZero();
  double* share = w.tmp_nn2.data();  // a row of scratch: shares per transit state
  const std::size_t n = static_cast<std::size_t>(w.n);
  const bool cached = 2 * w.sanctioned.size() <= n;
  if (cached)
    for (std::size_t i = 0; i < w.sanctioned.size(); ++i)
      for (int dir = 0; dir < 2; ++dir) {
        const auto [a, b] = w.sanctioned[i];
        const int to = dir == 0 ? b : a;
        double* route = w.tmp_nn3.data() + (2 * i + static_cast<std::size_t>(dir)) * n;
        double* open = w.tmp_nn4.data() + (2 * i + static_cast<std::size_t>(dir)) * n;
        // open[t] holds compliance_toward(t, to) first: one pass over the threats instead of
        // one per transit state (the same maximum).
        std::fill(open, open + n, 0.0);
        for (const Threat& th : w.threats)
          if (th.target == to) open[th.transit] = std::max(open[th.transit], th.compliance);
        for (int t = 0; t < w.n; ++t) {
          route[t] = may_divert(w, a, b, t) ? route_factor(w, sc, t, to) : 0.0;
          open[t] = route[t] != 0.0 ? 1.0 - open[t] : 0.0;
        }
      }
  for (int pass = 0; pass < 2; ++pass)
    for (int k = 0; k < w.k; ++k) {
      if (!sc.channels[k].sanctionable) continue;
      // F0: the flows before any sanction cut this turn. The first pass only reads them; the
      // second cuts and diverts as it goes, so it reads a copy.
      if (pass == 1)
        for_row_blocks(pool, w.n, [&](int r0, int r1) {
          w.tmp_nn.middleRows(r0, r1 - r0) = w.flow[k].middleRows(r0, r1 - r0);
        });
      const Matrix& F0 = pass == 1 ? w.tmp_nn : w.flow[k];
      Matrix& F = w.flow[k];
      for (std::size_t i = 0; i < w.sanctioned.size(); ++i) {
        const auto [a, b] = w.sanctioned[i];
        const double s = sigma_pair(w, a, b);
        const double lost[2] = {s * F0(a, b), s * F0(b, a)};  // a -> b, b -> a
        double passed[2] = {0.0, 0.0};                        // shares that got through
        for (int dir = 0; dir < 2; ++dir) {
          const int from = dir == 0 ? a : b, to = dir == 0 ? b : a;
          const std::size_t row = (2 * i + static_cast<std::size_t>(dir)) * n;
          if (lost[dir] <= 0.0 ||
              !(cached ? cached_route_shares(sc, F0, to, w.tmp_nn3.data() + row, w.n, share)
                       : route_shares(w, sc, F0, a, b, to, share)))
            continue;
          for (int t = 0; t < w.n; ++t) {
            if (share[t] <= 0.0) continue;
            if (pass == 0) {
              asked(t) += share[t] * lost[dir];
              continue;
            }
            const double cap = sc.params.transit_capacity * 1000.0 * w.gdp(t);
            const double fit = asked(t) > cap ? cap / asked(t) : 1.0;
            const double open = cached ? w.tmp_nn4.data()[row + static_cast<std::size_t>(t)]
                                       : 1.0 - compliance_toward(w, t, to);
            const double through = share[t] * fit * open;
            F(from, t) += through * lost[dir];
            F(t, to) += through * lost[dir];
            mark_sender(w, k, from);
            mark_sender(w, k, t);
            if (sigma(w, from, to) > 0.0) {  // goods reaching a sanctioned party
              w.reexports_to(t, to) += through * lost[dir];
              w.reexport_potential(t, to) += share[t] * fit * lost[dir];
            }
            passed[dir] += through;
          }
        }
        if (pass == 0) continue;
        F(a, b) -= lost[0];
        F(b, a) -= lost[1];
        const double gone = lost[0] * (1.0 - passed[0]) + lost[1] * (1.0 - passed[1]);
        // The sanctioned party loses what is lost for good; a sender that is not itself
        // sanctioned by the other bears sanction_sender_cost of it.
        const bool a_hit = sigma(w, b, a) > 0.0, b_hit = sigma(w, a, b) > 0.0;
        w.tmp_n(a) += a_hit ? gone : sc.params.sanction_sender_cost * gone;
        w.tmp_n(b) += b_hit ? gone : sc.params.sanction_sender_cost * gone;
      }
    }
}

/// The pairs (a < b) with a sanction or penalty between them this turn, in row order (the
/// passes over channels then visit only these), and the actors in any of them. A pair can only
/// be one if a row of `sanction` or `penalty` of either actor has a value > 0: those rows are
/// flagged first (contiguous reads, on the pool's threads), then only pairs with a flagged
/// actor are looked at, in the same order.
void find_sanctioned_pairs(World& w, TurnPool* pool) {
  w.sanctioned.clear();
  std::fill(w.sanction_party.begin(), w.sanction_party.end(), 0);
  Vector& flagged = w.tmp_n2;  // 1: the actor's row of sanction or penalty has a value > 0
  for_row_blocks(pool, w.n, [&](int r0, int r1) {
    for (int a = r0; a < r1; ++a)
      // NaN counts too: sigma_pair takes a NaN intensity for 1 (std::min(1.0, NaN) is 1).
      flagged(a) = (w.sanction.row(a) > 0.0).any() || (w.penalty.row(a) > 0.0).any() ||
                           w.sanction.row(a).hasNaN() || w.penalty.row(a).hasNaN()
                       ? 1.0
                       : 0.0;
  });
  // The flagged actors in increasing order (as doubles, in scratch: exact for any n).
  double* listed = w.tmp_nn3.data();
  int count = 0;
  for (int a = 0; a < w.n; ++a)
    if (flagged(a) != 0.0) listed[count++] = a;
  auto consider = [&](int a, int b) {
    if (sigma_pair(w, a, b) > 0.0) {
      w.sanctioned.emplace_back(a, b);
      w.sanction_party[a] = w.sanction_party[b] = 1;
    }
  };
  for (int a = 0, next = 0; a < w.n; ++a) {
    while (next < count && listed[next] <= a) ++next;  // the first flagged actor after a
    if (flagged(a) != 0.0)
      for (int b = a + 1; b < w.n; ++b) consider(a, b);
    else
      for (int i = next; i < count; ++i) consider(a, static_cast<int>(listed[i]));
  }
}

}  // namespace

void apply_sanctions(World& w, const Scenario& sc, TurnPool* pool) {
  for_row_blocks(pool, w.n, [&](int r0, int r1) {
    w.reexports_to.middleRows(r0, r1 - r0).setZero();
    w.reexport_potential.middleRows(r0, r1 - r0).setZero();
  });
  w.tmp_n.setZero();  // trade lost for good, per actor
  if (!w.conflicts.empty()) cut_conflict_ties(w, sc, w.turn + 1, w.tmp_n);
  find_sanctioned_pairs(w, pool);
  if (w.sanctioned.empty()) {  // nothing is cut: no re-exports, no drag
    w.reexports.setZero();
    for (int i = 0; i < w.n; ++i)
      w.drag(i) = sc.params.sanction_drag * w.tmp_n(i) / (1000.0 * w.gdp(i));
    return;
  }
  if (sc.version >= 2) {
    sanction_pairs_v2(w, sc, pool);
    w.reexports = w.reexports_to.rowwise().sum();
    for (int i = 0; i < w.n; ++i)
      w.drag(i) = sc.params.sanction_drag * w.tmp_n(i) / (1000.0 * w.gdp(i));
    return;
  }
  for (int k = 0; k < w.k; ++k) {
    if (!sc.channels[k].sanctionable) continue;
    w.tmp_nn = w.flow[k];
    // One cut per pair, at the larger intensity of the two directions, so that mutual
    // sanctions do not cut the same trade twice.
    for (const auto& [a, b] : w.sanctioned) {
      const double s = sigma_pair(w, a, b);
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
