#include <algorithm>
#include <cmath>

#include "core/power.hpp"
#include "model/mechanisms.hpp"
#include "policy/policy_set.hpp"

namespace geosim {

namespace {

/// d I*(p, c) / d F_k(p, c): how much one more USD m/yr from patron p to client c through
/// channel k raises p's target influence over c, through c's dependence on p and through their
/// bandwidth (docs/model.md, steps 5-7).
double marginal_gain(const World& w, const Scenario& sc, int k, int p, int c) {
  const ChannelSpec& ch = sc.channels[k];
  const Matrix& F = w.flow[k];
  const double f = F(p, c);
  const double inflow = F.col(c).sum() - F(c, c);
  const double denom = exposure_denominator(w, sc, k, c);
  // dep = f / inflow * min(1, inflow / denom * scale).
  double ddep = 0.0;
  const bool capped = denom <= 0.0 || inflow * ch.exposure_scale >= denom;
  if (!capped)
    ddep = ch.exposure_scale / denom;  // dep = f * scale / denom
  else if (inflow > 0.0)
    ddep = (inflow - f) / (inflow * inflow);
  const double alpha = sc.params.bandwidth_exponent, beta = sc.params.dependence_exponent;
  const double b = std::max(w.B(p, c), 1e-6), d = std::max(w.D(c, p), 1e-6);
  const double via_dependence =
      beta * power(b, alpha) * power(d, beta - 1.0) * ch.dependence_weight * ddep;
  const double s = sc.params.bandwidth_log_scale;
  const double v = F(p, c) + F(c, p);
  const double dband =
      ch.bandwidth_weight * (s / w.ref[k]) / (1.0 + s * v / w.ref[k]) / std::log1p(s);
  const double via_bandwidth = alpha * power(b, alpha - 1.0) * power(d, beta) * dband;
  return via_dependence + via_bandwidth;
}

}  // namespace

/// Each turn the patron may spend, per instrument, a pro-rata share of its yearly budget but
/// never more than is left of it this calendar year (scripted spending included). It splits
/// that sum over its priority clients by a softmax of priority x marginal gain per dollar,
/// relative to the best client (temperature), and disburses each share as a one-turn aid
/// programme.
void patron_budget(World& w, const Scenario& sc, const PolicyParams& p) {
  const int patron = p.actor;
  const auto& priorities = p.actor_weights("priorities");
  const double temperature = p.number("temperature");
  const double min_tranche = p.number("min_tranche");
  const double years = sc.months_per_turn / 12.0;
  struct Instrument_ {
    Instrument instrument;
    int channel;
    ActionType type;
  };
  const Instrument_ instruments[] = {
      {Instrument::economic_aid, w.ch.economic_aid, ActionType::economic_aid},
      {Instrument::security_aid, w.ch.security_aid, ActionType::security_aid}};
  for (const auto& ins : instruments) {
    const int i = static_cast<int>(ins.instrument);
    const double yearly = w.budget(patron, i);  // in force: `budget` events change it
    const double left = yearly - w.spent_year(patron, i);
    const double allot = std::min(left, yearly * years);
    if (allot <= 0.0) continue;
    // Priority-weighted gains (once per client, into scratch sized n: one entry per client),
    // then softmax weights relative to the best gain.
    double* gain = w.tmp_n2.data();
    double best = 0.0;
    for (std::size_t j = 0; j < priorities.size(); ++j) {
      const auto& [c, weight] = priorities[j];
      gain[j] = weight * marginal_gain(w, sc, ins.channel, patron, c);
      best = std::max(best, gain[j]);
    }
    if (best <= 0.0) continue;
    double total = 0.0;
    for (std::size_t j = 0; j < priorities.size(); ++j) {
      gain[j] = std::exp((gain[j] / best - 1.0) / temperature);
      total += gain[j];
    }
    for (std::size_t j = 0; j < priorities.size(); ++j) {
      const double weight = priorities[j].second;
      const int c = priorities[j].first;
      const double share = gain[j] / total;
      const double amount = allot * share;
      if (amount < min_tranche || weight <= 0.0) continue;
      World::Pending q;
      q.action.type = ins.type;
      q.action.actor = patron;
      q.action.target = c;
      q.action.amount = amount;
      q.action.turns = 1;
      q.cause = Cause::policy;
      w.pending.push_back(q);
    }
  }
}

}  // namespace geosim
