#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <vector>

#include "sweep/design.hpp"
#include "sweep/design_rng.hpp"
#include "sweep/index_permutation.hpp"

using namespace geosim::sweep;

namespace {

bool all_in_unit_interval(const UnitDesign& d, bool closed) {
  return std::all_of(d.values.begin(), d.values.end(),
                     [&](double v) { return v >= 0.0 && (closed ? v <= 1.0 : v < 1.0); });
}

}  // namespace

TEST_CASE("grid: full factorial of level indices, last dimension fastest") {
  const std::vector<std::size_t> levels{2, 3};
  const GridDesign g = grid(levels);
  REQUIRE(g.n_rows == 6);
  REQUIRE(g.n_dims == 2);
  const std::vector<std::vector<std::size_t>> expected{{0, 0}, {0, 1}, {0, 2},
                                                       {1, 0}, {1, 1}, {1, 2}};
  for (std::size_t r = 0; r < g.n_rows; ++r) {
    CHECK(std::vector<std::size_t>(g.row(r).begin(), g.row(r).end()) == expected[r]);
  }
  CHECK(grid(std::vector<std::size_t>{1, 1, 4}).n_rows == 4);
  CHECK_THROWS_AS(grid(std::vector<std::size_t>{}), std::invalid_argument);
  CHECK_THROWS_WITH_AS(grid(std::vector<std::size_t>{3, 0}), "grid: dimension 1 has no levels",
                       std::invalid_argument);
  const std::size_t huge = std::size_t{1} << 40;
  CHECK_THROWS_AS(grid(std::vector<std::size_t>{huge, huge}), std::length_error);
}

TEST_CASE("monte_carlo: values in [0, 1), bit-identical for a seed, different for another") {
  const UnitDesign a = monte_carlo(500, 4, 11), b = monte_carlo(500, 4, 11),
                   c = monte_carlo(500, 4, 12);
  REQUIRE(a.n_rows == 500);
  REQUIRE(a.n_dims == 4);
  CHECK(all_in_unit_interval(a, false));
  CHECK(a.values == b.values);
  CHECK(a.values != c.values);
  // A point does not depend on how many were asked for.
  CHECK(monte_carlo(3, 4, 11).values ==
        std::vector<double>(a.values.begin(), a.values.begin() + 12));
  double sum = 0;
  for (const double v : a.values) sum += v;
  CHECK(std::abs(sum / 2000 - 0.5) < 4 * std::sqrt(1.0 / 12 / 2000));
  CHECK_THROWS_AS(monte_carlo(0, 4, 11), std::invalid_argument);
  CHECK_THROWS_AS(monte_carlo(4, 0, 11), std::invalid_argument);
}

TEST_CASE("latin_hypercube: every stratum of every dimension holds exactly one point") {
  for (const std::size_t n : {1u, 2u, 7u, 100u, 997u}) {
    CAPTURE(n);
    const UnitDesign lhs = latin_hypercube(n, 5, 2024);
    REQUIRE(lhs.n_rows == n);
    CHECK(all_in_unit_interval(lhs, false));
    for (std::size_t k = 0; k < 5; ++k) {
      CAPTURE(k);
      std::vector<std::size_t> strata;
      for (std::size_t r = 0; r < n; ++r) {
        strata.push_back(static_cast<std::size_t>(std::floor(lhs(r, k) * static_cast<double>(n))));
      }
      std::sort(strata.begin(), strata.end());
      for (std::size_t s = 0; s < n; ++s) CHECK(strata[s] == s);
    }
  }
  // Independent permutations: the columns do not share one order of strata.
  const UnitDesign lhs = latin_hypercube(50, 3, 5);
  std::size_t same = 0;
  for (std::size_t r = 0; r < 50; ++r) {
    same += std::floor(lhs(r, 0) * 50) == std::floor(lhs(r, 1) * 50) ? 1 : 0;
  }
  CHECK(same < 10);
  CHECK(latin_hypercube(64, 3, 5).values == latin_hypercube(64, 3, 5).values);
  CHECK(latin_hypercube(64, 3, 5).values != latin_hypercube(64, 3, 6).values);
  CHECK(latin_hypercube(64, 3, 5).values != monte_carlo(64, 3, 5).values);
}

TEST_CASE("saltelli: n_base must be a power of two") {
  for (const std::size_t n : {0u, 3u, 6u, 1000u}) {
    CAPTURE(n);
    CHECK_THROWS_WITH_AS(saltelli(n, 3, 1), doctest::Contains("n_base must be a power of two"),
                         std::invalid_argument);
  }
  CHECK_NOTHROW(saltelli(1, 3, 1));
  CHECK_NOTHROW(saltelli(1024, 3, 1));
  CHECK_THROWS_AS(saltelli(8, 0, 1), std::invalid_argument);
  CHECK_THROWS_WITH_AS(saltelli(8, 1834, 1), doctest::Contains("at most 1833 factors"),
                       std::invalid_argument);
}

