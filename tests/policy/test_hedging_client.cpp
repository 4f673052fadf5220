#include <doctest/doctest.h>

#include <cmath>

#include "policy_fixtures.hpp"

using namespace geosim;

TEST_CASE("a hedging client moves its alignment at most its step per turn") {
  const Scenario sc = test::small_with(
      "policies:\n  - {actor: C1, policy: hedging_client, max_alignment_step: 0.002}\n");
  const int c1 = sc.actor_index("C1");
  Matrix last = make_world(sc).x;
  test::run(sc, [&](const World& w) {
    double moved = 0.0;
    for (int q = 0; q < w.p; ++q) moved += std::abs(w.x(c1, q) - last(c1, q));
    CHECK(moved <= 0.002 + 1e-12);
    last = w.x;
  });
}

TEST_CASE("a concentrated hedging client declines aid from the partner it depends on most") {
  // C2 depends most on PA; PA's policy offers aid to C2 every turn.
  const std::string patron =
      "policies:\n  - {actor: PA, policy: patron_budget, priorities: {C2: 1}}\n";
  const Scenario open = test::small_with(patron);
  const Scenario hedging =
      test::small_with(patron + "  - {actor: C2, policy: hedging_client, threshold: 0.0}\n");
  const int pa = open.actor_index("PA"), c2 = open.actor_index("C2");
  const World a = test::run(open), b = test::run(hedging);
  CHECK(test::sum_events(a, ActionType::economic_aid, Cause::policy, pa, c2) > 0.0);
  CHECK(test::sum_events(b, ActionType::economic_aid, Cause::policy, pa, c2) == 0.0);
  CHECK(test::sum_events(b, ActionType::decline, Cause::policy, c2, pa) > 0.0);
  CHECK(b.D(c2, pa) < a.D(c2, pa));
}
