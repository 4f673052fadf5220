#include <algorithm>
#include <array>

#include "model/mechanisms.hpp"

namespace geosim {

/// What channel k's inflow into actor i is compared with, in the channel's unit (USD m for
/// money). Channels measured in personnel, levels or memberships (exposure `none`) compare
/// with their bandwidth reference, so that a faded exercise pulse no longer counts as full
/// dependence on its only sponsor. <= 0: exposure is 1 whenever there is an inflow.
double exposure_denominator(const World& w, const Scenario& sc, int k, int i) {
  switch (sc.channels[k].exposure) {
    case ExposureBase::gdp:
      return 1000.0 * w.gdp(i);
    case ExposureBase::budget:
      return 1000.0 * sc.actors[i].budget * w.gdp(i) / w.gdp0(i);
    case ExposureBase::military:
      return 1000.0 * sc.actors[i].military;
    case ExposureBase::none:
      return w.ref[k];
  }
  return 0.0;
}

/// dep_k(i, j) = F_k(j, i) / sum_l F_k(l, i) * min(1, exposure_k(i)),
/// exposure_k(i) = sum_l F_k(l, i) / denominator_k(i) * scale_k.
/// One pass per channel writes dep_k and adds it to the target of D and to the target of its
/// dimension's sub-index (weights w_k / nu_dim), so each dep_k is read once. Everything row i
/// of the outputs needs (inflow(i), factor(i)) belongs to row i, so each block of rows is one
/// thread's from start to end (with a pool).
void update_dependence(World& w, const Scenario& sc, double blend, TurnPool* pool) {
  Matrix& target = w.tmp_nn;
  std::array<Matrix*, 3> sub{&w.tmp_nn2, &w.tmp_nn3, &w.tmp_nn4};  // economic, security, political
  std::array<double, 3> nu{0.0, 0.0, 0.0};
  for (int k = 0; k < w.k; ++k)
    nu[static_cast<std::size_t>(sc.channels[k].dimension)] += sc.channels[k].dependence_weight;
  const int row = sc.rest_of_world;
  Vector& inflow = w.tmp_n;
  Vector& factor = w.tmp_n2;
  for_row_blocks(pool, w.n, [&](int r0, int r1) {
    const int rows_here = r1 - r0;
    target.middleRows(r0, rows_here).setZero();
    for (Matrix* m : sub) m->middleRows(r0, rows_here).setZero();
    for (int k = 0; k < w.k; ++k) {
      const ChannelSpec& c = sc.channels[k];
      // Version 2: institutions make each member depend on the others by their weight in the
      // blocs (inst_dep), not on every member equally (the shared count, which bandwidth uses).
      const bool institutions = sc.version >= 2 && k == w.ch.institutions;
      const Matrix& F = institutions ? w.inst_dep : w.flow[k];
      Matrix& dep = w.dep[k];
      // Inflows: column sums, accumulated row by row (contiguous), less the diagonal; only the
      // senders' rows, the others being 0 (institutions in v2: every row of inst_dep).
      const bool sparse = !institutions;
      const std::span<const int> rows = senders(w, k);
      inflow.segment(r0, rows_here).setZero();
      if (sparse)
        for (int l : rows)
          inflow.segment(r0, rows_here) += F.row(l).segment(r0, rows_here).transpose();
      else
        for (int l = 0; l < w.n; ++l)
          inflow.segment(r0, rows_here) += F.row(l).segment(r0, rows_here).transpose();
      bool any = false;
      for (int i = r0; i < r1; ++i) {
        const double in = inflow(i) - F(i, i);
        factor(i) = 0.0;
        if (in <= 0.0 || i == row) continue;  // the rest of the world depends on nobody
        const double denom = exposure_denominator(w, sc, k, i);
        const double exposure = denom > 0.0 ? in / denom * c.exposure_scale : 1.0;
        factor(i) = std::min(1.0, exposure) / in;
        any = true;
      }
      // Rows with no inflow depend on nobody; adding their zeros to the targets would change
      // nothing (the targets start at +0 and never become -0).
      if (!any) {
        if (!sparse)
          dep.middleRows(r0, rows_here).setZero();
        else  // dep is 0 outside the senders' columns already
          for (int i = r0; i < r1; ++i)
            for (int j : rows) dep(i, j) = 0.0;
        continue;
      }
      const double wk = c.dependence_weight;
      const auto d = static_cast<std::size_t>(c.dimension);
      const double wd = nu[d] > 0.0 ? wk / nu[d] : 0.0;
      Matrix& S = *sub[d];
      // Channels where most rows send (trade) take the dense tiles below: the same values,
      // written row by row.
      if (sparse && 2 * rows.size() < static_cast<std::size_t>(w.n)) {
        // dep(i, j) = F(j, i) factor(i) for the senders j only (dep(i, j) of any other j is 0
        // and stays 0), by tiles of rows i so that F's row pieces and dep's rows stay in cache.
        constexpr int kRows = 16;
        for (int i0 = r0; i0 < r1; i0 += kRows) {
          const int i1 = std::min(r1, i0 + kRows);
          for (int j : rows) {
            const double* from = &F(j, 0);
            for (int i = i0; i < i1; ++i) {
              const double f = factor(i);
              const double v = j == i || f == 0.0 ? 0.0 : from[i] * f;  // +0, never -0
              dep(i, j) = v;
              target(i, j) += wk * v;
              S(i, j) += wd * v;
            }
          }
        }
        continue;
      }
      constexpr int kTile = 32;
      for (int i0 = r0; i0 < r1; i0 += kTile)
        for (int j0 = 0; j0 < w.n; j0 += kTile) {
          const int i1 = std::min(r1, i0 + kTile), j1 = std::min(w.n, j0 + kTile);
          for (int i = i0; i < i1; ++i) {
            const double f = factor(i);
            double* out = &dep(i, 0);
            if (f == 0.0) {
              std::fill(out + j0, out + j1, 0.0);
              continue;
            }
            double* t = &target(i, 0);
            double* si = &S(i, 0);
            auto cells = [&](int from, int to) {
              for (int j = from; j < to; ++j) {
                const double v = F(j, i) * f;
                out[j] = v;
                t[j] += wk * v;
                si[j] += wd * v;
              }
            };
            if (i >= j0 && i < j1) {
              cells(j0, i);
              out[i] = 0.0;
              cells(i + 1, j1);
            } else {
              cells(j0, j1);
            }
          }
        }
    }
    // Sub-indices: the same sum over one dimension's channels, normalised by its weights so
    // each lies in [0, 1].
    auto blend_rows = [&](Matrix& m, const Matrix& to) {
      m.middleRows(r0, rows_here) =
          (1.0 - blend) * m.middleRows(r0, rows_here) + blend * to.middleRows(r0, rows_here);
    };
    blend_rows(w.D, target);
    blend_rows(w.D_econ, *sub[0]);
    blend_rows(w.D_sec, *sub[1]);
    blend_rows(w.D_pol, *sub[2]);
  });
}

}  // namespace geosim
