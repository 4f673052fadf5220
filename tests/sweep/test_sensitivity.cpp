#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <span>
#include <stdexcept>
#include <vector>

#include "core/rng.hpp"
#include "sweep/design.hpp"
#include "sweep/design_rng.hpp"
#include "sweep/distribution.hpp"
#include "sweep/sensitivity.hpp"

using namespace geosim::sweep;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Ishigami function, a = 7, b = 0.1, x_i uniform on [-pi, pi] mapped from the unit cube.
std::vector<double> ishigami(const UnitDesign& pts) {
  const Distribution x = Distribution::uniform(-std::numbers::pi, std::numbers::pi);
  std::vector<double> y(pts.n_rows);
  for (std::size_t r = 0; r < pts.n_rows; ++r) {
    const double x1 = x.value(pts(r, 0)), x2 = x.value(pts(r, 1)), x3 = x.value(pts(r, 2));
    y[r] = std::sin(x1) + 7.0 * std::sin(x2) * std::sin(x2) + 0.1 * std::pow(x3, 4) * std::sin(x1);
  }
  return y;
}

/// Analytic indices of the Ishigami function (a = 7, b = 0.1).
struct IshigamiTruth {
  std::array<double, 3> s1, st;
};
IshigamiTruth ishigami_truth() {
  const double a = 7.0, b = 0.1, pi4 = std::pow(std::numbers::pi, 4),
               pi8 = std::pow(std::numbers::pi, 8);
  const double v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
  const double v1 = 0.5 * std::pow(1 + b * pi4 / 5, 2), v2 = a * a / 8,
               v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
  return {{v1 / v, v2 / v, 0.0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

/// The Ishigami analysis at n_base, computed once per n_base (the tests share it).
const SobolResult& ishigami_result(std::size_t n_base) {
  static std::vector<std::pair<std::size_t, SobolResult>> cache;
  for (const auto& [n, res] : cache) {
    if (n == n_base) return res;
  }
  const SaltelliDesign design = saltelli(n_base, 3, 20240501);
  const std::vector<double> y = ishigami(design.points);
  cache.emplace_back(n_base, sobol_indices(design.layout, y, 500, 0.95, 7));
  return cache.back().second;
}

std::vector<double> linear(const UnitDesign& pts, std::span<const double> c) {
  std::vector<double> y(pts.n_rows, 0.0);
  for (std::size_t r = 0; r < pts.n_rows; ++r) {
    for (std::size_t k = 0; k < c.size(); ++k) y[r] += c[k] * pts(r, k);
  }
  return y;
}

/// The outputs of blocks `keep` of a Saltelli sweep, compacted: what a sweep of only those
/// blocks would have produced.
std::vector<double> keep_blocks(const SaltelliLayout& lay, std::span<const double> y,
                                const std::vector<std::size_t>& keep) {
  std::vector<double> out;
  for (const std::size_t j : keep) {
    const auto block = y.subspan(j * lay.block_size(), lay.block_size());
    out.insert(out.end(), block.begin(), block.end());
  }
  return out;
}

void check_same(const SobolResult& a, const SobolResult& b) {
  CHECK(a.s1 == b.s1);
  CHECK(a.st == b.st);
  CHECK(a.s1_low == b.s1_low);
  CHECK(a.s1_high == b.s1_high);
  CHECK(a.st_low == b.st_low);
  CHECK(a.st_high == b.st_high);
  CHECK(a.variance == b.variance);
  CHECK(a.blocks_used == b.blocks_used);
}

}  // namespace

TEST_CASE("Sobol' indices of the Ishigami function within 0.02 of the analytic values") {
  const IshigamiTruth truth = ishigami_truth();
  CHECK(truth.s1[0] == doctest::Approx(0.3139).epsilon(1e-3));
  CHECK(truth.st[2] == doctest::Approx(0.2437).epsilon(1e-3));
  const SobolResult& res = ishigami_result(8192);
  REQUIRE(res.s1.size() == 3);
  CHECK(res.blocks_used == 8192);
  CHECK(res.blocks_dropped == 0);
  CHECK_FALSE(res.constant_output);
  CHECK(res.bootstrap_used == 500);
  int covered = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    INFO("S1[" << i << "] = " << res.s1[i] << " [" << res.s1_low[i] << ", " << res.s1_high[i]
               << "] (analytic " << truth.s1[i] << "); ST[" << i << "] = " << res.st[i] << " ["
               << res.st_low[i] << ", " << res.st_high[i] << "] (analytic " << truth.st[i] << ")");
    CHECK(std::abs(res.s1[i] - truth.s1[i]) < 0.02);
    CHECK(std::abs(res.st[i] - truth.st[i]) < 0.02);
    CHECK(res.s1_low[i] <= res.s1[i]);
    CHECK(res.s1[i] <= res.s1_high[i]);
    CHECK(res.st_low[i] <= res.st[i]);
    CHECK(res.st[i] <= res.st_high[i]);
    covered += (res.s1_low[i] <= truth.s1[i] && truth.s1[i] <= res.s1_high[i]) ? 1 : 0;
    covered += (res.st_low[i] <= truth.st[i] && truth.st[i] <= res.st_high[i]) ? 1 : 0;
  }
  CHECK(covered >= 5);  // 95 % intervals: at most one of six may miss
}

TEST_CASE("bootstrap intervals narrow when n_base quadruples") {
  const SobolResult& small = ishigami_result(2048);
  const SobolResult& large = ishigami_result(8192);
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    const double w_s1_small = small.s1_high[i] - small.s1_low[i];
    const double w_s1_large = large.s1_high[i] - large.s1_low[i];
    const double w_st_small = small.st_high[i] - small.st_low[i];
    const double w_st_large = large.st_high[i] - large.st_low[i];
    INFO("width ratio 8192/2048: S1[" << i << "] " << w_s1_large / w_s1_small << ", ST[" << i
                                      << "] " << w_st_large / w_st_small);
    // 1/sqrt(4) = 0.5 expected; allow for bootstrap noise.
    CHECK(w_s1_large < 0.75 * w_s1_small);
    CHECK(w_st_large < 0.75 * w_st_small);
  }
}

