#include <algorithm>

#include "policy/policy_set.hpp"

namespace geosim {

/// Richardson action-reaction: E <- max(0, E + dt (sum_r k_r E_r - m E + g)), with E_r the
/// rival's effort last turn (its own rival_reaction state, or its largest exercise tie if it
/// has no such policy) and dt the turn in years. Two rivals reacting to each other settle at a
/// finite effort when m_1 m_2 > k_12 k_21 and escalate without bound otherwise. Each turn the actor
/// holds one exercise of size E at the next of its hosts.
void rival_reaction(World& w, const Scenario& sc, const PolicyParams& p, const PolicySet& set,
                    double& effort) {
  const double dt = sc.months_per_turn / 12.0;
  double pressure = 0.0;
  for (const auto& [r, k] : p.actor_weights("rivals")) pressure += k * set.previous_effort(w, r);
  effort = std::max(
      0.0, effort + dt * (pressure - p.number("restraint") * effort + p.number("grievance")));
  const auto& hosts = p.actor_list("hosts");
  if (effort <= 0.0 || hosts.empty()) return;
  World::Pending q;
  q.action.type = ActionType::exercise;
  q.action.actor = p.actor;
  q.action.target = hosts[static_cast<std::size_t>(w.turn + 1) % hosts.size()];
  q.action.amount = effort;
  q.action.turns = 1;
  q.cause = Cause::reaction;
  w.pending.push_back(q);
}

}  // namespace geosim
