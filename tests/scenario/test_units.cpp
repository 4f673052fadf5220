// Quantities and units (docs/scenario-format.md, "Quantities and units"), between: flows,
// default budgets, and the mapping of timeline dates to turns.
#include <doctest/doctest.h>

#include "scenario_test_util.hpp"

using doctest::Approx;
using geosim::ActionType;
using geosim::Instrument;
using geosim::Scenario;
using namespace geosim::test;

namespace {

/// A valid scenario: two patrons PA and PB, plus `actors`, `rest` (flows:, timeline:, ...) and
/// the metadata's turn length and count.
std::string scenario(const std::string& actors, const std::string& rest = "",
                     const std::string& turn = "month", int turns = 12,
                     const std::string& start = "2020-01-01") {
  return "geosim: 1\n"
         "metadata: {name: units, start: " +
         start + ", turn: " + turn + ", turns: " + std::to_string(turns) +
         "}\n"
         "poles:\n"
         "  - {code: west, owners: [PA]}\n"
         "  - {code: east, owners: [PB]}\n"
         "actors:\n"
         "  - {code: PA, name: A, gdp: 100, anchor: {west: 1}}\n"
         "  - {code: PB, name: B, gdp: 50, anchor: {east: 1}}\n" +
         actors + rest;
}

double budget_of(const geosim::ActorSpec& a, Instrument i) {
  return a.budgets[static_cast<int>(i)];
}

double flow_value(const Scenario& sc, const std::string& channel, const std::string& from,
                  const std::string& to) {
  const int f = find_flow(sc, channel, from, to);
  REQUIRE_MESSAGE(f >= 0, "no " << channel << " flow " << from << " -> " << to);
  return sc.flows[f].value;
}

/// The turn of a single visit on `date` in a run of `turns` turns of length `turn`.
int turn_of(const std::string& date, const std::string& turn, int turns,
            const std::string& start = "2020-01-01") {
  const Scenario sc = load_text_ok(scenario(
      "", "timeline:\n  - {date: " + date + ", action: visit, from: PA, to: PB, level: 1}\n", turn,
      turns, start));
  REQUIRE(sc.timeline.size() == 1);
  return sc.timeline[0].turn;
}

bool date_rejected(const std::string& date, const std::string& turn, int turns) {
  const auto ds = diagnostics_of([&] {
    (void)geosim::load_scenario_text(
        scenario("",
                 "timeline:\n  - {date: " + date + ", action: visit, from: PA, to: PB, level: 1}\n",
                 turn, turns),
        "<test>");
  });
  return ds.size() == 1 && ds[0].key_path == "timeline[0].date" &&
         ds[0].message.find("outside the run") != std::string::npos;
}

}  // namespace

TEST_CASE("gdp, military and budget convert to USD bn per year") {
  const Scenario sc = load_text_ok(
      scenario("  - {code: G1, name: g, gdp: 10.71, anchor: {west: 1}}\n"
               "  - {code: G2, name: g, gdp: 10.71 USD bn, anchor: {west: 1}}\n"
               "  - {code: G3, name: g, gdp: 10710 USD m, anchor: {west: 1}}\n"
               "  - {code: G4, name: g, gdp: 10710000 USD k, anchor: {west: 1}}\n"
               "  - {code: G5, name: g, gdp: 10710000000 USD, anchor: {west: 1}}\n"
               "  - {code: G6, name: g, gdp: 0.01071 USD tn, anchor: {west: 1}}\n"
               "  - {code: G7, name: g, gdp: 10.71 USD bn/yr, anchor: {west: 1}}\n"
               "  - {code: G8, name: g, gdp: 1.071e4 USD m, anchor: {west: 1}}\n"
               "  - {code: M1, name: m, gdp: 20, military: 0.11 USD bn, budget: 4 USD bn, anchor: "
               "{west: 1}}\n"
               "  - {code: M2, name: m, gdp: 20, military: 110 USD m, budget: 4000 USD m/yr, "
               "anchor: {west: 1}}\n"
               "  - {code: M3, name: m, gdp: 20, military: 0.11, budget: 4, anchor: {west: 1}}\n"));
  for (const char* code : {"G1", "G2", "G3", "G4", "G5", "G6", "G7", "G8"}) {
    CAPTURE(code);
    CHECK(sc.actors[sc.actor_index(code)].gdp == Approx(10.71));
  }
  for (const char* code : {"M1", "M2", "M3"}) {
    CAPTURE(code);
    CHECK(sc.actors[sc.actor_index(code)].military == Approx(0.11));
    CHECK(sc.actors[sc.actor_index(code)].budget == Approx(4.0));
  }
}