TEST_CASE("linear function: S1 = ST = c_i^2 / sum c^2") {
  const std::vector<double> c{1.0, -2.0, 3.0, 0.5};
  const double sum_c2 = 1.0 + 4.0 + 9.0 + 0.25;
  const SaltelliDesign design = saltelli(4096, 4, 3);
  const std::vector<double> y = linear(design.points, c);
  const SobolResult res = sobol_indices(design.layout, y, 0, 0.95, 1);
  for (std::size_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    const double expected = c[i] * c[i] / sum_c2;
    INFO("linear S1[" << i << "] - truth = " << res.s1[i] - expected
                      << ", ST - truth = " << res.st[i] - expected);
    CHECK(std::abs(res.s1[i] - expected) < 5e-4);
    CHECK(std::abs(res.st[i] - expected) < 5e-4);
    CHECK(std::isnan(res.s1_low[i]));  // no bootstrap asked
  }
  // A constant offset changes nothing (outputs are centred first).
  std::vector<double> shifted = y;
  for (double& v : shifted) v += 1e6;
  const SobolResult off = sobol_indices(design.layout, shifted, 0, 0.95, 1);
  for (std::size_t i = 0; i < 4; ++i) CHECK(off.s1[i] == doctest::Approx(res.s1[i]).epsilon(1e-6));
}

TEST_CASE("bootstrap is deterministic from its seed") {
  const SaltelliDesign design = saltelli(256, 3, 1);
  const std::vector<double> y = ishigami(design.points);
  const SobolResult a = sobol_indices(design.layout, y, 200, 0.9, 5);
  const SobolResult b = sobol_indices(design.layout, y, 200, 0.9, 5);
  const SobolResult c = sobol_indices(design.layout, y, 200, 0.9, 6);
  check_same(a, b);
  CHECK(a.s1 == c.s1);  // the point estimate does not use the seed
  CHECK(a.s1_low != c.s1_low);
  CHECK(a.confidence == 0.9);
  CHECK(a.n_bootstrap == 200);
}

