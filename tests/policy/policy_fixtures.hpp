#pragma once
#include <string>
#include <vector>

#include "support/model_fixtures.hpp"

namespace geosim::test {

/// The small scenario with extra top-level YAML (policies:, shocks:) appended to a copy of it,
/// written next to the build's test files.
inline Scenario small_with(const std::string& extra, const std::vector<std::string>& sets = {}) {
  std::ifstream in(GEOSIM_SCENARIOS_DIR "/small_test.yaml");
  std::stringstream s;
  s << in.rdbuf() << "\n" << extra;
  return load_scenario_text(s.str(), "<small_test+policies>", sets);
}

inline double sum_events(const World& w, ActionType type, Cause cause, int actor, int target) {
  double total = 0.0;
  for (const auto& e : w.log)
    if (e.action == type && e.cause == cause && e.actor == actor &&
        (target < 0 || e.target == target))
      total += e.amount;
  return total;
}

}  // namespace geosim::test
