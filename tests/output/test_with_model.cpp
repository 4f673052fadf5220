#include <doctest/doctest.h>

#include <filesystem>

#include "fixture.hpp"
#include "model/step.hpp"
#include "output/run_info.hpp"
#include "output/run_writer.hpp"

using namespace geosim;

/// The writer takes the model's own world as it is sized by make_world and advanced by step().
TEST_CASE("a run of the real model writes a complete, readable file") {
  Scenario sc = test::tiny_scenario(6);
  for (auto& a : sc.actors) {
    a.budget = a.gdp * 0.2;
    a.military = a.gdp * 0.02;
    a.susceptibility = 0.5;
  }
  const int trade = sc.channel_index("trade");
  sc.flows = {{trade, 0, 3, 2000.0, false, "test", "", ""},
              {trade, 1, 3, 9000.0, false, "test", "", ""},
              {trade, 2, 3, 4000.0, false, "test", "", ""},
              {trade, 3, 1, 3000.0, false, "test", "", ""}};
  Action aid;
  aid.type = ActionType::economic_aid;
  aid.actor = 0;
  aid.target = 3;
  aid.amount = 120.0;
  aid.turns = 3;
  sc.timeline = {{1, sc.date_of_turn(1), "aid", "test", aid}};

  const std::string path = test::scratch_path("model_run.h5");
  World w = make_world(sc);
  const CounterRng rng(sc.seed, 0);
  {
    RunWriter writer(path, sc, w);
    for (int t = 0; t < sc.turns; ++t) {
      step(w, sc, rng);
      REQUIRE(w.turn == t);
      writer.record(w);
    }
    writer.finish(w, Provenance{});
  }
  REQUIRE(std::filesystem::exists(path));
  const RunInfo info = read_run_info(path);
  CHECK(info.turns == 6);
  CHECK(info.events == w.log.size());
  CHECK(info.events >= 1);
  REQUIRE(info.clients.size() == 1);
  CHECK(info.clients.front().code == "KAZ");
}
