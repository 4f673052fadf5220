// Checkpoints: a world saved after a turn and read back continues exactly as the original, and
// history_yaml decides which scenarios may continue from it.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/error.hpp"
#include "fixture.hpp"
#include "model/step.hpp"
#include "output/checkpoint.hpp"
#include "output/run_writer.hpp"
#include "scenario/history.hpp"
#include "support/model_fixtures.hpp"

using namespace geosim;

namespace {

/// Runs `sc` to the end of `turn` and writes a checkpoint there; returns the world.
World checkpoint(const Scenario& sc, int turn, const std::string& path, std::uint64_t run_id) {
  const CounterRng rng(sc.seed, run_id);
  World w = make_world(sc);
  RunWriter writer(path, sc, w, turn + 1);
  for (int t = 0; t <= turn; ++t) {
    step(w, sc, rng);
    writer.record(w);
  }
  writer.add_checkpoint(w, sc, history_yaml(sc, turn));
  Provenance prov = test::sample_provenance();
  prov.run_id = run_id;
  writer.finish(w, prov);
  return w;
}

void check_same(const Matrix& a, const Matrix& b, const char* what) {
  INFO(what);
  REQUIRE(a.rows() == b.rows());
  REQUIRE(a.cols() == b.cols());
  CHECK((a == b).all());
}
void check_same(const Vector& a, const Vector& b, const char* what) {
  INFO(what);
  REQUIRE(a.size() == b.size());
  CHECK((a == b).all());
}

void check_same_world(const World& a, const World& b) {
  CHECK(a.turn == b.turn);
  CHECK(a.next_event == b.next_event);
  for (int k = 0; k < a.k; ++k) {
    check_same(a.base[k], b.base[k], "base");
    check_same(a.pulse[k], b.pulse[k], "pulse");
    check_same(a.flow[k], b.flow[k], "flow");
    check_same(a.dep[k], b.dep[k], "dep");
  }
  check_same(a.D, b.D, "D");
  check_same(a.I, b.I, "I");
  check_same(a.B, b.B, "B");
  check_same(a.x, b.x, "x");
  check_same(a.gdp, b.gdp, "gdp");
  check_same(a.sanction, b.sanction, "sanction");
  check_same(a.penalty_left, b.penalty_left, "penalty_left");
  check_same(a.compliance, b.compliance, "compliance");
  check_same(a.spent_year, b.spent_year, "spent_year");
  check_same(a.membership, b.membership, "membership");
  check_same(a.policy_state, b.policy_state, "policy_state");
  CHECK(a.sanction_transit == b.sanction_transit);
  REQUIRE(a.programs.size() == b.programs.size());
  for (std::size_t i = 0; i < a.programs.size(); ++i) {
    CHECK(a.programs[i].rate == b.programs[i].rate);
    CHECK(a.programs[i].turns_left == b.programs[i].turns_left);
    CHECK(a.programs[i].to == b.programs[i].to);
  }
  REQUIRE(a.threats.size() == b.threats.size());
  for (std::size_t i = 0; i < a.threats.size(); ++i)
    CHECK(a.threats[i].compliance == b.threats[i].compliance);
  check_same(a.budget, b.budget, "budget");
  check_same(a.frozen, b.frozen, "frozen");
  check_same(a.war, b.war, "war");
  check_same(a.x0, b.x0, "x0");
  REQUIRE(a.conflicts.size() == b.conflicts.size());
  for (std::size_t i = 0; i < a.conflicts.size(); ++i) {
    CHECK(a.conflicts[i].last == b.conflicts[i].last);
    CHECK(a.conflicts[i].intensity == b.conflicts[i].intensity);
    CHECK(a.conflicts[i].channels == b.conflicts[i].channels);  // the same event's list
  }
  REQUIRE(a.deployments.size() == b.deployments.size());
  for (std::size_t i = 0; i < a.deployments.size(); ++i) {
    CHECK(a.deployments[i].personnel == b.deployments[i].personnel);
    CHECK(a.deployments[i].turns_left == b.deployments[i].turns_left);
  }
  REQUIRE(a.ramps.size() == b.ramps.size());
  for (std::size_t i = 0; i < a.ramps.size(); ++i) {
    CHECK(a.ramps[i].end == b.ramps[i].end);
    CHECK(a.ramps[i].done == b.ramps[i].done);
  }
  REQUIRE(a.log.size() == b.log.size());
  for (std::size_t i = 0; i < a.log.size(); ++i) {
    CHECK(a.log[i].amount == b.log[i].amount);
    CHECK(a.log[i].others == b.log[i].others);  // the same timeline event's participants
    CHECK(a.log[i].cause == b.log[i].cause);
  }
}

}  // namespace

