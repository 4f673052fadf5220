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
  CHECK(ds[0].key_path == "policies[PA].policy");
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
  CHECK(ds[0].key_path == "policies[C1].threshold");

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
