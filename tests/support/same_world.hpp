#pragma once
// Bit-for-bit comparisons of two worlds, for tests that run one scenario two ways that must give
// the same bits (sparse ties against every row, a pool of threads against one thread), and the
// list of shipped scenarios they run.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "model/world.hpp"
#include "test_paths.hpp"

namespace geosim::test {

/// Every YAML scenario under scenarios/ and scenarios/whatif/, sorted.
inline std::vector<std::string> shipped_scenario_files() {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const char* dir : {"", "/whatif"})
    for (const auto& e : fs::directory_iterator(std::string(GEOSIM_SCENARIOS_DIR) + dir))
      if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

inline bool same_bits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

/// Every array a turn computes, compared bit for bit (NaN included where a metric has one), and
/// the size of the events log.
inline void require_same_world(const World& a, const World& b) {
  REQUIRE((a.I == b.I).all());
  REQUIRE((a.D == b.D).all());
  REQUIRE((a.D_econ == b.D_econ).all());
  REQUIRE((a.D_sec == b.D_sec).all());
  REQUIRE((a.D_pol == b.D_pol).all());
  REQUIRE((a.B == b.B).all());
  REQUIRE((a.x == b.x).all());
  REQUIRE((a.lambda == b.lambda).all());
  REQUIRE((a.dep_hhi == b.dep_hhi).all());
  REQUIRE((a.share == b.share).all());
  REQUIRE(a.hedging.size() == b.hedging.size());  // NaN for actors nobody influences
  for (Eigen::Index i = 0; i < a.hedging.size(); ++i)
    REQUIRE(same_bits(a.hedging(i), b.hedging(i)));
  REQUIRE((a.gdp == b.gdp).all());
  REQUIRE((a.drag == b.drag).all());
  // Sanctions and compliance: re-exports, penalties and their countdown, this turn's compliance.
  REQUIRE((a.reexports == b.reexports).all());
  REQUIRE((a.reexports_to == b.reexports_to).all());
  REQUIRE((a.reexport_potential == b.reexport_potential).all());
  REQUIRE((a.penalty == b.penalty).all());
  REQUIRE((a.penalty_left == b.penalty_left).all());
  REQUIRE((a.compliance == b.compliance).all());
  REQUIRE(a.sanctioned == b.sanctioned);
  for (int k = 0; k < a.k; ++k) {
    CAPTURE(k);
    REQUIRE((a.base[k] == b.base[k]).all());
    REQUIRE((a.pulse[k] == b.pulse[k]).all());
    REQUIRE((a.flow[k] == b.flow[k]).all());
    REQUIRE((a.dep[k] == b.dep[k]).all());
  }
  REQUIRE(a.log.size() == b.log.size());
}

/// The events log, entry by entry; it only grows, so once at the end of a run is enough.
inline void require_same_log(const World& a, const World& b) {
  REQUIRE(a.log.size() == b.log.size());
  for (std::size_t e = 0; e < a.log.size(); ++e) {
    CAPTURE(e);
    REQUIRE(a.log[e].turn == b.log[e].turn);
    REQUIRE(a.log[e].action == b.log[e].action);
    REQUIRE(a.log[e].actor == b.log[e].actor);
    REQUIRE(a.log[e].target == b.log[e].target);
    REQUIRE(same_bits(a.log[e].amount, b.log[e].amount));
  }
}

}  // namespace geosim::test
