// The version-2 actions on scenarios/small_test_v2.yaml (docs/model.md, "Actions"): for each,
// the run is bit-identical to the run without it before its date, and moves in the documented
// direction from its date on; then the edge cases (same-turn events, a start after the run ends,
// overlapping conflicts).
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <functional>

#include "model/mechanisms.hpp"
#include "support/model_fixtures.hpp"

using namespace geosim;
using doctest::Approx;

namespace {

const std::string kV2 = GEOSIM_SCENARIOS_DIR "/small_test_v2.yaml";

/// The v2 test scenario without timeline event `id`.
Scenario without(const std::string& id) {
  return test::with_overlay(kV2, "timeline:\n  - {id: " + id + ", remove: true}\n");
}

bool same(const Matrix& a, const Matrix& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.size()) * sizeof(double)) == 0;
}

/// Every state matrix of the two worlds is bit-equal.
bool same_state(const World& a, const World& b) {
  bool ok = same(a.I, b.I) && same(a.D, b.D) && same(a.B, b.B) && same(a.x, b.x) &&
            same(a.x0, b.x0) && same(a.gdp, b.gdp) && same(a.budget, b.budget);
  for (std::size_t k = 0; k < a.flow.size() && ok; ++k) ok = same(a.flow[k], b.flow[k]);
  return ok;
}

/// Runs two scenarios side by side; calls `each(turn, with, without)` after every turn, and
/// returns the first turn at which their states differ (-1 if never).
int first_difference(const Scenario& with, const Scenario& wo,
                     const std::function<void(int, const World&, const World&)>& each = {}) {
  const CounterRng rng(with.seed, 0);
  World a = make_world(with), b = make_world(wo);
  int first = -1;
  for (int t = 0; t < with.turns; ++t) {
    step(a, with, rng);
    step(b, wo, rng);
    if (first < 0 && !same_state(a, b)) first = t;
    if (each) each(t, a, b);
  }
  return first;
}

int find_event(const Scenario& sc, const std::string& id) {
  for (std::size_t i = 0; i < sc.timeline.size(); ++i)
    if (sc.timeline[i].id == id) return static_cast<int>(i);
  FAIL("no event " << id);
  return -1;
}

int event_turn(const Scenario& sc, const std::string& id) {
  return sc.timeline[static_cast<std::size_t>(find_event(sc, id))].turn;
}

}  // namespace

TEST_CASE("conflict: cuts the pair's ties, drags both economies, pushes them apart, recovers") {
  const Scenario sc = test::small_v2(), wo = without("t_conflict");
  const int c1 = sc.actor_index("C1"), c3 = sc.actor_index("C3");
  const int start = event_turn(sc, "t_conflict"), last = start + 3;  // Jun .. Sep 2020
  const int trade = sc.channel_index("trade");
  double gap_end = 0.0, gap_later = 0.0;
  const int first = first_difference(sc, wo, [&](int t, const World& a, const World& b) {
    if (t < start) return;
    // Trade scales with the sender's gdp (elasticity 1), which the conflict lowers: the cut is
    // the ratio of the two runs' flows, corrected for the senders' gdp.
    const double ratio = a.flow[trade](c1, c3) / b.flow[trade](c1, c3) / (a.gdp(c1) / b.gdp(c1));
    const double back = a.flow[trade](c3, c1) / b.flow[trade](c3, c1) / (a.gdp(c3) / b.gdp(c3));
    if (t <= last) {
      CHECK(a.war(c1, c3) == 0.6);
      CHECK(ratio == Approx(0.4).epsilon(1e-9));  // cut by its intensity, both ways
      CHECK(back == Approx(0.4).epsilon(1e-9));
      CHECK(a.gdp(c1) < b.gdp(c1));
      CHECK(a.gdp(c3) < b.gdp(c3));
      CHECK(a.I(c1, c3) < b.I(c1, c3));
      // Each side moves away from the other's alignment: both lean east (C1 0.7, C3 0.6), so
      // both move west relative to peace.
      CHECK(a.x(c1, 0) > b.x(c1, 0));
      CHECK(a.x(c3, 0) > b.x(c3, 0));
    } else {
      CHECK(a.war(c1, c3) == 0.0);  // over: no intensity ...
      // ... but trade recovers only with the half-life (24 months): the cut after k months is
      // 0.6 x 2^(-k/24).
      const int k = t - last;
      CHECK(1.0 - ratio == Approx(0.6 * std::exp2(-k / 24.0)).epsilon(1e-9));
      if (t == last + 1) gap_end = 1.0 - ratio;
      if (t == sc.turns - 1) gap_later = 1.0 - ratio;
    }
  });
  CHECK(first == start);  // bit-identical before its date
  CHECK(gap_later < gap_end);
}

