#include <algorithm>
#include <cmath>

#include "model/mechanisms.hpp"

namespace geosim {

/// Compliance rule (docs/model.md, "Secondary sanctions"): the transit state t weighs, per unit
/// of gdp, the rent it keeps from re-exports, the expected penalty (detection probability x
/// penalty x its dependence on the sender) and the cost of defying the sanctioned state
/// (defiance_cost x its dependence on the target). The marginal utility of complying is
///   u = p_detect * penalty * D(t, sender) - rent - defiance_cost * D(t, target)
/// and compliance is the logit choice c = 1 / (1 + exp(-u / tau)). It rises with D(t, sender).
static double compliance_of(const World& w, const Scenario& sc, const Threat& th) {
  const int t = th.transit;
  const double rent =
      sc.params.reexport_rent * w.reexport_potential(t) / std::max(1e-9, 1000.0 * w.gdp(t));
  const double u = th.detection * th.penalty * w.D(t, th.sender) - rent -
                   sc.params.defiance_cost * w.D(t, th.target);
  return 1.0 / (1.0 + std::exp(-u / sc.params.compliance_temperature));
}

void decide_compliance(World& w, const Scenario& sc, const CounterRng& rng, int turn) {
  // Penalties count down.
  for (int a = 0; a < w.n; ++a)
    for (int b = 0; b < w.n; ++b)
      if (w.penalty_left(a, b) > 0.0 && --w.penalty_left(a, b) <= 0.0) {
        w.penalty_left(a, b) = 0.0;
        w.penalty(a, b) = 0.0;
      }
  w.compliance.setZero();
  for (const Threat& th : w.threats)
    w.compliance(th.transit) = std::max(w.compliance(th.transit), compliance_of(w, sc, th));
  // Detection: non-compliance that moved goods last turn is caught with probability
  // p_detect * (1 - c). The draw is keyed by (turn, transit, sender x target), so it does not
  // depend on the order of threats or on any other random number.
  for (const Threat& th : w.threats) {
    const int t = th.transit;
    if (w.reexports(t) <= 0.0 || w.penalty_left(th.sender, t) > 0.0) continue;
    const double u =
        rng.uniform(static_cast<std::uint64_t>(turn), static_cast<std::uint64_t>(t),
                    RngPurpose::detection, static_cast<std::uint64_t>(th.sender) * w.n + th.target);
    if (u >= th.detection * (1.0 - w.compliance(t))) continue;
    w.penalty(th.sender, t) = std::max(w.penalty(th.sender, t), th.penalty);
    w.penalty_left(th.sender, t) = sc.params.penalty_turns;
    w.log.push_back(LoggedEvent{turn, ActionType::detection, Cause::reaction, th.sender, t, nullptr,
                                th.penalty});
  }
}

}  // namespace geosim
