#pragma once
#include <string_view>

namespace geosim {
/// The text of scenarios/central_asia_2022.yaml, embedded at build time.
std::string_view baseline_scenario_text();
/// The name it is known by in messages and provenance.
inline constexpr std::string_view kBaselineName = "<embedded>/central_asia_2022.yaml";
}  // namespace geosim
