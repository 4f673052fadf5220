#pragma once
#include <array>
#include <string_view>
#include <vector>

namespace geosim {

/// The action types of model.md, plus the engine's own reactions (detection, penalty).
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
  detection,           ///< engine: a transit state's non-compliance was detected
  decline,             ///< policy: a hedging client declined an aid offer
  border_conflict,     ///< shock: trade between two neighbours cut for some turns
  commodity_price,     ///< shock: an economy's gdp jumps by a share
  regime_instability,  ///< shock: an actor's alignment lurches toward one pole
};
inline constexpr std::array<std::string_view, 14> kActionNames = {"economic_aid",
                                                                  "security_aid",
                                                                  "exercise",
                                                                  "visit",
                                                                  "sanction",
                                                                  "secondary_sanction",
                                                                  "loan",
                                                                  "withdraw",
                                                                  "bloc",
                                                                  "detection",
                                                                  "decline",
                                                                  "border_conflict",
                                                                  "commodity_price",
                                                                  "regime_instability"};
inline constexpr int kScriptableActions = 9;  ///< the first nine may appear in a timeline

/// One typed action. Which fields matter depends on the type (docs/scenario-format.md):
///  economic_aid / security_aid: actor = donor, target = recipient, amount = USD m in total,
///                               turns = over how many turns it is disbursed
///  exercise: actor = sponsor, target = host, others = participants, amount = personnel,
///            turns = duration
///  visit: actor = visitor, target = host, amount = level (1 = envoy .. 3 = head of state)
///  sanction: actor = sender, target = sanctioned state, amount = intensity in [0, 1]
///            (0 lifts it); others = transit states allowed to divert (empty: all others)
///  secondary_sanction: actor = sender, target = sanctioned state, others = transit states,
///                      penalty in [0, 1], detection = probability per turn in [0, 1]
///  loan: actor = lender, target = borrower, amount = USD m
///  withdraw: actor = the actor leaving, target = the state it leaves (security channels end)
///  bloc: actor = member, bloc = index, join = true to join, false to leave
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
  bool join = true;
  int pole = -1;  ///< regime_instability: the pole the alignment lurches toward
};

/// Why an action happened; written to the events table.
enum class Cause { scripted, policy, reaction, shock };
inline constexpr std::array<std::string_view, 4> kCauseNames = {"scripted", "policy", "reaction",
                                                                "shock"};

}  // namespace geosim
