// Checkpoints: a world saved after a turn and read back continues exactly as the original, and
// history_yaml decides which scenarios may continue from it.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <limits>

#include "core/error.hpp"
#include "fixture.hpp"
#include "model/step.hpp"
#include "output/checkpoint.hpp"
#include "output/h5_helpers.hpp"
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
  } catch (const FileError& e) {
    CHECK(e.file() == plain);
    CHECK(std::string(e.what()).find("without a checkpoint") != std::string::npos);
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

namespace {

/// Overwrites one value of a state member of the checkpoint at `path` (as damage would).
void poke(const std::string& path, const char* member, std::size_t index, double value) {
  h5::QuietErrors quiet;
  h5::Handle f = h5::check(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), "open");
  h5::Handle ds = h5::check(
      H5Dopen2(f.get(), (std::string("checkpoint/") + member).c_str(), H5P_DEFAULT), member);
  const auto shape = h5::shape(ds.get());
  std::vector<hsize_t> start(shape.size(), 0), count(shape.size(), 1);
  start.back() = index % shape.back();
  if (shape.size() > 1) start[0] = index / shape.back();
  h5::write_block(ds.get(), start, count, std::vector<double>{value});
}

std::string refusal(const std::string& path, const Scenario& sc) {
  try {
    (void)read_checkpoint_world(path, sc);
  } catch (const FileError& e) {
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("a damaged checkpoint state is refused before the turn loop can use it") {
  const Scenario sc = test::small_v2();
  const std::string good = test::scratch_path("checkpoint_good.h5");
  (void)checkpoint(sc, 7, good, 2);
  REQUIRE(refusal(good, sc) == "accepted");
  const auto damaged = [&](const char* member, std::size_t index, double value) {
    const std::string path = test::scratch_path(std::string("checkpoint_bad_") + member + ".h5");
    std::filesystem::copy_file(good, path, std::filesystem::copy_options::overwrite_existing);
    poke(path, member, index, value);
    return refusal(path, sc);
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_MESSAGE(damaged("gdp", 0, nan).find("state member 'gdp' holds NaN") != std::string::npos,
                damaged("gdp", 0, nan));
  CHECK(damaged("x", 1, -std::numeric_limits<double>::infinity()).find("infinite") !=
        std::string::npos);
  // The log's actor column (index 3 of 8) pointing past the actors.
  CHECK_MESSAGE(damaged("log", 3, 99.0).find("has actor = 99, expected a whole number in [-1, ") !=
                    std::string::npos,
                damaged("log", 3, 99.0));
  CHECK(damaged("log", 1, 2.5).find("has action = 2.5") != std::string::npos);
  CHECK(damaged("conflicts", 0, -7.0).find("has a = -7") != std::string::npos);
  CHECK(damaged("deployments", 1, nan).find("holds NaN") != std::string::npos);
  // The hedging index of an actor no patron reaches is NaN by design: accepted.
  CHECK(damaged("hedging", 0, nan) == "accepted");
}
