// Bad input: every file tests/bad_scenarios/NN_*.yaml is valid_minimal.yaml with one thing
// broken (line 1 of each says what). Each case pins the first diagnostic exactly: file, line,
// column, key path, and a distinctive part of the message. Adding a case is one table row.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>

#include "scenario_test_util.hpp"

namespace fs = std::filesystem;
using geosim::Diagnostic;
using geosim::load_scenario;
using namespace geosim::test;

namespace {

struct BadCase {
  std::string file;               ///< under tests/bad_scenarios
  std::vector<std::string> sets;  ///< --set arguments, in order
  std::string where;              ///< expected location file; "" = the loaded file itself
  int line;
  int column;
  std::string key_path;
  std::string message;  ///< a substring of the first diagnostic's message
};

const std::string kSet1 = "<command line --set #1>";
const std::string kSet2 = "<command line --set #2>";

// clang-format off
const std::vector<BadCase> kCases = {
  // file                                     sets  where  line col  key path                        message substring
  {"01_yaml_syntax.yaml",                      {}, "", 14,  3, "",                                "YAML syntax"},
  {"02_duplicate_key.yaml",                    {}, "",  7,  3, "turns",                           "duplicate key 'turns' in the same map"},
  {"03_unknown_top_level_key.yaml",            {}, "", 18,  1, "timelines",                       "unknown key 'timelines' (did you mean 'timeline'?)"},
  {"04_unknown_actor_key.yaml",                {}, "", 13, 32, "actors[PA].gpd",                  "unknown key 'gpd' (did you mean 'gdp'?)"},
  {"05_missing_turns.yaml",                    {}, "",  4,  3, "metadata.turns",                  "missing required key 'turns'"},
  {"06_missing_gdp.yaml",                      {}, "", 15,  5, "actors[C1].gdp",                  "missing required key 'gdp'"},
  {"07_missing_anchor.yaml",                   {}, "", 15,  5, "actors[C1].anchor",               "missing required key 'anchor'"},
  {"08_text_for_number.yaml",                  {}, "", 15, 93, "actors[C1].susceptibility",       "expected a number, got 'high'"},
  {"09_map_for_list.yaml",                     {}, "", 14, 74, "actors[PB].blocs",                "expected a list of bloc codes, got a map"},
  {"10_negative_amount.yaml",                  {}, "", 19, 88, "timeline[a1].amount",             "value -5 USD m is out of range"},
  {"11_nan_value.yaml",                        {}, "", 15, 93, "actors[C1].susceptibility",       "NaN is not a valid value"},
  {"12_infinite_flow_value.yaml",              {}, "", 17, 55, "flows[f1].value",                 "infinity is not allowed here"},
  {"13_unknown_actor_in_flow.yaml",            {}, "", 17, 44, "flows[f1].to",                    "unknown actor 'C2' (did you mean 'C1'?)"},
  {"14_unknown_actor_in_participants.yaml",    {}, "", 19, 92, "timeline[x1].participants[1]",    "unknown actor 'PX'"},
  {"15_unknown_pole_in_anchor.yaml",           {}, "", 13, 58, "actors[PA].anchor.wset",          "unknown key 'wset' (did you mean 'west'?)"},
  {"16_anchor_shares_sum.yaml",                {}, "", 15, 53, "actors[C1].anchor",               "shares add up to 0.9; expected 1"},
  {"17_pole_without_owner.yaml",               {}, "",  9, 26, "poles[east].owners",              "a pole needs an owner"},
  {"18_date_before_start.yaml",                {}, "", 19, 20, "timeline[v1].date",               "date 2019-12-01 is outside the run"},
  {"19_date_at_end.yaml",                      {}, "", 19, 20, "timeline[v1].date",               "date 2021-01-01 is outside the run; expected a date from 2020-01-01 up to (not including) 2021-01-01"},
  {"20_malformed_date.yaml",                   {}, "", 19, 20, "timeline[v1].date",               "expected a date YYYY-MM-DD, got '2020-02-30'"},
  {"21_flow_wrong_currency.yaml",              {}, "", 17, 64, "flows[f1].unit",                  "wrong unit 'EUR m/yr'; expected a unit convertible to USD m/yr"},
  {"22_stock_with_rate_unit.yaml",             {}, "", 17, 63, "flows[f1].unit",                  "an amount or stock takes no rate"},
  {"23_flow_without_rate.yaml",                {}, "", 17, 64, "flows[f1].unit",                  "a flow needs a rate"},
  {"24_bad_gdp_quantity.yaml",                 {}, "", 14, 37, "actors[PB].gdp",                  "expected a quantity like '10.7 USD bn' (a number, a space, a unit), got 'ten USD bn'"},
  {"25_unknown_action.yaml",                   {}, "", 19, 40, "timeline[v1].action",             "unknown action type 'vist' (did you mean 'visit'?)"},
  {"26_key_of_other_action.yaml",              {}, "", 19, 75, "timeline[v1].personnel",          "unknown key 'personnel'; expected one of: date, action, id, source, note, from, to, level"},
  {"27_visit_level_range.yaml",                {}, "", 19, 72, "timeline[v1].level",              "value 4 is out of range; expected a whole number in [1, 3]"},
  {"28_sanction_intensity.yaml",               {}, "", 19, 85, "timeline[s1].intensity",          "value 1.5 is out of range; expected a number in [0, 1]"},
  {"29_same_sender_target.yaml",               {}, "", 19,  5, "timeline[s1]",                    "the action's two actors are the same (PA)"},
  {"30_duplicate_actor_code.yaml",             {}, "", 15, 12, "actors[PB].code",                 "duplicate code 'PB'"},
  {"31_lowercase_actor_code.yaml",             {}, "", 15, 12, "actors[c1].code",                 "actor code 'c1' must be capitals"},
  {"32_unknown_bloc.yaml",                     {}, "", 14, 75, "actors[PB].blocs[0]",             "unknown bloc 'PAKT' (did you mean 'PACT'?)"},
  {"33_bandwidth_weights_sum.yaml",            {}, "", 17,  3, "channels.*.bandwidth_weight",     "bandwidth_weight values add up to 1.1; expected 1"},
  {"34_new_channel_without_kind.yaml",         {}, "", 17, 10, "channels.cyber.kind",             "missing required key 'kind'"},
  {"35_unknown_parameter.yaml",                {}, "", 17,  3, "parameters.dependence_inertai",   "unknown key 'dependence_inertai' (did you mean 'dependence_inertia'?)"},
  {"36_parameter_out_of_range.yaml",           {}, "", 17, 23, "parameters.dependence_inertia",   "value 1.5 is out of range; expected a number in [0, 1]"},
  {"37_format_version_3.yaml",                 {}, "",  2,  9, "geosim",                          "format version 3 is not supported"},
  // A cycle is located on the file it re-enters, as a whole (line 0); the chain is checked in
  // full by its own test below.
  {"38_circular_a.yaml",                       {}, "",  0,  0, "extends",                         "circular extends: "},
  {"39_extends_missing.yaml",                  {}, "",  3, 10, "extends",                         "no_such_base.yaml' does not exist"},
  {"40_remove_names_nothing.yaml",             {}, "",  5,  5, "timeline[v2]",                    "remove: true names no item of the base scenario"},
  {"41_several_errors.yaml",                   {}, "",  6, 10, "metadata.turns",                  "expected a whole number, got 'twelve'"},
  {"42_unknown_turn_length.yaml",              {}, "",  7,  9, "metadata.turn",                   "unknown turn length 'mnth' (did you mean 'month'?)"},
  {"43_zero_turns.yaml",                       {}, "",  6, 10, "metadata.turns",                  "value 0 is out of range; expected a whole number in [1, 100000]"},
  {"44_between_three_actors.yaml",             {}, "", 17, 39, "flows[f1].between",               "expected exactly two actor codes"},
  {"45_transit_includes_target.yaml",          {}, "", 19,  5, "timeline[s1].transit",            "a transit state cannot be the sender or the target (PB)"},
  {"46_amount_with_rate.yaml",                 {}, "", 19, 88, "timeline[a1].amount",             "wrong unit 'USD m/yr'; expected a unit convertible to USD m"},
  {"47_growth_wrong_unit.yaml",                {}, "", 15, 53, "actors[C1].growth",               "wrong unit '%/month'"},
  {"48_quoted_number.yaml",                    {}, "",  6, 10, "metadata.turns",                  "expected a whole number, got '12'"},
  {"49_institutions_flow.yaml",                {}, "", 17,  5, "flows[f1].channel",               "the institutions channel comes from bloc memberships"},
  {"50_duplicate_event_id.yaml",               {}, "", 20, 10, "timeline[v1].id",                 "duplicate event id 'v1'"},
  {"51_unknown_channel.yaml",                  {}, "", 17, 23, "flows[f1].channel",               "unknown channel 'trad' (did you mean 'trade'?)"},
  {"52_too_few_actors.yaml",                   {}, "", 10,  3, "actors",                          "expected a list of at least two actors"},
  {"53_bloc_change.yaml",                      {}, "", 19, 77, "timeline[b1].change",             "unknown bloc change 'enter'; expected one of: join, leave"},
  {"54_empty_file.yaml",                       {}, "",  1,  1, "",                                "expected a map (key: value lines), got nothing"},
  {"55_metadata_not_a_map.yaml",               {}, "",  4,  3, "metadata",                        "expected a map (key: value lines), got a list"},

  // --set on the valid scenario: located on the command line.
  {"valid_minimal.yaml", {"metadata.turnss=6"},            kSet1, 1, 1, "metadata.turnss",        "unknown key 'turnss' (did you mean 'turns'?)"},
  {"valid_minimal.yaml", {"metadata.trns.x=6"},            kSet1, 1, 1, "metadata.trns",          "unknown key 'trns' (did you mean 'turns'?)"},
  {"valid_minimal.yaml", {"actors[PX].gdp=3"},             kSet1, 1, 1, "actors[PX]",             "no list item with code or id 'PX' (did you mean 'PA'?)"},
  {"valid_minimal.yaml", {"metadata.turns"},               kSet1, 1, 1, "metadata.turns",         "expected --set PATH=VALUE"},
  {"valid_minimal.yaml", {"=5"},                           kSet1, 1, 1, "=5",                     "expected --set PATH=VALUE"},
  {"valid_minimal.yaml", {"actors[PA].gdp=-3 USD bn"},     kSet1, 1, 1, "actors[PA].gdp",         "value -3 USD bn/yr is out of range"},
  {"valid_minimal.yaml", {"metadata.turns=12", "actors[PA].gdp=ten"},
                                                           kSet2, 1, 1, "actors[PA].gdp",         "got 'ten'"},
  {"valid_minimal.yaml", {"metadata.turns=[1"},            kSet1, 1, 1, "",                       "YAML syntax"},
  {"valid_minimal.yaml", {"actors[PA].anchor={wset: 1}"},  kSet1, 1, 2, "actors[PA].anchor.wset", "unknown key 'wset' (did you mean 'west'?)"},
  {"valid_minimal.yaml", {"flows[f1].unit=EUR m/yr"},      kSet1, 1, 1, "flows[f1].unit",         "wrong unit 'EUR m/yr'"},
  {"valid_minimal.yaml", {"timeline[v1].date=2021-01-01"}, kSet1, 1, 1, "timeline[v1].date",      "is outside the run"},
  {"valid_minimal.yaml", {"flows[0].value=.nan"},          kSet1, 1, 1, "flows[f1].value",        "NaN is not a valid value"},
  {"valid_minimal.yaml", {"actors[2]=5"},                  kSet1, 1, 1, "actors[2]",              "expected a map (key: value lines), got '5'"},
};
// clang-format on

/// Files in tests/bad_scenarios that are not loaded on their own: the other half of a cycle.
const std::set<std::string> kHelperFiles = {"38_circular_b.yaml"};

}  // namespace

