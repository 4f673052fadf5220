#include "policy/policy_set.hpp"

#include <algorithm>

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

PolicySet::PolicySet(std::vector<std::pair<int, PolicyParams>> policies,
                     std::vector<ShockSpec> shocks)
    : policies_(std::move(policies)), shocks_(std::move(shocks)) {
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

void PolicySet::init(World& w, const Scenario& sc) const {
  for (std::size_t i = 0; i < policies_.size(); ++i) {
    const auto& [type, p] = policies_[i];
    if (type == kHedgingClient) w.max_alignment_step(p.actor) = p.number("max_alignment_step");
    if (type == kRivalReaction) {
      double e = p.number("initial_effort");
      if (e < 0.0) e = w.flow[w.ch.exercises].row(p.actor).maxCoeff();
      w.policy_state(static_cast<Eigen::Index>(state_offset_[i])) = e;
    }
  }
  (void)sc;
}

void PolicySet::decide(World& w, const Scenario& sc, const CounterRng& rng, int turn) const {
  draw_shocks(w, sc, rng, turn, shocks_);
  for (const auto& [type, p] : policies_)
    if (type == kPatronBudget) patron_budget(w, sc, p);
  // Rivals react to each other's efforts of the previous turn, all at once.
  for (std::size_t i = 0; i < policies_.size(); ++i)
    if (policies_[i].first == kRivalReaction) {
      const auto o = static_cast<Eigen::Index>(state_offset_[i]);
      w.policy_state(o + 1) = w.policy_state(o);
    }
  for (std::size_t i = 0; i < policies_.size(); ++i)
    if (policies_[i].first == kRivalReaction)
      rival_reaction(w, sc, policies_[i].second, *this,
                     w.policy_state(static_cast<Eigen::Index>(state_offset_[i])));
  for (const auto& [type, p] : policies_)
    if (type == kHedgingClient) hedging_client(w, sc, p);
}

double PolicySet::previous_effort(const World& w, int actor) const {
  for (std::size_t i = 0; i < policies_.size(); ++i)
    if (policies_[i].first == kRivalReaction && policies_[i].second.actor == actor)
      return w.policy_state(static_cast<Eigen::Index>(state_offset_[i]) + 1);
  return w.flow[w.ch.exercises].row(actor).maxCoeff();  // no policy: its observed exercise tie
}

}  // namespace geosim
