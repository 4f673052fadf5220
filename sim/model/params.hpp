#pragma once
#include <limits>
#include <string_view>
#include <vector>

namespace geosim {

/// Model parameters. Each is declared once, with its default, unit, meaning and source, in
/// param_specs() (params.cpp); the scenario's `parameters:` section overrides them by name and
/// docs/model.md lists the same table (a test checks they agree).
struct ModelParams {
  double dependence_inertia = 0.15;
  double influence_inertia = 0.15;
  double bandwidth_exponent = 0.5;
  double dependence_exponent = 0.5;
  double bandwidth_log_scale = 100.0;
  double trade_substitution = 0.9;
  double sanction_drag = 0.5;
  double susceptibility_half_reliance = 0.15;
  double susceptibility_diversified_floor = 0.3;
  double exercise_alignment_nudge = 0.02;
  double exercise_personnel_ref = 1000.0;
  double equipment_share = 0.3;
  double compliance_temperature = 1.0;
  double reexport_rent = 0.1;
  double defiance_cost = 0.05;
  double penalty_turns = 6.0;
  double budget_share_of_gdp = 0.2;
  // Format version 2.
  double sanction_sender_cost = 0.5;
  double diversion_neighbour_factor = 0.5;
  double diversion_distant_factor = 0.1;
  double transit_capacity = 0.1;
  double conflict_gdp_loss = 0.1;
  double conflict_alignment_push = 0.05;
  double conflict_recovery_half_life = 24.0;
};

struct ParamSpec {
  std::string_view name;
  double ModelParams::*field;
  double min;
  double max;
  std::string_view unit;
  std::string_view meaning;
  std::string_view source;
  /// The scenario format version that introduced it (a version-1 file may not set a parameter
  /// only version-2 mechanisms read).
  int since = 1;
};

/// The one declaration of every model parameter.
const std::vector<ParamSpec>& param_specs();

}  // namespace geosim
