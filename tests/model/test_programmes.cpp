#include <doctest/doctest.h>

#include <cmath>

#include "model/mechanisms.hpp"
#include "support/model_fixtures.hpp"

using namespace geosim;
using doctest::Approx;

namespace {
Action aid(const Scenario& sc, const char* donor, const char* recipient, double usd_m, int turns) {
  Action a;
  a.type = ActionType::economic_aid;
  a.actor = sc.actor_index(donor);
  a.target = sc.actor_index(recipient);
  a.amount = usd_m;
  a.turns = turns;
  return a;
}
}  // namespace

TEST_CASE("an aid programme feeds its yearly rate through a lag and then decays by half-life") {
  const Scenario sc = test::small();
  World w = make_world(sc);
  const int pa = sc.actor_index("PA"), c1 = sc.actor_index("C1");
  const int k = w.ch.economic_aid;
  w.pulse[k].setZero();
  apply_action(w, sc, aid(sc, "PA", "C1", 120.0, 60), 0, Cause::scripted);  // 24 USD m/yr
  double total_spent = 0.0;
  for (int t = 0; t < 60; ++t) {
    w.spent.setZero();
    run_programmes(w, sc);
    total_spent += w.spent(pa, static_cast<int>(Instrument::economic_aid));
  }
  const double d = w.decay[k];
  CHECK(w.pulse[k](pa, c1) == Approx(24.0 * (1.0 - std::pow(d, 60))));
  CHECK(total_spent == Approx(120.0));  // the budget spent is the amount, no more
  CHECK(w.programs.empty());
  const double at_end = w.pulse[k](pa, c1);
  const int half_life_turns = static_cast<int>(sc.channels[k].half_life);
  for (int t = 0; t < half_life_turns; ++t) run_programmes(w, sc);
  CHECK(w.pulse[k](pa, c1) == Approx(at_end / 2.0));
}

TEST_CASE("security aid also builds a slow-decaying equipment stock") {
  const Scenario sc = test::small();
  World w = make_world(sc);
  Action a = aid(sc, "PA", "C1", 60.0, 24);
  a.type = ActionType::security_aid;
  const int pa = sc.actor_index("PA"), c1 = sc.actor_index("C1");
  const double arms_before = w.pulse[w.ch.arms](pa, c1);
  apply_action(w, sc, a, 0, Cause::scripted);
  run_programmes(w, sc);
  CHECK(w.pulse[w.ch.arms](pa, c1) ==
        Approx(arms_before * w.decay[w.ch.arms] + sc.params.equipment_share * 60.0 / 24));
  CHECK(w.pulse[w.ch.security_aid](pa, c1) > 0.0);
}

TEST_CASE("a loan adds to the debt stock at once and spends the loans budget") {
  const Scenario sc = test::small();
  World w = make_world(sc);
  Action a;
  a.type = ActionType::loan;
  a.actor = sc.actor_index("PB");
  a.target = sc.actor_index("C2");
  a.amount = 300.0;
  const double before = w.pulse[w.ch.debt](a.actor, a.target);
  apply_action(w, sc, a, 0, Cause::scripted);
  run_programmes(w, sc);  // the loan is added after this turn's amortisation
  CHECK(w.pulse[w.ch.debt](a.actor, a.target) == Approx(before * w.decay[w.ch.debt] + 300.0));
  CHECK(w.spent(a.actor, static_cast<int>(Instrument::loans)) == Approx(300.0));
  REQUIRE(w.log.size() == 1);
  CHECK(w.log[0].action == ActionType::loan);
}

TEST_CASE("withdrawal ends security ties; influence then decays") {
  // PA's only security ties to C2 are base flows; after withdraw they end.
  const Scenario sc = test::small();
  const int pa = sc.actor_index("PA"), c2 = sc.actor_index("C2");
  const int withdraw_turn = 8;  // t_withdraw on 2020-09-01
  std::vector<double> sec;
  test::run(sc, [&](const World& w) { sec.push_back(w.D_sec(c2, pa)); });
  REQUIRE(sec.size() == 12);
  for (int t = withdraw_turn + 1; t < 12; ++t) CHECK(sec[t] < sec[t - 1]);
}

TEST_CASE("exercises tie the sponsor to each participant and nudge participants toward its pole") {
  const Scenario sc = test::small();
  World w = make_world(sc);
  const int pb = sc.actor_index("PB"), c1 = sc.actor_index("C1"), c2 = sc.actor_index("C2");
  Action a;
  a.type = ActionType::exercise;
  a.actor = pb;
  a.target = c1;
  a.others = {c1, c2};
  a.amount = 1000.0;
  apply_action(w, sc, a, 0, Cause::scripted);
  const double step = sc.params.exercise_alignment_nudge * 0.5;  // personnel = reference
  // The nudge applies after this turn's Friedkin-Johnsen update, toward the sponsor's pole.
  update_susceptibility(w, sc);
  World plain = w;
  plain.nudge.setZero();
  plain.nudge_weight.setZero();
  update_alignment(plain, sc);
  update_alignment(w, sc);
  CHECK(w.x(c2, 1) == Approx((1 - step) * plain.x(c2, 1) + step));
  run_programmes(w, sc);
  CHECK(w.pulse[w.ch.exercises](pb, c1) > 0.0);
  CHECK(w.pulse[w.ch.exercises](pb, c2) > 0.0);
  // Participants among themselves, the same both ways whatever the order of the list.
  CHECK(w.pulse[w.ch.exercises](c1, c2) > 0.0);
  CHECK(w.pulse[w.ch.exercises](c1, c2) == w.pulse[w.ch.exercises](c2, c1));
}