TEST_CASE("the minimal valid scenario the bad cases derive from loads") {
  const auto sc = load_ok(bad_file("valid_minimal.yaml"));
  CHECK(sc.name == "minimal");
  CHECK(sc.n_actors() == 3);
  CHECK(sc.n_poles() == 2);
  CHECK(sc.turns == 12);
  CHECK(sc.flows.size() == 1);
  CHECK(sc.timeline.size() == 1);
}

TEST_CASE("each bad scenario is rejected with its first diagnostic at the exact place") {
  int n_files = 0;
  for (const BadCase& c : kCases) {
    const std::string path = bad_file(c.file);
    std::string sets;
    for (const auto& s : c.sets) sets += " --set '" + s + "'";
    CAPTURE(c.file);
    CAPTURE(sets);
    const auto ds = diagnostics_of([&] { (void)load_scenario(path, c.sets); });
    if (ds.empty()) continue;
    const Diagnostic& d = ds.front();
    INFO("all diagnostics:" << describe(ds));
    CHECK(d.where.file == (c.where.empty() ? path : c.where));
    CHECK(d.where.line == c.line);
    CHECK(d.where.column == c.column);
    CHECK(d.key_path == c.key_path);
    CHECK_MESSAGE(d.message.find(c.message) != std::string::npos,
                  "message '" << d.message << "' lacks '" << c.message << "'");
    if (c.sets.empty()) ++n_files;
  }
  CHECK(n_files >= 30);
}

