// The arithmetic of ABC-SMC (sim/calib/abc_smc.hpp) and the weighted statistics it uses
// (sim/core/weighted_stats.hpp), on cases checked by hand or against numpy.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>
#include <numeric>
#include <vector>

#include "calib/abc_smc.hpp"
#include "core/weighted_stats.hpp"

namespace {

using geosim::effective_sample_size;
using geosim::weighted_quantile;
using geosim::calib::Kernel;
using geosim::calib::Population;
using geosim::calib::Prior;
using geosim::sweep::Distribution;

constexpr double kInf = std::numeric_limits<double>::infinity();

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

Prior make_prior(std::vector<Distribution> d, std::vector<double> lo, std::vector<double> hi) {
  Prior p;
  p.marginals = std::move(d);
  p.lo = std::move(lo);
  p.hi = std::move(hi);
  return p;
}

/// A previous generation of n particles with p parameters (weights normalised here).
Population population(std::size_t p, std::vector<double> theta, std::vector<double> w) {
  Population pop;
  pop.p = p;
  pop.n = w.size();
  pop.theta = std::move(theta);
  const double total = std::accumulate(w.begin(), w.end(), 0.0);
  for (double& x : w) x /= total;
  pop.weight = std::move(w);
  pop.distance.assign(pop.n, 0.0);
  pop.tolerance = 1.0;
  pop.acceptance = 0.5;
  return pop;
}

}  // namespace

TEST_CASE("weighted_quantile with equal weights is numpy's 'hazen' quantile") {
  // numpy 1.24: np.quantile([4, 1, 3, 2, 7.5], q, method="hazen")
  const std::vector<double> x = {4.0, 1.0, 3.0, 2.0, 7.5};
  const std::vector<double> w(x.size(), 1.0);
  const std::pair<double, double> cases[] = {{0.0, 1.0}, {0.05, 1.0},   {0.1, 1.0}, {0.3, 2.0},
                                             {0.5, 3.0}, {0.77, 5.225}, {0.9, 7.5}, {1.0, 7.5}};
  for (const auto& [q, expected] : cases) {
    CAPTURE(q);
    CHECK(weighted_quantile(x, w, q) == doctest::Approx(expected).epsilon(1e-12));
  }
  // n = 4: h = 4 q + 1/2, so q = 0.3 -> 1.7 and q = 0.5 -> 2.5
  const std::vector<double> x4 = {3.0, 1.0, 4.0, 2.0};
  const std::vector<double> w4(4, 0.25);
  CHECK(weighted_quantile(x4, w4, 0.3) == doctest::Approx(1.7).epsilon(1e-12));
  CHECK(weighted_quantile(x4, w4, 0.5) == doctest::Approx(2.5).epsilon(1e-12));
  CHECK(weighted_quantile(x4, w4, 0.125) == doctest::Approx(1.0).epsilon(1e-12));
}

TEST_CASE("weighted_quantile with unequal weights, by hand") {
  // sorted: 1 (w 1/4), 2 (1/4), 3 (1/2); mid-steps c = 1/8, 3/8, 3/4
  const std::vector<double> x = {3.0, 1.0, 2.0};
  const std::vector<double> w = {0.5, 0.25, 0.25};
  CHECK(weighted_quantile(x, w, 0.1) == 1.0);                                   // below c_1
  CHECK(weighted_quantile(x, w, 0.25) == doctest::Approx(1.5).epsilon(1e-12));  // halfway 1..2
  CHECK(weighted_quantile(x, w, 0.5) == doctest::Approx(2.0 + 1.0 / 3.0).epsilon(1e-12));
  CHECK(weighted_quantile(x, w, 0.75) == doctest::Approx(3.0).epsilon(1e-12));
  CHECK(weighted_quantile(x, w, 0.9) == 3.0);  // above c_last

  // Weights need not be normalised, and zero weights are left out.
  const std::vector<double> x2 = {3.0, 1.0, 100.0, 2.0, -50.0};
  const std::vector<double> w2 = {2.0, 1.0, 0.0, 1.0, 0.0};
  for (double q : {0.1, 0.25, 0.5, 0.75, 0.9}) {
    CAPTURE(q);
    CHECK(weighted_quantile(x2, w2, q) ==
          doctest::Approx(weighted_quantile(x, w, q)).epsilon(1e-12));
  }
  // A single positive weight: that value at every q.
  const std::vector<double> w3 = {0.0, 0.0, 1.0, 0.0, 0.0};
  CHECK(weighted_quantile(x2, w3, 0.01) == 100.0);
  CHECK(weighted_quantile(x2, w3, 0.99) == 100.0);
}