TEST_CASE("saltelli: blocks A, B, AB^(i); AB^(i) is A with column i from B") {
  const std::size_t n = 64, d = 4;
  const SaltelliDesign s = saltelli(n, d, 99);
  const SaltelliLayout& lay = s.layout;
  REQUIRE(lay.n_base == n);
  REQUIRE(lay.n_dims == d);
  REQUIRE(lay.n_rows() == n * (d + 2));
  REQUIRE(s.points.n_rows == lay.n_rows());
  REQUIRE(s.points.n_dims == d);
  CHECK(all_in_unit_interval(s.points, false));
  for (std::size_t r = 0; r < lay.n_rows(); ++r) {
    const SaltelliRow row = lay.row(r);
    CHECK(row.base == r / (d + 2));
    if (r % (d + 2) == 0) {
      CHECK(row.role == SaltelliRole::a);
      CHECK(lay.index_a(row.base) == r);
    } else if (r % (d + 2) == 1) {
      CHECK(row.role == SaltelliRole::b);
      CHECK(lay.index_b(row.base) == r);
    } else {
      REQUIRE(row.role == SaltelliRole::ab);
      CHECK(row.factor == r % (d + 2) - 2);
      CHECK(lay.index_ab(row.base, row.factor) == r);
    }
    if (row.role != SaltelliRole::ab) CHECK(row.factor == kNoFactor);
  }
  for (std::size_t j = 0; j < n; ++j) {
    const auto a = s.points.row(lay.index_a(j)), b = s.points.row(lay.index_b(j));
    for (std::size_t i = 0; i < d; ++i) {
      const auto ab = s.points.row(lay.index_ab(j, i));
      for (std::size_t k = 0; k < d; ++k) CHECK(ab[k] == (k == i ? b[k] : a[k]));
    }
    for (std::size_t k = 0; k < d; ++k) CHECK(a[k] != b[k]);
  }
}

TEST_CASE("saltelli: the plain sequence is Boost's Sobol' from point 1; shifted designs per seed") {
  // Boost skips point 0 (all zeros): the first point of every dimension is 0.5.
  const SaltelliDesign plain = saltelli(8, 2, 1, SobolScramble::none);
  for (std::size_t k = 0; k < 2; ++k) {
    CHECK(plain.points(0, k) == 0.5);  // A_0
    CHECK(plain.points(1, k) == 0.5);  // B_0
  }
  CHECK(plain.points.values == saltelli(8, 2, 2, SobolScramble::none).points.values);
  // Dimension 0 of the Sobol' sequence is the van der Corput sequence.
  const std::vector<double> vdc{0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125, 0.1875};
  for (std::size_t j = 0; j < 8; ++j) CHECK(plain.points(plain.layout.index_a(j), 0) == vdc[j]);

  const SaltelliDesign a = saltelli(256, 3, 7), b = saltelli(256, 3, 7), c = saltelli(256, 3, 8);
  CHECK(a.points.values == b.points.values);
  CHECK(a.points.values != c.points.values);
  // Points 0..255 of every Sobol' dimension put exactly 16 points in each of 16 equal strata;
  // points 1..256 (Boost skips point 0) move one point, so 16 +- 1; a digital shift permutes
  // the strata and keeps this.
  for (std::size_t k = 0; k < 3; ++k) {
    std::vector<int> count(16, 0);
    for (std::size_t j = 0; j < 256; ++j) {
      ++count[static_cast<std::size_t>(a.points(a.layout.index_a(j), k) * 16)];
    }
    for (const int cnt : count) CHECK(std::abs(cnt - 16) <= 1);
  }
}

TEST_CASE("morris: trajectories on the p-level grid, one factor moves by +-delta per step") {
  const std::size_t r = 40, d = 6;
  const int p = 4;
  const MorrisDesign m = morris(r, d, 314, p);
  const MorrisLayout& lay = m.layout;
  REQUIRE(lay.rows.size() == r * (d + 1));
  REQUIRE(m.points.n_rows == r * (d + 1));
  CHECK(lay.levels == p);
  CHECK(lay.delta == doctest::Approx(2.0 / 3.0).epsilon(1e-15));
  CHECK(all_in_unit_interval(m.points, true));
  int plus = 0, minus = 0;
  for (std::size_t t = 0; t < r; ++t) {
    std::vector<int> changed(d, 0);
    for (std::size_t s = 0; s <= d; ++s) {
      const std::size_t row = t * (d + 1) + s;
      const MorrisRow& info = lay.rows[row];
      CHECK(info.trajectory == t);
      CHECK(info.step == s);
      for (std::size_t k = 0; k < d; ++k) {  // on the grid {0, 1/3, 2/3, 1}
        const double level = m.points(row, k) * (p - 1);
        CHECK(std::abs(level - std::round(level)) < 1e-12);
      }
      if (s == 0) {
        CHECK(info.factor == kNoFactor);
        CHECK(info.delta == 0.0);
        continue;
      }
      REQUIRE(info.factor < d);
      ++changed[info.factor];
      CHECK(std::abs(info.delta) == lay.delta);
      (info.delta > 0 ? plus : minus) += 1;
      for (std::size_t k = 0; k < d; ++k) {
        const double diff = m.points(row, k) - m.points(row - 1, k);
        if (k == info.factor) {
          CHECK(std::abs(diff - info.delta) < 1e-15);
        } else {
          CHECK(diff == 0.0);
        }
      }
    }
    for (std::size_t k = 0; k < d; ++k) CHECK(changed[k] == 1);
  }
  CHECK(plus > 60);  // 240 steps, signs are random
  CHECK(minus > 60);

  CHECK(morris(5, 3, 1).points.values == morris(5, 3, 1).points.values);
  CHECK(morris(5, 3, 1).points.values != morris(5, 3, 2).points.values);
  // Two levels: the grid is {0, 1}, delta = 1.
  const MorrisDesign two = morris(3, 2, 1, 2);
  CHECK(two.layout.delta == 1.0);
  for (const double v : two.points.values) CHECK((v == 0.0 || v == 1.0));
  for (const int bad : {0, 1, 3, 5, -2}) {
    CHECK_THROWS_WITH_AS(morris(5, 3, 1, bad), doctest::Contains("levels must be even"),
                         std::invalid_argument);
  }
  CHECK_THROWS_AS(morris(0, 3, 1), std::invalid_argument);
  CHECK_THROWS_AS(morris(3, 0, 1), std::invalid_argument);
}

