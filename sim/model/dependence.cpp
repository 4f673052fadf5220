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
/// D's target is sum_k w_k dep_k, each sub-index's the same over its dimension's channels with
/// weights w_k / nu_dim. Everything row i of the outputs needs belongs to row i, so a block of
/// rows is one thread's from start to end (with a pool). Within it, the factors of every
/// channel come first; then, tile by tile of rows, each channel writes dep_k and adds it to the
/// targets, and the tile is blended into D and the sub-indices while its targets are still in
/// cache: the targets never travel to memory, and every sum adds its terms in channel order.
void update_dependence(World& w, const Scenario& sc, double blend, TurnPool* pool) {
  Matrix& target = w.tmp_nn;
  std::array<Matrix*, 3> sub{&w.tmp_nn2, &w.tmp_nn3, &w.tmp_nn4};  // economic, security, political
  std::array<double, 3> nu{0.0, 0.0, 0.0};
  for (int k = 0; k < w.k; ++k)
    nu[static_cast<std::size_t>(sc.channels[k].dimension)] += sc.channels[k].dependence_weight;
  const int row = sc.rest_of_world;
  Vector& inflow = w.tmp_n;
  Matrix& factors = w.tmp_kn;  // (channel, i): min(1, exposure) / inflow, or 0
  // Version 2: institutions make each member depend on the others by their weight in the
  // blocs (inst_dep), not on every member equally (the shared count, which bandwidth uses).
  auto source = [&](int k) -> const Matrix& {
    return sc.version >= 2 && k == w.ch.institutions ? w.inst_dep : w.flow[k];
  };
  auto sparse = [&](int k) { return !(sc.version >= 2 && k == w.ch.institutions); };
  for_row_blocks(pool, w.n, [&](int r0, int r1) {
    const int rows_here = r1 - r0;
    for (int k = 0; k < w.k; ++k) {
      const ChannelSpec& c = sc.channels[k];
      const Matrix& F = source(k);
      // Inflows: column sums, accumulated row by row (contiguous), less the diagonal; only the
      // senders' rows, the others being 0 (institutions in v2: every row of inst_dep).
      inflow.segment(r0, rows_here).setZero();
      if (sparse(k))
        for (int l : senders(w, k))
          inflow.segment(r0, rows_here) += F.row(l).segment(r0, rows_here).transpose();
      else
        for (int l = 0; l < w.n; ++l)
          inflow.segment(r0, rows_here) += F.row(l).segment(r0, rows_here).transpose();
      for (int i = r0; i < r1; ++i) {
        const double in = inflow(i) - F(i, i);
        factors(k, i) = 0.0;
        if (in <= 0.0 || i == row) continue;  // the rest of the world depends on nobody
        const double denom = exposure_denominator(w, sc, k, i);
        const double exposure = denom > 0.0 ? in / denom * c.exposure_scale : 1.0;
        factors(k, i) = std::min(1.0, exposure) / in;
      }
    }
    constexpr int kRows = 16;  // 4 targets x 16 rows x N doubles stay in L2 up to N ~ 1,500
    for (int i0 = r0; i0 < r1; i0 += kRows) {
      const int i1 = std::min(r1, i0 + kRows), tile = i1 - i0;
      target.middleRows(i0, tile).setZero();
      for (Matrix* m : sub) m->middleRows(i0, tile).setZero();
      for (int k = 0; k < w.k; ++k) {
        const ChannelSpec& c = sc.channels[k];
        const Matrix& F = source(k);
        Matrix& dep = w.dep[k];
        const double wk = c.dependence_weight;
        const auto d = static_cast<std::size_t>(c.dimension);
        const double wd = nu[d] > 0.0 ? wk / nu[d] : 0.0;
        Matrix& S = *sub[d];
        const std::span<const int> rows = senders(w, k);
        // A row with factor 0 gets dep 0 and adds nothing: the targets start at +0 and never
        // become -0, so adding +0 would change no bit.
        if (sparse(k) && 2 * rows.size() < static_cast<std::size_t>(w.n)) {
          // dep(i, j) = F(j, i) factor(i) for the senders j only (dep(i, j) of any other j is
          // 0 and stays 0).
          for (int j : rows) {
            const double* from = &F(j, 0);
            for (int i = i0; i < i1; ++i) {
              const double f = factors(k, i);
              const double v = j == i || f == 0.0 ? 0.0 : from[i] * f;  // +0, never -0
              dep(i, j) = v;
              target(i, j) += wk * v;
              S(i, j) += wd * v;
            }
          }
          continue;
        }
        // Channels where most rows send (trade) and institutions: every cell, by tiles of
        // columns so that the pieces of F's rows stay in cache.
        constexpr int kCols = 32;
        for (int j0 = 0; j0 < w.n; j0 += kCols) {
          const int j1 = std::min(w.n, j0 + kCols);
          for (int i = i0; i < i1; ++i) {
            const double f = factors(k, i);
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
        m.middleRows(i0, tile) =
            (1.0 - blend) * m.middleRows(i0, tile) + blend * to.middleRows(i0, tile);
      };
      blend_rows(w.D, target);
      blend_rows(w.D_econ, *sub[0]);
      blend_rows(w.D_sec, *sub[1]);
      blend_rows(w.D_pol, *sub[2]);
    }
  });
}

}  // namespace geosim
