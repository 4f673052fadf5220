#include <algorithm>
#include <cmath>

#include "model/mechanisms.hpp"

namespace geosim {

/// Compliance rule (docs/model.md, "Secondary sanctions"): the transit state t weighs, per unit
/// of its gdp, what complying saves, the expected penalty E = p_detect * penalty * D(t, sender),
/// against what it costs: the rent R it keeps from re-exports to the target and the cost of
/// defying the target K = defiance_cost * D(t, target). Compliance is the bounded-rational share
///   c = E^g / (E^g + (R + K)^g),   g = 1 / compliance_temperature,
/// 0 when nothing is at stake (E = 0), rising with D(t, sender), falling with R and D(t, target);
/// as the temperature goes to 0 it becomes the all-or-nothing choice c = [E > R + K].
static double compliance_of(const World& w, const Scenario& sc, const Threat& th) {
  const int t = th.transit;
  const double expected_penalty = th.detection * th.penalty * w.D(t, th.sender);
  if (expected_penalty <= 0.0) return 0.0;
  const double rent = sc.params.reexport_rent * w.reexport_potential(t, th.target) /
                      std::max(1e-9, 1000.0 * w.gdp(t));
  const double cost = rent + sc.params.defiance_cost * w.D(t, th.target);
  return 1.0 / (1.0 + std::pow(cost / expected_penalty, 1.0 / sc.params.compliance_temperature));
}

void decide_compliance(World& w, const Scenario& sc, const CounterRng& rng, int turn,
                       TurnPool* pool) {
  // Penalties count down.
  for_row_blocks(pool, w.n, [&](int r0, int r1) {
    for (int a = r0; a < r1; ++a)
      for (int b = 0; b < w.n; ++b)
        if (w.penalty_left(a, b) > 0.0 && --w.penalty_left(a, b) <= 0.0) {
          w.penalty_left(a, b) = 0.0;
          w.penalty(a, b) = 0.0;
        }
  });
  w.compliance.setZero();
  for (Threat& th : w.threats) {
    th.compliance = compliance_of(w, sc, th);
    w.compliance(th.transit) = std::max(w.compliance(th.transit), th.compliance);
  }
  // Detection: re-exports to the threat's target, made last turn while the threat stood, are
  // caught with probability p_detect * (1 - c). Each draw is keyed by (turn, transit,
  // sender x target), so it depends neither on the order of threats nor on other draws. All
  // threats are drawn first; then each (sender, transit) gets the largest detected penalty.
  if (sc.params.penalty_turns < 1.0) return;  // penalties switched off
  Matrix& detected = w.tmp_nn;
  for_row_blocks(pool, w.n, [&](int r0, int r1) { detected.middleRows(r0, r1 - r0).setZero(); });
  bool any = false;
  for (const Threat& th : w.threats) {
    const int t = th.transit;
    if (turn <= th.since || w.reexports_to(t, th.target) <= 0.0 ||
        w.penalty_left(th.sender, t) > 0.0)
      continue;
    const double u =
        rng.uniform(static_cast<std::uint64_t>(turn), static_cast<std::uint64_t>(t),
                    RngPurpose::detection, static_cast<std::uint64_t>(th.sender) * w.n + th.target);
    if (u >= th.detection * (1.0 - th.compliance)) continue;
    detected(th.sender, t) = std::max(detected(th.sender, t), th.penalty);
    any = true;
  }
  if (!any) return;
  for (int s = 0; s < w.n; ++s)
    for (int t = 0; t < w.n; ++t)
      if (detected(s, t) > 0.0) {
        w.penalty(s, t) = std::max(w.penalty(s, t), detected(s, t));
        w.penalty_left(s, t) = sc.params.penalty_turns;
        w.log.push_back(LoggedEvent{turn, ActionType::detection, Cause::reaction, s, t, nullptr,
                                    detected(s, t), -1});
      }
}

}  // namespace geosim
