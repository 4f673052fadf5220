// Threads within a turn (core/turn_pool.hpp): step() with a pool gives the bits of step()
// without one, whatever the number of threads and however the rows fall into blocks.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>

#include "core/turn_pool.hpp"
#include "support/model_fixtures.hpp"
#include "support/same_world.hpp"

using namespace geosim;

using test::require_same_log;
using test::require_same_world;

TEST_CASE("row blocks cover the rows once, in order, for any number of parts") {
  for (int n : {0, 1, 2, 5, 13, 96, 97, 800, 1001})
    for (int parts = 1; parts <= 7; ++parts) {
      CAPTURE(n);
      CAPTURE(parts);
      REQUIRE(row_split(n, parts, 0) == 0);
      REQUIRE(row_split(n, parts, parts) == n);
      REQUIRE(triangle_split(n, parts, 0) == 0);
      REQUIRE(triangle_split(n, parts, parts) == n);
      for (int p = 0; p < parts; ++p) {
        REQUIRE(row_split(n, parts, p) <= row_split(n, parts, p + 1));
        REQUIRE(triangle_split(n, parts, p) <= triangle_split(n, parts, p + 1));
      }
    }
  // Upper-triangle blocks hold about the same number of cells: rows [0, r) hold n r - r(r-1)/2.
  const int n = 800;
  auto cells = [&](int r) { return n * r - r * (r - 1) / 2; };
  for (int parts : {2, 3, 4}) {
    const double each = cells(n) / static_cast<double>(parts);
    for (int p = 0; p < parts; ++p) {
      const int got = cells(triangle_split(n, parts, p + 1)) - cells(triangle_split(n, parts, p));
      CHECK(std::abs(got - each) < 0.01 * each);
    }
  }
}

TEST_CASE("a turn pool never has more threads than usable cores, nor fewer than 1") {
  const int cores = turn_pool_threads(1 << 20);
  CHECK(cores >= 1);
  CHECK(turn_pool_threads(1) == 1);
  CHECK(turn_pool_threads(0) == 1);
  CHECK(turn_pool_threads(cores) == cores);
  if (cores > 1) CHECK(turn_pool_threads(2) == 2);
}

TEST_CASE("a pool runs every part once and can be reused") {
  TurnPool pool(3, 1);
  std::array<int, 3> hits{};
  for (int round = 0; round < 1000; ++round) {
    auto body = [&](int part) { ++hits[static_cast<std::size_t>(part)]; };
    pool.run(round % 4, body);  // 0 and 1 part run here; 2 and 3 on the workers too
  }
  CHECK(hits[0] == 1000);
  CHECK(hits[1] == 500);
  CHECK(hits[2] == 250);
}

TEST_CASE("step with 2, 3 or 5 threads gives the bits of one thread, in every shipped scenario") {
  const std::vector<std::string> files = test::shipped_scenario_files();
  REQUIRE(files.size() >= 12);
  // min_rows = 1: every loop is split, also at these scenarios' 8-20 actors, so blocks of one or
  // two rows and blocks that are empty (5 threads on few rows) are all exercised.
  TurnPool two(2, 1), three(3, 1), five(5, 1);
  for (const auto& f : files) {
    CAPTURE(f);
    const Scenario sc = load_scenario(f);
    const CounterRng rng(sc.seed, 7);
    World one = make_world(sc);
    World w2 = one, w3 = one, w5 = one;
    for (int t = 0; t < sc.turns; ++t) {
      CAPTURE(t);
      step(one, sc, rng);
      step(w2, sc, rng, &two);
      step(w3, sc, rng, &three);
      step(w5, sc, rng, &five);
      require_same_world(one, w2);
      require_same_world(one, w3);
      require_same_world(one, w5);
    }
    require_same_log(one, w2);
    require_same_log(one, w3);
    require_same_log(one, w5);
  }
}