TEST_CASE("budgets per instrument convert to USD m per year") {
  const Scenario sc = load_text_ok(scenario(
      "  - {code: C1, name: c, gdp: 20, anchor: {west: 1}, budgets: {economic_aid: 150.8 USD m, "
      "security_aid: 0.1 USD bn, exercises: 500 USD k, visits: 7, loans: 2 USD m/yr}}\n"));
  const auto& c1 = sc.actors[sc.actor_index("C1")];
  CHECK(budget_of(c1, Instrument::economic_aid) == Approx(150.8));
  CHECK(budget_of(c1, Instrument::security_aid) == Approx(100.0));
  CHECK(budget_of(c1, Instrument::exercises) == Approx(0.5));
  CHECK(budget_of(c1, Instrument::visits) == Approx(7.0));
  CHECK(budget_of(c1, Instrument::loans) == Approx(2.0));
  // Instruments not given are 0.
  CHECK(budget_of(sc.actors[sc.actor_index("PA")], Instrument::loans) == 0.0);
}

TEST_CASE("growth is a fraction per year; '8 %/yr' is 0.08") {
  const Scenario sc = load_text_ok(
      scenario("  - {code: C1, name: c, gdp: 20, growth: 8 %/yr, anchor: {west: 1}}\n"
               "  - {code: C2, name: c, gdp: 20, growth: 0.03, anchor: {west: 1}}\n"
               "  - {code: C3, name: c, gdp: 20, growth: 12.6 %/yr, anchor: {west: 1}}\n"
               "  - {code: C4, name: c, gdp: 20, growth: -2 %/yr, anchor: {west: 1}}\n"
               "  - {code: C5, name: c, gdp: 20, anchor: {west: 1}}\n"));
  CHECK(sc.actors[sc.actor_index("C1")].growth == Approx(0.08));
  CHECK(sc.actors[sc.actor_index("C2")].growth == Approx(0.03));
  CHECK(sc.actors[sc.actor_index("C3")].growth == Approx(0.126));
  CHECK(sc.actors[sc.actor_index("C4")].growth == Approx(-0.02));
  CHECK(sc.actors[sc.actor_index("C5")].growth == 0.0);  // default
}

TEST_CASE("flow values convert to the channel's unit") {
  const Scenario sc = load_text_ok(
      scenario("  - {code: C1, name: c, gdp: 20, anchor: {west: 1}}\n",
               "flows:\n"
               "  - {channel: trade, from: PA, to: C1, value: 1, unit: USD m/month}\n"  // x12
               "  - {channel: trade, from: PB, to: C1, value: 1.5, unit: USD bn/yr}\n"
               "  - {channel: trade, from: C1, to: PA, value: 500, unit: USD k/yr}\n"
               "  - {channel: energy, from: PB, to: PA, value: 0.001, unit: USD tn/yr}\n"
               "  - {channel: remittances, from: PA, to: PB, value: 2000000, unit: USD/yr}\n"
               "  - {channel: economic_aid, from: PA, to: C1, value: 20}\n"  // canonical
               "  - {channel: debt, from: PB, to: C1, value: 2, unit: USD bn}\n"
               "  - {channel: arms, from: PB, to: PA, value: 300, unit: USD m}\n"
               "  - {channel: basing, from: PA, to: C1, value: 1000, unit: personnel}\n"
               "  - {channel: exercises, from: PB, to: PA, value: 350}\n"
               "  - {channel: diplomacy, from: C1, to: PB, value: 2, unit: level}\n"));
  CHECK(flow_value(sc, "trade", "PA", "C1") == Approx(12.0));
  CHECK(flow_value(sc, "trade", "PB", "C1") == Approx(1500.0));
  CHECK(flow_value(sc, "trade", "C1", "PA") == Approx(0.5));
  CHECK(flow_value(sc, "energy", "PB", "PA") == Approx(1000.0));
  CHECK(flow_value(sc, "remittances", "PA", "PB") == Approx(2.0));
  CHECK(flow_value(sc, "economic_aid", "PA", "C1") == Approx(20.0));
  CHECK(flow_value(sc, "debt", "PB", "C1") == Approx(2000.0));
  CHECK(flow_value(sc, "arms", "PB", "PA") == Approx(300.0));
  CHECK(flow_value(sc, "basing", "PA", "C1") == Approx(1000.0));
  CHECK(flow_value(sc, "exercises", "PB", "PA") == Approx(350.0));
  CHECK(flow_value(sc, "diplomacy", "C1", "PB") == Approx(2.0));
  CHECK(sc.flows.size() == 11);
}

