// ScenarioEdit (scenario/scenario_edit.hpp): a typed edit of a built Scenario must give exactly
// the scenario, and so exactly the run, that loading with the same --set gives.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "model/step.hpp"
#include "policy/policy_set.hpp"
#include "scenario/scenario_edit.hpp"
#include "scenario_test_util.hpp"
#include "support/model_fixtures.hpp"

using geosim::InputError;
using geosim::load_scenario;
using geosim::load_scenario_text;
using geosim::Location;
using geosim::Matrix;
using geosim::PolicySet;
using geosim::Scenario;
using geosim::ScenarioEdit;
using geosim::World;
using namespace geosim::test;

namespace {

const std::string kBaseline = GEOSIM_SCENARIOS_DIR "/central_asia_2022.yaml";
const std::string kSmall = GEOSIM_SCENARIOS_DIR "/small_test.yaml";

const Scenario& loaded(const std::string& file) {
  static const Scenario baseline = load_ok(kBaseline);
  static const Scenario small = load_ok(kSmall);
  return file == kBaseline ? baseline : small;
}

ScenarioEdit edit(const std::string& path, const std::string& file = kBaseline) {
  return ScenarioEdit::resolve(loaded(file), path, Location{"<test>", 1, 1});
}

const PolicySet& policies_of(const Scenario& sc) {
  const auto* set = dynamic_cast<const PolicySet*>(sc.decider.get());
  REQUIRE(set != nullptr);
  return *set;
}

double policy_number(const Scenario& sc, const std::string& id, const std::string& name) {
  for (const auto& [type, p] : policies_of(sc).policies())
    if (p.id == id) return p.number(name);
  FAIL("no policy " << id);
  return 0.0;
}

bool same_bits(const Matrix& a, const Matrix& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.size()) * sizeof(double)) == 0;
}

bool same_bits(const geosim::Vector& a, const geosim::Vector& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.size()) * sizeof(double)) == 0;
}

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

/// Whether two worlds agree bit for bit on what the brief compares: I, D, x, gdp and the log.
bool same_state(const World& a, const World& b, std::string& why) {
  if (!same_bits(a.I, b.I)) why = "I";
  if (!same_bits(a.D, b.D)) why = "D";
  if (!same_bits(a.x, b.x)) why = "x";
  if (!same_bits(a.gdp, b.gdp)) why = "gdp";
  if (a.log.size() != b.log.size()) why = "events log length";
  for (std::size_t i = 0; why.empty() && i < a.log.size(); ++i) {
    const auto &x = a.log[i], &y = b.log[i];
    if (x.turn != y.turn || x.action != y.action || x.cause != y.cause || x.actor != y.actor ||
        x.target != y.target || !same_bits(x.amount, y.amount) || x.bloc != y.bloc ||
        (x.others == nullptr) != (y.others == nullptr) || (x.others && *x.others != *y.others))
      why = "event " + std::to_string(i) + " of the log";
  }
  return why.empty();
}

/// Runs both scenarios in lockstep; returns the first turn where they differ (and what), or -1.
int first_difference(const Scenario& a, const Scenario& b, std::uint64_t run_id, std::string& why) {
  REQUIRE(a.turns == b.turns);
  const geosim::CounterRng ra(a.seed, run_id), rb(b.seed, run_id);
  World wa = geosim::make_world(a), wb = geosim::make_world(b);
  for (int t = 0; t < a.turns; ++t) {
    geosim::step(wa, a, ra);
    geosim::step(wb, b, rb);
    if (!same_state(wa, wb, why)) return t;
  }
  return -1;
}