TEST_CASE("deploy: personnel present for its turns, charged to the deployments budget") {
  const Scenario sc = test::small_v2(), wo = without("t_deploy");
  const int pa = sc.actor_index("PA"), c3 = sc.actor_index("C3");
  const int start = event_turn(sc, "t_deploy");
  const int basing = sc.channel_index("basing");
  const int deploy = static_cast<int>(Instrument::deployments);
  const int first = first_difference(sc, wo, [&](int t, const World& a, const World& b) {
    if (t < start) return;
    if (t < start + 6) {
      CHECK(a.flow[basing](pa, c3) == b.flow[basing](pa, c3) + 500.0);
      CHECK(a.spent(pa, deploy) == Approx(60.0 / 12.0));
      CHECK(a.D_sec(c3, pa) > b.D_sec(c3, pa));
    } else {
      CHECK(a.flow[basing](pa, c3) == b.flow[basing](pa, c3));  // gone at once
      CHECK(a.spent(pa, deploy) == 0.0);
    }
  });
  CHECK(first == start);
}

TEST_CASE("withdraw: ends the named ties; stocks depreciate, or go at once with stocks: remove") {
  // PA's budget policy would send new security aid (and equipment) to C2: off, as the warning
  // about this withdrawal says.
  const std::string no_aid = "policies[pa_budget].priorities.C2=0";
  const Scenario sc = test::small_v2({no_aid});
  const Scenario wo = test::with_overlay(
      kV2,
      "timeline:\n  - {id: t_withdraw, remove: true}\npolicies:\n  - {id: pa_budget, "
      "priorities: {C2: 0}}\n");
  const Scenario removed = test::small_v2({no_aid, "timeline[t_withdraw].stocks=remove"});
  const int pa = sc.actor_index("PA"), c2 = sc.actor_index("C2");
  const int start = event_turn(sc, "t_withdraw");
  const int basing = sc.channel_index("basing"), arms = sc.channel_index("arms");
  const double d_arms = std::exp2(-1.0 / 60.0);  // arms half-life: 60 months
  double arms_prev = 0.0;
  const int first = first_difference(sc, wo, [&](int t, const World& a, const World& b) {
    if (t < start) return;
    CHECK(a.flow[basing](pa, c2) == 0.0);  // basing has no decay: ends at once
    CHECK(b.flow[basing](pa, c2) > 0.0);
    CHECK(a.flow[arms](pa, c2) > 0.0);  // the equipment stays and depreciates
    CHECK(a.flow[arms](pa, c2) < b.flow[arms](pa, c2));
    if (t > start) CHECK(a.flow[arms](pa, c2) == Approx(arms_prev * d_arms).epsilon(1e-9));
    arms_prev = a.flow[arms](pa, c2);
  });
  CHECK(first == start);
  const World w = test::run(removed);
  CHECK(w.flow[arms](pa, c2) == 0.0);  // removed at once
}