TEST_CASE("every file in tests/bad_scenarios has a case, and every case's file exists") {
  std::set<std::string> in_table;
  for (const BadCase& c : kCases) in_table.insert(c.file);
  const std::regex numbered(R"(\d\d_[a-z0-9_]+\.yaml)");
  for (const auto& e : fs::directory_iterator(bad_dir())) {
    const std::string name = e.path().filename().string();
    if (name == "valid_minimal.yaml" || kHelperFiles.count(name)) continue;
    CAPTURE(name);
    CHECK_MESSAGE(std::regex_match(name, numbered), "name bad files NN_short_name.yaml");
    CHECK_MESSAGE(in_table.count(name) == 1, "no table row in test_bad_scenarios.cpp");
  }
  for (const auto& name : in_table) {
    CAPTURE(name);
    CHECK(fs::exists(bad_file(name)));
  }
}

TEST_CASE("circular extends names the whole chain, in order") {
  const std::string a = fs::weakly_canonical(bad_file("38_circular_a.yaml")).string();
  const std::string b = fs::weakly_canonical(bad_file("38_circular_b.yaml")).string();
  const auto ds = diagnostics_of([&] { (void)load_scenario(bad_file("38_circular_a.yaml")); });
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].key_path == "extends");
  CHECK(ds[0].message == "circular extends: " + a + " -> " + b + " -> " + a);
  // Entered from the other end, the chain starts there.
  const auto ds2 = diagnostics_of([&] { (void)load_scenario(bad_file("38_circular_b.yaml")); });
  REQUIRE(ds2.size() == 1);
  CHECK(ds2[0].message == "circular extends: " + b + " -> " + a + " -> " + b);
}