void check_same_decider(const Scenario& a, const Scenario& b) {
  REQUIRE((a.decider == nullptr) == (b.decider == nullptr));
  if (a.decider == nullptr) return;
  const auto &pa = policies_of(a).policies(), &pb = policies_of(b).policies();
  REQUIRE(pa.size() == pb.size());
  for (std::size_t i = 0; i < pa.size(); ++i) {
    CAPTURE(pa[i].second.id);
    CHECK(pa[i].first == pb[i].first);
    CHECK(pa[i].second.id == pb[i].second.id);
    CHECK(pa[i].second.actor == pb[i].second.actor);
    CHECK(pa[i].second.numbers == pb[i].second.numbers);
    CHECK(pa[i].second.weights == pb[i].second.weights);
    CHECK(pa[i].second.lists == pb[i].second.lists);
  }
  const auto &sa = policies_of(a).shocks(), &sb = policies_of(b).shocks();
  REQUIRE(sa.size() == sb.size());
  for (std::size_t i = 0; i < sa.size(); ++i) {
    CAPTURE(sa[i].id);
    CHECK(sa[i].id == sb[i].id);
    CHECK(sa[i].kind == sb[i].kind);
    CHECK(sa[i].actors == sb[i].actors);
    CHECK(sa[i].probability == sb[i].probability);
    CHECK(sa[i].size == sb[i].size);
    CHECK(sa[i].turns == sb[i].turns);
  }
}

/// Everything check_same_scenario() leaves out: the decider and the fields the edit relies on.
void check_same_typed(const Scenario& a, const Scenario& b) {
  check_same_scenario(a, b);
  check_same_decider(a, b);
  for (std::size_t i = 0; i < a.actors.size() && i < b.actors.size(); ++i)
    CHECK(a.actors[i].budget_from_gdp == b.actors[i].budget_from_gdp);
  for (std::size_t i = 0; i < a.flows.size() && i < b.flows.size(); ++i) {
    CHECK(a.flows[i].id == b.flows[i].id);
    CHECK(a.flows[i].unit == b.flows[i].unit);
  }
}

/// Applies path = value to a copy of `file`'s scenario and loads `file` with --set as_set(value):
/// the two must have the same typed fields and the same run, bit for bit, over every turn. With
/// `changes_run`, the edited run must also differ from the unedited one (so the check can fail).
Scenario check_edit(const std::string& path, double value, const std::string& file = kBaseline,
                    bool changes_run = true, std::uint64_t run_id = 0) {
  const ScenarioEdit e = edit(path, file);
  Scenario edited = loaded(file);
  e.apply(edited, value);
  const std::string set = e.as_set(value);
  CAPTURE(set);
  const Scenario from_yaml = load_ok(file, {set});
  check_same_typed(edited, from_yaml);
  std::string why;
  const int t = first_difference(edited, from_yaml, run_id, why);
  CHECK_MESSAGE(t == -1, "typed edit and --set runs differ at turn " << t << " in " << why);
  if (changes_run) {
    why.clear();
    CHECK_MESSAGE(first_difference(edited, loaded(file), run_id, why) >= 0,
                  "the edit did not change the run");
  }
  return edited;
}

/// The first value from `start` up whose conversion to the canonical unit is not exact
/// ((v * scale) * per_year / divisor != v), so that a test fails unless apply() converts as the
/// loader does.
double inexact_value(double start, double scale, double divisor) {
  double v = start;
  for (int i = 0; i < 100000; ++i, v = std::nextafter(v, 1e300))
    if (v * scale / divisor != v) return v;
  FAIL("no value with an inexact conversion near " << start);
  return start;
}

/// The diagnostic of a resolve() that must fail.
std::string resolve_error(const std::string& path, const std::string& file = kBaseline) {
  try {
    (void)edit(path, file);
  } catch (const InputError& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].key_path == path);
    CHECK(e.diagnostics()[0].where.file == "<test>");
    return e.diagnostics()[0].message;
  }
  FAIL("resolve(" << path << ") did not throw");
  return {};
}

bool load_rejects(const std::string& file, const std::string& set) {
  try {
    (void)load_scenario(file, {set});
  } catch (const InputError&) {
    return true;
  }
  return false;
}

}  // namespace