TEST_CASE("a withdrawal a budget policy would undo is warned about") {
  const Scenario sc = test::small_v2();
  bool warned = false;
  for (const auto& d : sc.warnings)
    warned = warned || (d.key_path == "timeline[t_withdraw]" &&
                        d.message.find("pa_budget") != std::string::npos);
  CHECK(warned);
}

TEST_CASE("withdraw with no tie to end is warned about, not refused") {
  const Scenario sc = test::with_overlay(kV2,
                                         "timeline:\n  - {id: w2, date: 2020-05-01, action: "
                                         "withdraw, actor: PB, from: C3, channels: [basing]}\n");
  bool warned = false;
  for (const auto& d : sc.warnings)
    warned = warned || (d.key_path == "timeline[w2]" &&
                        d.message.find("it ends nothing") != std::string::npos);
  CHECK(warned);
}

TEST_CASE("policy: changed parameters and a policy switched off act from its date") {
  {
    const Scenario sc = test::small_v2(), wo = without("t_policy");
    const int pa = sc.actor_index("PA"), c1 = sc.actor_index("C1");
    const int start = event_turn(sc, "t_policy");
    CHECK(first_difference(sc, wo) == start);
    const World w = test::run(sc), x = test::run(wo);
    auto aid_to_c1 = [&](const World& world, bool after) {
      int n = 0;
      for (const auto& e : world.log)
        n += e.cause == Cause::policy && e.actor == pa && e.target == c1 &&
             (e.action == ActionType::economic_aid || e.action == ActionType::security_aid) &&
             (after ? e.turn >= start : e.turn < start);
      return n;
    };
    CHECK(aid_to_c1(w, false) == aid_to_c1(x, false));
    CHECK(aid_to_c1(w, false) > 0);
    CHECK(aid_to_c1(w, true) == 0);  // priority 0 from July 2020
    CHECK(aid_to_c1(x, true) > 0);
  }
  {
    const Scenario sc = test::small_v2(), wo = without("t_rival_off");
    const int pb = sc.actor_index("PB");
    const int start = event_turn(sc, "t_rival_off");
    CHECK(first_difference(sc, wo) == start);
    const World w = test::run(sc);
    int after = 0, before = 0;
    for (const auto& e : w.log)
      if (e.cause == Cause::reaction && e.actor == pb) (e.turn >= start ? after : before) += 1;
    CHECK(before > 0);
    CHECK(after == 0);
  }
}

TEST_CASE("budget: yearly budgets scaled from the date; the patron spends less") {
  const Scenario sc = test::small_v2(), wo = without("t_budget");
  const int pa = sc.actor_index("PA");
  const int start = event_turn(sc, "t_budget");
  double spent_with = 0.0, spent_without = 0.0;
  const int first = first_difference(sc, wo, [&](int t, const World& a, const World& b) {
    if (t < start) return;
    for (int i = 0; i < kInstrumentCount; ++i) CHECK(a.budget(pa, i) == 0.5 * b.budget(pa, i));
    spent_with += a.spent(pa, 0) + a.spent(pa, 1);
    spent_without += b.spent(pa, 0) + b.spent(pa, 1);
  });
  CHECK(first == start);
  // Half, but for the tranches below min_tranche (0.05 USD m) that are not made.
  CHECK(spent_with == Approx(0.5 * spent_without).epsilon(1e-3));
  CHECK(spent_with < 0.5 * spent_without + 0.05 * 12 * 3 * 2);
}

TEST_CASE("flow: a base flow moves linearly to its new level over its turns") {
  const Scenario sc = test::small_v2(), wo = without("t_flow");
  const int pb = sc.actor_index("PB"), c2 = sc.actor_index("C2");
  const int k = sc.channel_index("energy");
  const int start = event_turn(sc, "t_flow");
  const int first = first_difference(sc, wo, [&](int t, const World& a, const World& b) {
    if (t < start) return;
    const double step = std::min(1.0, (t - start + 1) / 3.0);
    CHECK(a.base[k](pb, c2) == Approx(b.base[k](pb, c2) * (1.0 - 0.8 * step)).epsilon(1e-12));
    CHECK(a.D(c2, pb) < b.D(c2, pb));
  });
  CHECK(first == start);
}

