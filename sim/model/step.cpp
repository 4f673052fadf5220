#include "model/step.hpp"

#include <cmath>

#include "model/mechanisms.hpp"

namespace geosim {

static void fire_scheduled_events(World& w, const Scenario& sc, int turn) {
  while (w.next_event < sc.timeline.size() && sc.timeline[w.next_event].turn == turn) {
    apply_action(w, sc, sc.timeline[w.next_event].action, turn, Cause::scripted);
    ++w.next_event;
  }
}

/// Inertias are given per month; a turn of m months closes 1 - (1 - rate)^m of the gap, so the
/// same scenario gives the same dynamics whatever its turn length.
/// Policies decide on the same observed state; their actions then apply in queue order.
static void decide_policies(World& w, const Scenario& sc, const CounterRng& rng, int turn) {
  if (!sc.decider) return;
  w.pending.clear();
  sc.decider->decide(w, sc, rng, turn);
  for (const auto& p : w.pending) apply_action(w, sc, p.action, turn, p.cause);
}

static double per_turn(const Scenario& sc, double monthly) {
  return 1.0 - std::pow(1.0 - monthly, sc.months_per_turn);
}

void step(World& w, const Scenario& sc, const CounterRng& rng, TurnPool* pool) {
  const int turn = w.turn + 1;
  w.spent.setZero();
  if (sc.date_of_turn(turn).month == 1 || sc.months_per_turn >= 12) w.spent_year.setZero();
  fire_scheduled_events(w, sc, turn);         // 1. the scenario timeline,
  advance_ramps(w);                           //    changes that take several turns,
  update_conflicts(w, sc, turn);              //    conflicts in force
  decide_compliance(w, sc, rng, turn, pool);  // 2. decisions: the compliance rule,
  decide_policies(w, sc, rng, turn);          //    then the actors' policies and shocks
  run_programmes(w, sc);                      // 3. actions feed flows, stocks and budgets
  grow_economy(w, sc);                        // 4. economy: growth less sanction drag,
  compose_flows(w, sc, pool);                 //    flows scale with the senders' economies,
  apply_sanctions(w, sc, pool);               //    sanctions cut and divert trade
  update_dependence(w, sc, per_turn(sc, sc.params.dependence_inertia), pool);  // 5. dependence
  update_bandwidth(w, sc, pool);                                               // 6. bandwidth
  update_influence(w, sc, per_turn(sc, sc.params.influence_inertia), pool);    // 7. influence
  update_susceptibility(w, sc, pool);                                          // 8. alignment
  update_alignment(w, sc, pool);
  update_metrics(w, sc, pool);  // 9. what the recorder reads
  w.turn = turn;
}

}  // namespace geosim
