#include "policy/policy_set.hpp"

#include <algorithm>
#include <limits>

namespace geosim {

namespace {
int type_index(std::string_view name) {
  const auto& t = policy_types();
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[i].name == name) return static_cast<int>(i);
  return -1;
}
const int kPatronBudget = type_index("patron_budget");
const int kRivalReaction = type_index("rival_reaction");
const int kHedgingClient = type_index("hedging_client");
}  // namespace

PolicyParams merged(PolicyParams base, const PolicyParams& change) {
  for (const auto& [k, v] : change.numbers)
    for (auto& kv : base.numbers)
      if (kv.first == k) kv.second = v;
  for (const auto& [k, v] : change.lists)
    for (auto& kv : base.lists)
      if (kv.first == k) kv.second = v;
  for (const auto& [k, entries] : change.weights)
    for (auto& kv : base.weights)
      if (kv.first == k)
        for (const auto& [actor, x] : entries) {
          auto it = std::find_if(kv.second.begin(), kv.second.end(),
                                 [&](const auto& aw) { return aw.first == actor; });
          if (it != kv.second.end())
            it->second = x;
          else
            kv.second.emplace_back(actor, x);
        }
  return base;
}

PolicySet::PolicySet(std::vector<std::pair<int, PolicyParams>> policies,
                     std::vector<ShockSpec> shocks, std::vector<PolicyChange> changes)
    : policies_(std::move(policies)), shocks_(std::move(shocks)), changes_(std::move(changes)) {
  for (const auto& [type, params] : policies_) versions_.push_back({Version{0, params, true}});
  for (const PolicyChange& c : changes_) {
    auto& list = versions_.at(static_cast<std::size_t>(c.policy));
    Version next = list.back();
    next.from_turn = c.from_turn;
    next.params = merged(std::move(next.params), c.set);
    if (c.active >= 0) next.active = c.active == 1;
    if (next.from_turn == list.back().from_turn)
      list.back() = std::move(next);  // several changes in one turn: the last one's result
    else
      list.push_back(std::move(next));
  }
  std::size_t offset = 0;
  for (const auto& [type, params] : policies_) {
    state_offset_.push_back(offset);
    if (type == kRivalReaction) offset += 2;  // its exercise effort, and last turn's
  }
  state_offset_.push_back(offset);
}

std::size_t PolicySet::state_size() const {
  return state_offset_.back();
}

std::size_t PolicySet::max_actions_per_turn(const Scenario& sc) const {
  // Patrons: two instruments per client; rivals: one exercise; hedging clients decline at most
  // what was offered; shocks: one each.
  return policies_.size() * (2 * static_cast<std::size_t>(sc.n_actors()) + 2) + shocks_.size() +
         2 * static_cast<std::size_t>(sc.n_actors()) * policies_.size();
}

const PolicySet::Version& PolicySet::version_at(std::size_t i, int turn) const {
  const auto& list = versions_[i];
  std::size_t v = 0;
  while (v + 1 < list.size() && list[v + 1].from_turn <= turn) ++v;
  return list[v];
}

const PolicyParams& PolicySet::params_at(std::size_t i, int turn) const {
  return version_at(i, turn).params;
}

bool PolicySet::active_at(std::size_t i, int turn) const {
  return version_at(i, turn).active;
}

void PolicySet::init(World& w, const Scenario& sc) const {
  for (std::size_t i = 0; i < policies_.size(); ++i) {
    const int type = policies_[i].first;
    const PolicyParams& p = params_at(i, 0);  // a turn-0 policy event counts
    if (type == kRivalReaction) {
      double e = p.number("initial_effort");
      // -1: version 2, its largest initial exercise tie (make_world calls init before composing
      // the flows, so read the initial base and decaying parts); version 1 read the flows, not
      // yet composed: 0, kept so that version-1 results do not change.
      const auto ex = static_cast<std::size_t>(w.ch.exercises);
      if (e < 0.0) e = sc.version >= 2 ? (w.base[ex] + w.pulse[ex]).row(p.actor).maxCoeff() : 0.0;
      w.policy_state(static_cast<Eigen::Index>(state_offset_[i])) = e;
    }
  }
}

void PolicySet::decide(World& w, const Scenario& sc, const CounterRng& rng, int turn) const {
  draw_shocks(w, sc, rng, turn, shocks_);
  const std::size_t n = policies_.size();
  for (std::size_t i = 0; i < n; ++i)
    if (policies_[i].first == kPatronBudget && active_at(i, turn))
      patron_budget(w, sc, params_at(i, turn));
  // Rivals react to each other's efforts of the previous turn, all at once. A policy switched
  // off holds no exercises: its effort is 0 until it is switched on again.
  for (std::size_t i = 0; i < n; ++i)
    if (policies_[i].first == kRivalReaction) {
      const auto o = static_cast<Eigen::Index>(state_offset_[i]);
      w.policy_state(o + 1) = w.policy_state(o);
    }
  for (std::size_t i = 0; i < n; ++i)
    if (policies_[i].first == kRivalReaction) {
      double& effort = w.policy_state(static_cast<Eigen::Index>(state_offset_[i]));
      if (active_at(i, turn))
        rival_reaction(w, sc, params_at(i, turn), *this, effort);
      else
        effort = 0.0;
    }
  for (std::size_t i = 0; i < n; ++i)
    if (policies_[i].first == kHedgingClient) {
      const PolicyParams& p = params_at(i, turn);
      const bool on = active_at(i, turn);
      w.max_alignment_step(p.actor) =
          on ? p.number("max_alignment_step") : std::numeric_limits<double>::infinity();
      if (on) hedging_client(w, sc, p);
    }
}

double PolicySet::previous_effort(const World& w, int actor) const {
  for (std::size_t i = 0; i < policies_.size(); ++i)
    if (policies_[i].first == kRivalReaction && policies_[i].second.actor == actor)
      return w.policy_state(static_cast<Eigen::Index>(state_offset_[i]) + 1);
  return w.flow[w.ch.exercises].row(actor).maxCoeff();  // no policy: its observed exercise tie
}

}  // namespace geosim