TEST_CASE("flow: `value` sets the flow's level at the date, from or to the rest of the world") {
  const Scenario sc = test::with_overlay(
      kV2,
      "timeline:\n  - {id: f2, date: 2020-06-01, action: flow, channel: trade, from: ROW, to: C2, "
      "value: 1, unit: USD bn/yr}\n");
  const int row = sc.rest_of_world, c2 = sc.actor_index("C2");
  REQUIRE(row == sc.n_actors() - 1);
  World w = make_world(sc);
  const CounterRng rng(sc.seed, 0);
  for (int t = 0; t <= 5; ++t) step(w, sc, rng);
  // Set at the gdp of the turn before (trade's gdp elasticity is 1), then grown for one turn.
  const double grown = std::exp(std::log1p(sc.actors[row].growth) / 12.0);
  CHECK(w.flow[w.ch.trade](row, c2) == Approx(1000.0 * grown).epsilon(1e-9));
}

TEST_CASE("anchor: the anchor moves linearly over its turns, and alignment follows") {
  const Scenario sc = test::small_v2(), wo = without("t_anchor");
  const int c3 = sc.actor_index("C3");
  const int start = event_turn(sc, "t_anchor");
  const int first = first_difference(sc, wo, [&](int t, const World& a, const World& b) {
    if (t < start) return;
    const double step = std::min(1.0, (t - start + 1) / 6.0);
    CHECK(a.x0(c3, 0) == Approx(0.4 + (0.8 - 0.4) * step).epsilon(1e-12));
    CHECK(a.x0.row(c3).sum() == Approx(1.0));
    CHECK(a.x(c3, 0) > b.x(c3, 0));
  });
  CHECK(first == start);
  // A new alignment at once, when given.
  const Scenario jump = test::small_v2({"timeline[t_anchor].alignment={west: 0.9, east: 0.1}"});
  World w = make_world(jump);
  const CounterRng rng(jump.seed, 0);
  for (int t = 0; t < start; ++t) step(w, jump, rng);
  apply_action(w, jump,
               jump.timeline[static_cast<std::size_t>(find_event(jump, "t_anchor"))].action, start,
               Cause::scripted);
  CHECK(w.x(c3, 0) == 0.9);
  CHECK(w.x(c3, 1) == 0.1);
}

TEST_CASE("bloc: leaving ends the institutional tie and scales trade down by the preference") {
  const Scenario sc = test::small_v2(), wo = without("t_leave");
  const int c1 = sc.actor_index("C1"), pb = sc.actor_index("PB");
  const int inst = sc.channel_index("institutions");
  const int start = event_turn(sc, "t_leave");
  const int first = first_difference(sc, wo, [&](int t, const World& a, const World& b) {
    if (t < start) return;
    CHECK(a.base[inst](c1, pb) == 0.0);
    CHECK(b.base[inst](c1, pb) == 1.0);
    const double step = std::min(1.0, (t - start + 1) / 6.0);
    const double target = 1.0 / 1.3;  // trade preference 0.3 lost, both ways
    CHECK(a.preference(c1, pb) == Approx(1.0 + (target - 1.0) * step).epsilon(1e-12));
    CHECK(a.preference(pb, c1) == a.preference(c1, pb));
    CHECK(b.preference(c1, pb) == 1.0);
    CHECK(a.D_pol(c1, pb) < b.D_pol(c1, pb));
    CHECK(a.B(c1, pb) < b.B(c1, pb));
  });
  CHECK(first == start);
}

