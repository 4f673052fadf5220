#include "model/params.hpp"

#include <cmath>
#include <limits>

namespace geosim {

const std::vector<ParamSpec>& param_specs() {
  constexpr double inf = std::numeric_limits<double>::infinity();
  static const std::vector<ParamSpec> specs = {
      {"dependence_inertia", &ModelParams::dependence_inertia, 0, 1, "1/month",
       "delta: share of the gap to target dependence D* closed each month",
       "[U] placeholder; months-scale adjustment of trade and aid ties"},
      {"influence_inertia", &ModelParams::influence_inertia, 0, 1, "1/month",
       "eta: share of the gap to target influence I* closed each month",
       "[U] placeholder, same order as dependence_inertia"},
      {"bandwidth_exponent", &ModelParams::bandwidth_exponent, 0, 4, "1",
       "alpha in I* = B^alpha D^beta",
       "FBIC (Moyer et al. 2021) weighs bandwidth and dependence "
       "equally; alpha = beta = 0.5 gives their geometric mean"},
      {"dependence_exponent", &ModelParams::dependence_exponent, 0, 4, "1",
       "beta in I* = B^alpha D^beta", "as bandwidth_exponent"},
      {"bandwidth_log_scale", &ModelParams::bandwidth_log_scale, 1e-9, inf, "1",
       "s in log(1 + s V / Vref) / log(1 + s): how strongly small ties count", "[U] design choice"},
      {"trade_substitution", &ModelParams::trade_substitution, 0, 1, "1",
       "phi: share of sanctioned trade re-routed through transit states",
       "Mashkova and Bakhtizin sanctions ABM back-test: 0.90-0.95"},
      {"sanction_drag", &ModelParams::sanction_drag, 0, inf, "1/yr",
       "gdp growth lost per unit of net lost trade (as a share of the target's gdp)",
       "[U] placeholder"},
      {"susceptibility_half_reliance", &ModelParams::susceptibility_half_reliance, 1e-9, inf, "1",
       "total external dependence at which susceptibility reaches half its base",
       "[U] placeholder (seed F19)"},
      {"susceptibility_diversified_floor", &ModelParams::susceptibility_diversified_floor, 0, 1,
       "1", "susceptibility factor left for a perfectly diversified state (Herfindahl -> 0)",
       "[U] placeholder (seed F8)"},
      {"exercise_alignment_nudge", &ModelParams::exercise_alignment_nudge, 0, 1, "1",
       "largest move of a participant's alignment toward the sponsor's pole per exercise",
       "[U] placeholder (seed F2, F14)"},
      {"exercise_personnel_ref", &ModelParams::exercise_personnel_ref, 1e-9, inf, "personnel",
       "exercise size at which the nudge reaches half its largest value", "[U] placeholder"},
      {"equipment_share", &ModelParams::equipment_share, 0, 1, "1",
       "share of security aid delivered as equipment (a slow-decaying arms stock)",
       "[U] placeholder; seed F4, F14"},
      {"compliance_temperature", &ModelParams::compliance_temperature, 0.01, 100, "1",
       "tau in c = E^(1/tau) / (E^(1/tau) + (R + K)^(1/tau)): bounded rationality of the "
       "compliance choice (toward 0: all or nothing)",
       "[U] placeholder; 1 makes compliance the expected penalty's share of all stakes"},
      {"reexport_rent", &ModelParams::reexport_rent, 0, 1, "1",
       "share of re-export value a transit state keeps as rent", "[U] placeholder"},
      {"defiance_cost", &ModelParams::defiance_cost, 0, inf, "1",
       "cost of complying, per unit of dependence on the sanctioned state", "[U] placeholder"},
      {"penalty_turns", &ModelParams::penalty_turns, 0, 1200, "turn",
       "how long a detected violator is sanctioned and its aid suspended (below 1: no penalty)",
       "[U] placeholder"},
      {"budget_share_of_gdp", &ModelParams::budget_share_of_gdp, 1e-9, 1, "1",
       "government budget as a share of gdp, for actors that do not give one",
       "[U] placeholder; Central Asian budgets are 20-30% of gdp"},
      {"sanction_sender_cost", &ModelParams::sanction_sender_cost, 0, 10, "1",
       "the sender's growth drag per unit of trade it loses for good, relative to the target's "
       "(sanction_drag)",
       "[U] placeholder; direction: Crozet and Hinz (2020, Economic Policy) find large export "
       "losses of the sanctioning countries after 2014",
       2},
      {"diversion_neighbour_factor", &ModelParams::diversion_neighbour_factor, 0, 1, "1",
       "route factor of a transit state that borders the goods' destination (1 in a customs "
       "union with it)",
       "[U] placeholder; Early (2015), Busted Sanctions: sanctions busters are the target's "
       "commercial partners, nearby ones first",
       2},
      {"diversion_distant_factor", &ModelParams::diversion_distant_factor, 0, 1, "1",
       "route factor of a transit state with no border or customs union with the destination",
       "[U] placeholder; as diversion_neighbour_factor", 2},
      {"transit_capacity", &ModelParams::transit_capacity, 0, 100, "1/yr",
       "most a transit state can re-route in a year, as a share of its own gdp; the rest is lost",
       "[D] EBRD (2023): intermediary trade with Russia reached 4-6% of gdp in Kyrgyzstan and "
       "Armenia; 0.1 leaves room above the largest observed",
       2},
      {"conflict_gdp_loss", &ModelParams::conflict_gdp_loss, 0, 10, "1/yr",
       "growth lost per year by each side of a conflict of intensity 1 (besides its lost trade)",
       "[U] placeholder; Glick and Taylor (2010) for the size of war's economic damage", 2},
      {"conflict_alignment_push", &ModelParams::conflict_alignment_push, 0, 1, "1/month",
       "how far, per month at intensity 1, each side's alignment moves away from the other's",
       "[U] placeholder", 2},
      {"conflict_recovery_half_life", &ModelParams::conflict_recovery_half_life, 1e-9, 1e9, "month",
       "half-life of the cut ties' recovery after a conflict ends",
       "[U] placeholder; Glick and Taylor (2010): trade between belligerents stays depressed for "
       "years",
       2},
  };
  return specs;
}

}  // namespace geosim
