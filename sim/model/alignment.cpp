#include <algorithm>
#include <cmath>

#include "model/mechanisms.hpp"

namespace geosim {

/// lambda_i = base_i * R_i / (R_i + r_half) * (floor + (1 - floor) H_i), with R_i = sum_j D(i, j)
/// the total external dependence and H_i its Herfindahl: poor, dependent states are pushed
/// around (seed F19), diversified hedgers much less (F8). Great powers have base 0.
void update_susceptibility(World& w, const Scenario& sc) {
  const double half = sc.params.susceptibility_half_reliance;
  const double floor = sc.params.susceptibility_diversified_floor;
  // The rest of the world stands for many partners: it counts in the reliance R_i but adds
  // nothing to the concentration H_i (a share with it is perfectly diversified).
  const int row = sc.rest_of_world;
  for (int i = 0; i < w.n; ++i) {
    const double reliance = w.D.row(i).sum() - w.D(i, i);
    double hhi = 1.0;
    if (reliance > 0.0) {
      hhi = 0.0;
      for (int j = 0; j < w.n; ++j)
        if (j != i && j != row) hhi += (w.D(i, j) / reliance) * (w.D(i, j) / reliance);
    }
    w.dep_hhi(i) = reliance > 0.0 ? hhi : 0.0;
    w.lambda(i) =
        sc.actors[i].susceptibility * reliance / (reliance + half) * (floor + (1.0 - floor) * hhi);
  }
}

/// Friedkin-Johnsen: W(b, a) = I(a, b) / (sum_l I(l, b) + autonomy_b), W(b, b) = autonomy_b /
/// (same); x(t+1) = Lambda W x(t) + (1 - Lambda) x0. Rows stay on the simplex.
void update_alignment(World& w, const Scenario& sc) {
  Matrix& next = w.tmp_np;
  for (int b = 0; b < w.n; ++b) {
    const double autonomy = sc.actors[b].autonomy;
    double denom = autonomy;
    for (int a = 0; a < w.n; ++a)
      if (a != b) denom += w.I(a, b);
    for (int q = 0; q < w.p; ++q) {
      double social = autonomy * w.x(b, q);
      for (int a = 0; a < w.n; ++a)
        if (a != b) social += w.I(a, b) * w.x(a, q);
      next(b, q) = w.lambda(b) * social / denom + (1.0 - w.lambda(b)) * w.x0(b, q);
    }
    // This turn's exercise nudges (actions.cpp), each toward the sponsor's pole, after the
    // update so that the pull toward the anchor does not undo them at once.
    const double weight = std::min(1.0, w.nudge_weight(b));
    if (weight > 0.0) {
      const double scale = weight / w.nudge_weight(b);
      for (int q = 0; q < w.p; ++q)
        next(b, q) = (1.0 - weight) * next(b, q) + scale * w.nudge(b, q);
    }
  }
  // Conflicts (v2) push each side's alignment away from the other's.
  if (!w.conflicts.empty()) push_alignments_apart(w, sc, next);
  for (int b = 0; b < w.n; ++b) {
    // Leaders avoid sharp moves (seed F19): a hedging client's alignment moves at most
    // max_alignment_step (L1) per turn; the move keeps its direction, so x stays on the simplex.
    double moved = 0.0;
    for (int q = 0; q < w.p; ++q) moved += std::abs(next(b, q) - w.x(b, q));
    if (moved > w.max_alignment_step(b)) {
      const double f = w.max_alignment_step(b) / moved;
      for (int q = 0; q < w.p; ++q) next(b, q) = w.x(b, q) + f * (next(b, q) - w.x(b, q));
    }
  }
  w.x = next;
  w.nudge.setZero();
  w.nudge_weight.setZero();
}

}  // namespace geosim