TEST_CASE("edit: a model parameter") {
  const ScenarioEdit e = edit("parameters.dependence_inertia");
  CHECK(e.path() == "parameters.dependence_inertia");
  CHECK(e.unit().empty());
  CHECK(e.lo() == 0.0);
  CHECK(e.hi() == 1.0);
  CHECK(e.as_set(0.3) == "parameters.dependence_inertia=0.3");
  const Scenario sc = check_edit("parameters.dependence_inertia", 0.3);
  CHECK(sc.params.dependence_inertia == 0.3);
  check_edit("parameters.bandwidth_log_scale", 250.0);  // no upper bound
  CHECK(edit("parameters.bandwidth_log_scale").hi() == std::numeric_limits<double>::infinity());
}

TEST_CASE("edit: budget_share_of_gdp re-derives the default budgets") {
  const Scenario& base = loaded(kBaseline);
  const int tjk = base.actor_index("TJK");
  REQUIRE(base.actors[tjk].budget_from_gdp);
  const Scenario sc = check_edit("parameters.budget_share_of_gdp", 0.3);
  CHECK(sc.actors[tjk].budget == 0.3 * sc.actors[tjk].gdp);
  CHECK(sc.actors[tjk].budget != base.actors[tjk].budget);
}

TEST_CASE("edit: an actor's gdp, with its unit, and the default budget that follows it") {
  const ScenarioEdit e = edit("actors[TJK].gdp");
  CHECK(e.unit() == "USD bn/yr");
  CHECK(e.lo() == 1e-9);
  CHECK(e.hi() == 1e7);
  CHECK(e.as_set(12.5) == "actors[TJK].gdp=12.5 USD bn/yr");
  // A value the loader's conversion (v * 1e3 / 1e3) does not give back exactly.
  const double v = inexact_value(12.3, 1e3, 1e3);
  const Scenario sc = check_edit("actors[TJK].gdp", v);
  const int tjk = sc.actor_index("TJK");
  CHECK(sc.actors[tjk].gdp == v * 1e3 / 1e3);
  CHECK(sc.actors[tjk].budget == sc.params.budget_share_of_gdp * sc.actors[tjk].gdp);
  CHECK(sc.actors[tjk].budget_from_gdp);
}

TEST_CASE("edit: an actor's budget, growth, military and plain numbers") {
  SUBCASE("budget: given, it no longer follows gdp") {
    const Scenario sc = check_edit("actors[TJK].budget", 3.5);
    const int tjk = sc.actor_index("TJK");
    CHECK(sc.actors[tjk].budget == 3.5);
    CHECK_FALSE(sc.actors[tjk].budget_from_gdp);
  }
  SUBCASE("growth, in 1/yr") {
    CHECK(edit("actors[KGZ].growth").unit() == "1/yr");
    const Scenario sc = check_edit("actors[KGZ].growth", -0.02);
    CHECK(sc.actors[sc.actor_index("KGZ")].growth == -0.02);
  }
  SUBCASE("military") {
    check_edit("actors[TJK].military", 0.3);
  }
  SUBCASE("susceptibility, autonomy") {
    check_edit("actors[UZB].susceptibility", 0.9);
    check_edit("actors[KAZ].autonomy", 3.0);
  }
  SUBCASE("stability (recorded only)") {
    check_edit("actors[KGZ].stability", 0.4, kBaseline, /*changes_run=*/false);
  }
}

TEST_CASE("edit: an actor's budget for one instrument") {
  const ScenarioEdit e = edit("actors[USA].budgets.economic_aid");
  CHECK(e.unit() == "USD m/yr");
  CHECK(e.as_set(300) == "actors[USA].budgets.economic_aid=300 USD m/yr");
  const Scenario sc = check_edit("actors[USA].budgets.economic_aid", 300.0);
  CHECK(sc.actors[sc.actor_index("USA")].budgets[0] == 300.0);
  check_edit("actors[RUS].budgets.security_aid", 10.0);
}

