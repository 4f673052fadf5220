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

void log_event(World& w, const Action& a, int turn, Cause cause) {
  double amount = a.amount;
  if (a.type == ActionType::secondary_sanction) amount = a.penalty;
  if (a.type == ActionType::bloc) amount = a.join ? 1.0 : -1.0;
  w.log.push_back(LoggedEvent{turn, a.type, cause, a.actor, a.target,
                              a.others.empty() ? nullptr : &a.others, amount, a.bloc});
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
  // Sponsor with the host and each participant (the loader keeps the sponsor out of the list).
  p.to = a.target;
  if (std::find(a.others.begin(), a.others.end(), a.target) == a.others.end()) add_programme(w, p);
  for (int c : a.others) {
    p.to = c;
    add_programme(w, p);
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

void withdraw(World& w, const Scenario& sc, const Action& a) {
  for (int k = 0; k < w.k; ++k) {
    if (sc.channels[k].dimension != Dimension::security) continue;
    w.base[k](a.actor, a.target) = 0.0;  // the pulse part decays on its own
  }
  for (auto& p : w.programs)
    if (p.from == a.actor && p.to == a.target &&
        sc.channels[p.channel].dimension == Dimension::security)
      p.turns_left = 0;
}

void set_membership(World& w, const Scenario& sc, int actor, int bloc, bool join) {
  w.membership(actor, bloc) = join ? 1.0 : 0.0;
  const int k = w.ch.institutions;
  for (int j = 0; j < w.n; ++j) {
    if (j == actor) continue;
    double v = 0.0;
    for (int b = 0; b < static_cast<int>(sc.blocs.size()); ++b)
      v += sc.blocs[b].weight * w.membership(actor, b) * w.membership(j, b);
    w.base[k](actor, j) = v;
    w.base[k](j, actor) = v;
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
      set_membership(w, sc, a.actor, a.bloc, a.join);
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

}  // namespace geosim