TEST_CASE("IndexPermutation: a bijection of 0 .. n-1 for every n, different per key") {
  const geosim::CounterRng rng(7, kDesignStream);
  for (std::size_t n = 1; n <= 300; ++n) {
    CAPTURE(n);
    const IndexPermutation p(n, rng, 0, 2);
    std::vector<char> seen(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t y = p(i);
      REQUIRE(y < n);
      CHECK(seen[y] == 0);
      seen[y] = 1;
    }
  }
  // Large n (not a power of 4): a bijection, and not close to the identity.
  const std::size_t n = 100'003;
  const IndexPermutation a(n, rng, 0, 2), b(n, rng, 1, 2);
  std::vector<char> seen(n, 0);
  std::size_t fixed = 0, same = 0;
  double sum_xy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t y = a(i);
    REQUIRE(y < n);
    REQUIRE(seen[y] == 0);
    seen[y] = 1;
    fixed += y == i ? 1 : 0;
    same += y == b(i) ? 1 : 0;
    sum_xy += (static_cast<double>(i) / n - 0.5) * (static_cast<double>(y) / n - 0.5);
  }
  // A random permutation has about 1 fixed point and agrees with another at about 1 place;
  // the rank correlation of index and image has standard error 1/sqrt(n).
  CHECK(fixed < 10);
  CHECK(same < 10);
  CHECK(std::abs(12.0 * sum_xy / n) < 4.0 / std::sqrt(static_cast<double>(n)));
  CHECK_THROWS_AS(IndexPermutation(0, rng, 0, 2), std::invalid_argument);
}

TEST_CASE("rows on demand equal the whole design's rows, for any range") {
  const auto slice = [](const auto& values, std::size_t first, std::size_t count, std::size_t d) {
    return std::vector(values.begin() + static_cast<std::ptrdiff_t>(first * d),
                       values.begin() + static_cast<std::ptrdiff_t>((first + count) * d));
  };
  const std::vector<std::pair<std::size_t, std::size_t>> ranges{{0, 1},  {0, 7},   {3, 5}, {5, 1},
                                                                {6, 10}, {17, 23}, {40, 0}};
  for (const auto& [first, count] : ranges) {
    CAPTURE(first);
    CAPTURE(count);
    const std::size_t d = 3;
    std::vector<double> out(count * d);
    monte_carlo_rows(64, d, 5, first, count, out);
    CHECK(out == slice(monte_carlo(64, d, 5).values, first, count, d));
    latin_hypercube_rows(64, d, 5, first, count, out);
    CHECK(out == slice(latin_hypercube(64, d, 5).values, first, count, d));
    saltelli_rows(16, d, 5, SobolScramble::digital_shift, first, count, out);
    CHECK(out == slice(saltelli(16, d, 5).points.values, first, count, d));
    saltelli_rows(16, d, 5, SobolScramble::none, first, count, out);
    CHECK(out == slice(saltelli(16, d, 5, SobolScramble::none).points.values, first, count, d));
    morris_rows(12, d, 5, 4, first, count, out);
    CHECK(out == slice(morris(12, d, 5, 4).points.values, first, count, d));
    const std::vector<std::size_t> levels{4, 3, 5};
    std::vector<std::size_t> g(count * d);
    grid_rows(levels, first, count, g);
    CHECK(g == slice(grid(levels).values, first, count, d));
  }
  std::vector<double> out(3);
  CHECK_THROWS_AS(monte_carlo_rows(64, 3, 5, 64, 1, out), std::out_of_range);
  CHECK_THROWS_AS(saltelli_rows(16, 3, 5, SobolScramble::none, 79, 2, std::span(out).first(0)),
                  std::out_of_range);
  CHECK_THROWS_AS(monte_carlo_rows(64, 3, 5, 0, 2, out), std::invalid_argument);
}
