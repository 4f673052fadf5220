#pragma once
#include <string>
#include <vector>

#include "model/scenario.hpp"

namespace geosim {

/// What decides a scenario's state at the end of `turn`, as canonical YAML: the resolved
/// scenario without the timeline events dated after `turn` and without what cannot change the
/// state up to it (metadata name, description, number of turns; the seed is checked apart).
/// Two scenarios whose history YAML is equal reach the same state at the end of `turn`, so a
/// run forked from a checkpoint of one (`geosim run --from`) equals a straight run of the other.
std::string history_yaml(const Scenario& sc, int turn);

/// Where two history YAML texts differ, as key paths into the scenario ("timeline[rc22]",
/// "policies[usa_budget]", "actors[TJK].gdp", "parameters.influence_inertia"); empty if
/// they are equal. List items are matched by their code or id.
std::vector<std::string> history_differences(const std::string& a, const std::string& b);

}  // namespace geosim
