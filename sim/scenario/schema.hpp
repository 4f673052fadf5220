#pragma once
/// The declarations of every scenario item's fields (field.hpp says how they are used). Each
/// function returns one table; the loader, `--set` and the sweeps (scenario_edit.cpp) and the
/// docs (`geosim format --markdown`, docs/scenario-format.md) all read these.
#include <string_view>
#include <vector>

#include "model/action.hpp"
#include "model/scenario.hpp"
#include "policy/policy_type.hpp"
#include "scenario/field.hpp"

namespace geosim {

/// The largest amount of money a scenario may write, in USD m: a trillion dollars.
inline constexpr double kMaxAmount = 1e9;

/// The `rest_of_world:` section as read (format version 2).
struct RestOfWorldSpec {
  std::string name = "Rest of the world";
  double gdp = 0.0;     ///< USD bn/yr
  double growth = 0.0;  ///< per year
  std::string source;
};

/// One `rest_of_world.totals` entry: an actor's complete inflow, outflow or turnover in a
/// channel, with every partner; the part not with a listed actor goes to the rest of the world.
struct TotalEntry {
  int actor = -1;
  int channel = -1;
  double inflow = -1.0;    ///< < 0: not given (canonical channel unit)
  double outflow = -1.0;   ///< < 0: not given
  double turnover = -1.0;  ///< < 0: not given
};

const Schema<Scenario>& metadata_schema();
const Schema<PoleSpec>& pole_schema();
const Schema<BlocSpec>& bloc_schema();
const Schema<ActorSpec>& actor_schema();
const Schema<ChannelSpec>& channel_schema();
const Schema<FlowEntry>& flow_schema();
const Schema<ShockSpec>& shock_schema();
const Schema<RestOfWorldSpec>& rest_of_world_schema();
const Schema<TotalEntry>& total_schema();
/// The keys every policy item has besides its policy's parameters.
const std::vector<FieldSpec>& policy_item_specs();
/// The keys every timeline event has besides its action's.
const Schema<ScheduledEvent>& event_schema();

/// A timeline action: its name (`action:`), what it does, the format version that introduced it
/// and its fields (stored into Action).
struct ActionSchema {
  ActionType type;
  std::string_view summary;
  int since = 1;
  Schema<Action> fields;
};
/// Every scriptable action, in ActionType order.
const std::vector<ActionSchema>& action_schemas();
const ActionSchema& action_schema(ActionType t);

/// The shares of the instruments a budget is given for, as keys (`budgets:`).
std::vector<std::string> instrument_keys();

/// The same as a short listing: each item's keys (`*` required, `[2]` version 2), one line each.
std::string format_reference_text();

/// The whole scenario format reference in markdown: one table per item, and one per action
/// (what `geosim format --markdown` prints; docs/scenario-format.md holds the same tables).
std::string format_reference_markdown();

}  // namespace geosim