TEST_CASE("edit: a flow's value, in the unit the flow was written in") {
  SUBCASE("from/to, USD bn/yr") {
    const ScenarioEdit e = edit("flows[remit_rus_tjk].value");
    CHECK(e.unit() == "USD bn/yr");
    CHECK(e.as_set(5.2) == "flows[remit_rus_tjk].value=5.2");  // the unit is the flow's own key
    const Scenario sc = check_edit("flows[remit_rus_tjk].value", 5.2);
    const int f = find_flow(sc, "remittances", "RUS", "TJK");
    REQUIRE(f >= 0);
    CHECK(sc.flows[f].value == 5200.0);
    // The rest of the world's part of TJK's remittances follows (total 5.46 USD bn/yr).
    const int row = find_flow(sc, "remittances", "ROW", "TJK");
    REQUIRE(row >= 0);
    CHECK(sc.flows[row].value == doctest::Approx(5460.0 - 5200.0 - 100.0));
  }
  SUBCASE("between: split equally both ways") {
    const Scenario sc = check_edit("flows[trade_tjk_rus].value", 2.2);
    const int a = find_flow(sc, "trade", "TJK", "RUS"), b = find_flow(sc, "trade", "RUS", "TJK");
    REQUIRE(a >= 0);
    REQUIRE(b >= 0);
    CHECK(sc.flows[a].value == 2.2 * 1e3 / 2.0);
    CHECK(sc.flows[b].value == sc.flows[a].value);
  }
  SUBCASE("personnel, a stock") {
    CHECK(edit("flows[basing_rus_tjk].value").unit() == "personnel");
    check_edit("flows[basing_rus_tjk].value", 9000.0);
  }
  SUBCASE("a money stock, to zero") {
    check_edit("flows[debt_chn_tjk].value", 0.0);
  }
}

TEST_CASE("edit: a timeline event's amount, turns and other numbers") {
  SUBCASE("amount, with its unit") {
    const ScenarioEdit e = edit("timeline[us_tjk_security_aid].amount");
    CHECK(e.unit() == "USD m");
    CHECK(e.as_set(90) == "timeline[us_tjk_security_aid].amount=90 USD m");
    const Scenario sc = check_edit("timeline[us_tjk_security_aid].amount", 90.0);
    CHECK(sc.timeline[find_event(sc, "us_tjk_security_aid")].action.amount == 90.0);
  }
  SUBCASE("turns (whole)") {
    const ScenarioEdit e = edit("timeline[us_tjk_security_aid].turns");
    CHECK(e.integer());
    CHECK(e.as_set(12) == "timeline[us_tjk_security_aid].turns=12");
    check_edit("timeline[us_tjk_security_aid].turns", 12);
    check_edit("timeline[csto_2022].turns", 4);
  }
  SUBCASE("an exercise's personnel") {
    const Scenario sc = check_edit("timeline[rc22].personnel", 700);
    CHECK(sc.timeline[find_event(sc, "rc22")].action.amount == 700.0);
  }
  SUBCASE("a visit's level") {
    check_edit("timeline[visit_usa_tjk_1].level", 3);
  }
  SUBCASE("a sanction's intensity") {
    check_edit("timeline[sanction_usa_rus].intensity", 0.9);
  }
  SUBCASE("a secondary sanction's penalty and detection") {
    check_edit("timeline[transshipment_alert].penalty", 0.9);
    check_edit("timeline[transshipment_alert].detection", 0.5);
  }
  SUBCASE("economic aid and a loan (small_test has every action type)") {
    check_edit("timeline[t_econ].amount", 30.0, kSmall);
    check_edit("timeline[t_econ].turns", 2, kSmall);
    check_edit("timeline[t_loan].amount", 900.0, kSmall);
  }
}

TEST_CASE("edit: a policy parameter, on a new decider") {
  SUBCASE("a number") {
    const ScenarioEdit e = edit("policies[usa_budget].temperature");
    CHECK(e.lo() == 0.01);
    CHECK(e.hi() == 100.0);
    const Scenario sc = check_edit("policies[usa_budget].temperature", 0.05);
    CHECK(policy_number(sc, "usa_budget", "temperature") == 0.05);
    check_edit("policies[rus_exercises].grievance", 6000.0);
    check_edit("policies[tjk_hedging].threshold", 0.2);
    check_edit("policies[rus_exercises].initial_effort", 500.0);
  }
  SUBCASE("an entry of an actor -> number map, existing or new") {
    check_edit("policies[usa_budget].priorities.TJK", 6.0);
    check_edit("policies[rus_exercises].rivals.USA", 0.8);
    const Scenario sc = check_edit("policies[usa_budget].priorities.PAK", 3.0);
    const auto& w = policies_of(sc).policies()[0].second.actor_weights("priorities");
    REQUIRE(!w.empty());
    CHECK(w.back() == std::pair<int, double>(sc.actor_index("PAK"), 3.0));
  }
}

