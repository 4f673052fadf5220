// Overlays (extends:) and --set: merge rules, resolved YAML, and where errors are located.
// Fixtures: tests/scenario/overlays/ (base.yaml, overlay.yaml that uses every merge rule, ...).
#include <doctest/doctest.h>

#include <algorithm>

#include "scenario/tree.hpp"
#include "scenario_test_util.hpp"

using geosim::ActionType;
using geosim::Diagnostic;
using geosim::load_scenario;
using geosim::load_scenario_text;
using geosim::Scenario;
using namespace geosim::test;

namespace {

std::vector<std::string> codes(const Scenario& sc) {
  std::vector<std::string> out;
  for (const auto& a : sc.actors) out.push_back(a.code);
  return out;
}

std::vector<std::string> event_ids(const Scenario& sc) {
  std::vector<std::string> out;
  for (const auto& e : sc.timeline) out.push_back(e.id);
  return out;
}

const geosim::ChannelSpec& channel(const Scenario& sc, const std::string& name) {
  const int k = sc.channel_index(name);
  REQUIRE(k >= 0);
  return sc.channels[k];
}

const geosim::ActorSpec& actor(const Scenario& sc, const std::string& code) {
  const int a = sc.actor_index(code);
  REQUIRE(a >= 0);
  return sc.actors[a];
}

const geosim::ScheduledEvent& event(const Scenario& sc, const std::string& id) {
  const int e = find_event(sc, id);
  REQUIRE(e >= 0);
  return sc.timeline[e];
}

}  // namespace

TEST_CASE("the overlay fixtures' base loads as written") {
  const Scenario sc = load_ok(overlay_file("base.yaml"));
  CHECK(sc.name == "base");
  CHECK(codes(sc) == std::vector<std::string>{"PA", "PB", "C1", "C2", "C9"});
  CHECK(sc.flows.size() == 3);
  CHECK(sc.timeline.size() == 4);
}

TEST_CASE("extends merges maps key by key, the overlay winning") {
  const Scenario sc = load_ok(overlay_file("overlay.yaml"));
  // metadata: name and turns from the overlay, the rest from the base.
  CHECK(sc.name == "overlay");
  CHECK(sc.turns == 24);
  CHECK(sc.description == "the base");
  CHECK(sc.seed == 7);
  CHECK(sc.start.str() == "2020-01-01");
  // parameters: one overridden, one kept.
  CHECK(sc.params.influence_inertia == 0.3);
  CHECK(sc.params.dependence_inertia == 0.2);
  // channels: a channel's fields merge too.
  CHECK(channel(sc, "security_aid").half_life == 24);
  CHECK(channel(sc, "security_aid").description == "slower");
}

TEST_CASE("extends merges actors by code: fields merge, new codes are added, remove deletes") {
  const Scenario sc = load_ok(overlay_file("overlay.yaml"));
  CHECK(codes(sc) == std::vector<std::string>{"PA", "PB", "C1", "C2", "C3"});
  const auto& c1 = actor(sc, "C1");
  CHECK(c1.gdp == doctest::Approx(3.0));
  CHECK(c1.name == "Client One");   // kept from the base
  CHECK(c1.susceptibility == 0.5);  // kept from the base
  CHECK(c1.role == geosim::Role::client);
  // budgets is a map: merged key by key.
  CHECK(c1.budgets[static_cast<int>(geosim::Instrument::economic_aid)] == doctest::Approx(10.0));
  CHECK(c1.budgets[static_cast<int>(geosim::Instrument::visits)] == doctest::Approx(2.0));
  const auto& c3 = actor(sc, "C3");
  CHECK(c3.name == "Client Three");
  CHECK(c3.gdp == doctest::Approx(0.5));
}

TEST_CASE("extends replaces lists of scalars whole") {
  const Scenario sc = load_ok(overlay_file("overlay.yaml"));
  // an actor's blocs: base [PACT, FORUM], overlay [FORUM].
  CHECK(actor(sc, "C1").blocs == std::vector<int>{1});
  // a pole's owners: base [PA], overlay [PA, C1].
  REQUIRE(sc.n_poles() == 2);
  CHECK(sc.poles[0].owners == std::vector<int>{sc.actor_index("PA"), sc.actor_index("C1")});
  CHECK(sc.poles[0].name == "West");  // the pole's other fields are kept
  // an event's transit list: base [C1, C2], overlay [C1].
  CHECK(event(sc, "s1").action.others == std::vector<int>{sc.actor_index("C1")});
}

