#pragma once
#include <array>
#include <limits>
#include <string_view>
#include <vector>

#include "core/matrix.hpp"
#include "model/types.hpp"

namespace geosim {

/// The action types of model.md: the scriptable ones first (format version 1, then those
/// version 2 added), then the engine's, policies' and shocks' own.
enum class ActionType {
  economic_aid,
  security_aid,
  exercise,
  visit,
  sanction,
  secondary_sanction,
  loan,
  withdraw,
  bloc,
  conflict,            ///< v2: a scripted conflict between two actors
  deploy,              ///< v2: a deployment (personnel) that starts and ends on dates
  policy,              ///< v2: a policy's parameters changed, or the policy switched on or off
  budget,              ///< v2: an actor's yearly budgets set or scaled
  flow,                ///< v2: a channel's base flow between two actors set or scaled
  anchor,              ///< v2: an actor's anchor (and maybe its alignment) shifts
  detection,           ///< engine: a transit state's non-compliance was detected
  decline,             ///< policy: a hedging client declined an aid offer
  border_conflict,     ///< shock: trade between two neighbours cut for some turns
  commodity_price,     ///< shock: an economy's gdp jumps by a share
  regime_instability,  ///< shock: an actor's alignment lurches toward one pole
};
inline constexpr std::array<std::string_view, 20> kActionNames = {"economic_aid",
                                                                  "security_aid",
                                                                  "exercise",
                                                                  "visit",
                                                                  "sanction",
                                                                  "secondary_sanction",
                                                                  "loan",
                                                                  "withdraw",
                                                                  "bloc",
                                                                  "conflict",
                                                                  "deploy",
                                                                  "policy",
                                                                  "budget",
                                                                  "flow",
                                                                  "anchor",
                                                                  "detection",
                                                                  "decline",
                                                                  "border_conflict",
                                                                  "commodity_price",
                                                                  "regime_instability"};
inline constexpr int kScriptableActions = 15;  ///< the first 15 may appear in a timeline
inline constexpr int kVersion1Actions = 9;     ///< format version 1 knows the first nine

/// A bloc membership change.
enum class BlocChange { join, leave, freeze, unfreeze };
inline constexpr std::array<std::string_view, 4> kBlocChangeNames = {"join", "leave", "freeze",
                                                                     "unfreeze"};

/// What `withdraw` does to a stock that depreciates (v2).
enum class StockRule { depreciate, remove };
/// How `budget` and `flow` change a value (v2).
enum class ChangeMode { set, scale };

/// One typed action. Which fields matter depends on the type (docs/scenario-format.md):
///  economic_aid / security_aid: actor = donor, target = recipient, amount = USD m in total,
///                               turns = over how many turns it is disbursed
///  exercise: actor = sponsor, target = host, others = participants, amount = personnel,
///            turns = duration, cost = USD m in total (v2)
///  visit: actor = visitor, target = host, amount = level (1 = envoy .. 3 = head of state),
///         cost = USD m (v2)
///  sanction: actor = sender, target = sanctioned state, amount = intensity in [0, 1]
///            (0 lifts it); others = transit states allowed to divert (empty: all others)
///  secondary_sanction: actor = sender, target = sanctioned state, others = transit states,
///                      penalty in [0, 1], detection = probability per turn in [0, 1]
///  loan: actor = lender, target = borrower, amount = USD m
///  withdraw: actor = the actor leaving, target = the state it leaves, channels = the channels
///            it ends (v1: every security channel), stocks = what happens to depreciating stocks
///  bloc: actor = member, bloc = index, change, turns = over how many turns trade adjusts (v2)
///  conflict: actor, target = the two sides, amount = intensity in [0, 1], turns = duration,
///            channels = the channels it cuts between the sides
///  deploy: actor = deploying actor, target = host, amount = personnel, turns = duration,
///          cost = USD m per year, channel = the personnel channel it adds to
///  policy: policy = index of the policy (its change from this turn is in the PolicySet),
///          active = 1 on, 0 off, -1 unchanged; actor = the policy's actor
///  budget: actor, values = new yearly budgets (USD m/yr) or factors per instrument (NaN:
///          unchanged), mode = set or scale
///  flow: channel, actor = from, target = to, both = also target -> actor, amount = the new
///        value (channel unit; for both, the turnover) or the factor, mode, turns = ramp length
///  anchor: actor, shares = the new anchor over poles, shares2 = a new alignment at once (empty:
///          none), turns = over how many turns the anchor moves
///  decline: actor = the client declining, target = the donor, amount = USD m declined
///  border_conflict: actor, target = the two sides, amount = trade cut, turns = duration
///  commodity_price: actor = the economy hit, amount = gdp change as a share (-0.1 = -10%)
///  regime_instability: actor, pole, amount = share of alignment moved toward the pole
struct Action {
  ActionType type = ActionType::visit;
  int actor = -1;
  int target = -1;
  std::vector<int> others;
  double amount = 0.0;
  int turns = 1;
  double penalty = 0.0;
  double detection = 0.0;
  int bloc = -1;
  BlocChange change = BlocChange::join;
  int pole = -1;  ///< regime_instability: the pole the alignment lurches toward
  // Version 2.
  std::vector<int> channels;  ///< conflict: channels cut; withdraw: channels ended
  int channel = -1;           ///< flow, deploy: the channel
  double cost = 0.0;          ///< exercise, visit: USD m in total; deploy: USD m per year
  StockRule stocks = StockRule::depreciate;
  ChangeMode mode = ChangeMode::set;
  bool both = false;  ///< flow: `between` (both directions)
  int policy = -1;    ///< policy: index into the scenario's policies
  int active = -1;    ///< policy: 1 switch on, 0 off, -1 unchanged
  Vector shares;      ///< anchor: the new anchor
  Vector shares2;     ///< anchor: a new alignment at once (size 0: none)
  std::array<double, kInstrumentCount> values = unchanged_values();  ///< budget

  static constexpr std::array<double, kInstrumentCount> unchanged_values() {
    std::array<double, kInstrumentCount> v{};
    for (double& x : v) x = std::numeric_limits<double>::quiet_NaN();
    return v;
  }
};

/// Why an action happened; written to the events table.
enum class Cause { scripted, policy, reaction, shock };
inline constexpr std::array<std::string_view, 4> kCauseNames = {"scripted", "policy", "reaction",
                                                                "shock"};

}  // namespace geosim
