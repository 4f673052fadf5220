// Face validity of the second shipped region: the Sahel 2020-2024 (scenarios/sahel_2020.yaml;
// facts: docs/data/sahel-2020-2024.md, section 10). docs/model.md lists the measured values.
#include <doctest/doctest.h>

#include <algorithm>

#include "support/model_fixtures.hpp"

using namespace geosim;

namespace {

const std::string kSahel = GEOSIM_SCENARIOS_DIR "/sahel_2020.yaml";

/// A matrix of every turn: value(turn) of f(world).
std::vector<Matrix> trajectory(const Scenario& sc, Matrix World::*m) {
  std::vector<Matrix> out;
  test::run(sc, [&](const World& w) { out.push_back(w.*m); });
  return out;
}

}  // namespace

TEST_CASE(
    "Sahel 1-2: France's influence share falls in Mali, Burkina Faso and Niger; Russia's rises") {
  const Scenario sc = load_scenario(kSahel);
  const auto share = trajectory(sc, &World::share);
  const int fra = sc.actor_index("FRA"), rus = sc.actor_index("RUS");
  const std::size_t first = 0, last = share.size() - 1;
  for (const char* code : {"MLI", "BFA", "NER"}) {
    CAPTURE(code);
    const int c = sc.actor_index(code);
    MESSAGE(std::string(code) << ": France " << share[first](fra, c) << " -> "
                              << share[last](fra, c) << ", Russia " << share[first](rus, c)
                              << " -> " << share[last](rus, c));
    CHECK(share[last](fra, c) < 0.8 * share[first](fra, c));  // falls by a fifth or more
    CHECK(share[last](rus, c) > share[first](rus, c) + 0.1);  // rises by 10 points or more
  }
  // In Mali, where Wagner came first, Russia ends ahead of France.
  const int mli = sc.actor_index("MLI");
  CHECK(share[last](rus, mli) > share[last](fra, mli));
  // Chad keeps France's share within a fifth of where it started (its base stays to Dec 2024).
  const int tcd = sc.actor_index("TCD");
  CHECK(share[last](fra, tcd) > 0.8 * share[first](fra, tcd));
}

TEST_CASE("Sahel 3: the three juntas' alignment turns from the West; Mauritania's does not") {
  const Scenario sc = load_scenario(kSahel);
  const auto x = trajectory(sc, &World::x);
  const int west = 0;
  for (const char* code : {"MLI", "BFA", "NER"}) {
    CAPTURE(code);
    const int c = sc.actor_index(code);
    CHECK(x.back()(c, west) < 0.35);
    CHECK(x.front()(c, west) > 0.5);
  }
  const int mrt = sc.actor_index("MRT");
  for (const Matrix& m : x) CHECK(m(mrt, west) >= 0.5);
}

TEST_CASE(
    "Sahel 4: ECOWAS sanctions cut Mali's imports from its coastal neighbours, which re-route") {
  const Scenario sc = load_scenario(kSahel);
  const Scenario without = test::with_overlay(
      kSahel,
      "timeline:\n  - {id: ecowas_nga_mli, remove: true}\n  - {id: ecowas_civ_mli, remove: "
      "true}\n  - {id: ecowas_sen_mli, remove: true}\n");
  const int mli = sc.actor_index("MLI"), sen = sc.actor_index("SEN"), civ = sc.actor_index("CIV");
  const int row = sc.rest_of_world;
  std::vector<double> sen_a, sen_b, row_a, row_b, gdp_a, gdp_b;
  test::run(sc, [&](const World& w) {
    sen_a.push_back(w.flow[w.ch.trade](sen, mli) + w.flow[w.ch.trade](civ, mli));
    row_a.push_back(w.flow[w.ch.trade](row, mli));
    gdp_a.push_back(w.gdp(mli));
  });
  test::run(without, [&](const World& w) {
    sen_b.push_back(w.flow[w.ch.trade](sen, mli) + w.flow[w.ch.trade](civ, mli));
    row_b.push_back(w.flow[w.ch.trade](row, mli));
    gdp_b.push_back(w.gdp(mli));
  });
  const int jan22 = 24, jun22 = 29, dec22 = 35;
  for (int t = jan22; t <= jun22; ++t) {
    CHECK(sen_a[static_cast<std::size_t>(t)] < 0.5 * sen_b[static_cast<std::size_t>(t)]);
    CHECK(row_a[static_cast<std::size_t>(t)] > row_b[static_cast<std::size_t>(t)]);  // re-routed
  }
  // Lifted in July 2022: within 5% of the no-sanction run by December.
  CHECK(sen_a[dec22] > 0.95 * sen_b[dec22]);
  CHECK(gdp_a.back() < gdp_b.back());  // what was lost for good drags Mali's economy
}

TEST_CASE("Sahel 5: Nigeria's power to Niger stops from Aug 2023 until after the sanctions") {
  const Scenario sc = load_scenario(kSahel);
  const int nga = sc.actor_index("NGA"), ner = sc.actor_index("NER");
  std::vector<double> power;
  test::run(sc, [&](const World& w) { power.push_back(w.flow[w.ch.energy](nga, ner)); });
  CHECK(power[42] > 90.0);                                                          // Jul 2023
  for (int t = 43; t <= 49; ++t) CHECK(power[static_cast<std::size_t>(t)] == 0.0);  // Aug - Feb
  CHECK(power[52] > 90.0);  // restored over three turns from Mar 2024
}

TEST_CASE("Sahel 6: the exits from the G5 and ECOWAS weaken the institutional ties") {
  const Scenario sc = load_scenario(kSahel);
  const int mli = sc.actor_index("MLI"), nga = sc.actor_index("NGA"), tcd = sc.actor_index("TCD");
  std::vector<double> b_nga, b_tcd, dpol_nga;
  test::run(sc, [&](const World& w) {
    b_nga.push_back(w.B(mli, nga));
    b_tcd.push_back(w.B(mli, tcd));
    dpol_nga.push_back(w.D_pol(mli, nga));
  });
  CHECK(b_tcd[29] < b_tcd[27]);  // Mali leaves the G5 Sahel, May 2022
  CHECK(b_nga[49] < b_nga[47]);  // ECOWAS frozen, Jan 2024
  CHECK(dpol_nga.back() < 0.5 * dpol_nga[47]);
}

TEST_CASE("Sahel what-ifs: France staying keeps its influence; no Wagner, less of Russia's") {
  const Scenario base = load_scenario(kSahel);
  const Scenario stays = load_scenario(GEOSIM_SCENARIOS_DIR "/whatif/sahel_france_stays.yaml");
  const Scenario no_wagner = load_scenario(GEOSIM_SCENARIOS_DIR "/whatif/sahel_no_wagner.yaml");
  const World b = test::run(base), s = test::run(stays), n = test::run(no_wagner);
  const int fra = base.actor_index("FRA"), rus = base.actor_index("RUS");
  for (const char* code : {"MLI", "BFA", "NER"}) {
    CAPTURE(code);
    const int c = base.actor_index(code);
    CHECK(s.share(fra, c) > b.share(fra, c) + 0.03);
    CHECK(n.share(rus, c) < b.share(rus, c) - 0.05);
  }
}