TEST_CASE("edit: a shock's probability, size and turns") {
  const Scenario sc = check_edit("shocks[kgz_tjk_border].probability", 0.4);
  CHECK(policies_of(sc).shocks()[0].probability == 0.4);
  check_edit("shocks[oil_rus].probability", 0.5, kBaseline, true, 3);
  // Sizes and durations show only when the shock fires: make it likely first.
  Scenario likely = loaded(kBaseline);
  edit("shocks[oil_rus].probability").apply(likely, 0.5);
  const ScenarioEdit size = edit("shocks[oil_rus].size");
  CHECK(size.lo() == -0.9);
  CHECK(size.hi() == 10.0);
  Scenario edited = likely;
  size.apply(edited, -0.2);
  const Scenario from_yaml =
      load_ok(kBaseline, {edit("shocks[oil_rus].probability").as_set(0.5), size.as_set(-0.2)});
  check_same_typed(edited, from_yaml);
  std::string why;
  CHECK(first_difference(edited, from_yaml, 3, why) == -1);
  CHECK(first_difference(edited, likely, 3, why) >= 0);
  check_edit("shocks[kgz_tjk_border].turns", 5, kBaseline, /*changes_run=*/false);
}

TEST_CASE("edit: channels and blocs") {
  check_edit("channels.security_aid.half_life", 30.0);
  check_edit("channels.trade.gdp_elasticity", 0.5);
  check_edit("channels.economic_aid.reference", 500.0);
  check_edit("channels.remittances.exposure_scale", 4.0);
  check_edit("blocs[CSTO].weight", 0.2);
}

TEST_CASE("edit: several edits on one copy equal several --set") {
  const std::vector<std::pair<std::string, double>> edits = {
      {"actors[TJK].gdp", 14.0},
      {"parameters.budget_share_of_gdp", 0.25},
      {"policies[usa_budget].temperature", 0.1},
      {"shocks[kgz_tjk_border].probability", 0.2},
      {"policies[tjk_hedging].threshold", 0.3}};
  Scenario edited = loaded(kBaseline);
  std::vector<std::string> sets;
  for (const auto& [path, value] : edits) {
    const ScenarioEdit e = edit(path);
    e.apply(edited, value);
    sets.push_back(e.as_set(value));
  }
  const Scenario from_yaml = load_ok(kBaseline, sets);
  check_same_typed(edited, from_yaml);
  std::string why;
  CHECK(first_difference(edited, from_yaml, 1, why) == -1);
}

