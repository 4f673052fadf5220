#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "sweep/distribution.hpp"

using namespace geosim::sweep;

TEST_CASE("uniform: exact endpoints and midpoint") {
  const Distribution d = Distribution::uniform(0.1, 0.3);
  REQUIRE(d.valid());
  CHECK(d.kind() == Distribution::Kind::uniform);
  CHECK(d.value(0.0) == 0.1);
  CHECK(d.value(1.0) == 0.3);
  CHECK(d.value(0.5) == doctest::Approx(0.2).epsilon(1e-15));
  const Distribution pm = Distribution::uniform(-std::numbers::pi, std::numbers::pi);
  CHECK(pm.value(0.0) == -std::numbers::pi);
  CHECK(pm.value(1.0) == std::numbers::pi);
  CHECK(pm.value(0.75) == doctest::Approx(std::numbers::pi / 2).epsilon(1e-15));
}

TEST_CASE("loguniform: median sqrt(lo hi), values inside the bounds") {
  const Distribution d = Distribution::loguniform(1e-3, 10.0);
  REQUIRE(d.valid());
  CHECK(d.value(0.5) == doctest::Approx(std::sqrt(1e-3 * 10.0)).epsilon(1e-12));
  CHECK(d.value(0.25) == doctest::Approx(1e-2).epsilon(1e-12));  // a decade per quarter
  CHECK(d.value(0.0) == doctest::Approx(1e-3).epsilon(1e-14));
  CHECK(d.value(1.0) == doctest::Approx(10.0).epsilon(1e-14));
  for (const double u : {0.0, 1e-17, 0.3, 1.0 - 1e-16, 1.0}) {
    CHECK(d.value(u) >= 1e-3);
    CHECK(d.value(u) <= 10.0);
  }
}

TEST_CASE("normal: quantile function, finite at u = 0 and 1") {
  const Distribution d = Distribution::normal(3.0, 2.0);
  REQUIRE(d.valid());
  CHECK(d.value(0.5) == doctest::Approx(3.0).epsilon(1e-14));
  CHECK(d.value(0.975) == doctest::Approx(3.0 + 2.0 * 1.959963984540054).epsilon(1e-12));
  CHECK(d.value(0.025) == doctest::Approx(3.0 - 2.0 * 1.959963984540054).epsilon(1e-12));
  const double lo = d.value(0.0), hi = d.value(1.0);
  CHECK(std::isfinite(lo));
  CHECK(std::isfinite(hi));
  CHECK((hi - 3.0) / 2.0 == doctest::Approx(8.2).epsilon(0.01));  // clamped to 1 - 2^-53
  CHECK(lo - 3.0 == doctest::Approx(-(hi - 3.0)).epsilon(1e-6));
  CHECK(d.value(1e-300) == lo);  // below the clamp
}

TEST_CASE("discrete: each value owns an interval of u of width 1/m") {
  const Distribution d = Distribution::discrete({10, 20, 30, 40});
  REQUIRE(d.valid());
  CHECK(d.values().size() == 4);
  CHECK(d.value(0.0) == 10);
  CHECK(d.value(0.2499) == 10);
  CHECK(d.value(0.25) == 20);
  CHECK(d.value(0.4999) == 20);
  CHECK(d.value(0.5) == 30);
  CHECK(d.value(0.75) == 40);
  CHECK(d.value(0.9999999) == 40);
  CHECK(d.value(1.0) == 40);  // the Morris grid includes 1
  CHECK(Distribution::discrete({7}).value(0.9) == 7);
}

TEST_CASE("bad arguments give a message and value() refuses") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  struct Case {
    Distribution dist;
    std::string expected;
  };
  const std::vector<Case> cases{
      {Distribution::uniform(1, 1), "uniform(1, 1): lower bound must be less than upper bound"},
      {Distribution::uniform(2, 1), "uniform(2, 1): lower bound must be less than upper bound"},
      {Distribution::uniform(nan, 1), "bounds must be finite"},
      {Distribution::uniform(0, inf), "bounds must be finite"},
      {Distribution::loguniform(0, 1), "loguniform(0, 1): lower bound must be positive"},
      {Distribution::loguniform(-1, 1), "lower bound must be positive"},
      {Distribution::loguniform(5, 1), "lower bound must be less than upper bound"},
      {Distribution::normal(0, 0), "normal(0, 0): standard deviation must be positive"},
      {Distribution::normal(0, -1), "standard deviation must be positive"},
      {Distribution::normal(inf, 1), "must be finite"},
      {Distribution::normal(0, nan), "must be finite"},
      {Distribution::discrete({}), "discrete: at least one value is needed"},
      {Distribution::discrete({1, nan}), "discrete: value 1 (nan) must be finite"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.dist.error());
    CHECK_FALSE(c.dist.valid());
    CHECK(c.dist.error().find(c.expected) != std::string::npos);
    CHECK_THROWS_WITH_AS(c.dist.value(0.5), c.dist.error().c_str(), std::invalid_argument);
  }
  const Distribution ok = Distribution::uniform(0, 1);
  CHECK(ok.error().empty());
  CHECK_THROWS_WITH_AS(ok.value(1.5), "uniform: u = 1.5 is outside [0, 1]", std::invalid_argument);
  CHECK_THROWS_AS(ok.value(-1e-300), std::invalid_argument);
  CHECK_THROWS_AS(ok.value(nan), std::invalid_argument);
}