TEST_CASE("a scenario with several errors reports all of them at once") {
  const std::string path = bad_file("41_several_errors.yaml");
  const auto ds = diagnostics_of([&] { (void)load_scenario(path); });
  INFO("all diagnostics:" << describe(ds));
  CHECK(ds.size() >= 3);
  auto has = [&](int line, const std::string& key_path, const std::string& text) {
    return std::any_of(ds.begin(), ds.end(), [&](const Diagnostic& d) {
      return d.where.file == path && d.where.line == line && d.key_path == key_path &&
             d.message.find(text) != std::string::npos;
    });
  };
  CHECK(has(6, "metadata.turns", "expected a whole number, got 'twelve'"));
  CHECK(has(13, "actors[PA].gpd", "did you mean 'gdp'"));
  CHECK(has(13, "actors[PA].gdp", "missing required key 'gdp'"));
  CHECK(has(17, "flows[f1].to", "unknown actor 'C2'"));
  CHECK(has(19, "timeline[v1].level", "value 5 is out of range"));
}

TEST_CASE("an unreadable scenario file is an InputError naming the file") {
  const std::string path = bad_file("no_such_file.yaml");
  const auto ds = diagnostics_of([&] { (void)load_scenario(path); });
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].where.file == path);
  CHECK(ds[0].where.line == 0);
  CHECK(ds[0].message.find("cannot read") != std::string::npos);
}

TEST_CASE("the InputError text has the documented FILE:LINE:COL: error at 'KEY.PATH' form") {
  const std::string path = bad_file("13_unknown_actor_in_flow.yaml");
  try {
    (void)load_scenario(path);
    FAIL("expected InputError");
  } catch (const geosim::InputError& e) {
    const std::string text = e.what();
    CHECK(text.rfind(path + ":17:44: error at 'flows[f1].to': unknown actor 'C2'", 0) == 0);
  }
}

TEST_CASE("bad scenario text is located under the name given to load_scenario_text") {
  const std::string text = read_text(bad_file("27_visit_level_range.yaml"));
  const auto ds = diagnostics_of([&] { (void)geosim::load_scenario_text(text, "<baseline>"); });
  REQUIRE(!ds.empty());
  CHECK(ds[0].where.file == "<baseline>");
  CHECK(ds[0].where.line == 19);
  CHECK(ds[0].where.column == 72);
  CHECK(ds[0].key_path == "timeline[v1].level");
}
