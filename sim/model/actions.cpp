#include <algorithm>
#include <cmath>

#include "model/mechanisms.hpp"

namespace geosim {

namespace {

double years_per_turn(const Scenario& sc) {
  return sc.months_per_turn / 12.0;
}

/// Adds a programme; capacity was reserved by make_world, so this does not allocate.
void add_programme(World& w, const Program& p) {
  if (p.from == p.to || p.from < 0 || p.to < 0) return;
  w.programs.push_back(p);
}

/// What the events table's amount says for each action (docs/output-format.md).
double logged_amount(const World& w, const Action& a) {
  switch (a.type) {
    case ActionType::secondary_sanction:
      return a.penalty;
    case ActionType::bloc:
      return std::array<double, 4>{1.0, -1.0, -0.5, 0.5}[static_cast<std::size_t>(a.change)];
    case ActionType::policy:
      return a.active;
    case ActionType::budget:
      return w.budget.row(a.actor).sum();  // the yearly budgets in force after it
    case ActionType::anchor:  // how far the anchor moves (L1); its ramp has not started yet
      return (a.shares.transpose() - w.x0.row(a.actor)).cwiseAbs().sum();
    default:
      return a.amount;
  }
}

void log_event(World& w, const Action& a, int turn, Cause cause) {
  const int other = a.type == ActionType::bloc     ? a.bloc
                    : a.type == ActionType::policy ? a.policy
                                                   : -1;
  w.log.push_back(LoggedEvent{turn, a.type, cause, a.actor, a.target,
                              a.others.empty() ? nullptr : &a.others, logged_amount(w, a), other});
}

void aid(World& w, const Scenario& sc, const Action& a, bool security) {
  const int turns = std::max(1, a.turns);
  Program p;
  p.channel = security ? w.ch.security_aid : w.ch.economic_aid;
  p.from = a.actor;
  p.to = a.target;
  p.rate = a.amount / (turns * years_per_turn(sc));  // USD m per year while active
  p.turns_left = turns;
  p.instrument = static_cast<int>(security ? Instrument::security_aid : Instrument::economic_aid);
  p.spend = a.amount / turns;
  p.equipment = security ? sc.params.equipment_share * a.amount / turns : 0.0;
  add_programme(w, p);
}

/// Moves each participant's alignment toward the sponsor's pole (elite socialisation, seed F14).
/// Applied after this turn's Friedkin-Johnsen update (alignment.cpp), so that the pull toward
/// the anchor in the same turn does not undo it.
void exercise_nudge(World& w, const Scenario& sc, const Action& a) {
  const int pole = sc.pole_of(a.actor);
  if (pole < 0) return;
  const double size = a.amount / (a.amount + sc.params.exercise_personnel_ref);
  const double step = sc.params.exercise_alignment_nudge * size;
  for (int c : a.others) {
    if (c == a.actor) continue;
    w.nudge(c, pole) += step;
    w.nudge_weight(c) += step;
  }
}

void exercise(World& w, const Scenario& sc, const Action& a) {
  const int turns = std::max(1, a.turns);
  Program p;
  p.channel = w.ch.exercises;
  p.turns_left = turns;
  p.rate = a.amount;
  p.from = a.actor;
  if (a.cost > 0.0) {  // v2: the first programme carries the cost, spread over its turns
    p.instrument = static_cast<int>(Instrument::exercises);
    p.spend = a.cost / turns;
  }
  // Sponsor with the host and each participant (the loader keeps the sponsor out of the list).
  p.to = a.target;
  if (std::find(a.others.begin(), a.others.end(), a.target) == a.others.end()) {
    add_programme(w, p);
    p.instrument = -1;
    p.spend = 0.0;
  }
  for (int c : a.others) {
    p.to = c;
    add_programme(w, p);
    p.instrument = -1;
    p.spend = 0.0;
  }
  // Participants among themselves, at a share of the exercise's size, half each way so that
  // the order of the list does not matter.
  const double among =
      a.amount / static_cast<double>(std::max<std::size_t>(1, a.others.size())) / 2.0;
  for (std::size_t i = 0; i < a.others.size(); ++i)
    for (std::size_t j = i + 1; j < a.others.size(); ++j) {
      Program q = p;
      q.rate = among;
      q.from = a.others[i];
      q.to = a.others[j];
      add_programme(w, q);
      std::swap(q.from, q.to);
      add_programme(w, q);
    }
  exercise_nudge(w, sc, a);
}

void set_threat(World& w, const Action& a, int turn) {
  for (int t : a.others) {
    auto it = std::find_if(w.threats.begin(), w.threats.end(), [&](const Threat& th) {
      return th.sender == a.actor && th.transit == t && th.target == a.target;
    });
    if (a.penalty <= 0.0 && a.detection <= 0.0) {      // lifted
      if (it != w.threats.end()) w.threats.erase(it);  // keeps the order; no allocation
      continue;
    }
    const Threat th{a.actor, t, a.target, a.penalty, a.detection, turn, 0.0};
    if (it != w.threats.end())
      *it = th;
    else
      w.threats.push_back(th);
  }
}

/// Ends actor -> target ties in the named channels: their programmes, deployments and ramps
/// stop; a base flow ends; a base stock with a finite half-life depreciates from now on (moves
/// to the decaying part) unless the rule is `remove` (version 1); one with no decay (basing)
/// ends at once. What was pulsed decays on its own, and influence with it (seed F6).
void withdraw(World& w, const Scenario& sc, const Action& a) {
  for (int k : a.channels) {
    double& base = w.base[k](a.actor, a.target);
    const bool depreciates = sc.channels[k].kind == ChannelKind::stock && w.decay[k] < 1.0 &&
                             a.stocks == StockRule::depreciate;
    if (depreciates)  // the stock as it stands (scaled as compose_flows scales it) depreciates
      w.pulse[k](a.actor, a.target) += base * base_scale(w, sc, k, a.actor, a.target);
    mark_sender(w, k, a.actor);
    base = 0.0;
    for (auto& p : w.programs) {
      if (p.from != a.actor || p.to != a.target) continue;
      if (p.channel == k) p.turns_left = 0;
      if (k == w.ch.arms) p.equipment = 0.0;  // security aid no longer delivers equipment
    }
    for (auto& d : w.deployments)
      if (d.from == a.actor && d.to == a.target && d.channel == k) d.turns_left = 0;
    std::erase_if(w.ramps, [&](const Ramp& r) {
      return r.channel == k && r.i == a.actor && r.j == a.target;
    });  // keeps the capacity: no allocation
  }
}

/// Trade preference between i and j: the largest of the blocs they are both members of
/// (frozen memberships keep their preferences).
double preference(const World& w, const Scenario& sc, int i, int j) {
  double p = 0.0;
  for (int b = 0; b < static_cast<int>(sc.blocs.size()); ++b)
    if (w.membership(i, b) > 0.0 && w.membership(j, b) > 0.0)
      p = std::max(p, sc.blocs[b].trade_preference);
  return p;
}

/// Starts (or restarts from the current value) a ramp of one cell to `end` over `turns`.
void start_ramp(World& w, int channel, int i, int j, double start, double end, int turns) {
  std::erase_if(w.ramps,
                [&](const Ramp& r) { return r.channel == channel && r.i == i && r.j == j; });
  w.ramps.push_back(Ramp{channel, i, j, start, end, std::max(1, turns), 0});
}

/// A membership change: the institutions tie between the actor and every other member is
/// recomputed from the memberships in force (frozen ones do not count, version 2), and, in
/// version 2, their trade in sanctionable channels moves toward its new preference level over
/// the action's turns.
void set_membership(World& w, const Scenario& sc, const Action& a) {
  const int actor = a.actor, bloc = a.bloc;
  const int n_blocs = static_cast<int>(sc.blocs.size());
  double* before = w.tmp_n.data();  // preferences before the change, per partner
  if (sc.version >= 2)
    for (int j = 0; j < w.n; ++j) before[j] = j == actor ? 0.0 : preference(w, sc, actor, j);
  switch (a.change) {
    case BlocChange::join:
      w.membership(actor, bloc) = 1.0;
      break;
    case BlocChange::leave:
      w.membership(actor, bloc) = 0.0;
      w.frozen(actor, bloc) = 0.0;
      break;
    case BlocChange::freeze:
      if (w.membership(actor, bloc) > 0.0) w.frozen(actor, bloc) = 1.0;
      break;
    case BlocChange::unfreeze:
      w.frozen(actor, bloc) = 0.0;
      break;
  }
  const int k = w.ch.institutions;
  for (int j = 0; j < w.n; ++j) {
    if (j == actor) continue;
    double v = 0.0;
    for (int b = 0; b < n_blocs; ++b)
      v += sc.blocs[b].weight * w.membership(actor, b) * w.membership(j, b) *
           (1.0 - w.frozen(actor, b)) * (1.0 - w.frozen(j, b));
    w.base[k](actor, j) = v;
    w.base[k](j, actor) = v;
    if (v != 0.0) {
      mark_sender(w, k, actor);
      mark_sender(w, k, j);
    }
  }
  if (sc.version < 2) return;
  // The preference factor of the pair moves (a ramp of its own, so that a running `flow` change
  // of the same trade is kept: compose_flows multiplies the two).
  for (int j = 0; j < w.n; ++j) {
    if (j == actor) continue;
    const double after = preference(w, sc, actor, j);
    if (after == before[j]) continue;
    const double factor = (1.0 + after) / (1.0 + before[j]);
    for (int dir = 0; dir < 2; ++dir) {
      const int x = dir == 0 ? actor : j, y = dir == 0 ? j : actor;
      double target = w.preference(x, y) * factor;  // from where a running ramp is headed
      for (const Ramp& r : w.ramps)
        if (r.channel == kRampPreference && r.i == x && r.j == y) target = r.end * factor;
      start_ramp(w, kRampPreference, x, y, w.preference(x, y), target, a.turns);
    }
  }
}

/// v2 `flow`: the base part of one direction moves to a new level (so that, at the sender's
/// gdp now, the flow is `value`) or by a factor, over the action's turns.
void change_flow(World& w, const Scenario& sc, const Action& a) {
  const int k = a.channel;
  for (int dir = 0; dir < (a.both ? 2 : 1); ++dir) {
    const int i = dir == 0 ? a.actor : a.target, j = dir == 0 ? a.target : a.actor;
    const double now = w.base[k](i, j);
    double end = now * a.amount;
    if (a.mode == ChangeMode::set)
      end = (a.both ? a.amount / 2.0 : a.amount) / base_scale(w, sc, k, i, j);
    start_ramp(w, k, i, j, now, end, a.turns);
  }
}

/// v2 `anchor`: the anchor moves linearly to the new one over the action's turns; a new
/// alignment, if given, is taken at once.
void shift_anchor(World& w, const Action& a) {
  for (int q = 0; q < w.p; ++q)
    start_ramp(w, kRampAnchor, a.actor, q, w.x0(a.actor, q), a.shares(q), a.turns);
  if (a.shares2.size() == w.p) w.x.row(a.actor) = a.shares2.transpose();
}

/// v2 `budget`: yearly budgets set or scaled per instrument (NaN: unchanged).
void change_budget(World& w, const Action& a) {
  for (int i = 0; i < kInstrumentCount; ++i) {
    const double v = a.values[static_cast<std::size_t>(i)];
    if (std::isnan(v)) continue;
    w.budget(a.actor, i) = a.mode == ChangeMode::set ? v : w.budget(a.actor, i) * v;
  }
}

}  // namespace

void apply_action(World& w, const Scenario& sc, const Action& a, int turn, Cause cause) {
  switch (a.type) {
    case ActionType::economic_aid:
      aid(w, sc, a, false);
      break;
    case ActionType::security_aid:
      aid(w, sc, a, true);
      break;
    case ActionType::exercise:
      exercise(w, sc, a);
      break;
    case ActionType::visit: {
      Program p;
      p.channel = w.ch.diplomacy;
      p.from = a.actor;
      p.to = a.target;
      p.rate = a.amount;
      p.turns_left = 1;
      if (a.cost > 0.0) {
        p.instrument = static_cast<int>(Instrument::visits);
        p.spend = a.cost;
      }
      add_programme(w, p);
      break;
    }
    case ActionType::sanction:
      w.sanction(a.actor, a.target) = a.amount;
      w.sanction_transit[static_cast<std::size_t>(a.actor) * w.n + a.target] =
          a.others.empty() ? nullptr : &a.others;
      break;
    case ActionType::secondary_sanction:
      set_threat(w, a, turn);
      break;
    case ActionType::loan: {
      // A one-turn stock programme: added after this turn's decay, spent as it is disbursed.
      Program p;
      p.channel = w.ch.debt;
      p.from = a.actor;
      p.to = a.target;
      p.rate = a.amount;
      p.turns_left = 1;
      p.instrument = static_cast<int>(Instrument::loans);
      p.spend = a.amount;
      add_programme(w, p);
      break;
    }
    case ActionType::withdraw:
      withdraw(w, sc, a);
      break;
    case ActionType::bloc:
      set_membership(w, sc, a);
      break;
    case ActionType::conflict:
      w.conflicts.push_back(Conflict{a.actor, a.target, a.amount, turn,
                                     turn + std::max(1, a.turns) - 1, &a.channels});
      break;
    case ActionType::deploy:
      if (a.actor != a.target)
        w.deployments.push_back(
            Deployment{a.actor, a.target, a.channel, a.amount, std::max(1, a.turns), a.cost});
      break;
    case ActionType::policy:
      break;  // the PolicySet holds its change (policy/policy_set.cpp); logged here
    case ActionType::budget:
      change_budget(w, a);
      break;
    case ActionType::flow:
      change_flow(w, sc, a);
      break;
    case ActionType::anchor:
      shift_anchor(w, a);
      break;
    case ActionType::detection:
    case ActionType::decline:
      break;  // logged only: the rule or policy that decided it applied its effects
    case ActionType::border_conflict:
      // Both sides close the border: trade cut (and aid between them paused) as by a penalty.
      for (int dir = 0; dir < 2; ++dir) {
        const int x = dir == 0 ? a.actor : a.target, y = dir == 0 ? a.target : a.actor;
        w.penalty(x, y) = std::max(w.penalty(x, y), a.amount);
        w.penalty_left(x, y) = std::max(w.penalty_left(x, y), static_cast<double>(a.turns));
      }
      break;
    case ActionType::commodity_price:
      w.gdp(a.actor) *= std::max(0.01, 1.0 + a.amount);
      break;
    case ActionType::regime_instability:
      for (int q = 0; q < w.p; ++q)
        w.x(a.actor, q) = (1.0 - a.amount) * w.x(a.actor, q) + (q == a.pole ? a.amount : 0.0);
      break;
  }
  log_event(w, a, turn, cause);
}

void advance_ramps(World& w) {
  for (std::size_t i = 0; i < w.ramps.size();) {
    Ramp& r = w.ramps[i];
    ++r.done;
    const double v = r.done >= r.turns ? r.end : r.start + (r.end - r.start) * r.done / r.turns;
    if (r.channel == kRampAnchor)
      w.x0(r.i, r.j) = v;
    else if (r.channel == kRampPreference)
      w.preference(r.i, r.j) = v;
    else {
      w.base[r.channel](r.i, r.j) = v;
      mark_sender(w, r.channel, r.i);
    }
    if (r.done >= r.turns)
      w.ramps.erase(w.ramps.begin() + static_cast<std::ptrdiff_t>(i));  // keeps the order
    else
      ++i;
  }
}

}  // namespace geosim