TEST_CASE("bootstrap resamples blocks as documented (independent re-implementation)") {
  const std::size_t n = 32, d = 2;
  const int n_boot = 40;
  const double conf = 0.9;
  const std::uint64_t seed = 123;
  const SaltelliDesign design = saltelli(n, d, 4);
  const SaltelliLayout& lay = design.layout;
  const std::vector<double> y =
      linear(design.points, std::vector<double>{1.0, 3.0});  // not constant in any resample
  const SobolResult res = sobol_indices(lay, y, n_boot, conf, seed);
  REQUIRE(res.bootstrap_used == static_cast<std::size_t>(n_boot));

  double centre = 0;
  for (std::size_t j = 0; j < n; ++j) centre += y[lay.index_a(j)] + y[lay.index_b(j)];
  centre /= 2.0 * n;
  const geosim::CounterRng rng(seed, kDesignStream);
  std::vector<std::vector<double>> s1(d), st(d);
  for (int b = 0; b < n_boot; ++b) {
    std::vector<std::size_t> pick(n);
    for (std::size_t k = 0; k < n; ++k) {
      const double u = rng.uniform(static_cast<std::uint64_t>(b), k, geosim::RngPurpose::design,
                                   7);  // DesignDraw::bootstrap
      pick[k] = std::min(n - 1, static_cast<std::size_t>(u * n));
    }
    double m = 0, v = 0;
    for (const std::size_t j : pick) m += y[lay.index_a(j)] + y[lay.index_b(j)] - 2 * centre;
    m /= 2.0 * n;
    for (const std::size_t j : pick) {
      v +=
          std::pow(y[lay.index_a(j)] - centre - m, 2) + std::pow(y[lay.index_b(j)] - centre - m, 2);
    }
    v /= 2.0 * n;
    for (std::size_t i = 0; i < d; ++i) {
      double num1 = 0, numt = 0;
      for (const std::size_t j : pick) {
        const double fa = y[lay.index_a(j)] - centre, fb = y[lay.index_b(j)] - centre,
                     fab = y[lay.index_ab(j, i)] - centre;
        num1 += fb * (fab - fa);
        numt += (fa - fab) * (fa - fab);
      }
      s1[i].push_back(num1 / n / v);
      st[i].push_back(numt / (2.0 * n) / v);
    }
  }
  const auto pct = [](std::vector<double> x, double q) {
    std::sort(x.begin(), x.end());
    const double h = q * static_cast<double>(x.size() - 1);
    const auto lo = static_cast<std::size_t>(h);
    return x[lo] + (h - static_cast<double>(lo)) * (x[lo + 1] - x[lo]);
  };
  for (std::size_t i = 0; i < d; ++i) {
    CAPTURE(i);
    CHECK(res.s1_low[i] == doctest::Approx(pct(s1[i], 0.05)).epsilon(1e-9));
    CHECK(res.s1_high[i] == doctest::Approx(pct(s1[i], 0.95)).epsilon(1e-9));
    CHECK(res.st_low[i] == doctest::Approx(pct(st[i], 0.05)).epsilon(1e-9));
    CHECK(res.st_high[i] == doctest::Approx(pct(st[i], 0.95)).epsilon(1e-9));
  }
}

TEST_CASE("sobol_indices: argument checks and a constant output") {
  const SaltelliDesign design = saltelli(64, 2, 1);
  const std::vector<double> y = linear(design.points, std::vector<double>{1.0, 1.0});
  CHECK_THROWS_WITH_AS(sobol_indices(design.layout, std::span(y).first(10), 10, 0.95, 1),
                       doctest::Contains("10 outputs for a layout of 256 rows"),
                       std::invalid_argument);
  CHECK_THROWS_AS(sobol_indices(design.layout, y, -1, 0.95, 1), std::invalid_argument);
  CHECK_THROWS_AS(sobol_indices(design.layout, y, 10, 1.0, 1), std::invalid_argument);
  CHECK_THROWS_AS(sobol_indices(design.layout, y, 10, 0.0, 1), std::invalid_argument);

  const std::vector<double> flat(y.size(), 4.25);
  const SobolResult res = sobol_indices(design.layout, flat, 10, 0.95, 1);
  CHECK(res.constant_output);
  CHECK(res.variance == 0.0);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(std::isnan(res.s1[i]));
    CHECK(std::isnan(res.st[i]));
    CHECK(std::isnan(res.s1_low[i]));
  }
}