TEST_CASE("extends merges flows and timeline items by id, appends items without id, removes") {
  const Scenario sc = load_ok(overlay_file("overlay.yaml"));
  // flows: f1's value replaced (its unit USD bn/yr kept), f2 removed, basing kept, one appended.
  CHECK(sc.flows.size() == 3);
  const int f1 = find_flow(sc, "trade", "PA", "C1");
  REQUIRE(f1 >= 0);
  CHECK(sc.flows[f1].value == doctest::Approx(2000.0));
  CHECK(find_flow(sc, "remittances", "PB", "C1") < 0);
  CHECK(find_flow(sc, "basing", "PB", "C2") >= 0);
  const int added = find_flow(sc, "trade", "PB", "C3");
  REQUIRE(added >= 0);
  CHECK(sc.flows[added].value == doctest::Approx(40.0));

  // timeline: x1 removed; s1 and v1 merged; the loan (no id) kept; one visit appended.
  CHECK(find_event(sc, "x1") < 0);
  const auto& s1 = event(sc, "s1");
  CHECK(s1.action.amount == doctest::Approx(0.8));  // intensity from the overlay
  CHECK(s1.action.actor == sc.actor_index("PA"));   // sender from the base
  CHECK(s1.date.str() == "2020-05-01");
  const auto& v1 = event(sc, "v1");
  CHECK(v1.date.str() == "2021-06-01");
  CHECK(v1.turn == 17);
  CHECK(v1.action.amount == 3);
  CHECK(v1.action.target == sc.actor_index("C1"));
  // Sorted by turn after merging: appended visit (turn 1), s1 (4), loan (5), v1 (17).
  CHECK(event_ids(sc) == std::vector<std::string>{"", "s1", "", "v1"});
  CHECK(sc.timeline[0].action.type == ActionType::visit);
  CHECK(sc.timeline[0].action.target == sc.actor_index("C3"));
  CHECK(sc.timeline[2].action.type == ActionType::loan);
}

TEST_CASE("extends chains, each path relative to the file that contains it") {
  const Scenario sc = load_ok(overlay_file("sub/chain.yaml"));
  CHECK(sc.name == "chain");
  CHECK(sc.params.dependence_inertia == 0.25);  // chain.yaml
  CHECK(sc.params.influence_inertia == 0.3);    // overlay.yaml
  CHECK(sc.turns == 24);                        // overlay.yaml
  CHECK(sc.seed == 7);                          // base.yaml
  CHECK(codes(sc) == std::vector<std::string>{"PA", "PB", "C1", "C2", "C3"});
}

TEST_CASE("load_scenario_text resolves extends too") {
  const std::string text =
      "geosim: 1\nextends: " + overlay_file("base.yaml") + "\nmetadata: {name: from_text}\n";
  const Scenario sc = load_text_ok(text);
  CHECK(sc.name == "from_text");
  CHECK(sc.n_actors() == 5);
}

TEST_CASE("--set changes parameters, including ones the file does not give") {
  const Scenario sc = load_ok(overlay_file("base.yaml"),
                              {"parameters.influence_inertia=0.4", "parameters.sanction_drag=0.7"});
  CHECK(sc.params.influence_inertia == 0.4);
  CHECK(sc.params.sanction_drag == 0.7);
  CHECK(sc.params.dependence_inertia == 0.2);
}

TEST_CASE("--set applies in order: the last one wins") {
  const Scenario sc = load_ok(overlay_file("base.yaml"), {"parameters.influence_inertia=0.4",
                                                          "parameters.influence_inertia=0.5"});
  CHECK(sc.params.influence_inertia == 0.5);
}

TEST_CASE("--set on an actor by code, with a unit string") {
  const Scenario sc = load_ok(overlay_file("base.yaml"), {"actors[C1].gdp=12 USD bn"});
  CHECK(actor(sc, "C1").gdp == doctest::Approx(12.0));
  const Scenario sc2 = load_ok(overlay_file("base.yaml"), {"actors[C2].gdp=1500 USD m"});
  CHECK(actor(sc2, "C2").gdp == doctest::Approx(1.5));
  // A field the actor does not have yet, inside a map it does not have yet.
  const Scenario sc3 = load_ok(overlay_file("base.yaml"), {"actors[PA].budgets.loans=5 USD m"});
  CHECK(actor(sc3, "PA").budgets[static_cast<int>(geosim::Instrument::loans)] == 5.0);
}

TEST_CASE("--set on timeline items by id, scalars and lists") {
  const Scenario sc = load_ok(
      overlay_file("base.yaml"),
      {"timeline[x1].personnel=700", "timeline[s1].transit=[C2]", "timeline[v1].date=2020-09-15"});
  CHECK(event(sc, "x1").action.amount == 700);
  CHECK(event(sc, "s1").action.others == std::vector<int>{sc.actor_index("C2")});
  CHECK(event(sc, "v1").turn == 8);
}

