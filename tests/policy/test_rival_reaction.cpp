#include <doctest/doctest.h>

#include <cmath>

#include "policy_fixtures.hpp"

using namespace geosim;
using doctest::Approx;

namespace {

/// PA and PB react to each other's exercises with coefficient k, restraint m and grievance g;
/// returns PA's effort every turn over 20 years of monthly turns.
std::vector<double> effort(double k, double m, double g = 1000.0) {
  const std::string policy = "  policy: rival_reaction\n  restraint: " + std::to_string(m) +
                             "\n  grievance: " + std::to_string(g) + "\n  initial_effort: 0\n";
  const Scenario sc = test::small_with(
      "policies:\n"
      "- actor: PA\n  rivals: {PB: " +
          std::to_string(k) + "}\n  hosts: [C2]\n" + policy +
          "- actor: PB\n  rivals: {PA: " + std::to_string(k) + "}\n  hosts: [C1]\n" + policy,
      {"metadata.turns=240"});
  return test::series(sc, [](const World& w) { return w.policy_state(0); });
}

}  // namespace

TEST_CASE("Richardson: mutual restraint above mutual reaction settles at g / (m - k)") {
  // m m = 1 > k k = 0.25: stable; symmetric equilibrium E* = g / (m - k) = 1000 / 0.5.
  const auto e = effort(0.5, 1.0);
  CHECK(e.back() == Approx(2000.0).epsilon(0.01));
  CHECK(std::abs(e.back() - e[e.size() - 13]) < 0.001 * e.back());
}

TEST_CASE("Richardson: reaction above restraint escalates without bound") {
  // k k = 2.25 > m m = 1: unstable; effort grows roughly as exp((k - m) t).
  const auto e = effort(1.5, 1.0);
  CHECK(e.back() > 100.0 * e[60]);
  for (std::size_t t = 13; t < e.size(); ++t) CHECK(e[t] > e[t - 1]);
}

TEST_CASE("reaction exercises are logged as reactions and tie the actor to its hosts") {
  const Scenario sc = test::small_with(
      "policies:\n  - {actor: PA, policy: rival_reaction, rivals: {PB: 0.5}, hosts: [C2], "
      "grievance: 500}\n");
  const World w = test::run(sc);
  const int pa = sc.actor_index("PA"), c2 = sc.actor_index("C2");
  CHECK(test::sum_events(w, ActionType::exercise, Cause::reaction, pa, c2) > 0.0);
  CHECK(w.flow[w.ch.exercises](pa, c2) > 0.0);
}

TEST_CASE(
    "Richardson: an initial_effort of -1 starts from the actor's largest initial exercise tie") {
  // Version 2 (small_test_v2 gives PB a rival_reaction with the default -1).
  const Scenario v2 =
      test::with_overlay(GEOSIM_SCENARIOS_DIR "/small_test_v2.yaml",
                         "flows:\n  - {channel: exercises, from: PB, to: C1, value: 750}\n"
                         "  - {channel: exercises, from: PB, to: C2, value: 300}\n");
  CHECK(make_world(v2).policy_state(0) == 750.0);  // before any turn: the largest initial tie
  // Version 1 started from 0 (it read the flows before they were composed): kept, so that
  // version-1 results do not change (docs/model.md, "Format versions").
  const Scenario v1 = test::small_with(
      "policies:\n- {actor: PA, policy: rival_reaction, rivals: {PB: 0}, hosts: [C2]}\n",
      {"flows[ecaid_pa_c2].channel=exercises", "flows[ecaid_pa_c2].value=750"});
  CHECK(make_world(v1).policy_state(0) == 0.0);
}