TEST_CASE(
    "edit: paths that name nothing, or nothing numeric, are InputErrors that say what exists") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"parameters.dependence_inertiaa", "did you mean 'dependence_inertia'"},
      {"parameters.nope", "the parameters are: dependence_inertia"},
      {"actors[TJX].gdp", "did you mean 'TJK'"},
      {"actors[TJK].gdpp", "did you mean 'gdp'"},
      {"actors[TJK].name", "is not a number; the numeric fields of an actor: gdp, growth"},
      {"actors[TJK].anchor.west", "must add up to 1"},
      {"actors[TJK].budgets.economic_aidd", "did you mean 'economic_aid'"},
      {"actors[TJK]", "expected one of the actor's numeric fields"},
      {"flows[0].value", "not by its position"},
      {"flows[remit_rus_tjkk].value", "did you mean 'remit_rus_tjk'"},
      {"flows[remit_rus_tjk].unit", "is not a number"},
      {"timeline[rc22].amount", "numeric fields of an exercise event: personnel, turns"},
      {"timeline[rc22].date", "cannot be swept"},
      {"timeline[rc2].personnel", "did you mean 'rc22'"},
      {"policies[usa_budgett].temperature", "did you mean 'usa_budget'"},
      {"policies[usa_budget].temprature", "did you mean 'temperature'"},
      {"policies[rus_exercises].hosts", "is not a number"},
      {"policies[usa_budget].priorities", "expected an actor code"},
      {"policies[usa_budget].priorities.USA", "cannot name itself"},
      {"policies[usa_budget].priorities.XXX", "unknown actor 'XXX'"},
      {"shocks[oil_rus].probabilty", "did you mean 'probability'"},
      {"shocks[oil_rus].kind", "is not a number"},
      {"channels.trade.bandwidth_weight", "must add up to 1"},
      {"channels.trad.half_life", "did you mean 'trade'"},
      {"blocs[CSTO].name", "is not a number"},
      {"metadata.turns", "cannot be swept"},
      {"paramters.dependence_inertia", "did you mean 'parameters'"},
      {"parameters.dependence_inertia.x", "nothing can follow it"},
      {"actors[TJK", "unclosed '['"},
  };
  for (const auto& [path, expected] : cases) {
    CAPTURE(path);
    const std::string message = resolve_error(path);
    CHECK_MESSAGE(message.find(expected) != std::string::npos, message);
  }
  // Only policies with an id are addressable, and the message says so.
  const std::string no_id =
      "geosim: 1\n"
      "metadata: {name: t, start: 2020-01-01, turns: 3}\n"
      "poles: [{code: w, owners: [PA]}, {code: e, owners: [PB]}]\n"
      "actors:\n"
      "  - {code: PA, name: A, gdp: 100, anchor: {w: 1}}\n"
      "  - {code: PB, name: B, gdp: 50, anchor: {e: 1}}\n"
      "  - {code: C, name: C, gdp: 5, anchor: {w: 0.5, e: 0.5}}\n"
      "policies:\n"
      "  - {actor: C, policy: hedging_client}\n";
  const Scenario sc = load_text_ok(no_id);
  try {
    (void)ScenarioEdit::resolve(sc, "policies[C].threshold", Location{"<test>", 1, 1});
    FAIL("resolve did not throw");
  } catch (const InputError& e) {
    CHECK(e.diagnostics()[0].message.find("without an id cannot be addressed") !=
          std::string::npos);
  }
}