TEST_CASE("effective_sample_size is 1 / sum w^2 of the normalised weights") {
  const std::vector<double> equal(10, 0.1);
  CHECK(effective_sample_size(equal) == doctest::Approx(10.0).epsilon(1e-12));
  const std::vector<double> one = {0.0, 1.0, 0.0, 0.0};
  CHECK(effective_sample_size(one) == doctest::Approx(1.0).epsilon(1e-12));
  const std::vector<double> w = {0.5, 0.25, 0.25};  // 1 / (1/4 + 1/16 + 1/16) = 8/3
  CHECK(effective_sample_size(w) == doctest::Approx(8.0 / 3.0).epsilon(1e-12));
  const std::vector<double> unnormalised = {2.0, 1.0, 1.0};
  CHECK(effective_sample_size(unnormalised) == doctest::Approx(8.0 / 3.0).epsilon(1e-12));
}

TEST_CASE("Prior::inside and density: uniform, loguniform, truncated normal") {
  SUBCASE("uniform") {
    const Prior p = make_prior({Distribution::uniform(0.0, 2.0)}, {-kInf}, {kInf});
    for (double x : {0.0, 0.5, 2.0}) {
      CAPTURE(x);
      CHECK(p.inside(std::vector<double>{x}));
      CHECK(p.density(std::vector<double>{x}) == doctest::Approx(0.5).epsilon(1e-14));
    }
    for (double x : {-1e-9, 2.000001, std::nan(""), kInf}) {
      CAPTURE(x);
      CHECK_FALSE(p.inside(std::vector<double>{x}));
      CHECK(p.density(std::vector<double>{x}) == 0.0);
    }
  }
  SUBCASE("uniform inside a narrower valid range") {
    const Prior p = make_prior({Distribution::uniform(0.0, 2.0)}, {0.5}, {1.0});
    CHECK_FALSE(p.inside(std::vector<double>{0.4}));
    CHECK(p.inside(std::vector<double>{0.75}));
    CHECK_FALSE(p.inside(std::vector<double>{1.5}));
  }
  SUBCASE("loguniform") {
    const Prior p = make_prior({Distribution::loguniform(1.0, 100.0)}, {0.0}, {kInf});
    for (double x : {1.0, 3.0, 10.0, 100.0}) {
      CAPTURE(x);
      CHECK(p.inside(std::vector<double>{x}));
      CHECK(p.density(std::vector<double>{x}) ==
            doctest::Approx(1.0 / (x * std::log(100.0))).epsilon(1e-12));
    }
    CHECK_FALSE(p.inside(std::vector<double>{0.99}));
    CHECK_FALSE(p.inside(std::vector<double>{100.5}));
    CHECK(p.density(std::vector<double>{0.5}) == 0.0);
    // the density ratio of two points is x2 / x1
    CHECK(p.density(std::vector<double>{2.0}) / p.density(std::vector<double>{8.0}) ==
          doctest::Approx(4.0).epsilon(1e-12));
  }
  SUBCASE("normal truncated to the field's range") {
    const Prior p = make_prior({Distribution::normal(1.0, 2.0)}, {0.0}, {kInf});
    CHECK_FALSE(p.inside(std::vector<double>{-0.01}));
    CHECK(p.density(std::vector<double>{-0.01}) == 0.0);
    CHECK(p.inside(std::vector<double>{0.0}));
    CHECK(p.inside(std::vector<double>{50.0}));  // a normal has no upper end
    // exp(-z^2 / 2) / sd, normalisers left out
    CHECK(p.density(std::vector<double>{1.0}) == doctest::Approx(0.5).epsilon(1e-14));
    CHECK(p.density(std::vector<double>{3.0}) ==
          doctest::Approx(std::exp(-0.5) / 2.0).epsilon(1e-14));
    CHECK(p.density(std::vector<double>{0.0}) ==
          doctest::Approx(std::exp(-0.125) / 2.0).epsilon(1e-14));
  }
  SUBCASE("a joint prior is the product; one coordinate outside makes it 0") {
    const Prior p = make_prior({Distribution::uniform(0.0, 4.0), Distribution::normal(0.0, 1.0)},
                               {-kInf, -kInf}, {kInf, kInf});
    CHECK(p.size() == 2);
    CHECK(p.density(std::vector<double>{1.0, 1.0}) ==
          doctest::Approx(0.25 * std::exp(-0.5)).epsilon(1e-14));
    CHECK_FALSE(p.inside(std::vector<double>{5.0, 0.0}));
    CHECK(p.density(std::vector<double>{5.0, 0.0}) == 0.0);
  }
}

