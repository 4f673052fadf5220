#pragma once
#include "core/rng.hpp"
#include "core/turn_pool.hpp"
#include "model/world.hpp"

namespace geosim {

/// The phases of one turn, in the order step() calls them (model.md, "Per-turn update").
/// Each lives in the file named after it and allocates nothing. Those with a `pool` split their
/// row loops over its threads (null: this thread alone), with the same results.

/// actions.cpp: applies one action to the world and logs it.
void apply_action(World& w, const Scenario& sc, const Action& a, int turn, Cause cause);

/// actions.cpp: moves every ramp (flow, anchor and trade-preference changes) one step.
void advance_ramps(World& w);

/// conflicts.cpp: this turn's intensity of every active conflict (World::war); drops conflicts
/// whose aftermath has faded.
void update_conflicts(World& w, const Scenario& sc, int turn);
/// conflicts.cpp: how much conflict c cuts its channels in `turn` (its intensity while active,
/// then fading with the recovery half-life).
double conflict_level(const Conflict& c, const Scenario& sc, int turn);
/// conflicts.cpp: each side of a war in force loses conflict_gdp_loss x intensity of growth a
/// year, once per pair however many conflicts overlap on it.
void lose_growth_to_conflicts(World& w, const Scenario& sc);
/// conflicts.cpp: cuts the ties of every conflict pair in its channels (before sanctions); adds
/// the money lost to each side's `lost` (USD m/yr).
void cut_conflict_ties(World& w, const Scenario& sc, int turn, Vector& lost);
/// conflicts.cpp: each side's alignment moves away from the other's (after the alignment
/// update, before the hedging cap).
void push_alignments_apart(World& w, const Scenario& sc, Matrix& next);

/// programmes.cpp: decays pulses and stocks, feeds active programmes and deployments, counts
/// budgets spent.
void run_programmes(World& w, const Scenario& sc);

/// compliance.cpp: transit states choose compliance with standing secondary-sanction threats;
/// non-compliance may be detected and then penalised.
void decide_compliance(World& w, const Scenario& sc, const CounterRng& rng, int turn,
                       TurnPool* pool = nullptr);

/// economy.cpp: gdp grows at its rate less sanction drag; base flows scale with the sender's gdp.
void grow_economy(World& w, const Scenario& sc);
void compose_flows(World& w, const Scenario& sc, TurnPool* pool = nullptr);
/// economy.cpp: what compose_flows multiplies base cell (i, j) of channel k by: the sender's
/// (gdp / initial gdp)^elasticity, times the pair's trade-preference factor for a sanctionable
/// channel in version 2. A base level that should make the flow `v` now is v / base_scale.
double base_scale(const World& w, const Scenario& sc, int k, int i, int j);

/// sanctions.cpp: cuts sanctioned trade, diverts part of it through transit states
/// (re-exports), and sets next turn's sanction drag.
void apply_sanctions(World& w, const Scenario& sc, TurnPool* pool = nullptr);

/// dependence.cpp: what channel k's inflow into actor i is compared with (its exposure base,
/// in the channel's unit); <= 0 means none.
double exposure_denominator(const World& w, const Scenario& sc, int k, int i);

/// dependence.cpp: per-channel dependence, its target and the inertial update (blend in [0,1];
/// 1 sets D to its target).
void update_dependence(World& w, const Scenario& sc, double blend, TurnPool* pool = nullptr);

/// bandwidth.cpp: volume of ties.
void update_bandwidth(World& w, const Scenario& sc, TurnPool* pool = nullptr);

/// influence.cpp: I* = B^alpha D'^beta with inertia.
void update_influence(World& w, const Scenario& sc, double blend, TurnPool* pool = nullptr);

/// alignment.cpp: susceptibility from dependence, then the Friedkin-Johnsen update.
void update_susceptibility(World& w, const Scenario& sc, TurnPool* pool = nullptr);
void update_alignment(World& w, const Scenario& sc, TurnPool* pool = nullptr);

/// metrics.cpp: influence shares, hedging index, dependence concentration.
void update_metrics(World& w, const Scenario& sc, TurnPool* pool = nullptr);

}  // namespace geosim
