#pragma once
/// Helpers shared by the scenario-loader tests.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "model/params.hpp"
#include "scenario/load.hpp"
#include "test_paths.hpp"

namespace geosim::test {

/// tests/bad_scenarios, where the bad-input files live.
inline std::string bad_dir() {
  return std::string(GEOSIM_TESTS_DIR) + "/bad_scenarios";
}
inline std::string bad_file(const std::string& name) {
  return bad_dir() + "/" + name;
}
/// tests/scenario/overlays, the fixtures of the overlay tests.
inline std::string overlay_file(const std::string& name) {
  return std::string(GEOSIM_TESTS_DIR) + "/scenario/overlays/" + name;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// All diagnostics, one per line, for failure messages.
inline std::string describe(const std::vector<Diagnostic>& ds) {
  std::string s;
  for (const auto& d : ds) s += "\n  " + d.str();
  return s;
}

/// Runs `load`, which must throw InputError; returns its diagnostics (empty if it did not throw,
/// after recording a failure).
inline std::vector<Diagnostic> diagnostics_of(const std::function<void()>& load) {
  try {
    load();
  } catch (const InputError& e) {
    return e.diagnostics();
  } catch (const std::exception& e) {
    FAIL_CHECK("expected InputError, got another exception: " << std::string(e.what()));
    return {};
  }
  FAIL_CHECK("expected InputError, but the scenario loaded");
  return {};
}

/// Loads a file; on InputError fails the test with every diagnostic.
inline Scenario load_ok(const std::string& path, const std::vector<std::string>& sets = {}) {
  try {
    return load_scenario(path, sets);
  } catch (const InputError& e) {
    FAIL("unexpected InputError loading " << path << ":" << describe(e.diagnostics()));
  }
  return {};
}

inline Scenario load_text_ok(const std::string& text, const std::vector<std::string>& sets = {}) {
  try {
    return load_scenario_text(text, "<test>", sets);
  } catch (const InputError& e) {
    FAIL("unexpected InputError:" << describe(e.diagnostics()) << "\nin:\n" << text);
  }
  return {};
}

/// Index of the flow channel/from/to by names, or -1.
inline int find_flow(const Scenario& sc, const std::string& channel, const std::string& from,
                     const std::string& to) {
  const int k = sc.channel_index(channel), a = sc.actor_index(from), b = sc.actor_index(to);
  for (std::size_t i = 0; i < sc.flows.size(); ++i)
    if (sc.flows[i].channel == k && sc.flows[i].from == a && sc.flows[i].to == b)
      return static_cast<int>(i);
  return -1;
}

/// Index of the timeline event with this id, or -1.
inline int find_event(const Scenario& sc, const std::string& id) {
  for (std::size_t i = 0; i < sc.timeline.size(); ++i)
    if (sc.timeline[i].id == id) return static_cast<int>(i);
  return -1;
}

inline bool same_vector(const Vector& a, const Vector& b) {
  if (a.size() != b.size()) return false;
  for (Eigen::Index i = 0; i < a.size(); ++i)
    if (a(i) != b(i)) return false;
  return true;
}

/// Checks that two scenarios describe the same run (everything but resolved_yaml and
/// source_file).
inline void check_same_scenario(const Scenario& a, const Scenario& b) {
  CHECK(a.version == b.version);
  CHECK(a.rest_of_world == b.rest_of_world);
  CHECK(a.name == b.name);
  CHECK(a.description == b.description);
  CHECK(a.start.str() == b.start.str());
  CHECK(a.months_per_turn == b.months_per_turn);
  CHECK(a.turns == b.turns);
  CHECK(a.seed == b.seed);
  REQUIRE(a.poles.size() == b.poles.size());
  for (std::size_t i = 0; i < a.poles.size(); ++i) {
    CAPTURE(a.poles[i].code);
    CHECK(a.poles[i].code == b.poles[i].code);
    CHECK(a.poles[i].name == b.poles[i].name);
    CHECK(a.poles[i].owners == b.poles[i].owners);
  }
  REQUIRE(a.blocs.size() == b.blocs.size());
  for (std::size_t i = 0; i < a.blocs.size(); ++i) {
    CAPTURE(a.blocs[i].code);
    CHECK(a.blocs[i].code == b.blocs[i].code);
    CHECK(a.blocs[i].name == b.blocs[i].name);
    CHECK(a.blocs[i].weight == b.blocs[i].weight);
    CHECK(a.blocs[i].customs_union == b.blocs[i].customs_union);
    CHECK(a.blocs[i].trade_preference == b.blocs[i].trade_preference);
  }
  REQUIRE(a.actors.size() == b.actors.size());
  for (std::size_t i = 0; i < a.actors.size(); ++i) {
    const ActorSpec& x = a.actors[i];
    const ActorSpec& y = b.actors[i];
    CAPTURE(x.code);
    CHECK(x.code == y.code);
    CHECK(x.name == y.name);
    CHECK(x.role == y.role);
    CHECK(x.gdp == y.gdp);
    CHECK(x.growth == y.growth);
    CHECK(x.military == y.military);
    CHECK(x.budget == y.budget);
    CHECK(x.budgets == y.budgets);
    CHECK(same_vector(x.anchor, y.anchor));
    CHECK(same_vector(x.alignment, y.alignment));
    CHECK(x.susceptibility == y.susceptibility);
    CHECK(x.autonomy == y.autonomy);
    CHECK(x.stability == y.stability);
    CHECK(x.blocs == y.blocs);
    CHECK(x.neighbours == y.neighbours);
  }
  REQUIRE(a.channels.size() == b.channels.size());
  for (std::size_t i = 0; i < a.channels.size(); ++i) {
    const ChannelSpec& x = a.channels[i];
    const ChannelSpec& y = b.channels[i];
    CAPTURE(x.name);
    CHECK(x.name == y.name);
    CHECK(x.description == y.description);
    CHECK(x.kind == y.kind);
    CHECK(x.dimension == y.dimension);
    CHECK(x.unit == y.unit);
    CHECK(x.half_life == y.half_life);
    CHECK(x.bandwidth_weight == y.bandwidth_weight);
    CHECK(x.dependence_weight == y.dependence_weight);
    CHECK(x.exposure == y.exposure);
    CHECK(x.exposure_scale == y.exposure_scale);
    CHECK(x.gdp_elasticity == y.gdp_elasticity);
    CHECK(x.reference == y.reference);
    CHECK(x.sanctionable == y.sanctionable);
    CHECK(x.fbic == y.fbic);
  }
  REQUIRE(a.flows.size() == b.flows.size());
  for (std::size_t i = 0; i < a.flows.size(); ++i) {
    CAPTURE(i);
    CHECK(a.flows[i].channel == b.flows[i].channel);
    CHECK(a.flows[i].from == b.flows[i].from);
    CHECK(a.flows[i].to == b.flows[i].to);
    CHECK(a.flows[i].value == b.flows[i].value);
    CHECK(a.flows[i].decaying == b.flows[i].decaying);
    CHECK(a.flows[i].source == b.flows[i].source);
    CHECK(a.flows[i].derived == b.flows[i].derived);
  }
  REQUIRE(a.totals.size() == b.totals.size());
  for (std::size_t i = 0; i < a.totals.size(); ++i) {
    CHECK(a.totals[i].actor == b.totals[i].actor);
    CHECK(a.totals[i].channel == b.totals[i].channel);
    CHECK(a.totals[i].inflow == b.totals[i].inflow);
    CHECK(a.totals[i].outflow == b.totals[i].outflow);
    CHECK(a.totals[i].turnover == b.totals[i].turnover);
  }
  REQUIRE(a.timeline.size() == b.timeline.size());
  for (std::size_t i = 0; i < a.timeline.size(); ++i) {
    const ScheduledEvent& x = a.timeline[i];
    const ScheduledEvent& y = b.timeline[i];
    CAPTURE(x.id);
    CHECK(x.turn == y.turn);
    CHECK(x.date.str() == y.date.str());
    CHECK(x.id == y.id);
    CHECK(x.source == y.source);
    CHECK(x.action.type == y.action.type);
    CHECK(x.action.actor == y.action.actor);
    CHECK(x.action.target == y.action.target);
    CHECK(x.action.others == y.action.others);
    CHECK(x.action.amount == y.action.amount);
    CHECK(x.action.turns == y.action.turns);
    CHECK(x.action.penalty == y.action.penalty);
    CHECK(x.action.detection == y.action.detection);
    CHECK(x.action.bloc == y.action.bloc);
    CHECK(x.action.change == y.action.change);
    CHECK(x.action.channels == y.action.channels);
    CHECK(x.action.channel == y.action.channel);
    CHECK(x.action.cost == y.action.cost);
    CHECK(x.action.stocks == y.action.stocks);
    CHECK(x.action.mode == y.action.mode);
    CHECK(x.action.both == y.action.both);
    CHECK(x.action.policy == y.action.policy);
    CHECK(x.action.active == y.action.active);
    CHECK(same_vector(x.action.shares, y.action.shares));
    CHECK(same_vector(x.action.shares2, y.action.shares2));
    for (std::size_t v = 0; v < x.action.values.size(); ++v)
      CHECK((x.action.values[v] == y.action.values[v] ||
             (std::isnan(x.action.values[v]) && std::isnan(y.action.values[v]))));
  }
  for (const auto& s : param_specs()) {
    CAPTURE(s.name);
    CHECK(a.params.*(s.field) == b.params.*(s.field));
  }
}

}  // namespace geosim::test
