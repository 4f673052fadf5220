#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "core/error.hpp"
#include "model/scenario.hpp"
#include "scenario/reader.hpp"

namespace geosim {

/// One numeric field of a typed Scenario, named by the --set path syntax and resolved once, so
/// that a sweep can change it on a copy of the Scenario per run instead of reloading the YAML.
/// apply(sc, v) gives exactly (bit for bit) the Scenario that loading with
/// `--set as_set(v)` gives, derived fields included (an actor's default budget follows its gdp
/// and budget_share_of_gdp; a `between` flow is split in two halves; units are converted with
/// the loader's own arithmetic), except Scenario::resolved_yaml, which apply() leaves as it was.
///
/// Supported paths (docs/scenario-format.md, "--set"; items by code or id, not by position): every
/// numeric field the item's declaration (scenario/schema.hpp) marks sweepable, that is
///   parameters.NAME                              every model parameter (param_specs())
///   actors[CODE].gdp|growth|military|budget|susceptibility|autonomy|stability
///   actors[CODE].budgets.INSTRUMENT              economic_aid, security_aid, exercises, ...
///   rest_of_world.gdp|growth                     version 2
///   flows[ID].value                              in the unit the flow was written in
///   timeline[ID].FIELD                           the numbers of the event's action (amount,
///                                                turns, personnel, level, intensity, ...)
///   policies[ID].PARAM                           a number parameter of the policy
///   policies[ID].PARAM.CODE                      one entry of an actor -> number map
///   shocks[ID].probability|size|turns
///   channels.NAME.half_life|exposure_scale|gdp_elasticity|reference
///   blocs[CODE].weight|trade_preference
/// Refused (InputError saying why): anything not numeric; fields that cannot change alone
/// (anchor and alignment shares, which add up to 1; channel weights, which add up to 1);
/// fields that move other things (event dates, metadata); items without a code or id.
class ScenarioEdit {
 public:
  /// Resolves `path` against `sc`. Throws InputError(where, path, message) if the path names
  /// nothing, a non-numeric field or a field that cannot be swept; the message says what exists
  /// (a "did you mean" and the valid keys).
  static ScenarioEdit resolve(const Scenario& sc, const std::string& path, const Location& where);

  /// The path as given to resolve().
  const std::string& path() const { return path_; }
  /// The unit of the value apply() takes: the canonical unit as written after the number where
  /// the key takes a quantity ("USD bn/yr" for gdp, "1/yr" for growth, "USD m" for an event's
  /// amount, ...); for flows[ID].value the unit the flow was written in (its `unit:` key, else
  /// the channel's unit); "" for plain numbers.
  const std::string& unit() const { return unit_; }
  /// The range the loader enforces for this field, inclusive, in unit() (for quantities the
  /// loader checks it after converting to the canonical unit, and so does apply()); +inf if
  /// there is no upper bound.
  double lo() const { return lo_; }
  double hi() const { return hi_; }
  /// True if the field takes whole numbers only (turns, level).
  bool integer() const { return integer_; }

  /// Sets the field in `sc`: a copy of the Scenario resolve() saw, or one with the same items
  /// (actors, ids, policies) at the same places. `value` is in unit(). Policies and shocks are
  /// replaced by a changed copy of the decider: a decider shared with other Scenario copies is
  /// never changed. Does not update sc.resolved_yaml. Throws std::invalid_argument naming the
  /// path, the value and the allowed range if the value is not finite, outside [lo(), hi()] or
  /// not whole when integer(), or if the change breaks a rule of the whole scenario (a money
  /// channel left without a bandwidth scale); `sc` is then unchanged. Throws
  /// std::invalid_argument if `sc` does not hold the item resolve() found at the same place.
  void apply(Scenario& sc, double value) const;

  /// The same change as a --set argument, "PATH=VALUE UNIT" (no unit for plain numbers and for
  /// flows, whose unit is a separate key), with VALUE written so that it reads back exactly.
  /// Never throws: a value apply() rejects gives an argument the loader rejects.
  std::string as_set(double value) const;

 private:
  struct Resolver;           ///< parses the path (scenario_edit.cpp)
  ScenarioEdit() = default;  ///< only resolve() makes one

  /// The value in the canonical unit, after the loader's checks; throws std::invalid_argument.
  double checked(double value) const;

  std::string path_;
  std::string unit_;
  double lo_ = 0.0;
  double hi_ = 0.0;
  bool integer_ = false;
  bool range_after_conversion_ = false;  ///< quantities: the loader checks the converted value
  bool unit_in_value_ = false;           ///< as_set writes the unit after the number
  UnitConversion conv_;
  /// Sets the checked, canonical value in a scenario: made by resolve() from the field's one
  /// declaration (scenario/schema.hpp); throws std::invalid_argument if the scenario does not
  /// hold the item resolve() found at the same place, or if the change breaks a rule of the
  /// whole scenario (the scenario is then unchanged).
  std::function<void(Scenario&, double)> set_;
};

}  // namespace geosim
