#pragma once
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "model/step.hpp"
#include "scenario/load.hpp"
#include "test_paths.hpp"

namespace geosim::test {

inline Scenario small(const std::vector<std::string>& sets = {}) {
  return load_scenario(GEOSIM_SCENARIOS_DIR "/small_test.yaml", sets);
}

/// The version-2 test scenario: every version-2 action once.
inline Scenario small_v2(const std::vector<std::string>& sets = {}) {
  return load_scenario(GEOSIM_SCENARIOS_DIR "/small_test_v2.yaml", sets);
}

/// A scenario file with an overlay (YAML text after `extends:` and `geosim:`) applied.
inline Scenario with_overlay(const std::string& file, const std::string& overlay, int version = 2) {
  return load_scenario_text(
      "geosim: " + std::to_string(version) + "\nextends: " + file + "\n" + overlay, "<overlay>");
}

inline Scenario baseline(const std::vector<std::string>& sets = {}) {
  return load_scenario(GEOSIM_SCENARIOS_DIR "/central_asia_2022.yaml", sets);
}

/// Runs every turn, calling `each` after each one.
inline World run(const Scenario& sc, const std::function<void(const World&)>& each = {},
                 std::uint64_t run_id = 0) {
  const CounterRng rng(sc.seed, run_id);
  World w = make_world(sc);
  for (int t = 0; t < sc.turns; ++t) {
    step(w, sc, rng);
    if (each) each(w);
  }
  return w;
}

/// A time series of one scalar read from the world after each turn.
inline std::vector<double> series(const Scenario& sc,
                                  const std::function<double(const World&)>& f) {
  std::vector<double> out;
  run(sc, [&](const World& w) { out.push_back(f(w)); });
  return out;
}

}  // namespace geosim::test
