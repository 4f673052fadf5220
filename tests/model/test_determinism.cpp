#include <doctest/doctest.h>

#include "support/model_fixtures.hpp"

using namespace geosim;

namespace {
bool same(const World& a, const World& b) {
  bool eq = (a.I == b.I).all() && (a.D == b.D).all() && (a.x == b.x).all() &&
            (a.gdp == b.gdp).all() && a.log.size() == b.log.size();
  for (int k = 0; k < a.k; ++k) eq = eq && (a.flow[k] == b.flow[k]).all();
  return eq;
}
}  // namespace

TEST_CASE("the same scenario and seed give bit-identical runs") {
  const Scenario sc = test::baseline();
  CHECK(same(test::run(sc), test::run(sc)));
}

TEST_CASE("detections depend on the random key: some seed differs in what is detected") {
  // With a certain-to-be-tested threat, the detection pattern follows the seed.
  const Scenario sc = test::small({"timeline[t_sec2].detection=0.3"});
  std::vector<std::size_t> detections;
  for (std::uint64_t run = 0; run < 20; ++run) {
    const World w = test::run(sc, {}, run);
    std::size_t n = 0;
    for (const auto& e : w.log) n += e.action == ActionType::detection;
    detections.push_back(n);
  }
  CHECK(std::adjacent_find(detections.begin(), detections.end(), std::not_equal_to<>()) !=
        detections.end());
}
