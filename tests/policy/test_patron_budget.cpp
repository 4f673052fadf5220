#include <doctest/doctest.h>

#include "policy_fixtures.hpp"

using namespace geosim;
using doctest::Approx;

namespace {
const char* kPolicy =
    "policies:\n"
    "  - {actor: PA, policy: patron_budget, priorities: {C1: 1, C2: 1}}\n";
}

TEST_CASE("a patron's budget is never overspent in a calendar year, scripted spending included") {
  // 24 turns from January: two budget years. PA's budget: economic aid 100, security aid 50
  // USD m a year; its timeline also spends 12 USD m of economic aid in the first year.
  const Scenario sc = test::small_with(kPolicy, {"metadata.turns=24"});
  const int pa = sc.actor_index("PA");
  const auto& budgets = sc.actors[pa].budgets;
  test::run(sc, [&](const World& w) {
    for (int i : {0, 1}) CHECK(w.spent_year(pa, i) <= budgets[i] + 1e-9);
  });
  const World w = test::run(sc);
  // It does spend: what the policy disbursed over two years is close to the two budgets less
  // the scripted 12 USD m (tranches below min_tranche are not made).
  const double policy_aid = test::sum_events(w, ActionType::economic_aid, Cause::policy, pa, -1);
  CHECK(policy_aid == Approx(2 * budgets[0] - 12.0).epsilon(0.02));
}

TEST_CASE("a higher priority draws more of the patron's aid") {
  auto aid_to_c2 = [](const char* priorities) {
    const Scenario sc = test::small_with(
        std::string("policies:\n  - {actor: PA, policy: patron_budget, priorities: ") + priorities +
        "}\n");
    const World w = test::run(sc);
    return test::sum_events(w, ActionType::economic_aid, Cause::policy, sc.actor_index("PA"),
                            sc.actor_index("C2"));
  };
  const double even = aid_to_c2("{C1: 1, C2: 1}");
  const double favoured = aid_to_c2("{C1: 1, C2: 3}");
  const double only_c1 = aid_to_c2("{C1: 1, C2: 0}");
  MESSAGE("aid to C2: even " << even << ", C2 favoured " << favoured << ", C2 weight 0 "
                             << only_c1);
  CHECK(favoured > even);
  CHECK(only_c1 == 0.0);
}

TEST_CASE("policy aid raises the patron's influence over its clients") {
  const Scenario with = test::small_with(kPolicy);
  const Scenario without = test::small();
  const int pa = with.actor_index("PA"), c2 = with.actor_index("C2");
  CHECK(test::run(with).I(pa, c2) > test::run(without).I(pa, c2));
}
