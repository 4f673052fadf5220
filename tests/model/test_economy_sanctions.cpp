#include <doctest/doctest.h>

#include <cmath>

#include "model/mechanisms.hpp"
#include "support/model_fixtures.hpp"

using namespace geosim;
using doctest::Approx;

TEST_CASE("gdp grows at its yearly rate, compounded per turn") {
  const Scenario sc = test::small({"timeline[t_sanc].intensity=0"});
  const int pa = sc.actor_index("PA");
  const World w = test::run(sc);
  CHECK(w.gdp(pa) == Approx(1000.0 * 1.02));
}

TEST_CASE("flows with gdp elasticity scale with the sender's economy") {
  const Scenario sc = test::small();
  World w = make_world(sc);
  const int pb = sc.actor_index("PB"), c1 = sc.actor_index("C1");
  w.gdp(pb) *= 0.9;
  compose_flows(w, sc);
  CHECK(w.flow[w.ch.remittances](pb, c1) == Approx(0.9 * 3000.0));
  CHECK(w.flow[w.ch.economic_aid](sc.actor_index("PA"), sc.actor_index("C2")) == Approx(20.0));
}

TEST_CASE("a sanction cuts trade by its intensity and diverts phi of it through transit states") {
  const Scenario sc = test::small();
  World w = make_world(sc);
  const int pa = sc.actor_index("PA"), pb = sc.actor_index("PB");
  const int c1 = sc.actor_index("C1"), c2 = sc.actor_index("C2");
  w.sanction(pa, pb) = 0.5;
  compose_flows(w, sc);
  const Matrix before = w.flow[w.ch.trade];
  apply_sanctions(w, sc);
  const Matrix& F = w.flow[w.ch.trade];
  const double lost = 0.5 * before(pa, pb);  // 25 USD bn/yr of PA's exports to PB
  // Direct trade falls by the intensity...
  CHECK(F(pa, pb) == Approx(before(pa, pb) - lost));
  CHECK(F(pb, pa) == Approx(0.5 * before(pb, pa)));
  // ...and phi of it reaches PB through C1 and C2 in proportion to their trade with the pair
  // (C1: 1 with PA + 4 with PB; C2: 2 + 2 USD bn/yr of turnover).
  const double phi = sc.params.trade_substitution;
  CHECK(w.reexports(c1) == Approx(phi * lost * 5.0 / 9.0));
  CHECK(w.reexports(c2) == Approx(phi * lost * 4.0 / 9.0));
  CHECK(w.reexports_to(c1, pb) == Approx(w.reexports(c1)));
  CHECK(w.reexports(c1) + w.reexports(c2) == Approx(phi * lost));
  CHECK(F(c1, pb) - before(c1, pb) == Approx(w.reexports(c1)));
  // The rest is lost for good and drags the target's growth.
  CHECK(w.drag(pb) > 0.0);
  CHECK(w.drag(pa) == 0.0);
}

TEST_CASE("a transit state that complies passes nothing on") {
  const Scenario sc = test::small();
  World w = make_world(sc);
  const int pa = sc.actor_index("PA"), pb = sc.actor_index("PB"), c1 = sc.actor_index("C1");
  w.sanction(pa, pb) = 0.5;
  w.threats.push_back(Threat{pa, c1, pb, 0.5, 0.2, 0, 1.0});  // fully compliant
  compose_flows(w, sc);
  apply_sanctions(w, sc);
  CHECK(w.reexports(c1) == 0.0);
  CHECK(w.reexport_potential(c1, pb) > 0.0);
}

TEST_CASE("mutual sanctions cut a pair's trade once, never below zero") {
  const Scenario sc = test::small();
  World w = make_world(sc);
  const int pa = sc.actor_index("PA"), pb = sc.actor_index("PB");
  w.sanction(pa, pb) = 1.0;
  w.sanction(pb, pa) = 1.0;
  compose_flows(w, sc);
  apply_sanctions(w, sc);
  CHECK(w.flow[w.ch.trade](pa, pb) == 0.0);
  CHECK(w.flow[w.ch.trade](pb, pa) == 0.0);
  CHECK(w.flow[w.ch.trade].minCoeff() >= 0.0);
  CHECK(w.drag(pa) > 0.0);  // both are sanctioned
  CHECK(w.drag(pb) > 0.0);
}

TEST_CASE("a state the sender also sanctions carries none of the diverted trade") {
  const Scenario sc = test::small();
  World w = make_world(sc);
  const int pa = sc.actor_index("PA"), pb = sc.actor_index("PB"), c1 = sc.actor_index("C1");
  w.sanction(pa, pb) = 1.0;
  w.sanction(pa, c1) = 1.0;
  compose_flows(w, sc);
  apply_sanctions(w, sc);
  CHECK(w.flow[w.ch.trade](pa, c1) == 0.0);
  CHECK(w.reexports(c1) == 0.0);
}

TEST_CASE("gdp stays positive under any sanction drag") {
  const Scenario sc = test::small();
  World w = make_world(sc);
  w.drag.setConstant(50.0);  // far beyond 100% a year
  grow_economy(w, sc);
  CHECK(w.gdp.minCoeff() > 0.0);
}
