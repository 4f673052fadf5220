#include "policy/policy_set.hpp"

namespace geosim {

/// Each shock happens in a turn with its probability, drawn from the run's counter-based
/// generator keyed by (turn, first actor, shock, index of the shock): adding a shock or an
/// actor does not change the draws of the others. A regime instability lurches toward a pole
/// drawn from a second number of the same key.
void draw_shocks(World& w, const Scenario& sc, const CounterRng& rng, int turn,
                 const std::vector<ShockSpec>& shocks) {
  (void)sc;
  for (std::size_t i = 0; i < shocks.size(); ++i) {
    const ShockSpec& s = shocks[i];
    const auto actor = static_cast<std::uint64_t>(s.actors.front());
    if (rng.uniform(static_cast<std::uint64_t>(turn), actor, RngPurpose::shock, 2 * i) >=
        s.probability)
      continue;
    World::Pending q;
    q.cause = Cause::shock;
    q.action.actor = s.actors.front();
    q.action.amount = s.size;
    q.action.turns = s.turns;
    switch (s.kind) {
      case ShockKind::border_conflict:
        q.action.type = ActionType::border_conflict;
        q.action.target = s.actors.back();
        break;
      case ShockKind::commodity_price:
        q.action.type = ActionType::commodity_price;
        break;
      case ShockKind::regime_instability:
        q.action.type = ActionType::regime_instability;
        q.action.pole = static_cast<int>(
            rng.uniform(static_cast<std::uint64_t>(turn), actor, RngPurpose::shock, 2 * i + 1) *
            w.p);
        break;
    }
    w.pending.push_back(q);
  }
}

}  // namespace geosim
