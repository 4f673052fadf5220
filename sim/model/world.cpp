#include "model/world.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "model/mechanisms.hpp"

namespace geosim {

namespace {

int required_channel(const Scenario& sc, const char* name) {
  const int k = sc.channel_index(name);
  if (k < 0) throw std::logic_error(std::string("scenario lacks the default channel ") + name);
  return k;
}

ChannelIds channel_ids(const Scenario& sc) {
  ChannelIds c;
  c.trade = required_channel(sc, "trade");
  c.remittances = required_channel(sc, "remittances");
  c.economic_aid = required_channel(sc, "economic_aid");
  c.security_aid = required_channel(sc, "security_aid");
  c.debt = required_channel(sc, "debt");
  c.energy = required_channel(sc, "energy");
  c.arms = required_channel(sc, "arms");
  c.exercises = required_channel(sc, "exercises");
  c.basing = required_channel(sc, "basing");
  c.diplomacy = required_channel(sc, "diplomacy");
  c.institutions = required_channel(sc, "institutions");
  return c;
}

/// Upper bounds on what the turn loop appends, so that it never reallocates.
void reserve_capacity(World& w, const Scenario& sc) {
  std::size_t programmes = 0, threats = 0, conflicts = 0, deployments = 0, ramps = 0;
  std::size_t trade_channels = 0;  // where bloc trade preferences move flows
  for (const ChannelSpec& c : sc.channels) trade_channels += c.sanctionable;
  for (const auto& e : sc.timeline) {
    const std::size_t m = e.action.others.size();
    programmes += 2 + m + m * (m > 0 ? m - 1 : 0);  // exercises: both ways among participants
    if (e.action.type == ActionType::secondary_sanction) threats += m;
    conflicts += e.action.type == ActionType::conflict;
    deployments += e.action.type == ActionType::deploy;
    if (e.action.type == ActionType::flow) ramps += 2;
    if (e.action.type == ActionType::anchor) ramps += static_cast<std::size_t>(sc.n_poles());
    if (e.action.type == ActionType::bloc)  // trade with every other member, both ways
      ramps += 2 * static_cast<std::size_t>(sc.n_actors()) * trade_channels;
  }
  w.programs.reserve(programmes);
  w.threats.reserve(threats);
  w.conflicts.reserve(conflicts);
  w.deployments.reserve(deployments);
  w.ramps.reserve(ramps);
  const auto n = static_cast<std::size_t>(sc.n_actors());
  w.sanctioned.reserve(n * (n - 1) / 2);
  w.sanction_party.assign(n, 0);
  w.log.reserve(sc.timeline.size() + static_cast<std::size_t>(sc.turns) * (threats + 1));
}

}  // namespace

void find_senders(World& w) {
  w.sender_rows.assign(static_cast<std::size_t>(w.k) * static_cast<std::size_t>(w.n), 0);
  w.sender_count.assign(static_cast<std::size_t>(w.k), 0);
  w.is_sender.assign(static_cast<std::size_t>(w.k) * static_cast<std::size_t>(w.n), 0);
  for (int k = 0; k < w.k; ++k)
    for (int i = 0; i < w.n; ++i)
      if ((w.base[k].row(i) != 0.0).any() || (w.pulse[k].row(i) != 0.0).any() ||
          (w.flow[k].row(i) != 0.0).any())
        mark_sender(w, k, i);
}

World make_world(const Scenario& sc) {
  World w;
  w.n = sc.n_actors();
  w.k = sc.n_channels();
  w.p = sc.n_poles();
  const int n = w.n;
  w.ch = channel_ids(sc);

  w.patron.assign(n, 0);
  bool any_patron = false;
  for (int i = 0; i < n; ++i) any_patron |= sc.actors[i].role == Role::patron;
  for (int i = 0; i < n; ++i)
    w.patron[i] = (!any_patron || sc.actors[i].role == Role::patron) && !sc.is_rest_of_world(i);

  w.gdp.resize(n);
  for (int i = 0; i < n; ++i) w.gdp(i) = sc.actors[i].gdp;
  w.gdp0 = w.gdp;
  w.drag = Vector::Zero(n);

  const Matrix zero = Matrix::Zero(n, n);
  w.base.assign(w.k, zero);
  w.pulse.assign(w.k, zero);
  w.flow.assign(w.k, zero);
  w.dep.assign(w.k, zero);
  w.decay.resize(w.k);
  for (int k = 0; k < w.k; ++k)
    w.decay[k] = std::isinf(sc.channels[k].half_life)
                     ? 1.0
                     : std::exp2(-sc.months_per_turn / sc.channels[k].half_life);

  for (const FlowEntry& f : sc.flows)
    (f.decaying ? w.pulse : w.base)[f.channel](f.from, f.to) += f.value;

  w.membership = Matrix::Zero(n, static_cast<Eigen::Index>(sc.blocs.size()));
  w.war = Matrix::Zero(n, n);  // read by the initial sanctions pass below
  for (int i = 0; i < n; ++i)
    for (int b : sc.actors[i].blocs) w.membership(i, b) = 1.0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      if (i != j)
        for (int b = 0; b < static_cast<int>(sc.blocs.size()); ++b)
          w.base[w.ch.institutions](i, j) +=
              sc.blocs[b].weight * w.membership(i, b) * w.membership(j, b);

  // Bandwidth references: the channel's own, else its largest initial tie, else the largest
  // initial tie of the channels in the same unit family (money: any USD unit). The loader
  // rejects a scenario whose timeline puts money into a family with no scale.
  // Ties with the rest of the world have no bandwidth, so they set no reference (v2).
  std::vector<double> largest(w.k);
  for (int k = 0; k < w.k; ++k) {
    Matrix both = w.base[k] + w.pulse[k];
    if (sc.rest_of_world >= 0) {
      both.row(sc.rest_of_world).setZero();
      both.col(sc.rest_of_world).setZero();
    }
    largest[k] = (both + both.transpose()).maxCoeff();
  }
  // Version 2: the institutions reference is the most two actors can share, the total weight of
  // the blocs, so that every membership counts (the largest initial tie could be reached by a
  // pair and cap the others).
  double total_bloc_weight = 0.0;
  for (const BlocSpec& b : sc.blocs) total_bloc_weight += b.weight;
  w.ref.resize(w.k);
  for (int k = 0; k < w.k; ++k) {
    double ref = sc.channels[k].reference > 0.0 ? sc.channels[k].reference : largest[k];
    if (sc.version >= 2 && k == w.ch.institutions && sc.channels[k].reference <= 0.0)
      ref = 2.0 * total_bloc_weight;  // V = F(i, j) + F(j, i): the shared weight counts twice
    for (int j = 0; j < w.k && ref <= 0.0; ++j)
      if (unit_family(sc.channels[j].unit) == unit_family(sc.channels[k].unit))
        ref = std::max(ref, largest[j]);
    w.ref[k] = ref > 0.0 ? ref : 1.0;  // no ties, and no action can create any (loader)
  }

  w.D = w.D_econ = w.D_sec = w.D_pol = w.B = w.I = w.share = zero;
  w.sanction = w.penalty = w.penalty_left = zero;
  w.sanction_transit.assign(static_cast<std::size_t>(n) * n, nullptr);
  w.x0.resize(n, w.p);
  w.x.resize(n, w.p);
  for (int i = 0; i < n; ++i) {
    w.x0.row(i) = sc.actors[i].anchor.transpose();
    w.x.row(i) = sc.actors[i].alignment.transpose();
  }
  w.lambda = w.compliance = w.reexports = w.hedging = w.dep_hhi = w.nudge_weight = Vector::Zero(n);
  w.reexports_to = w.reexport_potential = zero;
  w.nudge = Matrix::Zero(n, w.p);
  w.spent = w.spent_year = Matrix::Zero(n, kInstrumentCount);
  w.budget = Matrix::Zero(n, kInstrumentCount);
  for (int i = 0; i < n; ++i)
    for (int b = 0; b < kInstrumentCount; ++b) w.budget(i, b) = sc.actors[i].budgets[b];
  w.frozen = Matrix::Zero(n, static_cast<Eigen::Index>(sc.blocs.size()));
  w.war = w.inst_dep = zero;
  w.preference = Matrix::Ones(n, n);
  w.max_alignment_step = Vector::Constant(n, std::numeric_limits<double>::infinity());
  w.tmp_nn = w.tmp_nn2 = w.tmp_nn3 = w.tmp_nn4 = zero;
  w.tmp_kn = Matrix::Zero(w.k, n);
  w.tmp_np = Matrix::Zero(n, w.p);
  w.tmp_n = w.tmp_n2 = Vector::Zero(n);
  reserve_capacity(w, sc);
  if (sc.decider) {
    w.policy_state = Vector::Zero(static_cast<Eigen::Index>(sc.decider->state_size()));
    const std::size_t per_turn = sc.decider->max_actions_per_turn(sc);
    w.pending.reserve(per_turn);

    w.programs.reserve(w.programs.capacity() + per_turn * 4);  // policy programmes are short
    w.log.reserve(w.log.capacity() + per_turn * static_cast<std::size_t>(sc.turns));
    sc.decider->init(w, sc);
  }

  // The initial state: flows as given, dependence and influence at their targets.
  find_senders(w);
  compose_flows(w, sc);
  apply_sanctions(w, sc);
  update_dependence(w, sc, 1.0);
  update_bandwidth(w, sc);
  update_influence(w, sc, 1.0);
  update_susceptibility(w, sc);
  update_metrics(w, sc);
  return w;
}

}  // namespace geosim