TEST_CASE("incomplete Saltelli blocks: refused with their count, or dropped like a subset") {
  const SaltelliDesign design = saltelli(256, 3, 42);
  const SaltelliLayout& lay = design.layout;
  std::vector<double> y = ishigami(design.points);
  y[lay.index_ab(3, 1)] = kNaN;
  y[lay.index_a(10)] = kNaN;
  y[lay.index_b(200)] = std::numeric_limits<double>::infinity();

  CHECK_THROWS_WITH_AS(sobol_indices(lay, y, 100, 0.95, 9),
                       doctest::Contains("3 of 256 Saltelli blocks are incomplete"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(sobol_indices(lay, y, 100, 0.95, 9, IncompletePolicy::refuse),
                       doctest::Contains("base indices 3, 10, 200;"), std::invalid_argument);

  const SobolResult dropped = sobol_indices(lay, y, 100, 0.95, 9, IncompletePolicy::drop);
  CHECK(dropped.blocks_used == 253);
  CHECK(dropped.blocks_dropped == 3);
  CHECK(dropped.dropped_bases == std::vector<std::size_t>{3, 10, 200});
  std::vector<std::size_t> keep;
  for (std::size_t j = 0; j < 256; ++j) {
    if (j != 3 && j != 10 && j != 200) keep.push_back(j);
  }
  const std::vector<double> y_keep = keep_blocks(lay, y, keep);
  const SobolResult subset = sobol_indices(SaltelliLayout{253, 3}, y_keep, 100, 0.95, 9);
  check_same(dropped, subset);
  CHECK(subset.blocks_dropped == 0);

  // A sweep stopped part-way (rows run in order, the rest NaN) analyses its finished blocks.
  std::vector<double> partial = ishigami(design.points);
  for (std::size_t r = 100 * lay.block_size() + 2; r < partial.size(); ++r) partial[r] = kNaN;
  const SobolResult part = sobol_indices(lay, partial, 50, 0.95, 9, IncompletePolicy::drop);
  CHECK(part.blocks_used == 100);
  CHECK(part.blocks_dropped == 156);
  const SobolResult prefix = sobol_indices(
      SaltelliLayout{100, 3}, std::span(partial).first(100 * lay.block_size()), 50, 0.95, 9);
  check_same(part, prefix);

  // Too few complete blocks.
  std::vector<double> none(y.size(), kNaN);
  CHECK_THROWS_WITH_AS(sobol_indices(lay, none, 0, 0.95, 1, IncompletePolicy::drop),
                       doctest::Contains("0 complete Saltelli blocks"), std::invalid_argument);
}

namespace {

/// y = 5 x0 + 2 x1^2 + 0 x2 + x0 x3 on the unit cube: x2 is inert.
std::vector<double> screening(const UnitDesign& pts) {
  std::vector<double> y(pts.n_rows);
  for (std::size_t r = 0; r < pts.n_rows; ++r) {
    const auto x = pts.row(r);
    y[r] = 5.0 * x[0] + 2.0 * x[1] * x[1] + 0.0 * x[2] + x[0] * x[3];
  }
  return y;
}

}  // namespace

TEST_CASE("Morris: an inert factor has mu* = 0 exactly and ranks last") {
  const MorrisDesign design = morris(50, 4, 77);
  const std::vector<double> y = screening(design.points);
  const MorrisResult res = morris_indices(design.layout, y);
  REQUIRE(res.mu_star.size() == 4);
  INFO("mu* = (" << res.mu_star[0] << ", " << res.mu_star[1] << ", " << res.mu_star[2] << ", "
                 << res.mu_star[3] << "), sigma = (" << res.sigma[0] << ", " << res.sigma[1] << ", "
                 << res.sigma[2] << ", " << res.sigma[3] << ")");
  CHECK(res.trajectories_used == 50);
  CHECK(res.mu_star[2] == 0.0);
  CHECK(res.mu[2] == 0.0);
  CHECK(res.sigma[2] == 0.0);
  CHECK(res.ranking() == std::vector<std::size_t>{0, 1, 3, 2});
  // Effects: EE0 = 5 + x3 in [5, 6]; EE1 = 2 (2 x1 + delta) in {4/3, 8/3}; EE3 = x0 in [0, 1].
  // All are positive whatever the step's sign, so mu = mu*.
  for (std::size_t i = 0; i < 4; ++i) CHECK(res.mu[i] == doctest::Approx(res.mu_star[i]));
  CHECK(res.mu_star[0] >= 5.0);
  CHECK(res.mu_star[0] <= 6.0);
  CHECK(res.mu_star[1] >= 4.0 / 3.0 - 1e-12);
  CHECK(res.mu_star[1] <= 8.0 / 3.0 + 1e-12);
  CHECK(res.sigma[0] > 0.0);  // interaction with x3
}

TEST_CASE("Morris: a linear function has mu* = |c| and sigma = 0") {
  const MorrisDesign design = morris(10, 3, 5, 6);
  std::vector<double> y(design.points.n_rows);
  for (std::size_t r = 0; r < y.size(); ++r) {
    y[r] = 3.0 * design.points(r, 0) - 1.5 * design.points(r, 1) + 0.25 * design.points(r, 2);
  }
  const MorrisResult res = morris_indices(design.layout, y);
  const std::array<double, 3> c{3.0, -1.5, 0.25};
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(res.mu[i] == doctest::Approx(c[i]).epsilon(1e-12));
    CHECK(res.mu_star[i] == doctest::Approx(std::abs(c[i])).epsilon(1e-12));
    CHECK(res.sigma[i] < 1e-12);
  }
  const MorrisResult one = morris_indices(morris(1, 3, 5).layout, std::span(y).first(4));
  CHECK(std::isnan(one.sigma[0]));  // a single trajectory has no spread
}

TEST_CASE("incomplete Morris trajectories: refused with their count, or dropped like a subset") {
  const MorrisDesign design = morris(30, 4, 8);
  const MorrisLayout& lay = design.layout;
  std::vector<double> y = screening(design.points);
  y[2 * lay.block_size() + 3] = kNaN;
  y[17 * lay.block_size()] = kNaN;
  CHECK_THROWS_WITH_AS(morris_indices(lay, y),
                       doctest::Contains("2 of 30 Morris trajectories are incomplete"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(morris_indices(lay, y), doctest::Contains("trajectories 2, 17;"),
                       std::invalid_argument);

  const MorrisResult dropped = morris_indices(lay, y, IncompletePolicy::drop);
  CHECK(dropped.trajectories_used == 28);
  CHECK(dropped.trajectories_dropped == 2);
  CHECK(dropped.dropped_trajectories == std::vector<std::size_t>{2, 17});

  MorrisLayout sub{28, lay.n_dims, lay.levels, lay.delta, {}};
  std::vector<double> y_sub;
  std::size_t t_new = 0;
  for (std::size_t t = 0; t < 30; ++t) {
    if (t == 2 || t == 17) continue;
    for (std::size_t s = 0; s < lay.block_size(); ++s) {
      MorrisRow row = lay.rows[t * lay.block_size() + s];
      row.trajectory = t_new;
      sub.rows.push_back(row);
      y_sub.push_back(y[t * lay.block_size() + s]);
    }
    ++t_new;
  }
  const MorrisResult subset = morris_indices(sub, y_sub);
  CHECK(dropped.mu == subset.mu);
  CHECK(dropped.mu_star == subset.mu_star);
  CHECK(dropped.sigma == subset.sigma);

  // A broken layout is refused.
  MorrisLayout broken = lay;
  broken.rows[3].factor = broken.rows[2].factor;  // trajectory 0 moves a factor twice
  CHECK_THROWS_WITH_AS(morris_indices(broken, screening(design.points)),
                       doctest::Contains("inconsistent layout"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(morris_indices(lay, std::span(y).first(7)),
                       doctest::Contains("7 outputs for a layout of 150 rows"),
                       std::invalid_argument);
  const std::vector<double> all_nan(y.size(), kNaN);
  CHECK_THROWS_AS(morris_indices(lay, all_nan, IncompletePolicy::drop), std::invalid_argument);
}

TEST_CASE("pooled_within_variance: each point's sample variance, averaged over whole points") {
  // Point 0: 1, 3 (variance 2); point 1: 5, 5 (0); point 2: NaN, 7 (left out).
  const std::vector<double> y{1.0, 3.0, 5.0, 5.0, kNaN, 7.0};
  CHECK(pooled_within_variance(y, 2) == doctest::Approx(1.0));
  CHECK(std::isnan(pooled_within_variance(y, 1)));              // one replicate: unknown
  CHECK(std::isnan(pooled_within_variance({{kNaN, 1.0}}, 2)));  // no whole point
  CHECK(pooled_within_variance({{1.0, 2.0, 3.0}}, 3) == doctest::Approx(1.0));
}

TEST_CASE("replicate noise: an inert factor's indices are flagged, ST of it near the noise share") {
  // y = x0 + 2 x1 + 0 x2 + noise (sd 0.3) on each of R = 4 replicates; the indices are of the
  // replicate means. Noise variance of a mean: 0.09 / 4; V_f = (1 + 4) / 12.
  const std::size_t R = 4;
  const SaltelliDesign design = saltelli(2048, 3, 7);
  const std::vector<double> c{1.0, 2.0, 0.0};
  const std::vector<double> f = linear(design.points, c);
  const geosim::CounterRng rng(99, 0);
  std::vector<double> runs(f.size() * R), means(f.size(), 0.0);
  for (std::size_t p = 0; p < f.size(); ++p)
    for (std::size_t r = 0; r < R; ++r) {
      // Box-Muller from two keyed uniforms: a normal noise of sd 0.3.
      const double u1 = 1.0 - rng.uniform(p, r, geosim::RngPurpose::shock, 0);
      const double u2 = rng.uniform(p, r, geosim::RngPurpose::shock, 1);
      const double e = 0.3 * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
      runs[p * R + r] = f[p] + e;
      means[p] += runs[p * R + r] / static_cast<double>(R);
    }
  const SobolResult res = sobol_indices(design.layout, means, 300, 0.95, 5);
  const double within = pooled_within_variance(runs, R);
  CHECK(within == doctest::Approx(0.09).epsilon(0.05));
  const SobolNoise noise = sobol_noise(res, within, R);
  const double eta = (0.09 / 4) / (5.0 / 12 + 0.09 / 4);
  INFO("noise share " << noise.share << " (expected " << eta << "); ST2 = " << res.st[2] << " ["
                      << res.st_low[2] << ", " << res.st_high[2] << "]");
  CHECK(noise.share == doctest::Approx(eta).epsilon(0.1));
  CHECK(noise.s1[0] == 0);  // x0 and x1 matter
  CHECK(noise.s1[1] == 0);
  CHECK(noise.st[0] == 0);
  CHECK(noise.st[1] == 0);
  CHECK(noise.s1[2] == 1);  // x2 does nothing: S1 reaches 0 and ST reaches the noise share
  CHECK(noise.st[2] == 1);
  CHECK(res.st[2] == doctest::Approx(eta).epsilon(0.25));  // the bias the noise adds to ST
  CHECK(res.st[2] > 0.01);  // not 0: what an unflagged table would have shown as an effect
  // Without replicates the noise is unknown: ST flagged only if its interval reaches 0.
  const SobolNoise unknown = sobol_noise(res, pooled_within_variance(means, 1), 1);
  CHECK(std::isnan(unknown.share));
  CHECK(unknown.st[2] == 0);
}
