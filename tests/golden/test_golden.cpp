// Golden regression: the small test scenario's trajectories against a stored reference, with a
// relative tolerance. Regenerate after an intended model change with
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

const char* kGoldenFile = GEOSIM_TESTS_DIR "/golden/small_test.golden.txt";
constexpr double kRelTol = 1e-9;
constexpr double kAbsTol = 1e-12;

/// "variable turn subject object" -> value, for every turn of the small scenario.
std::map<std::string, double> trajectories() {
  const Scenario sc = test::small();
  std::map<std::string, double> out;
  auto code = [&](int i) { return sc.actors[i].code; };
  auto put = [&](const std::string& key, double v) { out[key] = v; };
  test::run(sc, [&](const World& w) {
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

TEST_CASE("the small scenario reproduces its golden trajectories") {
  const auto now = trajectories();
  if (std::getenv("GEOSIM_REGENERATE_GOLDEN")) {
    std::ofstream out(kGoldenFile);
    out << "# Golden trajectories of scenarios/small_test.yaml: variable turn subject [object] "
           "value.\n"
        << "# Written by tools/regenerate-golden.sh; compared with relative tolerance 1e-9.\n";
    char buf[64];
    for (const auto& [key, v] : now) {
      std::snprintf(buf, sizeof buf, "%.17g", v);
      out << key << " " << buf << "\n";
    }
    MESSAGE("regenerated " << kGoldenFile << " (" << now.size() << " values)");
    return;
  }
  std::ifstream in(kGoldenFile);
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
