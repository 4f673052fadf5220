#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace geosim {

/// What kind of value a policy parameter takes in the scenario.
enum class PolicyParamKind {
  number,         ///< a number in [min, max]
  actor_weights,  ///< a map actor code -> number in [min, max], e.g. {TJK: 2, KGZ: 1}
  actor_list,     ///< a list of actor codes
};

/// One parameter of a policy, declared once: the scenario loader validates against it,
/// `geosim policies` prints it and docs/model.md lists it.
struct PolicyParamSpec {
  std::string_view name;
  PolicyParamKind kind;
  bool required;
  double default_value;
  double min;
  double max;
  std::string_view unit;
  std::string_view meaning;
};

/// A policy's parameters as read from the scenario (already validated against the specs).
struct PolicyParams {
  std::string id;  ///< the policy's `id:` ("" if none); a --set path or an overlay names it
  int actor = -1;
  std::vector<std::pair<std::string, double>> numbers;
  std::vector<std::pair<std::string, std::vector<std::pair<int, double>>>> weights;
  std::vector<std::pair<std::string, std::vector<int>>> lists;

  double number(std::string_view name) const;
  const std::vector<std::pair<int, double>>& actor_weights(std::string_view name) const;
  const std::vector<int>& actor_list(std::string_view name) const;
};

/// A change of a policy from a turn on (format version 2: a timeline `policy` event): the
/// parameters it sets (numbers and lists replace, actor maps merge key by key) and whether the
/// policy acts from then on.
struct PolicyChange {
  int policy = -1;  ///< index into the scenario's policies
  int from_turn = 0;
  PolicyParams set;  ///< only the parameters the change names
  int active = -1;   ///< 1 on, 0 off, -1 unchanged
};

/// `base` with `change`'s parameters: numbers and lists replaced, actor maps merged key by key.
PolicyParams merged(PolicyParams base, const PolicyParams& change);

/// A named policy: its name (as written in `policy:`), a one-line description and its
/// parameters.
struct PolicyType {
  std::string_view name;
  std::string_view description;
  std::vector<PolicyParamSpec> params;
};

/// Every policy, in one explicit list (no static registration).
const std::vector<PolicyType>& policy_types();
const PolicyType* find_policy_type(std::string_view name);

/// A scenario-defined hazard (the `shocks:` section).
enum class ShockKind { border_conflict, commodity_price, regime_instability };
inline constexpr std::string_view kShockKindNames[] = {"border_conflict", "commodity_price",
                                                       "regime_instability"};
struct ShockSpec {
  std::string id;
  ShockKind kind = ShockKind::border_conflict;
  std::vector<int> actors;   ///< border_conflict: the two sides; others: the actor hit
  double probability = 0.0;  ///< per turn
  double size = 0.0;         ///< trade cut (border), gdp change (price), alignment move (regime)
  int turns = 1;             ///< how long a border conflict cuts trade
};

}  // namespace geosim
