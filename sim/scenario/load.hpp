#pragma once
#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "scenario/tree.hpp"

namespace geosim {

/// The newest scenario format version this geosim reads (it reads every older one too).
inline constexpr int kScenarioFormatVersion = 2;

/// Builds the typed Scenario from a resolved tree, checking every rule of
/// docs/scenario-format.md. Throws InputError listing every problem found.
Scenario build_scenario(const Node& root);

/// Loads a scenario file: resolves `extends:`, applies each `--set PATH=VALUE` in order,
/// builds and validates. The resolved YAML is kept in Scenario::resolved_yaml.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& sets = {});

/// The same from text (the baseline embedded in the binary); `name` appears in locations.
Scenario load_scenario_text(const std::string& text, const std::string& name,
                            const std::vector<std::string>& sets = {});

}  // namespace geosim
