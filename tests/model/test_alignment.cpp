#include <doctest/doctest.h>

#include "model/mechanisms.hpp"
#include "support/model_fixtures.hpp"

using namespace geosim;
using doctest::Approx;

TEST_CASE("alignment stays on the simplex every turn") {
  const Scenario sc = test::baseline();
  test::run(sc, [&](const World& w) {
    CHECK(w.x.minCoeff() >= 0.0);
    CHECK((w.x.rowwise().sum() - 1.0).abs().maxCoeff() < 1e-9);
  });
}

TEST_CASE("an actor with zero susceptibility returns to its anchor (Friedkin-Johnsen, lambda=0)") {
  const Scenario sc = test::small({"actors[C1].susceptibility=0"});
  World w = make_world(sc);
  const int c1 = sc.actor_index("C1");
  REQUIRE(w.x(c1, 0) != Approx(w.x0(c1, 0)));  // its initial alignment differs from its anchor
  update_susceptibility(w, sc);
  update_alignment(w, sc);
  CHECK(w.x(c1, 0) == Approx(w.x0(c1, 0)));
}

TEST_CASE("the Friedkin-Johnsen step matches the formula for one actor") {
  const Scenario sc = test::small();
  World w = make_world(sc);
  update_susceptibility(w, sc);
  const int c1 = sc.actor_index("C1");
  const Matrix x = w.x;
  double denom = sc.actors[c1].autonomy, social = sc.actors[c1].autonomy * x(c1, 0);
  for (int a = 0; a < w.n; ++a)
    if (a != c1) {
      denom += w.I(a, c1);
      social += w.I(a, c1) * x(a, 0);
    }
  const double expected = w.lambda(c1) * social / denom + (1 - w.lambda(c1)) * w.x0(c1, 0);
  update_alignment(w, sc);
  CHECK(w.x(c1, 0) == Approx(expected));
}

TEST_CASE("susceptibility rises with total dependence and falls with diversification") {
  const Scenario sc = test::small();
  World w = make_world(sc);
  const int c1 = sc.actor_index("C1"), pa = sc.actor_index("PA"), pb = sc.actor_index("PB"),
            c2 = sc.actor_index("C2");
  w.D.setZero();
  w.D(c1, pb) = 0.2;
  update_susceptibility(w, sc);
  const double concentrated_low = w.lambda(c1);
  w.D(c1, pb) = 0.4;
  update_susceptibility(w, sc);
  const double concentrated_high = w.lambda(c1);
  CHECK(concentrated_high > concentrated_low);
  w.D(c1, pb) = 0.2;
  w.D(c1, pa) = 0.1;
  w.D(c1, c2) = 0.1;  // same total 0.4, spread over three partners
  update_susceptibility(w, sc);
  CHECK(w.lambda(c1) < concentrated_high);
  CHECK(w.dep_hhi(c1) == Approx(0.25 + 0.0625 + 0.0625));
  // Great powers are anchored.
  CHECK(w.lambda(pa) == 0.0);
}