TEST_CASE("propose: generation 0 from the prior, deterministic in (seed, gen, index)") {
  const Prior p = make_prior({Distribution::uniform(0.0, 1.0), Distribution::normal(0.0, 1.0)},
                             {-kInf, 0.0}, {kInf, kInf});  // the normal truncated at 0
  const auto a = geosim::calib::propose(p, nullptr, nullptr, 7, 0, 3);
  const auto b = geosim::calib::propose(p, nullptr, nullptr, 7, 0, 3);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(same_bits(*a, *b));
  CHECK(p.inside(*a));
  const auto other_index = geosim::calib::propose(p, nullptr, nullptr, 7, 0, 4);
  const auto other_seed = geosim::calib::propose(p, nullptr, nullptr, 8, 0, 3);
  const auto other_gen = geosim::calib::propose(p, nullptr, nullptr, 7, 1, 3);
  REQUIRE(other_index);
  REQUIRE(other_seed);
  REQUIRE(other_gen);
  CHECK_FALSE(same_bits(*a, *other_index));
  CHECK_FALSE(same_bits(*a, *other_seed));
  CHECK_FALSE(same_bits(*a, *other_gen));

  // The draws follow the prior: U(0, 1) has mean 1/2 and variance 1/12; N(0, 1) truncated to
  // [0, inf) has mean sqrt(2 / pi) and variance 1 - 2 / pi. Within 4 standard errors.
  const int n = 4000;
  double s0 = 0.0, s1 = 0.0;
  for (int i = 0; i < n; ++i) {
    const auto x = geosim::calib::propose(p, nullptr, nullptr, 7, 0, static_cast<std::uint64_t>(i));
    REQUIRE(x);
    REQUIRE(p.inside(*x));
    s0 += (*x)[0];
    s1 += (*x)[1];
  }
  CHECK(std::abs(s0 / n - 0.5) < 4.0 * std::sqrt(1.0 / 12.0 / n));
  CHECK(std::abs(s1 / n - std::sqrt(2.0 / std::numbers::pi)) <
        4.0 * std::sqrt((1.0 - 2.0 / std::numbers::pi) / n));
}

TEST_CASE("propose: later generations perturb a previous particle, deterministically") {
  const Prior p = make_prior({Distribution::uniform(0.0, 1.0), Distribution::uniform(0.0, 1.0)},
                             {-kInf, -kInf}, {kInf, kInf});
  const Population prev =
      population(2, {0.2, 0.3, 0.25, 0.35, 0.8, 0.7, 0.75, 0.72}, {1.0, 2.0, 3.0, 4.0});
  const Kernel k(prev, p);
  const auto a = geosim::calib::propose(p, &prev, &k, 11, 2, 17);
  const auto b = geosim::calib::propose(p, &prev, &k, 11, 2, 17);
  const auto c = geosim::calib::propose(p, &prev, &k, 11, 2, 18);
  REQUIRE(a);
  REQUIRE(b);
  REQUIRE(c);
  CHECK(same_bits(*a, *b));
  CHECK_FALSE(same_bits(*a, *c));
  CHECK(p.inside(*a));
  for (std::uint64_t i = 0; i < 500; ++i) {
    const auto x = geosim::calib::propose(p, &prev, &k, 11, 2, i);
    REQUIRE(x);
    CHECK(p.inside(*x));
  }
  // A support the kernel can never reach: no proposal.
  const Prior far =
      make_prior({Distribution::uniform(50.0, 51.0), Distribution::uniform(50.0, 51.0)},
                 {-kInf, -kInf}, {kInf, kInf});
  const Kernel kf(prev, far);
  CHECK_FALSE(geosim::calib::propose(far, &prev, &kf, 11, 2, 0).has_value());
}

