// Bad input for the fields of format version 2: each is refused with its first diagnostic at the
// right file (the overlay or the --set that holds the mistake), key path and message.
#include <doctest/doctest.h>

#include "scenario_test_util.hpp"

using geosim::Diagnostic;
using geosim::load_scenario;
using geosim::load_scenario_text;
using namespace geosim::test;

namespace {

const std::string kV2 = GEOSIM_SCENARIOS_DIR "/small_test_v2.yaml";
const std::string kV1 = GEOSIM_SCENARIOS_DIR "/small_test.yaml";
const std::string kOverlay = "<overlay>";

struct Case {
  std::string overlay;  ///< YAML after "geosim: 2\nextends: small_test_v2.yaml\n"
  std::string key_path;
  std::string message;
};

std::vector<Diagnostic> overlay_errors(const std::string& base, int version,
                                       const std::string& overlay,
                                       const std::vector<std::string>& sets = {}) {
  return diagnostics_of([&] {
    (void)load_scenario_text(
        "geosim: " + std::to_string(version) + "\nextends: " + base + "\n" + overlay, kOverlay,
        sets);
  });
}

const std::string T = "timeline:\n  - ";

}  // namespace

TEST_CASE("bad version-2 fields are located in the overlay that holds them") {
  const std::vector<Case> cases = {
      {T + "{id: t_conflict, sides: [C1, C2, C3]}", "timeline[t_conflict].sides",
       "a conflict has exactly two sides"},
      {T + "{id: t_conflict, intensity: 1.5}", "timeline[t_conflict].intensity",
       "value 1.5 is out of range; expected a number in [0, 1]"},
      {T + "{id: t_conflict, end: 2020-03-01}", "timeline[t_conflict].end",
       "end 2020-03-01 is before the event's date 2020-06-01"},
      {T + "{id: t_conflict, turns: 3}", "timeline[t_conflict]", "give either turns or end"},
      {T + "{id: t_conflict, cuts: [trad]}", "timeline[t_conflict].cuts[0]",
       "unknown channel 'trad' (did you mean 'trade'?)"},
      {T + "{id: t_deploy, channel: trade}", "timeline[t_deploy].channel",
       "its channel must be in personnel"},
      {T + "{id: t_policy, policy: pa_budgt}", "timeline[t_policy].policy",
       "no policy with id 'pa_budgt' (did you mean 'pa_budget'?)"},
      {T + "{id: t_policy, set: {temprature: 2}}", "timeline[t_policy].set.temprature",
       "unknown key 'temprature' (did you mean 'temperature'?)"},
      {T + "{id: p2, date: 2020-05-01, action: policy, policy: pa_budget}", "timeline[p2]",
       "a policy event changes nothing"},
      {T + "{id: t_budget, budgets: {economic_aid: 5}}", "timeline[t_budget]",
       "give either budgets (new yearly budgets) or scale"},
      {T + "{id: b2, date: 2020-05-01, action: budget, actor: PA, budgets: {economic_ad: 5}}",
       "timeline[b2].budgets.economic_ad", "did you mean 'economic_aid'"},
      {T + "{id: t_flow, value: 3}", "timeline[t_flow]", "give either value (the new level)"},
      {T + "{id: t_flow, channel: institutions}", "timeline[t_flow].channel",
       "the institutions channel comes from bloc memberships"},
      {T + "{id: t_flow, unit: USD bn/yr}", "timeline[t_flow].unit", "unit goes with value"},
      {T + "{id: t_anchor, anchor: {west: 0.5, east: 0.6}}", "timeline[t_anchor].anchor",
       "shares add up to 1.1"},
      {T + "{id: t_leave, change: quit}", "timeline[t_leave].change",
       "unknown bloc change 'quit'; expected one of: join, leave, freeze, unfreeze"},
      {T + "{id: t_withdraw, stocks: keep}", "timeline[t_withdraw].stocks",
       "unknown stock rule 'keep'; expected one of: depreciate, remove"},
      {T + "{id: t_sanc, sender: ROW}", "timeline[t_sanc].sender",
       "the rest of the world (ROW) cannot be named here"},
      {"rest_of_world:\n  totals:\n    - {id: c3_trade, actor: C3, channel: trade, turnover: 1, "
       "unit: USD bn/yr}\n",
       "rest_of_world.totals[c3_trade]", "is larger than its total turnover"},
      {"rest_of_world:\n  totals:\n    - {actor: C3, channel: trade, turnover: 5, inflow: 2}\n",
       "rest_of_world.totals[4]", "give inflow and/or outflow, or turnover"},
      {"rest_of_world:\n  totals:\n    - {actor: C1, channel: trade, turnover: 20}\n",
       "rest_of_world.totals[4]", "a second total for the same actor and channel"},
      {"rest_of_world:\n  totals:\n    - {actor: ROW, channel: trade, inflow: 2}\n",
       "rest_of_world.totals[4].actor", "the rest of the world (ROW) cannot be named here"},
      {"rest_of_world: {gdp: -5}\n", "rest_of_world.gdp", "is out of range"},
      {"actors:\n  - {code: C3, neighbours: [C9]}\n", "actors[C3].neighbours[0]",
       "unknown actor 'C9'"},
      {"actors:\n  - {code: ROW, name: Another, gdp: 1, anchor: {west: 1}}\n", "actors[ROW].code",
       "the code ROW is the rest of the world's"},
      {"blocs:\n  - {code: PACT, trade_preference: 20}\n", "blocs[PACT].trade_preference",
       "value 20 is out of range"},
      {T + "{id: t_withdraw, channels: [basing, institutions]}", "timeline[t_withdraw].channels",
       "the institutions channel comes from bloc memberships"},
      {T + "{id: t_conflict, cuts: [trade, institutions]}", "timeline[t_conflict].cuts",
       "the institutions channel comes from bloc memberships"},
      {T + "{id: t_conflict, cuts: []}", "timeline[t_conflict].cuts", "got an empty list"},
      {T + "{id: t_conflict, sides: [C1, C1]}", "timeline[t_conflict].sides",
       "actor 'C1' is listed twice"},
      {T + "{id: f3, date: 2020-05-01, action: flow, channel: trade, between: [C2, C2], scale: 2}",
       "timeline[f3].between", "actor 'C2' is listed twice"},
      {"actors:\n  - {code: C1, neighbours: [C1]}\n", "actors[C1].neighbours",
       "an actor cannot be its own neighbour"},
      // An overlay that raises a flow past its actor's total is the place of the mistake.
      {"flows:\n  - {id: trade_pb_c1, value: 40, unit: USD bn/yr}\n", "flows[trade_pb_c1].value",
       "is larger than its total turnover"},
      // A rule over several values is blamed on the value the overlay wrote.
      {T + "{id: t_sanc, target: PA}", "timeline[t_sanc]", "the action's two actors are the same"},
      {"actors:\n  - {code: C1, anchor: {west: 0.5}}\n", "actors[C1].anchor",
       "shares add up to 1.2"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.overlay);
    const auto ds = overlay_errors(kV2, 2, c.overlay);
    REQUIRE_MESSAGE(!ds.empty(), "the overlay loaded");
    const Diagnostic& d = ds.front();
    INFO("all diagnostics:" << describe(ds));
    CHECK(d.where.file == kOverlay);
    CHECK(d.where.line > 0);
    CHECK(d.key_path == c.key_path);
    CHECK_MESSAGE(d.message.find(c.message) != std::string::npos,
                  "message '" << d.message << "' lacks '" << c.message << "'");
  }
}