TEST_CASE("between: splits a turnover equally both ways") {
  const Scenario sc = load_text_ok(scenario("",
                                            "flows:\n  - {channel: trade, between: [PA, PB], "
                                            "value: 4, unit: USD bn/yr, decaying: true}\n"));
  REQUIRE(sc.flows.size() == 2);
  CHECK(flow_value(sc, "trade", "PA", "PB") == Approx(2000.0));
  CHECK(flow_value(sc, "trade", "PB", "PA") == Approx(2000.0));
  CHECK(sc.flows[0].decaying);
  CHECK(sc.flows[1].decaying);
}

TEST_CASE("timeline amounts are totals in USD m") {
  const Scenario sc = load_text_ok(scenario(
      "",
      "flows:\n"
      "  - {channel: trade, from: PA, to: PB, value: 1}\n"
      "timeline:\n"
      "  - {id: a, date: 2020-02-01, action: economic_aid, donor: PA, recipient: PB, amount: 0.06 "
      "USD bn}\n"
      "  - {id: b, date: 2020-02-01, action: security_aid, donor: PA, recipient: PB, amount: 60, "
      "turns: 24}\n"
      "  - {id: c, date: 2020-02-01, action: loan, lender: PA, borrower: PB, amount: 60000 USD k}\n"
      "  - {id: d, date: 2020-02-01, action: loan, lender: PB, borrower: PA, amount: 60 USD m}\n"));
  for (const char* id : {"a", "b", "c", "d"}) {
    CAPTURE(id);
    const int e = find_event(sc, id);
    REQUIRE(e >= 0);
    CHECK(sc.timeline[e].action.amount == Approx(60.0));
  }
  CHECK(sc.timeline[find_event(sc, "a")].action.turns == 1);  // default
  CHECK(sc.timeline[find_event(sc, "b")].action.turns == 24);
}

TEST_CASE("money disbursed into a scenario without money ties is refused: no bandwidth scale") {
  const auto ds = diagnostics_of([&] {
    (void)geosim::load_scenario_text(
        scenario("",
                 "timeline:\n  - {date: 2020-02-01, action: loan, lender: PA, borrower: PB, "
                 "amount: 60}\n"),
        "<test>");
  });
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].key_path == "channels");
  CHECK(ds[0].message.find("no money channel has initial flows or stocks") != std::string::npos);
}

TEST_CASE("the default budget is budget_share_of_gdp x gdp") {
  const std::string actors =
      "  - {code: C1, name: c, gdp: 20, anchor: {west: 1}}\n"
      "  - {code: C2, name: c, gdp: 20, budget: 5 USD bn, anchor: {west: 1}}\n";
  const Scenario sc = load_text_ok(scenario(actors));
  CHECK(sc.params.budget_share_of_gdp == Approx(0.2));  // model default (model.md)
  CHECK(sc.actors[sc.actor_index("C1")].budget == Approx(0.2 * 20));
  CHECK(sc.actors[sc.actor_index("PA")].budget == Approx(0.2 * 100));
  CHECK(sc.actors[sc.actor_index("C2")].budget == Approx(5.0));  // given: kept

  const Scenario sc2 = load_text_ok(scenario(actors, "parameters: {budget_share_of_gdp: 0.3}\n"));
  CHECK(sc2.actors[sc2.actor_index("C1")].budget == Approx(0.3 * 20));
  CHECK(sc2.actors[sc2.actor_index("C2")].budget == Approx(5.0));

  // Also when the share is set on the command line.
  const Scenario sc3 = load_text_ok(scenario(actors), {"parameters.budget_share_of_gdp=0.5"});
  CHECK(sc3.actors[sc3.actor_index("C1")].budget == Approx(10.0));
}

