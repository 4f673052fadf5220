// Golden regression: the small test scenario's trajectories, and a subset of a frozen copy of the
// version-1 Central Asia baseline (central_asia_2022_v1.yaml, with policies and shocks: every
// fifth turn), against stored references, with a relative tolerance. The second proves that
// format-version-1 scenarios give the results they gave before version 2 existed. Regenerate
// after an intended model change with
//   tools/regenerate-golden.sh
// and review the diff of tests/golden/small_test.golden.txt in the commit.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "support/model_fixtures.hpp"

using namespace geosim;

namespace {

constexpr double kRelTol = 1e-9;
constexpr double kAbsTol = 1e-12;

/// "variable turn subject object" -> value, for every `every`-th turn (and the last).
std::map<std::string, double> trajectories(const Scenario& sc, int every) {
  std::map<std::string, double> out;
  auto code = [&](int i) { return sc.actors[i].code; };
  auto put = [&](const std::string& key, double v) { out[key] = v; };
  test::run(sc, [&](const World& w) {
    if (w.turn % every != 0 && w.turn != sc.turns - 1) return;
    const std::string t = std::to_string(w.turn);
    for (int a = 0; a < w.n; ++a) {
      put("gdp " + t + " " + code(a), w.gdp(a));
      put("susceptibility " + t + " " + code(a), w.lambda(a));
      put("compliance " + t + " " + code(a), w.compliance(a));
      put("reexports " + t + " " + code(a), w.reexports(a));
      for (int q = 0; q < w.p; ++q)
        put("alignment " + t + " " + code(a) + " " + sc.poles[q].code, w.x(a, q));
      for (int b = 0; b < w.n; ++b) {
        const std::string ab = " " + t + " " + code(a) + " " + code(b);
        put("influence" + ab, w.I(a, b));
        put("dependence" + ab, w.D(a, b));
        put("bandwidth" + ab, w.B(a, b));
        put("trade" + ab, w.flow[w.ch.trade](a, b));
      }
    }
    put("events " + t, static_cast<double>(w.log.size()));
  });
  return out;
}

}  // namespace

/// `frozen`: a reference that must never be regenerated (the version-1 one: it is the proof
/// that version-1 results do not change), only compared.
void check_golden(const std::string& golden_file, const std::string& what,
                  const std::map<std::string, double>& now, bool frozen = false) {
  if (std::getenv("GEOSIM_REGENERATE_GOLDEN") && frozen)
    MESSAGE("not regenerating " << golden_file << ": it is frozen; comparing it");
  else if (std::getenv("GEOSIM_REGENERATE_GOLDEN")) {
    std::ofstream out(golden_file);
    out << "# Golden trajectories of " << what << ": variable turn subject [object] value.\n"
        << "# Written by tools/regenerate-golden.sh; compared with relative tolerance 1e-9.\n";
    char buf[64];
    for (const auto& [key, v] : now) {
      std::snprintf(buf, sizeof buf, "%.17g", v);
      out << key << " " << buf << "\n";
    }
    MESSAGE("regenerated " << golden_file << " (" << now.size() << " values)");
    return;
  }
  std::ifstream in(golden_file);
  REQUIRE_MESSAGE(in.good(), "missing golden file; run tools/regenerate-golden.sh");
  std::map<std::string, double> golden;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto sp = line.find_last_of(' ');
    golden[line.substr(0, sp)] = std::stod(line.substr(sp + 1));
  }
  CHECK(golden.size() == now.size());
  int mismatches = 0;
  for (const auto& [key, expected] : golden) {
    const auto it = now.find(key);
    if (it == now.end()) {
      FAIL_CHECK("value no longer produced: " << key);
      continue;
    }
    const double tol = kAbsTol + kRelTol * std::abs(expected);
    if (std::abs(it->second - expected) > tol && ++mismatches <= 20)
      FAIL_CHECK(key << ": golden " << expected << ", now " << it->second);
  }
  CHECK(mismatches == 0);
}

TEST_CASE("the small scenario reproduces its golden trajectories") {
  check_golden(GEOSIM_TESTS_DIR "/golden/small_test.golden.txt", "scenarios/small_test.yaml",
               trajectories(test::small(), 1));
}

TEST_CASE("a version-1 scenario gives the results it gave before format version 2") {
  const Scenario sc = load_scenario(GEOSIM_TESTS_DIR "/golden/central_asia_2022_v1.yaml");
  check_golden(GEOSIM_TESTS_DIR "/golden/central_asia_2022_v1.golden.txt",
               "tests/golden/central_asia_2022_v1.yaml (every 5th turn)", trajectories(sc, 5),
               true);
}

TEST_CASE("the version-2 small scenario reproduces its golden trajectories") {
  check_golden(GEOSIM_TESTS_DIR "/golden/small_test_v2.golden.txt",
               "scenarios/small_test_v2.yaml (every 3rd turn)", trajectories(test::small_v2(), 3));
}
