#include <cmath>

#include "model/mechanisms.hpp"

namespace geosim {

void run_programmes(World& w, const Scenario& sc) {
  (void)sc;
  // Pulses decay: only the senders' rows can be non-zero; a factor of 1 changes nothing.
  for (int k = 0; k < w.k; ++k)
    if (w.decay[k] != 1.0)
      for (int i : senders(w, k)) w.pulse[k].row(i) *= w.decay[k];
  // Penalties after a detected violation count down; while one runs, the sender's aid to the
  // violator is suspended.
  for (std::size_t i = 0; i < w.programs.size();) {
    Program& p = w.programs[i];
    const bool suspended = w.penalty_left(p.from, p.to) > 0.0 &&
                           (p.channel == w.ch.economic_aid || p.channel == w.ch.security_aid);
    if (p.turns_left > 0 && !suspended) {
      // A first-order lag with the channel's half-life: the pulse converges to the rate while
      // the programme runs and decays by the half-life once it ends.
      const bool stock = sc.channels[p.channel].kind == ChannelKind::stock;
      w.pulse[p.channel](p.from, p.to) += stock ? p.rate : (1.0 - w.decay[p.channel]) * p.rate;
      mark_sender(w, p.channel, p.from);
      if (p.equipment > 0.0) {
        w.pulse[w.ch.arms](p.from, p.to) += p.equipment;
        mark_sender(w, w.ch.arms, p.from);
      }
      if (p.instrument >= 0) {
        w.spent(p.from, p.instrument) += p.spend;
        w.spent_year(p.from, p.instrument) += p.spend;
      }
    }
    if (p.turns_left > 0 && !suspended) --p.turns_left;
    if (p.turns_left <= 0) {
      w.programs[i] = w.programs.back();  // order does not matter: each writes its own cell
      w.programs.pop_back();
    } else {
      ++i;
    }
  }
  // Deployments (v2): present while turns are left, each turn charged to the deployer's
  // deployments budget; compose_flows adds them to their channel.
  std::erase_if(w.deployments, [](const Deployment& d) { return d.turns_left <= 0; });
  const int deployments = static_cast<int>(Instrument::deployments);
  for (Deployment& d : w.deployments) {
    const double spend = d.cost * sc.months_per_turn / 12.0;
    w.spent(d.from, deployments) += spend;
    w.spent_year(d.from, deployments) += spend;
    --d.turns_left;
  }
}

}  // namespace geosim