TEST_CASE("bloc: a trade preference change and a flow change of the same trade both apply") {
  // C1's exports to PB go to 0 over 6 turns from Jan 2021; C1 leaves PACT in Mar 2021 (its
  // preference ramp must not cancel the flow's ramp, nor the reverse).
  const Scenario sc = test::with_overlay(
      kV2,
      "timeline:\n  - {id: cut, date: 2021-01-01, action: flow, channel: trade, from: C1, "
      "to: PB, scale: 0, turns: 6}\n");
  const int c1 = sc.actor_index("C1"), pb = sc.actor_index("PB");
  const World w = test::run(sc);
  CHECK(w.base[w.ch.trade](c1, pb) == 0.0);  // (the flow still carries diverted trade)
  CHECK(w.preference(c1, pb) == Approx(1.0 / 1.3));
  CHECK(w.base[w.ch.trade](pb, c1) > 0.0);  // the other direction keeps its trade
}

TEST_CASE("bloc: freezing ends the institutional tie but keeps the membership and its trade") {
  const Scenario sc = test::small_v2(), wo = without("t_freeze");
  const int c2 = sc.actor_index("C2"), pa = sc.actor_index("PA");
  const int start = event_turn(sc, "t_freeze");
  const int forum = 1, inst = sc.channel_index("institutions");
  const int first = first_difference(sc, wo, [&](int t, const World& a, const World& b) {
    if (t < start) return;
    CHECK(a.membership(c2, forum) == 1.0);
    CHECK(a.frozen(c2, forum) == 1.0);
    CHECK(a.base[inst](c2, pa) == 0.0);
    CHECK(a.D_pol(c2, pa) < b.D_pol(c2, pa));
  });
  CHECK(first == start);
  // Unfreezing restores the tie.
  const Scenario back = test::with_overlay(
      kV2,
      "timeline:\n  - {id: uf, date: 2021-05-01, action: bloc, actor: C2, bloc: FORUM, "
      "change: unfreeze}\n");
  const World w = test::run(back);
  CHECK(w.base[inst](c2, pa) == 1.0);
  CHECK(w.frozen(c2, forum) == 0.0);
}

TEST_CASE("bloc: every membership counts, also when the pair shares most blocs (no cap)") {
  // PB and C1 share three of the four blocs, none with trade preferences: leaving one must
  // lower their bandwidth (only the institutions term can move it) and political dependence.
  const std::string shared =
      "blocs:\n  - {code: PACT, trade_preference: 0}\n  - {code: BANK}\n  - {code: CLUB}\n"
      "actors:\n  - {code: PB, blocs: [PACT, BANK, CLUB]}\n"
      "  - {code: C1, blocs: [PACT, BANK, CLUB]}\n"
      "timeline:\n  - {id: t_leave, date: 2020-03-01, bloc: CLUB}\n";
  const Scenario sc = test::with_overlay(kV2, shared);
  const Scenario stay = test::with_overlay(kV2, shared + "  - {id: t_leave, remove: true}\n");
  const int c1 = sc.actor_index("C1"), pb = sc.actor_index("PB");
  const int start = event_turn(sc, "t_leave");
  const int first = first_difference(sc, stay, [&](int t, const World& a, const World& b) {
    if (t < start) return;
    CHECK(a.flow[a.ch.trade](c1, pb) == b.flow[b.ch.trade](c1, pb));  // trade untouched
    CHECK(a.B(c1, pb) < b.B(c1, pb));
    CHECK(a.D_pol(c1, pb) < b.D_pol(c1, pb));
  });
  CHECK(first == start);
  // The institutions term: 3 and then 2 shared memberships against a reference of 2 x 4.
  const World w = make_world(sc);
  CHECK(w.ref[static_cast<std::size_t>(w.ch.institutions)] == 8.0);
}

