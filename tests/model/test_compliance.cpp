#include <doctest/doctest.h>

#include "model/mechanisms.hpp"
#include "support/model_fixtures.hpp"

using namespace geosim;

TEST_CASE("compliance rises with the transit state's dependence on the sender") {
  const Scenario sc = test::small();
  World w = make_world(sc);
  const int pa = sc.actor_index("PA"), pb = sc.actor_index("PB"), c1 = sc.actor_index("C1");
  w.threats.push_back(Threat{pa, c1, pb, 0.5, 0.2});
  const CounterRng rng(1, 0);
  double last = -1.0;
  for (double d : {0.0, 0.1, 0.2, 0.4, 0.8}) {
    w.D(c1, pa) = d;
    decide_compliance(w, sc, rng, 0);
    CHECK(w.compliance(c1) > last);
    last = w.compliance(c1);
  }
  CHECK(last > 0.9);
}

TEST_CASE("compliance falls with dependence on the sanctioned state and with re-export rents") {
  const Scenario sc = test::small();
  World w = make_world(sc);
  const int pa = sc.actor_index("PA"), pb = sc.actor_index("PB"), c1 = sc.actor_index("C1");
  w.threats.push_back(Threat{pa, c1, pb, 0.5, 0.2});
  const CounterRng rng(1, 0);
  w.D(c1, pa) = 0.2;
  w.D(c1, pb) = 0.0;
  decide_compliance(w, sc, rng, 0);
  const double free_of_target = w.compliance(c1);
  w.D(c1, pb) = 0.5;
  decide_compliance(w, sc, rng, 0);
  CHECK(w.compliance(c1) < free_of_target);
  const double with_target = w.compliance(c1);
  w.reexport_potential(c1) = 2000.0;  // 10% of gdp
  decide_compliance(w, sc, rng, 0);
  CHECK(w.compliance(c1) < with_target);
}

TEST_CASE("detected non-compliance is penalised: trade cut and aid suspended, then lifted") {
  const Scenario sc = test::small({"parameters.penalty_turns=2"});
  World w = make_world(sc);
  const int pa = sc.actor_index("PA"), pb = sc.actor_index("PB"), c1 = sc.actor_index("C1");
  w.threats.push_back(Threat{pa, c1, pb, 0.5, 1.0});  // detection certain if not complying
  w.reexports(c1) = 100.0;
  w.D(c1, pa) = 0.0;
  w.D(c1, pb) = 0.5;  // compliance near 0
  const CounterRng rng(1, 0);
  decide_compliance(w, sc, rng, 3);
  CHECK(w.penalty(pa, c1) == 0.5);
  CHECK(w.penalty_left(pa, c1) == 2.0);
  REQUIRE(!w.log.empty());
  CHECK(w.log.back().action == ActionType::detection);
  CHECK(w.log.back().cause == Cause::reaction);
  decide_compliance(w, sc, rng, 4);  // no new detection while a penalty runs
  CHECK(w.penalty_left(pa, c1) == 1.0);
  w.reexports(c1) = 0.0;
  decide_compliance(w, sc, rng, 5);
  CHECK(w.penalty(pa, c1) == 0.0);
}
