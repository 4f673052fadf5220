#include <doctest/doctest.h>

#include <cmath>

#include "model/mechanisms.hpp"
#include "support/model_fixtures.hpp"

using namespace geosim;
using doctest::Approx;

namespace {
struct ThreatWorld {
  Scenario sc;
  World w;
  int pa, pb, c1;
  explicit ThreatWorld(const std::vector<std::string>& sets = {})
      : sc(test::small(sets)), w(make_world(sc)) {
    pa = sc.actor_index("PA");
    pb = sc.actor_index("PB");
    c1 = sc.actor_index("C1");
    w.threats.push_back(Threat{pa, c1, pb, 0.5, 0.2, 0, 0.0});
  }
  double decide(int turn = 1) {
    decide_compliance(w, sc, CounterRng(1, 0), turn);
    return w.compliance(c1);
  }
};
}  // namespace

TEST_CASE("compliance is the expected penalty's share of all stakes") {
  ThreatWorld t;
  t.w.D(t.c1, t.pa) = 0.2;
  t.w.D(t.c1, t.pb) = 0.3;
  t.w.reexport_potential(t.c1, t.pb) = 1000.0;  // 5% of C1's gdp (20 USD bn)
  const double penalty = 0.2 * 0.5 * 0.2;
  const double cost = t.sc.params.reexport_rent * 0.05 + t.sc.params.defiance_cost * 0.3;
  CHECK(t.decide() == Approx(penalty / (penalty + cost)));
}

TEST_CASE("compliance is zero with nothing at stake and rises with dependence on the sender") {
  ThreatWorld t;
  t.w.D(t.c1, t.pb) = 0.3;
  t.w.D(t.c1, t.pa) = 0.0;
  CHECK(t.decide() == 0.0);
  double last = 0.0;
  for (double d : {0.05, 0.1, 0.2, 0.4, 0.8}) {
    t.w.D(t.c1, t.pa) = d;
    const double c = t.decide();
    CHECK(c > last);
    last = c;
  }
}

TEST_CASE("compliance falls with dependence on the sanctioned state and with re-export rents") {
  ThreatWorld t;
  t.w.D(t.c1, t.pa) = 0.4;
  t.w.D(t.c1, t.pb) = 0.05;
  const double low_target = t.decide();
  t.w.D(t.c1, t.pb) = 0.5;
  const double high_target = t.decide();
  CHECK(high_target < low_target);
  t.w.reexport_potential(t.c1, t.pb) = 2000.0;  // 10% of gdp
  CHECK(t.decide() < high_target);
}

TEST_CASE("a low temperature makes compliance all or nothing") {
  ThreatWorld t({"parameters.compliance_temperature=0.01"});
  t.w.D(t.c1, t.pb) = 0.1;   // cost 0.005
  t.w.D(t.c1, t.pa) = 0.04;  // expected penalty 0.004 < cost
  CHECK(t.decide() < 1e-6);
  t.w.D(t.c1, t.pa) = 0.06;  // 0.006 > cost
  CHECK(t.decide() > 1.0 - 1e-6);
}

TEST_CASE("detected non-compliance is penalised for penalty_turns, then lifted") {
  ThreatWorld t({"parameters.penalty_turns=2"});
  t.w.threats.back().detection = 1.0;  // detection certain for a state that does not comply
  t.w.reexports_to(t.c1, t.pb) = 100.0;
  t.w.D(t.c1, t.pa) = 0.0;  // compliance 0
  t.decide(3);
  CHECK(t.w.penalty(t.pa, t.c1) == 0.5);
  CHECK(t.w.penalty_left(t.pa, t.c1) == 2.0);
  REQUIRE(!t.w.log.empty());
  CHECK(t.w.log.back().action == ActionType::detection);
  CHECK(t.w.log.back().cause == Cause::reaction);
  t.decide(4);  // no new detection while a penalty runs
  CHECK(t.w.penalty_left(t.pa, t.c1) == 1.0);
  t.w.reexports_to.setZero();
  t.decide(5);
  CHECK(t.w.penalty(t.pa, t.c1) == 0.0);
}

TEST_CASE("re-exports made before a threat was issued are not punished") {
  ThreatWorld t;
  t.w.threats.back().detection = 1.0;
  t.w.threats.back().since = 3;
  t.w.reexports_to(t.c1, t.pb) = 100.0;
  t.w.D(t.c1, t.pa) = 0.0;  // compliance 0: detection certain
  t.decide(3);
  CHECK(t.w.penalty(t.pa, t.c1) == 0.0);
  t.decide(4);
  CHECK(t.w.penalty(t.pa, t.c1) == 0.5);
}

TEST_CASE("only re-exports to the threat's own target count") {
  ThreatWorld t;
  t.w.threats.back().detection = 1.0;
  t.w.D(t.c1, t.pa) = 0.0;
  t.w.reexports_to(t.c1, t.sc.actor_index("C2")) = 100.0;  // to another state
  t.decide(3);
  CHECK(t.w.penalty(t.pa, t.c1) == 0.0);
}

TEST_CASE("the largest detected penalty applies, whatever the order of threats") {
  for (bool reversed : {false, true}) {
    ThreatWorld t;
    const int c2 = t.sc.actor_index("C2");
    t.w.threats.clear();
    Threat small{t.pa, t.c1, t.pb, 0.2, 1.0, 0, 0.0}, large{t.pa, t.c1, c2, 1.0, 1.0, 0, 0.0};
    t.w.threats.push_back(reversed ? large : small);
    t.w.threats.push_back(reversed ? small : large);
    t.w.reexports_to(t.c1, t.pb) = 100.0;
    t.w.reexports_to(t.c1, c2) = 100.0;
    t.w.D(t.c1, t.pa) = 0.0;  // compliance 0: both detections certain
    t.decide(3);
    CHECK(t.w.penalty(t.pa, t.c1) == 1.0);
  }
}

TEST_CASE("penalty_turns below 1 switches penalties off") {
  ThreatWorld t({"parameters.penalty_turns=0"});
  t.w.threats.back().detection = 1.0;
  t.w.D(t.c1, t.pa) = 0.0;
  t.w.reexports_to(t.c1, t.pb) = 100.0;
  t.decide(3);
  CHECK(t.w.penalty(t.pa, t.c1) == 0.0);
}

TEST_CASE("detections happen at rate detection x (1 - compliance): within 4 standard errors") {
  ThreatWorld t;
  t.w.threats.back().detection = 0.3;
  t.w.D(t.c1, t.pa) = 0.2;  // some compliance, not full
  t.w.D(t.c1, t.pb) = 0.3;
  t.w.reexport_potential(t.c1, t.pb) = 1000.0;
  t.w.reexports_to(t.c1, t.pb) = 100.0;
  const int turns = 20000;
  int detections = 0;
  double p = 0.0;
  for (int turn = 1; turn <= turns; ++turn) {
    t.w.penalty_left.setZero();  // every turn a fresh chance
    t.w.penalty.setZero();
    const std::size_t before = t.w.log.size();
    t.decide(turn);
    p = 0.3 * (1.0 - t.w.threats.back().compliance);
    detections += static_cast<int>(t.w.log.size() - before);
    t.w.log.clear();
  }
  REQUIRE(p > 0.05);
  REQUIRE(p < 0.3);
  const double rate = static_cast<double>(detections) / turns;
  const double se = std::sqrt(p * (1.0 - p) / turns);
  MESSAGE("detection rate " << rate << ", expected " << p << " +- " << se);
  CHECK(std::abs(rate - p) < 4.0 * se);
}