TEST_CASE("costs: an exercise and a visit charge their budgets") {
  const Scenario sc = test::small_v2();
  const int pa = sc.actor_index("PA"), pb = sc.actor_index("PB");
  std::vector<double> ex, visits;
  test::run(sc, [&](const World& w) {
    ex.push_back(w.spent(pb, static_cast<int>(Instrument::exercises)));
    visits.push_back(w.spent(pa, static_cast<int>(Instrument::visits)));
  });
  const int ex_turn = event_turn(sc, "t_ex"), visit_turn = event_turn(sc, "t_visit");
  CHECK(ex[static_cast<std::size_t>(ex_turn)] == Approx(2.0));  // 4 USD m over 2 turns
  CHECK(ex[static_cast<std::size_t>(ex_turn) + 1] == Approx(2.0));
  CHECK(ex[static_cast<std::size_t>(ex_turn) + 2] == 0.0);
  CHECK(visits[static_cast<std::size_t>(visit_turn)] == Approx(0.5));
}

TEST_CASE("edge cases: same-turn events, an end past the run, overlapping conflicts") {
  const int c1 = 2, c3 = 4;
  SUBCASE("two flow changes on one cell in one turn: the later in the file wins") {
    const Scenario sc = test::with_overlay(
        kV2,
        "timeline:\n  - {id: fa, date: 2020-03-01, action: flow, channel: energy, from: PB, to: "
        "C2, scale: 0.5}\n  - {id: fb, date: 2020-03-15, action: flow, channel: energy, from: "
        "PB, to: C2, scale: 2}\n");
    const Scenario one = test::with_overlay(
        kV2,
        "timeline:\n  - {id: fb, date: 2020-03-15, action: flow, channel: energy, from: PB, to: "
        "C2, scale: 2}\n");
    CHECK(first_difference(sc, one) == -1);
  }
  SUBCASE("a conflict whose end is after the run lasts to the end, with a warning") {
    const Scenario sc = test::small_v2({"timeline[t_conflict].end=2030-01-01"});
    bool warned = false;
    for (const auto& d : sc.warnings)
      warned = warned || d.message.find("past the end of the run") != std::string::npos;
    CHECK(warned);
    const World w = test::run(sc);
    CHECK(w.war(c1, c3) == 0.6);
  }
  SUBCASE("overlapping conflicts on one pair: the larger intensity, then the later end") {
    const Scenario sc = test::with_overlay(
        kV2,
        "timeline:\n  - {id: c2nd, date: 2020-07-01, action: conflict, sides: [C3, C1], "
        "intensity: 0.9, turns: 1}\n");
    bool warned = false;
    for (const auto& d : sc.warnings)
      warned = warned || d.message.find("overlaps an earlier conflict") != std::string::npos;
    CHECK(warned);
    std::vector<double> war;
    test::run(sc, [&](const World& w) { war.push_back(w.war(c1, c3)); });
    CHECK(war[5] == 0.6);
    CHECK(war[6] == 0.9);  // both active: the larger
    CHECK(war[7] == 0.6);
    CHECK(war[8] == 0.6);
    CHECK(war[9] == 0.0);
  }
  SUBCASE("an event after the run's end is refused with its location") {
    try {
      (void)test::small_v2({"timeline[t_withdraw].date=2022-01-01"});
      FAIL("loaded");
    } catch (const InputError& e) {
      REQUIRE(!e.diagnostics().empty());
      CHECK(e.diagnostics()[0].where.file == "<command line --set #1>");
      CHECK(e.diagnostics()[0].key_path == "timeline[t_withdraw].date");
      CHECK(e.diagnostics()[0].message.find("is outside the run") != std::string::npos);
    }
  }
}

