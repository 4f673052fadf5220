// Sobol' indices (Saltelli 2010 first order, Jansen total) with bootstrap intervals.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "core/rng.hpp"
#include "sweep/design_rng.hpp"
#include "sweep/incomplete.hpp"
#include "sweep/sensitivity.hpp"

namespace geosim::sweep {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The complete blocks, outputs centred: A, B and AB^(i) values of block k.
struct Blocks {
  std::size_t n = 0, d = 0;
  std::vector<double> a, b, ab;  // ab[k * d + i]
};

/// Sums over a (re)sample of blocks, from which one estimate follows.
struct Sums {
  explicit Sums(std::size_t d) : s1(d, 0.0), st(d, 0.0) {}
  double sum = 0.0, sum2 = 0.0;  // of A and B values
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  std::vector<double> s1, st;  // numerators: sum f_B (f_AB - f_A), sum (f_A - f_AB)^2

  void add(const Blocks& blk, std::size_t k) {
    const double fa = blk.a[k], fb = blk.b[k];
    sum += fa + fb;
    sum2 += fa * fa + fb * fb;
    min = std::min({min, fa, fb});
    max = std::max({max, fa, fb});
    for (std::size_t i = 0; i < blk.d; ++i) {
      const double fab = blk.ab[k * blk.d + i];
      s1[i] += fb * (fab - fa);
      st[i] += (fa - fab) * (fa - fab);
    }
  }

  bool constant() const { return !(min < max); }

  /// Variance of the A and B values (divisor 2n), 0 if they are all equal.
  double variance(std::size_t n) const {
    if (constant()) return 0.0;
    const double m = sum / (2.0 * static_cast<double>(n));
    return std::max(0.0, sum2 / (2.0 * static_cast<double>(n)) - m * m);
  }

  /// Converts the numerators to S1 and ST in place. Precondition: variance(n) > 0.
  void finish(std::size_t n) {
    const double v = variance(n), dn = static_cast<double>(n);
    for (auto& x : s1) x = x / dn / v;
    for (auto& x : st) x = x / (2.0 * dn) / v;
  }
};

/// Percentile q of sorted values (linear interpolation between order statistics).
double percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return kNaN;
  const double h = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

SobolResult sobol_indices(const SaltelliLayout& layout, std::span<const double> y, int n_bootstrap,
                          double confidence, std::uint64_t seed, IncompletePolicy policy) {
  const std::size_t d = layout.n_dims, bs = layout.block_size();
  if (d == 0 || layout.n_base == 0) {
    throw std::invalid_argument("sobol_indices: the layout has no factor or no block");
  }
  if (y.size() != layout.n_rows()) {
    throw std::invalid_argument("sobol_indices: " + std::to_string(y.size()) +
                                " outputs for a layout of " + std::to_string(layout.n_rows()) +
                                " rows (give NaN for runs that failed or did not run)");
  }
  if (n_bootstrap < 0) throw std::invalid_argument("sobol_indices: n_bootstrap must be >= 0");
  if (!(confidence > 0.0 && confidence < 1.0)) {
    throw std::invalid_argument("sobol_indices: confidence must be in (0, 1), got " +
                                std::to_string(confidence));
  }

  // Complete blocks.
  std::vector<std::size_t> complete, incomplete;
  for (std::size_t j = 0; j < layout.n_base; ++j) {
    const auto block = y.subspan(j * bs, bs);
    const bool ok =
        std::all_of(block.begin(), block.end(), [](double v) { return std::isfinite(v); });
    (ok ? complete : incomplete).push_back(j);
  }
  if (!incomplete.empty() && policy == IncompletePolicy::refuse) {
    throw std::invalid_argument(incomplete_message("sobol_indices", layout.n_base,
                                                   "Saltelli blocks", "base indices", incomplete));
  }
  if (complete.size() < 2) {
    throw std::invalid_argument("sobol_indices: " + std::to_string(complete.size()) +
                                " complete Saltelli blocks, at least 2 are needed");
  }

  SobolResult res;
  res.blocks_used = complete.size();
  res.blocks_dropped = incomplete.size();
  res.dropped_bases = incomplete;
  res.n_bootstrap = n_bootstrap;
  res.confidence = confidence;
  res.s1_low = res.s1_high = res.st_low = res.st_high = std::vector<double>(d, kNaN);

  // Centre on the mean of the A and B values used.
  const std::size_t n = complete.size();
  double centre = 0.0;
  for (const std::size_t j : complete) {
    centre += y[layout.index_a(j)] + y[layout.index_b(j)];
  }
  centre /= 2.0 * static_cast<double>(n);
  Blocks blk{n, d, std::vector<double>(n), std::vector<double>(n), std::vector<double>(n * d)};
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t j = complete[k];
    blk.a[k] = y[layout.index_a(j)] - centre;
    blk.b[k] = y[layout.index_b(j)] - centre;
    for (std::size_t i = 0; i < d; ++i) blk.ab[k * d + i] = y[layout.index_ab(j, i)] - centre;
  }

  // Point estimate.
  Sums all(d);
  for (std::size_t k = 0; k < n; ++k) all.add(blk, k);
  res.variance = all.variance(n);
  if (res.variance <= 0.0) {
    res.constant_output = true;
    res.s1 = res.st = std::vector<double>(d, kNaN);
    return res;
  }
  all.finish(n);
  res.s1 = all.s1;
  res.st = all.st;

  // Bootstrap over blocks.
  if (n_bootstrap == 0) return res;
  const CounterRng rng(seed, kDesignStream);
  std::vector<std::vector<double>> rep_s1(d), rep_st(d);
  for (auto& v : rep_s1) v.reserve(static_cast<std::size_t>(n_bootstrap));
  for (auto& v : rep_st) v.reserve(static_cast<std::size_t>(n_bootstrap));
  for (int b = 0; b < n_bootstrap; ++b) {
    Sums rep(d);
    for (std::size_t k = 0; k < n; ++k) {
      const double u = design_uniform(rng, static_cast<std::uint64_t>(b), k, DesignDraw::bootstrap);
      rep.add(blk, uniform_index(u, n));
    }
    if (rep.variance(n) <= 0.0) continue;  // a constant resample says nothing; skip it
    rep.finish(n);
    for (std::size_t i = 0; i < d; ++i) {
      rep_s1[i].push_back(rep.s1[i]);
      rep_st[i].push_back(rep.st[i]);
    }
  }
  res.bootstrap_used = rep_s1[0].size();
  const double q_lo = (1.0 - confidence) / 2.0, q_hi = (1.0 + confidence) / 2.0;
  for (std::size_t i = 0; i < d; ++i) {
    std::sort(rep_s1[i].begin(), rep_s1[i].end());
    std::sort(rep_st[i].begin(), rep_st[i].end());
    res.s1_low[i] = percentile(rep_s1[i], q_lo);
    res.s1_high[i] = percentile(rep_s1[i], q_hi);
    res.st_low[i] = percentile(rep_st[i], q_lo);
    res.st_high[i] = percentile(rep_st[i], q_hi);
  }
  return res;
}

}  // namespace geosim::sweep
