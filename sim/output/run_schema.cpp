#include "output/run_schema.hpp"

#include <algorithm>
#include <stdexcept>

namespace geosim {

namespace {

std::span<const double> all(const Matrix& m) {
  return {m.data(), static_cast<std::size_t>(m.size())};
}
std::span<const double> all(const Vector& v) {
  return {v.data(), static_cast<std::size_t>(v.size())};
}

/// An actor's code, "" for none (-1).
std::string code(const EventContext& c, int actor) {
  if (actor < 0) return {};
  return c.actor_codes.at(static_cast<std::size_t>(actor));
}

/// The target, then the other participants, each once (lists may repeat an exercise's host);
/// for bloc events the bloc, for policy events the policy's id.
std::string targets(const LoggedEvent& e, const EventContext& c) {
  if (e.action == ActionType::bloc && e.bloc >= 0)
    return c.bloc_codes.at(static_cast<std::size_t>(e.bloc));
  if (e.action == ActionType::policy && e.bloc >= 0)
    return c.policy_ids.at(static_cast<std::size_t>(e.bloc));
  std::string s = code(c, e.target);
  if (e.others == nullptr) return s;
  for (auto it = e.others->begin(); it != e.others->end(); ++it) {
    if (*it == e.target || std::find(e.others->begin(), it, *it) != it) continue;
    if (!s.empty()) s += ',';
    s += code(c, *it);
  }
  return s;
}

}  // namespace

const std::vector<RunVariable>& run_variables() {
  using D = Dim;
  // One row per variable: name, dims after turn, units; long_name; values.
  // clang-format off
  static const std::vector<RunVariable> vars = {
      {"influence", {D::actor, D::target}, "1",
       "influence of actor over target (with inertia)",
       [](const World& w, int) { return all(w.I); }},
      {"dependence", {D::actor, D::target}, "1",
       "dependence of actor on target (with inertia)",
       [](const World& w, int) { return all(w.D); }},
      {"dependence_economic", {D::actor, D::target}, "1",
       "economic dependence of actor on target (with inertia)",
       [](const World& w, int) { return all(w.D_econ); }},
      {"dependence_security", {D::actor, D::target}, "1",
       "security dependence of actor on target (with inertia)",
       [](const World& w, int) { return all(w.D_sec); }},
      {"dependence_political", {D::actor, D::target}, "1",
       "political dependence of actor on target (with inertia)",
       [](const World& w, int) { return all(w.D_pol); }},
      {"dependence_channel", {D::channel, D::actor, D::target}, "1",
       "dependence of actor on target through one channel (before inertia)",
       [](const World& w, int k) { return all(w.dep.at(static_cast<std::size_t>(k))); }},
      {"bandwidth", {D::actor, D::target}, "1",
       "bandwidth of the actor-target relationship (symmetric)",
       [](const World& w, int) { return all(w.B); }},
      {"flow", {D::channel, D::actor, D::target}, "mixed: see channel_unit",
       "effective flow or stock from actor to target per channel, after sanctions and diversion",
       [](const World& w, int k) { return all(w.flow.at(static_cast<std::size_t>(k))); }},
      {"alignment", {D::actor, D::pole}, "1",
       "alignment of actor with pole (sums to 1 over poles)",
       [](const World& w, int) { return all(w.x); }},
      {"susceptibility", {D::actor}, "1",
       "susceptibility of actor to influence",
       [](const World& w, int) { return all(w.lambda); }},
      {"gdp", {D::actor}, "USD bn/yr",
       "gross domestic product",
       [](const World& w, int) { return all(w.gdp); }},
      {"budget_spent", {D::actor, D::instrument}, "USD m",
       "budget spent by actor on instrument this turn",
       [](const World& w, int) { return all(w.spent); }},
      {"budget", {D::actor, D::instrument}, "USD m/yr",
       "yearly budget of actor for instrument in force this turn",
       [](const World& w, int) { return all(w.budget); }},
      {"conflict_intensity", {D::actor, D::target}, "1",
       "intensity of an active scripted conflict between actor and target (symmetric)",
       [](const World& w, int) { return all(w.war); }},
      {"compliance", {D::actor}, "1",
       "compliance of actor with secondary sanctions",
       [](const World& w, int) { return all(w.compliance); }},
      {"reexports", {D::actor}, "USD m/yr",
       "re-exports by actor to sanctioned states",
       [](const World& w, int) { return all(w.reexports); }},
      {"influence_share", {D::actor, D::target}, "1",
       "actor's share of all patrons' influence over target (0 for non-patrons)",
       [](const World& w, int) { return all(w.share); }},
      {"hedging_index", {D::actor}, "1",
       "1 - the largest influence share over actor",
       [](const World& w, int) { return all(w.hedging); }},
      {"dependence_hhi", {D::actor}, "1",
       "Herfindahl index of actor's dependence, normalised by its row sum",
       [](const World& w, int) { return all(w.dep_hhi); }},
  };
  // clang-format on
  return vars;
}

void copy_turn(const RunVariable& v, const World& w, int channels, std::span<double> slab,
               std::string_view writer) {
  const bool by_channel = !v.dims.empty() && v.dims.front() == Dim::channel;
  const std::size_t blocks = by_channel ? static_cast<std::size_t>(channels) : 1;
  const std::size_t expected = blocks == 0 ? 0 : slab.size() / blocks;
  for (std::size_t k = 0; k < blocks; ++k) {
    const std::span<const double> values = v.values(w, static_cast<int>(k));
    if (values.size() != expected || expected * blocks != slab.size())
      throw std::logic_error(std::string(writer) + ": '" + std::string(v.name) + "' has " +
                             std::to_string(values.size()) + " values, expected " +
                             std::to_string(expected));
    std::copy(values.begin(), values.end(),
              slab.begin() + static_cast<std::ptrdiff_t>(k * expected));
  }
}

const std::vector<EventColumn>& event_columns() {
  using C = EventContext;
  using E = LoggedEvent;
  static const std::vector<EventColumn> cols = {
      {"event_turn", "1", "turn the event took effect",
       [](const E& e, const C&) { return static_cast<std::int32_t>(e.turn); }, nullptr, nullptr},
      {"event_date", "", "date of the event's turn (ISO 8601)", nullptr, nullptr,
       [](const E& e, const C& c) {
         return add_months(c.start, e.turn * c.months_per_turn).str();
       }},
      {"event_actor", "", "code of the acting actor", nullptr, nullptr,
       [](const E& e, const C& c) { return code(c, e.actor); }},
      {"event_action", "", "action type", nullptr, nullptr,
       [](const E& e, const C&) {
         return std::string(kActionNames.at(static_cast<std::size_t>(e.action)));
       }},
      {"event_targets", "",
       "comma-separated codes: the target, then other participants, each once; for bloc "
       "events the bloc, for policy events the policy's id (\"\" if none)",
       nullptr, nullptr, &targets},
      {"event_amount", "mixed: see docs/scenario-format.md", "amount of the action (by type)",
       nullptr, [](const E& e, const C&) { return e.amount; }, nullptr},
      {"event_cause", "", "why it happened: scripted, policy, reaction or shock", nullptr, nullptr,
       [](const E& e, const C&) {
         return std::string(kCauseNames.at(static_cast<std::size_t>(e.cause)));
       }},
  };
  return cols;
}

}  // namespace geosim