TEST_CASE("the rest of the world closes each actor's totals") {
  const Scenario sc = test::small_v2();
  const int row = sc.rest_of_world, c1 = sc.actor_index("C1"), c2 = sc.actor_index("C2");
  const World w = make_world(sc);
  const Matrix& T = w.flow[w.ch.trade];
  // C1's turnover with everyone is the declared 12 USD bn/yr; the rest of the world's part is
  // split equally both ways.
  CHECK(T.row(c1).sum() + T.col(c1).sum() == Approx(12000.0));
  CHECK(T(row, c1) == Approx(T(c1, row)));
  // C2's declared inflow and outflow.
  CHECK(T.col(c2).sum() == Approx(4000.0));
  CHECK(T.row(c2).sum() == Approx(3000.0));
  CHECK(w.flow[w.ch.remittances].col(c2).sum() == Approx(2000.0));
  // It has no bandwidth, no influence, depends on nobody, is nobody's patron.
  CHECK(w.B.row(row).sum() == 0.0);
  CHECK(w.I.row(row).sum() == 0.0);
  CHECK(w.I.col(row).sum() == 0.0);
  CHECK(w.D.row(row).sum() == 0.0);
  CHECK(w.patron[static_cast<std::size_t>(row)] == 0);
  // Dependence shares are against the real totals: C2's dependence on PB through remittances is
  // PB's share of all its remittances (1 of 2), times the capped exposure.
  const double exposure = std::min(1.0, 2000.0 / (1000.0 * sc.actors[c2].gdp) * 2.0);
  CHECK(w.dep[w.ch.remittances](c2, sc.actor_index("PB")) == Approx(0.5 * exposure));
}

TEST_CASE("diversion (v2): routes weigh turnover with the destination by proximity, capped") {
  const Scenario sc = test::small_v2({"parameters.transit_capacity=100"});  // no cap binds
  World w = make_world(sc);
  const int pa = sc.actor_index("PA"), pb = sc.actor_index("PB");
  const int c1 = sc.actor_index("C1"), c3 = sc.actor_index("C3"), row = sc.rest_of_world;
  w.sanction(pa, pb) = 0.5;
  compose_flows(w, sc);
  apply_sanctions(w, sc);
  // Weights: turnover with PB times the route factor. C1 is in a customs union with PB (1), the
  // rest of the world borders it (0.5), C3 has no trade with PB and carries nothing.
  const World fresh = make_world(sc);
  const Matrix& F0 = fresh.flow[fresh.ch.trade];
  const double c1_weight = F0(c1, pb) + F0(pb, c1);
  const double row_weight = 0.5 * (F0(row, pb) + F0(pb, row));
  CHECK(w.reexports_to(c3, pb) == 0.0);
  CHECK(w.reexports_to(c1, pb) > 0.0);
  // Neither is capped and neither complies: their re-exports stand as their weights.
  CHECK(w.reexports_to(row, pb) / w.reexports_to(c1, pb) ==
        Approx(row_weight / c1_weight).epsilon(1e-9));
  // Capacity: with transit_capacity tiny, C1 re-routes at most that share of its gdp.
  const Scenario tight = test::small_v2({"parameters.transit_capacity=0.001"});
  World t = make_world(tight);
  t.sanction(pa, pb) = 0.5;
  compose_flows(t, tight);
  apply_sanctions(t, tight);
  CHECK(t.reexports_to(c1, pb) <= 0.001 * 1000.0 * t.gdp(c1) * (1.0 + 1e-12));
  CHECK(t.reexports_to(c1, pb) > 0.0);
}

TEST_CASE("sanctions cost the sender in version 2, not in version 1") {
  const Scenario sc = test::small_v2(), wo = without("t_sanc");
  const int pa = sc.actor_index("PA");
  const World a = test::run(sc), b = test::run(wo);
  CHECK(a.gdp(pa) < b.gdp(pa));
  const Scenario zero = test::small_v2({"parameters.sanction_sender_cost=0"});
  CHECK(test::run(zero).gdp(pa) == b.gdp(pa));
  // Version 1: the sender bears nothing.
  const Scenario v1 = test::small(), v1_wo = test::small({"timeline[t_sanc].intensity=0"});
  CHECK(test::run(v1).gdp(pa) == test::run(v1_wo).gdp(pa));
}