TEST_CASE("edit: values out of range throw with the range, and leave the scenario unchanged") {
  const Scenario& base = loaded(kBaseline);
  Scenario sc = base;
  auto message = [&](const std::string& path, double v) -> std::string {
    try {
      edit(path).apply(sc, v);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    FAIL(path << " = " << v << " did not throw");
    return {};
  };
  std::string m = message("actors[TJK].susceptibility", 1.5);
  CHECK(m.find("actors[TJK].susceptibility") != std::string::npos);
  CHECK(m.find("1.5") != std::string::npos);
  CHECK(m.find("[0, 1]") != std::string::npos);
  m = message("actors[TJK].gdp", -3);
  CHECK(m.find("[1e-09, 10000000] USD bn/yr") != std::string::npos);
  CHECK(message("parameters.dependence_inertia", std::nan("")).find("not a finite number") !=
        std::string::npos);
  CHECK(message("policies[usa_budget].temperature", std::numeric_limits<double>::infinity())
            .find("not a finite number") != std::string::npos);
  CHECK(message("timeline[us_tjk_security_aid].turns", 2.5).find("whole number in [1, 100000]") !=
        std::string::npos);
  CHECK(message("shocks[oil_rus].size", -0.95).find("[-0.9, 10]") != std::string::npos);
  CHECK(message("flows[remit_rus_tjk].value", -1).find("[0, 1e+15] USD bn/yr") !=
        std::string::npos);
  // Nothing was changed by the failed edits.
  check_same_typed(sc, base);
  CHECK(sc.decider == base.decider);
}

TEST_CASE("edit: apply() throws exactly when loading with --set as_set() fails") {
  // One path of every kind: the edit's range and the loader's must agree at and just past each
  // bound, and for values that are not numbers at all.
  const std::vector<std::pair<std::string, std::string>> paths = {
      {"parameters.dependence_inertia", kBaseline},
      {"parameters.compliance_temperature", kBaseline},
      {"parameters.budget_share_of_gdp", kBaseline},
      {"actors[TJK].gdp", kBaseline},
      {"actors[TJK].growth", kBaseline},
      {"actors[TJK].military", kBaseline},
      {"actors[TJK].budget", kBaseline},
      {"actors[TJK].budgets.loans", kBaseline},
      {"actors[TJK].susceptibility", kBaseline},
      {"actors[TJK].autonomy", kBaseline},
      {"actors[TJK].stability", kBaseline},
      {"flows[remit_rus_tjk].value", kBaseline},
      {"flows[trade_tjk_rus].value", kBaseline},
      {"timeline[us_tjk_security_aid].amount", kBaseline},
      {"timeline[us_tjk_security_aid].turns", kBaseline},
      {"timeline[rc22].personnel", kBaseline},
      {"timeline[visit_usa_tjk_1].level", kBaseline},
      {"timeline[sanction_usa_rus].intensity", kBaseline},
      {"timeline[transshipment_alert].penalty", kBaseline},
      {"timeline[transshipment_alert].detection", kBaseline},
      {"timeline[t_loan].amount", kSmall},
      {"policies[usa_budget].temperature", kBaseline},
      {"policies[usa_budget].min_tranche", kBaseline},
      {"policies[usa_budget].priorities.TJK", kBaseline},
      {"policies[rus_exercises].initial_effort", kBaseline},
      {"policies[tjk_hedging].max_alignment_step", kBaseline},
      {"shocks[oil_rus].probability", kBaseline},
      {"shocks[oil_rus].size", kBaseline},
      {"shocks[kgz_tjk_border].size", kBaseline},
      {"shocks[kgz_tjk_border].turns", kBaseline},
      {"channels.trade.half_life", kBaseline},
      {"channels.trade.gdp_elasticity", kBaseline},
      {"channels.trade.reference", kBaseline},
      {"blocs[CSTO].weight", kBaseline},
      // Version 2.
      {"rest_of_world.gdp", kBaseline},
      {"rest_of_world.growth", kBaseline},
      {"actors[USA].budgets.deployments", kBaseline},
      {"blocs[EAEU].trade_preference", kBaseline},
      {"timeline[kgz_tjk_border_2022].intensity", kBaseline},
      {"timeline[csto_kaz_jan2022].personnel", kBaseline},
      {"timeline[eu_cuts_russian_energy].turns", kBaseline},
  };
  constexpr double inf = std::numeric_limits<double>::infinity();
  for (const auto& [path, file] : paths) {
    const ScenarioEdit e = edit(path, file);
    std::vector<double> values = {e.lo(), std::nextafter(e.lo(), -inf), std::nan(""), -inf};
    if (std::isfinite(e.hi())) {
      values.push_back(e.hi());
      values.push_back(std::nextafter(e.hi(), inf));
    }
    if (e.integer()) values.push_back(e.lo() + 0.5);
    for (const double v : values) {
      CAPTURE(e.as_set(v));
      Scenario sc = loaded(file);
      bool apply_throws = false;
      try {
        e.apply(sc, v);
      } catch (const std::invalid_argument&) {
        apply_throws = true;
      }
      CHECK(apply_throws == load_rejects(file, e.as_set(v)));
      if (!apply_throws) check_same_typed(sc, load_ok(file, {e.as_set(v)}));
    }
  }
}

TEST_CASE("edit: a money tie set to 0 is refused when the loader would refuse it") {
  // small variant: one money flow only, and the timeline disburses money.
  const std::string text =
      "geosim: 1\n"
      "metadata: {name: t, start: 2020-01-01, turns: 3}\n"
      "poles: [{code: w, owners: [PA]}, {code: e, owners: [PB]}]\n"
      "actors:\n"
      "  - {code: PA, name: A, gdp: 100, anchor: {w: 1}}\n"
      "  - {code: PB, name: B, gdp: 50, anchor: {e: 1}}\n"
      "flows:\n"
      "  - {id: f, channel: trade, from: PA, to: PB, value: 10}\n"
      "timeline:\n"
      "  - {id: aid, date: 2020-02-01, action: economic_aid, donor: PA,"
      " recipient: PB, amount: 5}\n";
  const Scenario sc = load_text_ok(text);
  const ScenarioEdit e = ScenarioEdit::resolve(sc, "flows[f].value", Location{"<test>", 1, 1});
  CHECK_THROWS_AS((void)load_scenario_text(text, "<test>", {e.as_set(0)}), InputError);
  Scenario copy = sc;
  CHECK_THROWS_WITH_AS(e.apply(copy, 0.0), doctest::Contains("has no scale"),
                       std::invalid_argument);
  CHECK(copy.flows[0].value == 10.0);  // unchanged
  e.apply(copy, 1.0);
  CHECK(copy.flows[0].value == 1.0);
}

TEST_CASE("edit: applying to a copy leaves the original and its decider unchanged") {
  const Scenario& base = loaded(kBaseline);
  const auto decider = base.decider;
  const long uses = decider.use_count();
  Scenario copy = base;
  edit("policies[tjk_hedging].threshold").apply(copy, 0.25);
  edit("shocks[oil_kaz].probability").apply(copy, 0.3);
  edit("actors[TJK].gdp").apply(copy, 20.0);
  edit("flows[trade_tjk_rus].value").apply(copy, 3.0);
  CHECK(base.decider == decider);
  CHECK(copy.decider != base.decider);
  CHECK(decider.use_count() == uses);  // the copy no longer holds the old decider
  CHECK(policy_number(base, "tjk_hedging", "threshold") == 0.5);
  CHECK(policy_number(copy, "tjk_hedging", "threshold") == 0.25);
  CHECK(policies_of(base).shocks()[3].probability == 0.02);
  check_same_typed(base, load_ok(kBaseline));
  // The unchanged parts of the decider are the same.
  CHECK(policies_of(copy).policies().size() == policies_of(base).policies().size());
}

TEST_CASE("edit: an edit resolved on one scenario refuses a scenario with other items") {
  const ScenarioEdit e = edit("actors[TJK].gdp");
  Scenario small = loaded(kSmall);
  CHECK_THROWS_WITH_AS(e.apply(small, 10.0), doctest::Contains("resolve it against"),
                       std::invalid_argument);
  CHECK_THROWS_AS(edit("policies[usa_budget].temperature").apply(small, 1.0),
                  std::invalid_argument);
}

TEST_CASE("edit: cost of copy + apply against load with --set") {
  using clock = std::chrono::steady_clock;
  const Scenario& base = loaded(kBaseline);
  const ScenarioEdit gdp = edit("actors[TJK].gdp");
  const ScenarioEdit policy = edit("policies[usa_budget].temperature");
  const int n = 200;
  double sink = 0.0;
  auto t0 = clock::now();
  for (int i = 0; i < n; ++i) {
    Scenario sc = base;
    gdp.apply(sc, 10.0 + i * 0.01);
    policy.apply(sc, 0.2 + i * 0.001);
    sink += sc.actors[0].gdp;
  }
  const double apply_us = std::chrono::duration<double, std::micro>(clock::now() - t0).count() / n;
  t0 = clock::now();
  const int m = 3;
  for (int i = 0; i < m; ++i) {
    const Scenario sc = load_scenario(kBaseline, {gdp.as_set(10.0 + i), policy.as_set(0.3)});
    sink += sc.actors[0].gdp;
  }
  const double load_us = std::chrono::duration<double, std::micro>(clock::now() - t0).count() / m;
  t0 = clock::now();
  for (int i = 0; i < m; ++i) {
    const World w = run(base);
    sink += w.gdp(0);
  }
  const double run_us = std::chrono::duration<double, std::micro>(clock::now() - t0).count() / m;
  MESSAGE("baseline: copy + 2 x apply " << apply_us << " us; load with 2 x --set " << load_us
                                        << " us; one run of " << base.turns << " turns " << run_us
                                        << " us (" << sink << ")");
  CHECK(apply_us < load_us);
}
