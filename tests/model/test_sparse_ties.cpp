// World::sender_rows (senders()): the phases visit only the rows a channel's ties can be in. These
// tests check that this is exact (the same bits as visiting every row) and that every write marks
// its row.
#include <doctest/doctest.h>

#include "support/model_fixtures.hpp"
#include "support/same_world.hpp"

using namespace geosim;

namespace {

/// Rows outside a channel's senders are exactly 0 in its base, pulse and flow.
void require_zero_outside(const World& w) {
  for (int k = 0; k < w.k; ++k)
    for (int i = 0; i < w.n; ++i) {
      if (w.is_sender[static_cast<std::size_t>(k * w.n + i)]) continue;
      CAPTURE(k);
      CAPTURE(i);
      REQUIRE((w.base[k].row(i) == 0.0).all());
      REQUIRE((w.pulse[k].row(i) == 0.0).all());
      REQUIRE((w.flow[k].row(i) == 0.0).all());
    }
}

/// Steps `sc` twice side by side: as it is, and with every row of every channel marked as a
/// sender from the start (the phases then visit every row, as dense loops do).
void check_against_every_row(const Scenario& sc) {
  const CounterRng rng(sc.seed, 3);
  World sparse = make_world(sc);
  World dense = make_world(sc);
  for (int k = 0; k < dense.k; ++k)
    for (int i = 0; i < dense.n; ++i) mark_sender(dense, k, i);
  require_zero_outside(sparse);
  for (int t = 0; t < sc.turns; ++t) {
    CAPTURE(t);
    step(sparse, sc, rng);
    step(dense, sc, rng);
    require_zero_outside(sparse);
    test::require_same_world(sparse, dense);
  }
}

}  // namespace

TEST_CASE("sparse ties give the bits of visiting every row, in every shipped scenario") {
  const std::vector<std::string> files = test::shipped_scenario_files();
  REQUIRE(files.size() >= 12);
  for (const auto& f : files) {
    CAPTURE(f);
    check_against_every_row(load_scenario(f));
  }
}

TEST_CASE("a tie created during the run marks its row: aid, diversion and a bloc accession") {
  // The version-2 test scenario has every action once: programmes, deployments, ramps, blocs,
  // conflicts, sanctions with diversion; more sanction pressure makes diversion reach rows
  // with no trade of their own.
  check_against_every_row(test::small_v2());
  check_against_every_row(test::small({"timeline[t_sec2].detection=0.9"}));
}

TEST_CASE("a restored world finds its senders from its arrays") {
  const Scenario sc = test::small_v2();
  const CounterRng rng(sc.seed, 0);
  World w = make_world(sc);
  for (int t = 0; t < sc.turns / 2; ++t) step(w, sc, rng);
  World again = w;
  find_senders(again);
  for (int k = 0; k < w.k; ++k) {
    CAPTURE(k);
    // Recomputed from the arrays: a subset of the grown set (rows whose ties ended drop out).
    for (int i : senders(again, k)) CHECK(w.is_sender[static_cast<std::size_t>(k * w.n + i)]);
  }
  for (int t = sc.turns / 2; t < sc.turns; ++t) {
    step(w, sc, rng);
    step(again, sc, rng);
  }
  test::require_same_world(w, again);
}

TEST_CASE("diversion through a transit state that only imports marks its row") {
  // C2 buys from PA and PB but sells nothing: its trade row is empty, so it is no sender of
  // trade until a sanction on PA -> PB routes goods through it (version 1 and version 2 rules).
  for (const Scenario& sc : {test::small(), test::small_v2()}) {
    CAPTURE(sc.version);
    const int trade = make_world(sc).ch.trade;
    const int pa = sc.actor_index("PA"), pb = sc.actor_index("PB"), c2 = sc.actor_index("C2");
    World sparse = make_world(sc);
    sparse.base[trade].row(c2).setZero();
    sparse.flow[trade].row(c2).setZero();
    find_senders(sparse);
    REQUIRE_FALSE(sparse.is_sender[static_cast<std::size_t>(trade * sparse.n + c2)]);
    sparse.sanction(pa, pb) = 0.5;
    World dense = sparse;
    for (int k = 0; k < dense.k; ++k)
      for (int i = 0; i < dense.n; ++i) mark_sender(dense, k, i);
    const CounterRng rng(sc.seed, 0);
    for (int t = 0; t < 3; ++t) {
      step(sparse, sc, rng);
      step(dense, sc, rng);
      require_zero_outside(sparse);
      test::require_same_world(sparse, dense);
    }
    CHECK(sparse.is_sender[static_cast<std::size_t>(trade * sparse.n + c2)]);
    CHECK(sparse.flow[trade](c2, pb) > 0.0);
  }
}