TEST_CASE("--set by index picks the list item at that position") {
  const Scenario sc = load_ok(overlay_file("base.yaml"), {"flows[0].value=10", "metadata.turns=6"});
  const int f1 = find_flow(sc, "trade", "PA", "C1");
  REQUIRE(f1 >= 0);
  CHECK(sc.flows[f1].value == doctest::Approx(10000.0));  // 10 in f1's unit, USD bn/yr
  CHECK(sc.turns == 6);
  const Scenario sc2 = load_ok(overlay_file("base.yaml"), {"actors[1].name=Second"});
  CHECK(sc2.actors[1].name == "Second");
  CHECK(sc2.actors[1].code == "PB");
}

TEST_CASE("--set applies after extends") {
  const Scenario sc = load_ok(overlay_file("overlay.yaml"), {"flows[f1].value=3"});
  const int f1 = find_flow(sc, "trade", "PA", "C1");
  REQUIRE(f1 >= 0);
  CHECK(sc.flows[f1].value == doctest::Approx(3000.0));
}

TEST_CASE("resolved_yaml reflects extends and --set, and reloads to the same scenario") {
  const std::vector<std::string> sets = {"actors[C1].gdp=12 USD bn", "parameters.sanction_drag=0.7",
                                         "timeline[s1].transit=[C1]", "metadata.seed=99"};
  const Scenario sc = load_ok(overlay_file("overlay.yaml"), sets);
  CHECK(sc.source_file == overlay_file("overlay.yaml"));

  const geosim::Node root = geosim::parse_yaml(sc.resolved_yaml, "<resolved>");
  REQUIRE(root.is_map());
  CHECK(root.find("extends") == nullptr);
  const geosim::Node* md = root.find("metadata");
  REQUIRE(md != nullptr);
  REQUIRE(md->find("name") != nullptr);
  CHECK(md->find("name")->scalar == "overlay");
  REQUIRE(md->find("seed") != nullptr);
  CHECK(md->find("seed")->scalar == "99");
  CHECK(sc.resolved_yaml.find("remove") == std::string::npos);
  CHECK(sc.resolved_yaml.find("12 USD bn") != std::string::npos);
  CHECK(sc.resolved_yaml.find("C9") == std::string::npos);

  const Scenario again = load_text_ok(sc.resolved_yaml);
  check_same_scenario(sc, again);
  CHECK(again.resolved_yaml == sc.resolved_yaml);  // emitting is a fixed point
}

TEST_CASE("errors in an overlay point at the overlay file, not the base") {
  const std::string path = overlay_file("overlay_errors.yaml");
  const auto ds = diagnostics_of([&] { (void)load_scenario(path); });
  INFO("all diagnostics:" << describe(ds));
  REQUIRE(ds.size() == 3);
  CHECK(ds[0].where.file == path);
  CHECK(ds[0].where.line == 5);
  CHECK(ds[0].where.column == 16);
  CHECK(ds[0].key_path == "actors[C1].gpd");
  CHECK(ds[0].message.find("did you mean 'gdp'") != std::string::npos);
  CHECK(ds[1].where.file == path);
  CHECK(ds[1].where.line == 6);
  CHECK(ds[1].where.column == 32);
  CHECK(ds[1].key_path == "actors[C2].susceptibility");
  CHECK(ds[2].where.file == path);
  CHECK(ds[2].where.line == 8);
  CHECK(ds[2].where.column == 21);
  CHECK(ds[2].key_path == "timeline[v1].level");
}

TEST_CASE("errors in values the overlay did not touch point at the base file") {
  const std::string base = overlay_file("base.yaml");
  const auto ds =
      diagnostics_of([&] { (void)load_scenario(overlay_file("overlay_shrinks_run.yaml")); });
  INFO("all diagnostics:" << describe(ds));
  REQUIRE(ds.size() == 3);
  for (const Diagnostic& d : ds) {
    CHECK(d.where.file == base);
    CHECK(d.message.find("is outside the run") != std::string::npos);
  }
  CHECK(ds[0].where.line == 39);
  CHECK(ds[0].where.column == 20);
  CHECK(ds[0].key_path == "timeline[x1].date");
  CHECK(ds[2].where.line == 41);
  CHECK(ds[2].key_path == "timeline[3].date");
}

TEST_CASE("an error in a value set on the command line points at that --set") {
  const auto ds = diagnostics_of([&] {
    (void)load_scenario(overlay_file("overlay.yaml"),
                        {"parameters.influence_inertia=0.4", "timeline[v1].level=9"});
  });
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].where.file == "<command line --set #2>");
  CHECK(ds[0].key_path == "timeline[v1].level");
}
