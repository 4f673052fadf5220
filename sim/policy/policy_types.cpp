#include <limits>
#include <stdexcept>

#include "policy/policy_type.hpp"

namespace geosim {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
using K = PolicyParamKind;
}  // namespace

double PolicyParams::number(std::string_view name) const {
  for (const auto& [k, v] : numbers)
    if (k == name) return v;
  throw std::logic_error("policy parameter not read: " + std::string(name));
}

const std::vector<std::pair<int, double>>& PolicyParams::actor_weights(
    std::string_view name) const {
  for (const auto& [k, v] : weights)
    if (k == name) return v;
  throw std::logic_error("policy parameter not read: " + std::string(name));
}

const std::vector<int>& PolicyParams::actor_list(std::string_view name) const {
  for (const auto& [k, v] : lists)
    if (k == name) return v;
  throw std::logic_error("policy parameter not read: " + std::string(name));
}

const std::vector<PolicyType>& policy_types() {
  static const std::vector<PolicyType> types = {
      {"patron_budget",
       "spends the actor's yearly economic and security aid budgets, a pro-rata share each turn, "
       "on the clients where a dollar buys most priority-weighted influence (softmax over the "
       "marginal gain per dollar); never beyond the budget left in the calendar year, scripted "
       "spending included",
       {
           {"priorities", K::actor_weights, true, 0, 0, 1e6, "1",
            "weight of each client in the patron's objective (sum of priority x influence)"},
           {"temperature", K::number, false, 0.25, 0.01, 100, "1",
            "softmax temperature over gains relative to the best: low = all to the best client"},
           {"min_tranche", K::number, false, 0.05, 0, 1e6, "USD m",
            "smaller allocations are not made (keeps the events table readable)"},
       }},
      {"rival_reaction",
       "holds exercises whose size follows a Richardson action-reaction rule toward named "
       "rivals: dE/dt = sum_r k_r E_r - m E + g; it settles when m m_r > k k_r for each pair "
       "of rivals reacting to each other, and escalates otherwise",
       {
           {"rivals", K::actor_weights, true, 0, 0, 100, "1/yr",
            "k_r: reaction to each rival's exercise effort"},
           {"restraint", K::number, false, 1.0, 0, 100, "1/yr", "m: fatigue and cost of effort"},
           {"grievance", K::number, false, 0.0, 0, 1e7, "personnel/yr",
            "g: effort built up regardless of rivals"},
           {"hosts", K::actor_list, true, 0, 0, 0, "",
            "where its exercises are held, one per turn in rotation"},
           {"initial_effort", K::number, false, -1, -1, 1e7, "personnel",
            "E at the start (-1: its largest exercise tie in the initial data)"},
       }},
      {"hedging_client",
       "keeps its dependence spread: declines policy aid from the partner it depends on most "
       "while its dependence Herfindahl exceeds a threshold, and moves its alignment at most a "
       "set step per turn (its secondary-sanction compliance follows the engine's rule)",
       {
           {"threshold", K::number, false, 0.5, 0, 1, "1",
            "largest Herfindahl of its dependence it accepts before declining its top partner"},
           {"max_alignment_step", K::number, false, 0.01, 0, 2, "1/turn",
            "largest L1 change of its alignment per turn (seed F19)"},
       }},
  };
  return types;
}

const PolicyType* find_policy_type(std::string_view name) {
  for (const auto& t : policy_types())
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace geosim