TEST_CASE("defaults of optional actor and metadata fields") {
  const Scenario sc = load_text_ok(scenario(""));
  const auto& pa = sc.actors[0];
  CHECK(pa.role == geosim::Role::other);
  CHECK(pa.growth == 0.0);
  CHECK(pa.military == 0.0);
  CHECK(pa.susceptibility == 0.0);
  CHECK(pa.autonomy == 1.0);
  CHECK(pa.stability == 1.0);
  CHECK(pa.blocs.empty());
  CHECK(same_vector(pa.alignment, pa.anchor));  // alignment defaults to the anchor
  REQUIRE(pa.anchor.size() == 2);
  CHECK(pa.anchor(0) == 1.0);
  CHECK(pa.anchor(1) == 0.0);  // poles not named are 0
  CHECK(sc.seed == 1);
  CHECK(sc.description.empty());
}

TEST_CASE("the turn length sets months per turn") {
  CHECK(load_text_ok(scenario("", "", "month", 12)).months_per_turn == 1);
  CHECK(load_text_ok(scenario("", "", "quarter", 4)).months_per_turn == 3);
  CHECK(load_text_ok(scenario("", "", "year", 3)).months_per_turn == 12);
  // turn: defaults to month
  const std::string no_turn =
      "geosim: 1\nmetadata: {name: n, start: 2020-01-01, turns: 3}\n"
      "poles: [{code: west, owners: [PA]}]\n"
      "actors:\n  - {code: PA, name: A, gdp: 1, anchor: {west: 1}}\n"
      "  - {code: PB, name: B, gdp: 1, anchor: {west: 1}}\n";
  CHECK(load_text_ok(no_turn).months_per_turn == 1);
}

TEST_CASE("timeline dates map to turns: monthly turns") {
  CHECK(turn_of("2020-01-01", "month", 12) == 0);
  CHECK(turn_of("2020-01-31", "month", 12) == 0);
  CHECK(turn_of("2020-02-01", "month", 12) == 1);
  CHECK(turn_of("2020-12-31", "month", 12) == 11);
  CHECK(date_rejected("2021-01-01", "month", 12));
  CHECK(date_rejected("2019-12-31", "month", 12));
  // A start in mid-month: only year and month count.
  CHECK(turn_of("2020-02-10", "month", 12, "2020-01-15") == 1);
  CHECK(turn_of("2020-12-31", "month", 12, "2020-01-15") == 11);
}

TEST_CASE("timeline dates map to turns: quarterly turns") {
  CHECK(turn_of("2020-03-31", "quarter", 4) == 0);
  CHECK(turn_of("2020-04-01", "quarter", 4) == 1);
  CHECK(turn_of("2020-12-31", "quarter", 4) == 3);
  CHECK(date_rejected("2021-01-01", "quarter", 4));
  CHECK(turn_of("2020-04-30", "quarter", 4, "2020-02-01") == 0);
  CHECK(turn_of("2020-05-01", "quarter", 4, "2020-02-01") == 1);
}

TEST_CASE("timeline dates map to turns: yearly turns") {
  CHECK(turn_of("2020-12-31", "year", 3) == 0);
  CHECK(turn_of("2021-01-01", "year", 3) == 1);
  CHECK(turn_of("2022-12-31", "year", 3) == 2);
  CHECK(date_rejected("2023-01-01", "year", 3));
}

TEST_CASE("the timeline is sorted by turn, keeping the file's order within a turn") {
  const Scenario sc = load_text_ok(
      scenario("",
               "timeline:\n"
               "  - {id: e5, date: 2020-06-20, action: visit, from: PA, to: PB, level: 1}\n"
               "  - {id: e1a, date: 2020-02-28, action: visit, from: PA, to: PB, level: 1}\n"
               "  - {id: e3, date: 2020-04-01, action: visit, from: PB, to: PA, level: 2}\n"
               "  - {id: e1b, date: 2020-02-01, action: visit, from: PB, to: PA, level: 3}\n"
               "  - {id: e0, date: 2020-01-05, action: sanction, sender: PA, target: PB, "
               "intensity: 0.2}\n"));
  std::vector<std::string> ids;
  std::vector<int> turns;
  for (const auto& e : sc.timeline) {
    ids.push_back(e.id);
    turns.push_back(e.turn);
  }
  CHECK(ids == std::vector<std::string>{"e0", "e1a", "e1b", "e3", "e5"});
  CHECK(turns == std::vector<int>{0, 1, 1, 3, 5});
  // Each event keeps its own date and fields through the sort.
  CHECK(sc.timeline[2].date.str() == "2020-02-01");
  CHECK(sc.timeline[2].action.amount == 3);
  CHECK(sc.timeline[0].action.type == ActionType::sanction);
}
