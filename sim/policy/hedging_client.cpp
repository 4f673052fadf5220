#include "policy/policy_set.hpp"

namespace geosim {

/// While the concentration of its dependence (Herfindahl of D(c, .)) exceeds its threshold, a
/// hedging client declines the aid offers queued this turn by the partner it depends on most,
/// so as not to deepen that dependence (seed F8). Declined offers stay in the queue as
/// `decline` events (the donor keeps the money). Its alignment cap is set once, in init.
void hedging_client(World& w, const Scenario& sc, const PolicyParams& p) {
  const int c = p.actor;
  if (w.dep_hhi(c) <= p.number("threshold")) return;
  int top = -1;  // the listed partner it depends on most (not the rest of the world)
  for (int j = 0; j < w.n; ++j)
    if (j != c && !sc.is_rest_of_world(j) && (top < 0 || w.D(c, j) > w.D(c, top))) top = j;
  for (auto& q : w.pending) {
    Action& a = q.action;
    if (a.target != c || a.actor != top ||
        (a.type != ActionType::economic_aid && a.type != ActionType::security_aid))
      continue;
    // Turn the offer into a logged refusal by the client.
    a.type = ActionType::decline;
    a.actor = c;
    a.target = top;
    q.cause = Cause::policy;
  }
}

}  // namespace geosim
