#include <doctest/doctest.h>

#include <cmath>

#include "core/rng.hpp"

using namespace geosim;

TEST_CASE("counter-based numbers depend only on key and counter") {
  const CounterRng a(7, 3), b(7, 3), other_run(7, 4), other_seed(8, 3);
  CHECK(a.uniform(5, 2, RngPurpose::detection) == b.uniform(5, 2, RngPurpose::detection));
  // Drawing other numbers first changes nothing: there is no hidden state.
  (void)a.uniform(0, 0, RngPurpose::shock);
  CHECK(a.uniform(5, 2, RngPurpose::detection) == b.uniform(5, 2, RngPurpose::detection));
  CHECK(a.uniform(5, 2, RngPurpose::detection) != other_run.uniform(5, 2, RngPurpose::detection));
  CHECK(a.uniform(5, 2, RngPurpose::detection) != other_seed.uniform(5, 2, RngPurpose::detection));
  CHECK(a.uniform(5, 2, RngPurpose::detection) != a.uniform(5, 2, RngPurpose::shock));
}

TEST_CASE("uniform draws are in [0, 1) with mean and variance of U(0,1) within 4 standard errors") {
  const CounterRng r(20220810, 0);
  const int n = 100000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double u = r.uniform(static_cast<std::uint64_t>(i), 1, RngPurpose::policy);
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    sum += u;
    sum2 += u * u;
  }
  const double mean = sum / n, var = sum2 / n - mean * mean;
  CHECK(std::abs(mean - 0.5) < 4 * std::sqrt(1.0 / 12.0 / n));
  CHECK(std::abs(var - 1.0 / 12.0) < 4 * std::sqrt(1.0 / 180.0 / n));
}