TEST_CASE("Kernel: twice the weighted covariance, symmetric density") {
  const Prior p =
      make_prior({Distribution::uniform(-10.0, 10.0), Distribution::uniform(-10.0, 10.0)},
                 {-kInf, -kInf}, {kInf, kInf});
  // Correlated particles with unequal weights.
  const std::vector<double> theta = {0.0, 0.1, 1.0, 0.9, 2.0, 2.5, -1.0, -0.5, 0.5, 0.2};
  const std::vector<double> w = {0.1, 0.2, 0.3, 0.15, 0.25};
  const Population prev = population(2, theta, w);
  double m0 = 0.0, m1 = 0.0;
  for (std::size_t i = 0; i < 5; ++i) {
    m0 += w[i] * theta[2 * i];
    m1 += w[i] * theta[2 * i + 1];
  }
  double c00 = 0.0, c01 = 0.0, c11 = 0.0;
  for (std::size_t i = 0; i < 5; ++i) {
    const double d0 = theta[2 * i] - m0, d1 = theta[2 * i + 1] - m1;
    c00 += w[i] * d0 * d0;
    c01 += w[i] * d0 * d1;
    c11 += w[i] * d1 * d1;
  }
  const Kernel k(prev, p);
  // perturb(0, e_j) is column j of L, and L L^T = 2 cov.
  std::vector<double> l0(2), l1(2);
  const std::vector<double> zero = {0.0, 0.0};
  k.perturb(zero, std::vector<double>{1.0, 0.0}, l0);
  k.perturb(zero, std::vector<double>{0.0, 1.0}, l1);
  CHECK(l0[0] * l0[0] + l1[0] * l1[0] == doctest::Approx(2.0 * c00).epsilon(1e-12));
  CHECK(l0[0] * l0[1] + l1[0] * l1[1] == doctest::Approx(2.0 * c01).epsilon(1e-12));
  CHECK(l0[1] * l0[1] + l1[1] * l1[1] == doctest::Approx(2.0 * c11).epsilon(1e-12));

  const std::vector<std::vector<double>> pts = {{0.0, 0.0}, {1.0, -0.5}, {0.3, 2.0}, {-2.0, -1.5}};
  for (const auto& x : pts)
    for (const auto& y : pts) {
      CHECK(k.density(x, y) == doctest::Approx(k.density(y, x)).epsilon(1e-14));
      CHECK(k.density(x, y) <= 1.0);
    }
  CHECK(k.density(pts[1], pts[1]) == 1.0);
  // density(centre + L z, centre) = exp(-|z|^2 / 2)
  const std::vector<double> centre = {0.4, -0.2}, z = {0.7, -1.3};
  std::vector<double> x(2);
  k.perturb(centre, z, x);
  CHECK(k.density(x, centre) == doctest::Approx(std::exp(-0.5 * (0.49 + 1.69))).epsilon(1e-12));
}

TEST_CASE("importance_weights: equal in generation 0, normalised, by hand later") {
  const Prior p = make_prior({Distribution::uniform(-5.0, 5.0)}, {-kInf}, {kInf});
  const std::vector<double> theta = {0.3, -1.0, 2.0, 0.0};
  const auto w0 = geosim::calib::importance_weights(p, nullptr, nullptr, theta, 1);
  REQUIRE(w0.size() == 4);
  for (double x : w0) CHECK(x == 0.25);

  // Previous generation {0, 1} with equal weights: variance 1/4, kernel variance 1/2, so
  // K(x | c) = exp(-(x - c)^2).
  const Population prev = population(1, {0.0, 1.0}, {1.0, 1.0});
  const Kernel k(prev, p);
  const std::vector<double> next = {0.0, 0.5, 3.0};
  const auto w = geosim::calib::importance_weights(p, &prev, &k, next, 1);
  REQUIRE(w.size() == 3);
  const auto mix = [](double x) {
    return 0.5 * std::exp(-x * x) + 0.5 * std::exp(-(x - 1) * (x - 1));
  };
  std::vector<double> expected = {1.0 / mix(0.0), 1.0 / mix(0.5), 1.0 / mix(3.0)};
  const double total = expected[0] + expected[1] + expected[2];
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(w[i] == doctest::Approx(expected[i] / total).epsilon(1e-12));
  }
  CHECK(std::accumulate(w.begin(), w.end(), 0.0) == doctest::Approx(1.0).epsilon(1e-14));

  // The prior enters the numerator: a normal prior weights a point by its density.
  const Prior pn = make_prior({Distribution::normal(0.0, 1.0)}, {-kInf}, {kInf});
  const Kernel kn(prev, pn);
  const std::vector<double> two = {0.0, 1.0};  // mixture densities equal by symmetry
  const auto wn = geosim::calib::importance_weights(pn, &prev, &kn, two, 1);
  CHECK(wn[0] / wn[1] == doctest::Approx(std::exp(0.5)).epsilon(1e-12));
}