TEST_CASE("a deployment on the default channel made a money stock is refused, not a crash") {
  // The event gives no channel, so the error stands at the event (in the base file).
  const auto ds = overlay_errors(kV2, 2,
                                 "channels:\n  basing: {unit: USD m}\nflows:\n"
                                 "  - {id: basing_pa_c2, remove: true}\n"
                                 "  - {id: basing_pb_c1, remove: true}\n");
  REQUIRE(!ds.empty());
  CHECK(ds[0].where.file == kV2);
  CHECK(ds[0].key_path == "timeline[t_deploy].channel");
  CHECK(ds[0].message.find("its channel (the default, basing) must be in personnel") !=
        std::string::npos);
}

TEST_CASE("a --set that breaks a version-2 rule is located on the command line") {
  const auto ds =
      diagnostics_of([&] { (void)load_scenario(kV2, {"timeline[t_anchor].anchor.west=0.9"}); });
  REQUIRE(!ds.empty());
  CHECK(ds[0].where.file == "<command line --set #1>");
  CHECK(ds[0].key_path == "timeline[t_anchor].anchor");
  CHECK(ds[0].message.find("shares add up to 1.1") != std::string::npos);
}

TEST_CASE("version-1 files are refused version-2 features, with the version they need") {
  const std::vector<Case> cases = {
      {T + "{id: c, date: 2020-05-01, action: conflict, sides: [C1, C2], intensity: 0.5}",
       "timeline[c].action", "action 'conflict' needs scenario format version 2"},
      {T + "{id: t_visit, cost: 1}", "timeline[t_visit].cost",
       "'cost' needs scenario format version 2"},
      {T + "{id: t_bloc, change: freeze}", "timeline[t_bloc].change",
       "'freeze' needs scenario format version 2"},
      {"rest_of_world: {gdp: 100}\n", "rest_of_world",
       "rest_of_world needs scenario format version 2"},
      {"actors:\n  - {code: C1, neighbours: [C2]}\n", "actors[C1].neighbours",
       "'neighbours' needs scenario format version 2"},
      {"parameters: {sanction_sender_cost: 0.2}\n", "parameters.sanction_sender_cost",
       "'sanction_sender_cost' needs scenario format version 2"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.overlay);
    const auto ds = overlay_errors(kV1, 1, c.overlay);
    REQUIRE_MESSAGE(!ds.empty(), "the overlay loaded");
    INFO("all diagnostics:" << describe(ds));
    CHECK(ds[0].where.file == kOverlay);
    CHECK(ds[0].key_path == c.key_path);
    CHECK_MESSAGE(ds[0].message.find(c.message) != std::string::npos,
                  "message '" << ds[0].message << "' lacks '" << c.message << "'");
  }
  // From the command line too.
  const auto ds = diagnostics_of([&] { (void)load_scenario(kV1, {"rest_of_world.gdp=100"}); });
  REQUIRE(!ds.empty());
  CHECK(ds[0].where.file == "<command line --set #1>");
  CHECK(ds[0].message.find("needs scenario format version 2") != std::string::npos);
}

