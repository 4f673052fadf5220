#include <algorithm>
#include <cmath>

#include "model/mechanisms.hpp"

namespace geosim {

/// lambda_i = base_i * R_i / (R_i + r_half) * (floor + (1 - floor) H_i), with R_i = sum_j D(i, j)
/// the total external dependence and H_i its Herfindahl: poor, dependent states are pushed
/// around (seed F19), diversified hedgers much less (F8). Great powers have base 0.
void update_susceptibility(World& w, const Scenario& sc, TurnPool* pool) {
  const double half = sc.params.susceptibility_half_reliance;
  const double floor = sc.params.susceptibility_diversified_floor;
  // The rest of the world stands for many partners: it counts in the reliance R_i but adds
  // nothing to the concentration H_i (a share with it is perfectly diversified).
  const int row = sc.rest_of_world;
  for_row_blocks(pool, w.n, [&](int r0, int r1) {
    for (int i = r0; i < r1; ++i) {
      const double reliance = w.D.row(i).sum() - w.D(i, i);
      double hhi = 1.0;
      if (reliance > 0.0) {
        hhi = 0.0;
        for (int j = 0; j < w.n; ++j)
          if (j != i && j != row) hhi += (w.D(i, j) / reliance) * (w.D(i, j) / reliance);
      }
      w.dep_hhi(i) = reliance > 0.0 ? hhi : 0.0;
      w.lambda(i) = sc.actors[i].susceptibility * reliance / (reliance + half) *
                    (floor + (1.0 - floor) * hhi);
    }
  });
}

/// Friedkin-Johnsen: W(b, a) = I(a, b) / (sum_l I(l, b) + autonomy_b), W(b, b) = autonomy_b /
/// (same); x(t+1) = Lambda W x(t) + (1 - Lambda) x0. Rows stay on the simplex.
void update_alignment(World& w, const Scenario& sc, TurnPool* pool) {
  Matrix& next = w.tmp_np;
  Vector& denom = w.tmp_n;
  // Each block of actors b reads I's rows a in order, the piece (a, b in the block) of each:
  // contiguous reads, one pass over I, and every sum still adds its terms in the order of a.
  for_row_blocks(pool, w.n, [&](int r0, int r1) {
    for (int b = r0; b < r1; ++b) {
      const double autonomy = sc.actors[b].autonomy;
      denom(b) = autonomy;
      for (int q = 0; q < w.p; ++q) next(b, q) = autonomy * w.x(b, q);  // the social terms
    }
    for (int a = 0; a < w.n; ++a) {
      const double* from = &w.I(a, 0);
      for (int b = r0; b < r1; ++b) {
        if (a == b) continue;
        const double iab = from[b];
        denom(b) += iab;
        for (int q = 0; q < w.p; ++q) next(b, q) += iab * w.x(a, q);
      }
    }
    for (int b = r0; b < r1; ++b) {
      for (int q = 0; q < w.p; ++q)
        next(b, q) = w.lambda(b) * next(b, q) / denom(b) + (1.0 - w.lambda(b)) * w.x0(b, q);
      // This turn's exercise nudges (actions.cpp), each toward the sponsor's pole, after the
      // update so that the pull toward the anchor does not undo them at once.
      const double weight = std::min(1.0, w.nudge_weight(b));
      if (weight > 0.0) {
        const double scale = weight / w.nudge_weight(b);
        for (int q = 0; q < w.p; ++q)
          next(b, q) = (1.0 - weight) * next(b, q) + scale * w.nudge(b, q);
      }
    }
  });
  // Conflicts (v2) push each side's alignment away from the other's.
  if (!w.conflicts.empty()) push_alignments_apart(w, sc, next);
  for_row_blocks(pool, w.n, [&](int r0, int r1) {
    for (int b = r0; b < r1; ++b) {
      // Leaders avoid sharp moves (seed F19): a hedging client's alignment moves at most
      // max_alignment_step (L1) per turn; the move keeps its direction, so x stays on the simplex.
      double moved = 0.0;
      for (int q = 0; q < w.p; ++q) moved += std::abs(next(b, q) - w.x(b, q));
      if (moved > w.max_alignment_step(b)) {
        const double f = w.max_alignment_step(b) / moved;
        for (int q = 0; q < w.p; ++q) next(b, q) = w.x(b, q) + f * (next(b, q) - w.x(b, q));
      }
    }
  });
  w.x = next;
  w.nudge.setZero();
  w.nudge_weight.setZero();
}

}  // namespace geosim