TEST_CASE("a world read back from a checkpoint continues exactly as the original") {
  // The baseline (policies, shocks, exercises with participants) plus a sanction with a
  // transit list: every kind of state, pointers into the timeline included.
  const Scenario sc = load_scenario_text(
      "geosim: 2\nextends: " GEOSIM_SCENARIOS_DIR
      "/central_asia_2022.yaml\ntimeline:\n"
      "  - {id: transit_sanction, date: 2022-03-01, action: sanction, sender: EU, target: RUS, "
      "intensity: 0.5, transit: [KAZ, KGZ], source: test}\n",
      GEOSIM_SCENARIOS_DIR "/overlay.yaml");
  const std::string path = test::scratch_path("checkpoint.h5");
  const std::uint64_t run_id = 4;
  World original = checkpoint(sc, 13, path, run_id);
  World restored = read_checkpoint_world(path, sc);
  check_same_world(original, restored);
  CHECK(original.programs.size() > 0);
  CHECK(original.threats.size() > 0);
  CHECK(std::any_of(original.log.begin(), original.log.end(),
                    [](const LoggedEvent& e) { return e.others != nullptr; }));
  CHECK(original.sanction_transit !=
        std::vector<const std::vector<int>*>(original.sanction_transit.size(), nullptr));

  const CounterRng rng(sc.seed, run_id);
  for (int t = original.turn + 1; t < sc.turns; ++t) {
    step(original, sc, rng);
    step(restored, sc, rng);
  }
  check_same_world(original, restored);

  const CheckpointInfo info = read_checkpoint_info(path);
  CHECK(info.turn == 13);
  CHECK(info.date == "2023-02-01");
  CHECK(info.seed == sc.seed);
  CHECK(info.run_id == run_id);
  CHECK(info.scenario_name == "central_asia_2022");
  CHECK(info.history_yaml == history_yaml(sc, 13));
}

TEST_CASE("a version-2 world (conflicts, deployments, ramps) continues exactly from a checkpoint") {
  const Scenario sc = test::small_v2();
  const std::string path = test::scratch_path("checkpoint_v2.h5");
  World original = checkpoint(sc, 7, path, 2);  // conflict, deployment and flow ramp running
  World restored = read_checkpoint_world(path, sc);
  CHECK(original.conflicts.size() == 1);
  CHECK(original.deployments.size() == 1);
  CHECK(original.ramps.size() > 0);
  check_same_world(original, restored);
  const CounterRng rng(sc.seed, 2);
  for (int t = original.turn + 1; t < sc.turns; ++t) {
    step(original, sc, rng);
    step(restored, sc, rng);
  }
  check_same_world(original, restored);
}

TEST_CASE("a checkpoint is refused when the file is not one or the scenario does not fit") {
  const Scenario sc = test::baseline();
  const std::string plain = test::scratch_path("not_a_checkpoint.h5");
  {
    World w = make_world(sc);
    const CounterRng rng(sc.seed, 0);
    RunWriter writer(plain, sc, w, 1);
    step(w, sc, rng);
    writer.record(w);
    writer.finish(w, test::sample_provenance());
  }
  try {
    (void)read_checkpoint_info(plain);
    FAIL("a run file without a checkpoint was accepted");
  } catch (const InputError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].key_path == "--from");
    CHECK(e.diagnostics()[0].message.find("without a checkpoint") != std::string::npos);
  }
  const std::string path = test::scratch_path("checkpoint_shape.h5");
  (void)checkpoint(sc, 2, path, 0);
  CHECK_THROWS_WITH_AS(read_checkpoint_world(path, test::small()),
                       doctest::Contains("numbers of actors, channels or poles"),
                       std::runtime_error);
}

TEST_CASE("history_yaml keeps what decides the state up to a turn, and nothing after it") {
  const Scenario base = test::baseline();
  const int t = 11;  // Dec 2022
  const auto overlay = [](const std::string& body) {
    return load_scenario_text(
        "geosim: 2\nextends: " GEOSIM_SCENARIOS_DIR "/central_asia_2022.yaml\n" + body,
        GEOSIM_SCENARIOS_DIR "/overlay.yaml");
  };
  // Later events, another name, description and horizon: the same history.
  const Scenario later = overlay(
      "metadata: {name: other, description: x, turns: 30}\ntimeline:\n"
      "  - {id: new_ex, date: 2023-01-01, action: exercise, sponsor: USA, host: TJK, "
      "participants: [TJK], personnel: 100, source: t}\n"
      "  - {id: sanction_usa_kgz_2023, remove: true}\n");
  CHECK(history_yaml(later, t) == history_yaml(base, t));
  CHECK(history_differences(history_yaml(base, t), history_yaml(later, t)).empty());
  // ... but not at a later turn, where those events are history.
  CHECK(history_differences(history_yaml(base, 20), history_yaml(later, 20)) ==
        std::vector<std::string>{"timeline[sanction_usa_kgz_2023]", "timeline[new_ex]"});

  // An earlier event, an actor's value, a policy and a parameter are history.
  const Scenario early = overlay(
      "actors:\n  - {code: TJK, gdp: 11 USD bn}\ntimeline:\n"
      "  - {id: rc22, personnel: 700}\n"
      "policies:\n  - {id: usa_budget, temperature: 0.5}\n"
      "parameters: {influence_inertia: 0.2}\n");
  CHECK(history_differences(history_yaml(base, t), history_yaml(early, t)) ==
        std::vector<std::string>{"actors[TJK]", "timeline[rc22]", "policies[usa_budget]",
                                 "parameters.influence_inertia"});
}
