// Loader behaviours that were bugs when the scenario tests were first written: each states the
// documented behaviour.
#include <doctest/doctest.h>

#include "scenario_test_util.hpp"

using doctest::Approx;
using geosim::Scenario;
using namespace geosim::test;

namespace {

/// The text of tests/bad_scenarios/valid_minimal.yaml.
std::string minimal() {
  return read_text(bad_file("valid_minimal.yaml"));
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "'" << from << "' not in the text");
  return s.replace(at, from.size(), to);
}

std::vector<geosim::Diagnostic> text_diagnostics(const std::string& text,
                                                 const std::vector<std::string>& sets = {}) {
  return diagnostics_of([&] { (void)geosim::load_scenario_text(text, "<test>", sets); });
}

}  // namespace

// Bug 1. docs: channels.half_life "number (months) or .inf"; build_channels.cpp reads it with
// number(..., 1e-9, 1e9, allow_infinity = true), but Reader::number (reader.cpp) still applies
// the max 1e9 to +inf: "value inf is out of range; expected a number in [1e-09, 1e+09]".
TEST_CASE("a channel's half_life may be .inf") {
  const Scenario sc = load_text_ok(minimal() + "channels:\n  trade: {half_life: .inf}\n");
  CHECK(std::isinf(sc.channels[sc.channel_index("trade")].half_life));
}

// Bug 2. docs: flows[].id "unique; lets an overlay or --set address this item"; build_flows
// (build_channels.cpp) never reads `id`, so duplicate (or non-text) ids pass, and an overlay
// or --set silently addresses only the first of them.
TEST_CASE("two flows with the same id are an error") {
  const std::string text = replace(
      minimal(), "timeline:\n",
      "  - {id: f1, channel: trade, from: PB, to: C1, value: 2, unit: USD bn/yr}\ntimeline:\n");
  const auto ds = text_diagnostics(text);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].where.line == 18);
  CHECK(ds[0].key_path == "flows[f1].id");
  CHECK(ds[0].message.find("duplicate") != std::string::npos);
}

// Bug 3. docs: visit `level` is "1, 2 or 3"; build_timeline.cpp reads it as a real number in
// [1, 3], so level 2.5 is accepted.
TEST_CASE("a visit level must be 1, 2 or 3") {
  const auto ds = text_diagnostics(replace(minimal(), "level: 2}", "level: 2.5}"));
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].key_path == "timeline[v1].level");
}

// Bug 4. docs: pole codes are "identifiers of letters, digits and _", bloc codes and item ids
// "identifier"; none of these is checked (build_metadata.cpp build_poles_and_blocs,
// build_channels.cpp build_flows, build_timeline.cpp), e.g. a pole "we st!" loads.
TEST_CASE("pole codes, bloc codes and ids must be identifiers") {
  std::string text = minimal();
  text = replace(text, "{code: west, owners", "{code: \"we st!\", owners");
  text = replace(text, "anchor: {west: 1}", "anchor: {\"we st!\": 1}");
  text = replace(text, "{west: 0.5,", "{\"we st!\": 0.5,");
  const auto ds = text_diagnostics(text);
  REQUIRE(!ds.empty());
  CHECK(ds[0].key_path == "poles[we st!].code");
  CHECK(!text_diagnostics(replace(minimal(), "{code: PACT}", "{code: \"PA CT\"}")).empty());
  CHECK(!text_diagnostics(replace(minimal(), "{id: f1,", "{id: \"f 1\",")).empty());
}

// Bug 5. docs: poles[].name and blocs[].name default to "the code"; build_poles_and_blocs
// leaves them empty.
TEST_CASE("pole and bloc names default to their code") {
  const Scenario sc = load_text_ok(minimal());
  CHECK(sc.poles[0].name == "west");
  CHECK(sc.blocs[0].name == "PACT");
}

// Bug 6. docs: an event fires in "the turn that contains [its] date (only year and month
// count)", and the date's turn must be 0 .. turns-1. build_timeline.cpp compares whole dates
// with the start, so with start 2020-01-15 a date 2020-01-05 (turn 0) is rejected as "outside
// the run".
TEST_CASE("a date in the start month but before the start day is in turn 0") {
  std::string text = replace(minimal(), "start: 2020-01-01", "start: 2020-01-15");
  text = replace(text, "date: 2020-03-01", "date: 2020-01-05");
  const Scenario sc = load_text_ok(text);
  CHECK(sc.timeline[0].turn == 0);
}

// Bug 7. overlay.cpp apply_set: std::stoul on a numeric selector too large for unsigned long
// throws std::out_of_range, not InputError (the CLI would not exit with code 2 and a located
// message).
TEST_CASE("--set with a huge index is an InputError") {
  const auto ds = diagnostics_of([&] {
    (void)geosim::load_scenario(bad_file("valid_minimal.yaml"),
                                {"flows[99999999999999999999999].value=1"});
  });
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].where.file == "<command line --set #1>");
}

// Bug 8. build_timeline.cpp: when metadata.turns (or start) is missing or invalid, sc.turns
// stays 0, so every timeline date is also reported "outside the run; expected a date from
// 2020-01-01 up to (not including) 2020-01-01" (or 0000-01-01 when start is bad): spurious
// follow-on errors. The date range check should be skipped when the run is not known.
TEST_CASE("a bad metadata.turns is reported once, without follow-on date errors") {
  for (const char* file : {"05_missing_turns.yaml", "43_zero_turns.yaml", "48_quoted_number.yaml",
                           "55_metadata_not_a_map.yaml"}) {
    CAPTURE(file);
    const auto ds = diagnostics_of([&] { (void)geosim::load_scenario(bad_file(file)); });
    INFO("all diagnostics:" << describe(ds));
    CHECK(ds.size() == 1);
  }
}

// Bug 9 (docs). docs/scenario-format.md, "Command line --set": the example
// `--set metadata.turns=24` on central_asia_2022.yaml is rejected, because that scenario has
// events in 2023 (timeline[sanction_usa_kgz_2023], 2023-07-20) outside a 12-month run. Use e.g.
// metadata.turns=24 in the example.
TEST_CASE("the --set example of the docs, in full, works on central_asia_2022") {
  const Scenario sc =
      load_ok(std::string(GEOSIM_SCENARIOS_DIR) + "/central_asia_2022.yaml",
              {"parameters.dependence_inertia=0.2", "actors[TJK].gdp=12 USD bn",
               "timeline[rc22].personnel=700", "timeline[transshipment_alert].transit=[KAZ, KGZ]",
               "metadata.turns=24", "flows[0].value=10"});
  CHECK(sc.turns == 24);
}

// Review finding: a sponsor listed among an exercise's participants was counted twice.
TEST_CASE("an exercise's sponsor may not be listed among its participants") {
  const auto ds = diagnostics_of([&] {
    (void)geosim::load_scenario(GEOSIM_SCENARIOS_DIR "/small_test.yaml",
                                {"timeline[t_ex].participants=[PB, C1, C2]"});
  });
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].key_path == "timeline[t_ex].participants");
  CHECK(ds[0].message.find("the sponsor is listed among the participants") != std::string::npos);
}
