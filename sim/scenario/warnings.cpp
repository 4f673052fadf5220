// Warnings: valid but suspicious input (docs/scenario-format.md, "Warnings"). They are printed on
// stderr and never refuse a scenario.
#include <algorithm>

#include "policy/policy_set.hpp"
#include "scenario/context.hpp"

namespace geosim {

namespace {

bool in(const std::vector<int>& v, int x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string name(ActionType t) {
  return std::string(kActionNames[static_cast<std::size_t>(t)]);
}

/// Could actor a have a tie to b in one of `channels` by turn `turn` (event k excluded)? Initial
/// flows, earlier events and a patron's aid policy toward b count.
bool may_have_tie(const Scenario& sc, int a, int b, const std::vector<int>& channels,
                  std::size_t k) {
  for (const FlowEntry& f : sc.flows)
    if (f.from == a && f.to == b && f.value > 0.0 && in(channels, f.channel)) return true;
  auto has = [&](const char* channel) { return in(channels, sc.channel_index(channel)); };
  for (std::size_t i = 0; i < k; ++i) {
    const Action& e = sc.timeline[i].action;
    if (e.type == ActionType::flow && e.both && e.actor == b && e.target == a &&
        in(channels, e.channel))
      return true;  // `between: [b, a]` sets both directions
    if (e.actor != a) continue;
    const bool to_b = e.target == b || in(e.others, b);
    switch (e.type) {
      case ActionType::economic_aid:
        if (to_b && has("economic_aid")) return true;
        break;
      case ActionType::security_aid:
        if (to_b && (has("security_aid") || has("arms"))) return true;
        break;
      case ActionType::exercise:
        if (to_b && has("exercises")) return true;
        break;
      case ActionType::visit:
        if (to_b && has("diplomacy")) return true;
        break;
      case ActionType::loan:
        if (to_b && has("debt")) return true;
        break;
      case ActionType::deploy:
      case ActionType::flow:
        if (e.target == b && in(channels, e.channel)) return true;
        break;
      default:
        break;
    }
  }
  if (const auto* set = dynamic_cast<const PolicySet*>(sc.decider.get()))
    for (const auto& [type, p] : set->policies())
      if (p.actor == a)
        for (const auto& [key, weights] : p.weights)
          for (const auto& [client, w] : weights)
            if (client == b && w > 0.0 &&
                (has("economic_aid") || has("security_aid") || has("exercises")))
              return true;
  return false;
}

/// The id (or "#index") of a patron_budget policy of the withdrawing actor that gives economic or
/// security aid to the state it leaves from `turn` to the end of the run (no later policy event
/// sets the priority to 0 or switches it off), when the withdrawal ends an aid channel; "" if
/// none.
std::string aid_policy_toward(const Scenario& sc, const Action& a, int turn) {
  const auto* set = dynamic_cast<const PolicySet*>(sc.decider.get());
  if (set == nullptr) return {};
  const bool ends_aid = in(a.channels, sc.channel_index("security_aid")) ||
                        in(a.channels, sc.channel_index("economic_aid"));
  if (!ends_aid) return {};
  for (std::size_t i = 0; i < set->policies().size(); ++i) {
    const auto& [type, base] = set->policies()[i];
    if (base.actor != a.actor ||
        policy_types()[static_cast<std::size_t>(type)].name != "patron_budget")
      continue;
    bool gives_to_the_end = true;
    for (int t = turn; t < sc.turns && gives_to_the_end; ++t) {
      bool gives = false;
      if (set->active_at(i, t))
        for (const auto& [client, w] : set->params_at(i, t).actor_weights("priorities"))
          gives = gives || (client == a.target && w > 0.0);
      gives_to_the_end = gives;
    }
    if (!gives_to_the_end) continue;
    if (!base.id.empty()) return base.id;
    std::string index = "#";  // (appending, not "#" + ...: GCC 12 -Wrestrict false positive)
    return index.append(std::to_string(i));
  }
  return {};
}

}  // namespace

void check_timeline_warnings(BuildContext& c) {
  const Scenario& sc = c.sc;
  const auto& codes = c.actor_codes;
  Matrix member = Matrix::Zero(sc.n_actors(), static_cast<Eigen::Index>(sc.blocs.size()));
  Matrix frozen = member;
  for (int i = 0; i < sc.n_actors(); ++i)
    for (int b : sc.actors[i].blocs) member(i, b) = 1.0;
  std::vector<Vector> anchors;
  for (const auto& a : sc.actors) anchors.push_back(a.anchor);
  for (std::size_t k = 0; k < sc.timeline.size(); ++k) {
    const ScheduledEvent& ev = sc.timeline[k];
    const Action& a = ev.action;
    const Node& node = *c.event_nodes[k];
    const std::string p = item_path("timeline", node, k);
    // Something that lasts past the end of the run.
    const bool lasting = a.type == ActionType::economic_aid || a.type == ActionType::security_aid ||
                         a.type == ActionType::exercise || a.type == ActionType::conflict ||
                         a.type == ActionType::deploy || a.type == ActionType::flow ||
                         a.type == ActionType::anchor ||
                         (a.type == ActionType::bloc && sc.version >= 2);
    if (lasting && ev.turn + a.turns > sc.turns)
      c.warn(node, p,
             name(a.type) + " from " + ev.date.str() + " lasts " + std::to_string(a.turns) +
                 " turns, " + std::to_string(ev.turn + a.turns - sc.turns) +
                 " of them past the end of the run (" + std::to_string(sc.turns) +
                 " turns): only the turns inside it are simulated");
    switch (a.type) {
      case ActionType::withdraw:
        if (!may_have_tie(sc, a.actor, a.target, a.channels, k))
          c.warn(node, p,
                 "withdraw: " + codes[a.actor] + " has no tie to " + codes[a.target] +
                     " in the channels it ends (no initial flow, earlier event or aid policy "
                     "makes one): it ends nothing");
        if (const std::string id = aid_policy_toward(sc, a, ev.turn); !id.empty())
          c.warn(node, p,
                 "withdraw: the policy '" + id + "' of " + codes[a.actor] + " gives aid to " +
                     codes[a.target] +
                     " to the end of the run (a withdrawal changes no policy): set its priority "
                     "to 0 with a policy event if the aid ends too");
        break;
      case ActionType::bloc: {
        const bool is_member = member(a.actor, a.bloc) > 0.0;
        const bool is_frozen = frozen(a.actor, a.bloc) > 0.0;
        const std::string who = codes[a.actor] + " " + (is_member ? "is" : "is not") +
                                " a member of " + c.bloc_codes[a.bloc];
        if (a.change == BlocChange::join && is_member)
          c.warn(node, p, "join: " + who + " already: nothing changes");
        if (a.change == BlocChange::leave && !is_member)
          c.warn(node, p, "leave: " + who + ": nothing changes");
        if (a.change == BlocChange::freeze && (!is_member || is_frozen))
          c.warn(node, p,
                 "freeze: " + who + (is_frozen ? ", frozen already" : "") + ": nothing changes");
        if (a.change == BlocChange::unfreeze && !is_frozen)
          c.warn(node, p,
                 "unfreeze: " + codes[a.actor] + "'s membership of " + c.bloc_codes[a.bloc] +
                     " is not frozen: nothing changes");
        if (a.change == BlocChange::join) member(a.actor, a.bloc) = 1.0;
        if (a.change == BlocChange::leave) member(a.actor, a.bloc) = frozen(a.actor, a.bloc) = 0.0;
        if (a.change == BlocChange::freeze && is_member) frozen(a.actor, a.bloc) = 1.0;
        if (a.change == BlocChange::unfreeze) frozen(a.actor, a.bloc) = 0.0;
        break;
      }
      case ActionType::anchor: {
        Vector& x0 = anchors[static_cast<std::size_t>(a.actor)];
        if (a.shares.size() == x0.size() && (a.shares - x0).cwiseAbs().maxCoeff() < 1e-12 &&
            a.shares2.size() == 0)
          c.warn(node, p,
                 "anchor: the new anchor of " + codes[a.actor] +
                     " is the one it has: nothing changes");
        if (a.shares.size() == x0.size()) x0 = a.shares;
        break;
      }
      case ActionType::sanction:
        if (a.amount == 0.0) {
          bool earlier = false;
          for (std::size_t i = 0; i < k; ++i)
            earlier = earlier || (sc.timeline[i].action.type == ActionType::sanction &&
                                  sc.timeline[i].action.actor == a.actor &&
                                  sc.timeline[i].action.target == a.target);
          if (!earlier)
            c.warn(node, p,
                   "sanction of intensity 0 lifts a sanction, but " + codes[a.actor] +
                       " has none on " + codes[a.target] + " before it");
        }
        break;
      case ActionType::conflict:
        for (std::size_t i = 0; i < k; ++i) {
          const auto& o = sc.timeline[i];
          const bool same_sides = o.action.type == ActionType::conflict &&
                                  ((o.action.actor == a.actor && o.action.target == a.target) ||
                                   (o.action.actor == a.target && o.action.target == a.actor));
          if (same_sides && o.turn + o.action.turns > ev.turn)
            c.warn(node, p,
                   "conflict overlaps an earlier conflict between " + codes[a.actor] + " and " +
                       codes[a.target] + " (" + o.date.str() +
                       "): in the turns they share, the larger intensity applies");
        }
        break;
      default:
        break;
    }
  }
}

}  // namespace geosim
