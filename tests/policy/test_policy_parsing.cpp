#include <doctest/doctest.h>

#include "policy_fixtures.hpp"

using namespace geosim;

namespace {
std::vector<Diagnostic> errors(const std::string& extra) {
  try {
    (void)test::small_with(extra);
  } catch (const InputError& e) {
    return e.diagnostics();
  }
  return {};
}
}  // namespace

TEST_CASE("policy errors are located and say what was expected") {
  auto ds = errors("policies:\n  - {actor: PA, policy: patron_budgt, priorities: {C1: 1}}\n");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].key_path == "policies[0].policy");  // no id: its position
  CHECK(ds[0].message.find("did you mean 'patron_budget'") != std::string::npos);
  CHECK(ds[0].where.line > 90);

  ds = errors("policies:\n  - {actor: PA, policy: patron_budget}\n");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].message.find("missing required key 'priorities'") != std::string::npos);

  ds = errors("policies:\n  - {actor: PA, policy: patron_budget, priorities: {C9: 1}}\n");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].message.find("unknown actor 'C9'") != std::string::npos);

  ds = errors("policies:\n  - {actor: PA, policy: rival_reaction, rivals: {PA: 1}, hosts: [C1]}\n");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].message.find("cannot name itself") != std::string::npos);

  ds = errors("policies:\n  - {actor: C1, policy: hedging_client, threshold: 2}\n");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].key_path == "policies[0].threshold");

  ds = errors("policies:\n  - {id: c1_hedge, actor: C1, policy: hedging_client, threshold: 2}\n");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].key_path == "policies[c1_hedge].threshold");  // named by its id

  ds = errors("policies:\n  - {actor: C1, policy: hedging_client, tresholt: 0.5}\n");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].message.find("unknown key 'tresholt'") != std::string::npos);

  ds = errors("shocks:\n  - {kind: border_conflict, actors: [C1], probability: 0.1, size: 0.5}\n");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].message.find("names exactly 2 actors") != std::string::npos);
}

TEST_CASE("a scenario without policies or shocks has no decider") {
  CHECK(test::small().decider == nullptr);
  CHECK(test::small_with("policies: []\n").decider == nullptr);
}

TEST_CASE("policy ids are unique, and an overlay changes a policy by its id") {
  auto ds = errors(
      "policies:\n  - {id: a, actor: PA, policy: patron_budget, priorities: {C1: 1}}\n"
      "  - {id: a, actor: PB, policy: patron_budget, priorities: {C1: 1}}\n");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].key_path == "policies[a].id");
  CHECK(ds[0].message.find("duplicate policy id 'a'") != std::string::npos);

  // The shipped us_stays_away overlay sets the US budget's priority on TJK to 0 and takes TJK
  // off its exercise hosts: no US policy or reaction action reaches TJK, unlike the baseline.
  const int usa = 0;
  const auto us_actions_in_tjk = [&](const Scenario& sc) {
    const World w = test::run(sc);
    const int tjk = sc.actor_index("TJK");
    int n = 0;
    for (const auto& e : w.log)
      if (e.actor == usa && e.target == tjk && e.cause != Cause::scripted &&
          e.action != ActionType::detection)  // detections of TJK's re-exports remain
        ++n;
    return n;
  };
  const Scenario base = test::baseline();
  const Scenario away = load_scenario(GEOSIM_SCENARIOS_DIR "/whatif/us_stays_away.yaml");
  REQUIRE(base.actors[usa].code == "USA");
  CHECK(us_actions_in_tjk(base) > 30);
  CHECK(us_actions_in_tjk(away) == 0);
}
