#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "core/error.hpp"
#include "core/matrix.hpp"
#include "model/action.hpp"
#include "model/decider.hpp"
#include "model/params.hpp"
#include "model/types.hpp"

namespace geosim {

struct PoleSpec {
  std::string code;
  std::string name;
  std::vector<int> owners;  ///< actor indices
};

struct BlocSpec {
  std::string code;
  std::string name;
  double weight = 1.0;            ///< value of one shared membership in the institutions channel
  bool customs_union = false;     ///< v2: no customs border among members (diversion routes)
  double trade_preference = 0.0;  ///< v2: members trade (1 + this) times what they would without
};

/// Channels whose units measure the same thing (money: "USD m/yr" and "USD m") share a
/// bandwidth scale when one of them has no initial ties of its own.
std::string_view unit_family(std::string_view unit);

struct ChannelSpec {
  std::string name;
  std::string description;
  ChannelKind kind = ChannelKind::flow;
  Dimension dimension = Dimension::economic;
  std::string unit;                ///< canonical unit of its values, e.g. "USD m/yr"
  double half_life = 12.0;         ///< months; infinity = no decay
  double bandwidth_weight = 0.0;   ///< omega_k, sums to 1
  double dependence_weight = 0.0;  ///< nu_k, sums to 1
  ExposureBase exposure = ExposureBase::gdp;
  double exposure_scale = 1.0;
  double gdp_elasticity = 0.0;  ///< base flows scale with (sender gdp / initial)^elasticity
  double reference = 0.0;       ///< bandwidth saturation value; 0 = largest initial tie
  bool sanctionable = false;    ///< cut by sanctions and diverted through transit states
  std::string fbic;             ///< the FBIC sub-index it feeds (documentation)
};

struct ActorSpec {
  std::string code;
  std::string name;
  Role role = Role::other;
  double gdp = 0.0;                                ///< USD bn per year
  double growth = 0.0;                             ///< per year, fraction
  double military = 0.0;                           ///< military spending, USD bn per year
  double budget = 0.0;                             ///< government budget, USD bn per year
  std::array<double, kInstrumentCount> budgets{};  ///< USD m per year
  Vector anchor;                                   ///< x0 over poles, sums to 1
  Vector alignment;                                ///< initial x over poles, sums to 1
  double susceptibility = 0.0;                     ///< base lambda in [0, 1]
  double autonomy = 1.0;                           ///< self-weight in the alignment update, > 0
  double stability = 1.0;                          ///< [0, 1], recorded (shocks use it later)
  std::vector<int> blocs;                          ///< bloc indices
  std::vector<int> neighbours;                     ///< v2: actors it borders (diversion routes)
  bool budget_from_gdp = false;                    ///< no budget given: budget_share_of_gdp x gdp
  /// A listed actor, not the rest of the world.
  bool is_listed() const { return role != Role::rest_of_world; }
};

/// An initial flow or stock, in the channel's canonical unit.
struct FlowEntry {
  int channel = -1;
  int from = -1;
  int to = -1;
  double value = 0.0;
  bool decaying = false;  ///< a pulse that decays from turn 0 (e.g. a recent withdrawal)
  std::string source;
  std::string id;        ///< the entry's id ("" if none); both halves of a `between` share it
  std::string unit;      ///< the unit its value was written in ("" = the channel's unit)
  bool derived = false;  ///< made from a ChannelTotal (always after the scenario's own entries)
};

/// An actor's complete total in a channel, with every partner (`rest_of_world.totals`, format
/// version 2), in the channel's unit; < 0: not given. The part not with a listed actor is a flow
/// with the rest of the world (derive_rest_of_world_flows).
struct ChannelTotal {
  int actor = -1;
  int channel = -1;
  double inflow = -1.0;
  double outflow = -1.0;
  double turnover = -1.0;
};

struct ScheduledEvent {
  int turn = 0;
  Date date;
  std::string id;
  std::string source;
  Action action;
  bool duration_from_end = false;  ///< v2: its turns come from an `end` date
};

/// The typed, validated, immutable description of a run. Built only by sim/scenario/.
struct Scenario {
  int version = 1;  ///< the scenario format version (`geosim:`); decides the v1 rules (model.md)
  std::string name;
  std::string description;
  Date start;
  int months_per_turn = 1;
  int turns = 0;
  std::uint64_t seed = 0;

  std::vector<PoleSpec> poles;
  std::vector<BlocSpec> blocs;
  std::vector<ActorSpec> actors;
  std::vector<ChannelSpec> channels;
  std::vector<FlowEntry> flows;
  std::vector<ChannelTotal> totals;      ///< v2: rest_of_world.totals
  std::vector<ScheduledEvent> timeline;  ///< sorted by turn, stable
  ModelParams params;

  /// The actors' policies and the scenario's shocks (null: only the timeline acts).
  std::shared_ptr<const Decider> decider;

  std::string resolved_yaml;  ///< the resolved scenario (after extends and --set), recorded
  std::string source_file;
  /// Every file the scenario was read from: source_file, then each base of its `extends`
  /// chain (canonical paths; empty for text and the embedded baseline). Commands refuse to
  /// write their output over any of them.
  std::vector<std::string> source_files;
  /// Valid but suspicious input found by the loader (docs/scenario-format.md, "Warnings").
  std::vector<Diagnostic> warnings;
  int rest_of_world = -1;  ///< v2: index of the rest-of-the-world actor (the last), or -1
  std::vector<std::string> policy_ids;  ///< each policy's id ("" if none), in policy order

  int n_actors() const { return static_cast<int>(actors.size()); }
  int n_poles() const { return static_cast<int>(poles.size()); }
  int n_channels() const { return static_cast<int>(channels.size()); }
  Date date_of_turn(int turn) const { return add_months(start, turn * months_per_turn); }
  int actor_index(std::string_view code) const;
  int channel_index(std::string_view name) const;
  /// The pole an actor owns, or -1.
  int pole_of(int actor) const;
  bool is_rest_of_world(int actor) const { return actor == rest_of_world && actor >= 0; }
};

}  // namespace geosim
