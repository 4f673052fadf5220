#include <doctest/doctest.h>

#include <cmath>

#include "policy_fixtures.hpp"

using namespace geosim;

namespace {
std::vector<int> shock_turns(const World& w, ActionType type) {
  std::vector<int> turns;
  for (const auto& e : w.log)
    if (e.action == type && e.cause == Cause::shock) turns.push_back(e.turn);
  return turns;
}
}  // namespace

TEST_CASE("shocks happen at their probability: count within 4 standard errors") {
  const double p = 0.2;
  const int turns = 240, runs = 10;
  const Scenario sc = test::small_with(
      "shocks:\n  - {kind: commodity_price, actors: [C1], probability: 0.2, size: -0.01}\n",
      {"metadata.turns=240"});
  std::size_t count = 0;
  for (int run = 0; run < runs; ++run)
    count +=
        shock_turns(test::run(sc, {}, static_cast<std::uint64_t>(run)), ActionType::commodity_price)
            .size();
  const double n = static_cast<double>(turns) * runs;
  CHECK(std::abs(static_cast<double>(count) - n * p) < 4.0 * std::sqrt(n * p * (1 - p)));
}

TEST_CASE("adding a shock does not change when another one happens") {
  const std::string one =
      "shocks:\n  - {kind: commodity_price, actors: [C1], probability: 0.3, size: -0.01}\n";
  const std::string two =
      one + "  - {kind: regime_instability, actors: [C2], probability: 0.3, size: 0.05}\n";
  const auto a = shock_turns(test::run(test::small_with(one)), ActionType::commodity_price);
  const auto b = shock_turns(test::run(test::small_with(two)), ActionType::commodity_price);
  CHECK(!a.empty());
  CHECK(a == b);
}

TEST_CASE("a border conflict cuts the two sides' trade while it lasts") {
  const Scenario sc = test::small_with(
      "shocks:\n  - {kind: border_conflict, actors: [C1, C2], probability: 1, size: 1, turns: "
      "2}\n");
  const int c1 = sc.actor_index("C1"), c2 = sc.actor_index("C2");
  test::run(sc, [&](const World& w) {
    CHECK(w.flow[w.ch.trade](c1, c2) == 0.0);
    CHECK(w.flow[w.ch.trade](c2, c1) == 0.0);
  });
}

TEST_CASE("a commodity price shock moves gdp by its size at once") {
  const Scenario calm = test::small();
  const Scenario hit = test::small_with(
      "shocks:\n  - {kind: commodity_price, actors: [C2], probability: 1, size: -0.1}\n");
  const int c2 = calm.actor_index("C2");
  World a = make_world(calm), b = make_world(hit);
  step(a, calm, CounterRng(calm.seed, 0));
  step(b, hit, CounterRng(hit.seed, 0));
  CHECK(b.gdp(c2) / a.gdp(c2) == doctest::Approx(0.9));
}