TEST_CASE("an extends chain has one format version") {
  const auto ds = overlay_errors(kV1, 2, "");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].key_path == "geosim");
  CHECK(ds[0].message.find("is version 1: every file of an extends chain") != std::string::npos);
}

TEST_CASE("warnings: valid but suspicious input is reported, never refused") {
  const auto sc = load_scenario_text(
      "geosim: 2\nextends: " + kV2 +
          "\ntimeline:\n"
          "  - {id: long_aid, date: 2021-10-01, action: economic_aid, donor: PA, recipient: C3, "
          "amount: 5, turns: 12}\n"
          "  - {id: own_soil, date: 2020-05-01, action: deploy, actor: PB, host: PB, "
          "personnel: 10, turns: 2}\n"
          "  - {id: rejoin, date: 2020-05-01, action: bloc, actor: C1, bloc: PACT, change: join}\n"
          "  - {id: lift, date: 2020-05-01, action: sanction, sender: PB, target: PA, "
          "intensity: 0}\n",
      kOverlay);
  auto has = [&](const std::string& path, const std::string& text) {
    for (const auto& d : sc.warnings)
      if (d.key_path == path && d.message.find(text) != std::string::npos) return true;
    return false;
  };
  CHECK(has("timeline[long_aid]", "past the end of the run"));
  CHECK(has("timeline[own_soil]", "own territory"));
  CHECK(has("timeline[rejoin]", "already"));
  CHECK(has("timeline[lift]", "lifts a sanction"));
  for (const auto& d : sc.warnings)  // located in the overlay that wrote the events
    if (d.key_path == "timeline[long_aid]" || d.key_path == "timeline[own_soil]" ||
        d.key_path == "timeline[rejoin]" || d.key_path == "timeline[lift]")
      CHECK(d.where.file == kOverlay);
}
