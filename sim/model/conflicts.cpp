// Scripted conflicts (format version 2; docs/model.md, "Conflicts").
#include <algorithm>
#include <cmath>

#include "model/mechanisms.hpp"

namespace geosim {

namespace {

bool same_pair(const Conflict& x, const Conflict& y) {
  return (x.a == y.a && x.b == y.b) || (x.a == y.b && x.b == y.a);
}

/// The first conflict of the list on its pair whose war is on (the one that speaks for the pair
/// in the per-pair effects: growth loss and alignment push).
bool speaks_for_pair(const World& w, std::size_t ci) {
  const Conflict& c = w.conflicts[ci];
  if (w.war(c.a, c.b) <= 0.0) return false;
  for (std::size_t cj = 0; cj < ci; ++cj)
    if (same_pair(c, w.conflicts[cj])) return false;
  return true;
}

bool cuts(const Conflict& c, int k) {
  return std::find(c.channels->begin(), c.channels->end(), k) != c.channels->end();
}

}  // namespace

double conflict_level(const Conflict& c, const Scenario& sc, int turn) {
  if (turn <= c.last) return c.intensity;
  const double months = static_cast<double>(turn - c.last) * sc.months_per_turn;
  return c.intensity * std::exp2(-months / sc.params.conflict_recovery_half_life);
}

void update_conflicts(World& w, const Scenario& sc, int turn) {
  if (w.conflicts.empty()) return;
  std::erase_if(w.conflicts, [&](const Conflict& c) {
    return c.intensity <= 0.0 ||
           (turn > c.last && conflict_level(c, sc, turn) < kConflictAftermathEnd * c.intensity);
  });  // keeps the capacity: no allocation
  w.war.setZero();
  for (const Conflict& c : w.conflicts)
    if (turn <= c.last) {
      w.war(c.a, c.b) = std::max(w.war(c.a, c.b), c.intensity);
      w.war(c.b, c.a) = w.war(c.a, c.b);
    }
}

void lose_growth_to_conflicts(World& w, const Scenario& sc) {
  const double years = sc.months_per_turn / 12.0;
  for (std::size_t ci = 0; ci < w.conflicts.size(); ++ci) {
    if (!speaks_for_pair(w, ci)) continue;
    const Conflict& c = w.conflicts[ci];
    const double factor = std::exp(-sc.params.conflict_gdp_loss * w.war(c.a, c.b) * years);
    w.gdp(c.a) *= factor;
    w.gdp(c.b) *= factor;
  }
}

void cut_conflict_ties(World& w, const Scenario& sc, int turn, Vector& lost) {
  for (std::size_t ci = 0; ci < w.conflicts.size(); ++ci) {
    const Conflict& c = w.conflicts[ci];
    for (int k : *c.channels) {
      // Each (pair, channel) once, at the largest level of the conflicts that cut it.
      bool seen = false;
      double level = 0.0;
      for (std::size_t cj = 0; cj < w.conflicts.size(); ++cj) {
        const Conflict& o = w.conflicts[cj];
        if (!same_pair(c, o) || !cuts(o, k)) continue;
        if (cj < ci) seen = true;
        level = std::max(level, conflict_level(o, sc, turn));
      }
      if (seen || level <= 0.0) continue;
      Matrix& F = w.flow[static_cast<std::size_t>(k)];
      const double ab = level * F(c.a, c.b), ba = level * F(c.b, c.a);
      F(c.a, c.b) -= ab;
      F(c.b, c.a) -= ba;
      if (sc.channels[static_cast<std::size_t>(k)].unit == "USD m/yr") {  // money lost drags
        lost(c.a) += ab + ba;
        lost(c.b) += ab + ba;
      }
    }
  }
}

void push_alignments_apart(World& w, const Scenario& sc, Matrix& next) {
  for (std::size_t ci = 0; ci < w.conflicts.size(); ++ci) {
    if (!speaks_for_pair(w, ci)) continue;  // over (only the trade cut lingers), or a duplicate
    const Conflict& c = w.conflicts[ci];
    const double war = w.war(c.a, c.b);
    const double s = 1.0 - std::pow(1.0 - std::min(1.0, sc.params.conflict_alignment_push * war),
                                    sc.months_per_turn);
    for (int side = 0; side < 2; ++side) {
      const int x = side == 0 ? c.a : c.b, y = side == 0 ? c.b : c.a;
      double sum = 0.0;
      for (int q = 0; q < w.p; ++q) sum += next(x, q) * (1.0 - s * w.x(y, q));
      if (sum <= 0.0) continue;  // all of x's alignment is where y's is, at s = 1: left as is
      for (int q = 0; q < w.p; ++q) next(x, q) = next(x, q) * (1.0 - s * w.x(y, q)) / sum;
    }
  }
}

}  // namespace geosim
