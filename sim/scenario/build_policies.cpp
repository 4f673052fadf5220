#include <algorithm>

#include "core/text.hpp"
#include "policy/policy_set.hpp"
#include "scenario/context.hpp"
#include "scenario/policy_changes.hpp"
#include "scenario/schema.hpp"

namespace geosim {

namespace {

std::vector<std::string> policy_names() {
  std::vector<std::string> out;
  for (const auto& t : policy_types()) out.emplace_back(t.name);
  return out;
}

/// Reads one parameter of a policy by its declaration into `out`. A policy item gives every
/// required parameter and gets the defaults of the others; a change (`set:` of a `policy`
/// event, `change` true) holds only the parameters it names.
void read_param(BuildContext& c, const Node& e, const std::string& p, const PolicyParamSpec& spec,
                PolicyParams& out, bool change) {
  const std::string name(spec.name);
  const Node* v = change ? e.find(name) : c.r.field(e, p, name, spec.required);
  if (change && v == nullptr) return;
  const std::string path = p + "." + name;
  switch (spec.kind) {
    case PolicyParamKind::number: {
      double x = spec.default_value;
      if (v) x = c.r.number(*v, path, spec.min, spec.max).value_or(spec.default_value);
      out.numbers.emplace_back(name, x);
      break;
    }
    case PolicyParamKind::actor_weights: {
      std::vector<std::pair<int, double>> weights;
      if (v && v->is_map()) {
        for (const auto& [code, value] : v->map) {
          Node key = value;
          key.kind = Node::Kind::scalar;
          key.scalar = code;
          key.loc = value.key_loc.file.empty() ? value.loc : value.key_loc;
          const int a = c.actor(key, path);
          const auto x = c.r.number(value, path + "." + code, spec.min, spec.max);
          if (a < 0 || !x) continue;
          if (a == out.actor)
            c.r.error(key, path, "an actor cannot name itself here ('" + code + "')");
          else
            weights.emplace_back(a, *x);
        }
      } else if (v) {
        c.r.error(
            *v, path,
            "expected a map of actor code -> number, e.g. {TJK: 2, KGZ: 1}, got " + v->kind_name());
      }
      out.weights.emplace_back(name, std::move(weights));
      break;
    }
    case PolicyParamKind::actor_list: {
      std::vector<int> list;
      if (v) list = c.actor_list(*v, path, 1);
      out.lists.emplace_back(name, std::move(list));
      break;
    }
  }
}

ShockSpec read_shock(BuildContext& c, const Node& e, const std::string& p) {
  ShockSpec s;
  Reader& r = c.r;
  if (!check_keys(c, e, p, specs_of(shock_schema()))) return s;
  read_fields(c, e, p, shock_schema(), s);
  const std::size_t want = s.kind == ShockKind::border_conflict ? 2 : 1;
  const std::vector<std::string> kinds(std::begin(kShockKindNames), std::end(kShockKindNames));
  if (const Node* v = r.field(e, p, "actors", true)) {
    s.actors = c.actor_list(*v, p + ".actors", 0);
    if (v->is_seq() && v->seq.size() != want) {
      r.error(*v, p + ".actors",
              "a " + kinds[static_cast<std::size_t>(s.kind)] + " shock names exactly " +
                  std::to_string(want) + (want == 1 ? " actor" : " actors"));
      s.actors.clear();
    }
  }
  const double lo = s.kind == ShockKind::commodity_price ? -0.9 : 0.0;
  const double hi = s.kind == ShockKind::commodity_price ? 10.0 : 1.0;
  if (const Node* v = r.field(e, p, "size", true))
    s.size = r.number(*v, p + ".size", lo, hi).value_or(0.0);
  return s;
}

}  // namespace

void read_policies(BuildContext& c, const Node* policies) {
  if (policies && !policies->is_seq())
    c.r.error(*policies, "policies", "expected a list of policies, got " + policies->kind_name());
  std::vector<std::string> ids;  ///< policy ids (optional; overlays address a policy by it)
  for (std::size_t i = 0; policies && policies->is_seq() && i < policies->seq.size(); ++i) {
    const Node& e = policies->seq[i];
    const std::string p = item_path("policies", e, i);
    if (!e.is_map()) {
      c.r.error(e, p, "expected a policy (a map with actor, policy, ...), got " + e.kind_name());
      continue;
    }
    PolicyDraft d;
    d.node = &e;
    if (const Node* v = c.r.field(e, p, "actor", true)) d.params.actor = c.actor(*v, p + ".actor");
    const Node* name = c.r.field(e, p, "policy", true);
    const auto type =
        name ? c.r.choice(*name, p + ".policy", policy_names(), "policy") : std::nullopt;
    if (!type) continue;
    d.type = *type;
    const PolicyType& t = policy_types()[static_cast<std::size_t>(*type)];
    std::vector<std::string> extra;
    for (const auto& spec : t.params) extra.emplace_back(spec.name);
    if (!check_keys(c, e, p, policy_item_specs(), extra)) continue;
    if (const Node* id = e.find("id")) {
      if (auto s = c.r.identifier(*id, p + ".id")) {
        if (std::find(ids.begin(), ids.end(), *s) != ids.end())
          c.r.error(*id, p + ".id", "duplicate policy id '" + *s + "'");
        ids.push_back(*s);
        d.params.id = *s;
      }
    }
    for (const auto& spec : t.params) read_param(c, e, p, spec, d.params, false);
    for (const PolicyDraft& other : c.policies)
      if (other.type == d.type && other.params.actor == d.params.actor && d.params.actor >= 0)
        c.r.error(latest(e, {"actor", "policy"}), p,
                  "actor '" + c.actor_codes[d.params.actor] + "' already has a " +
                      std::string(t.name) + " policy");
    c.policies.push_back(std::move(d));
  }
}

void read_policy_change(BuildContext& c, const Node& e, const std::string& p, ScheduledEvent& ev) {
  Action& a = ev.action;
  const Node* id = c.r.field(e, p, "policy", true);
  if (id == nullptr) return;
  const auto s = c.r.identifier(*id, p + ".policy");
  if (!s) return;
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < c.policies.size(); ++i) {
    if (c.policies[i].params.id == *s) a.policy = static_cast<int>(i);
    if (!c.policies[i].params.id.empty()) ids.push_back(c.policies[i].params.id);
  }
  if (a.policy < 0) {
    c.r.error(*id, p + ".policy",
              "no policy with id '" + *s + "'" + did_you_mean(*s, ids) +
                  "; policies with an id: " + (ids.empty() ? "(none)" : join_words(ids)));
    return;
  }
  const PolicyDraft& d = c.policies[static_cast<std::size_t>(a.policy)];
  a.actor = d.params.actor;
  const Node* set = e.find("set");
  if (set == nullptr && !e.find("active")) {
    c.r.error(e, p, "a policy event changes nothing: give set (parameters), active, or both");
    return;
  }
  PolicyParams change;
  change.actor = d.params.actor;
  if (set != nullptr) {
    const PolicyType& t = policy_types()[static_cast<std::size_t>(d.type)];
    std::vector<std::string> names;
    for (const auto& spec : t.params) names.emplace_back(spec.name);
    if (!c.r.check_map(*set, p + ".set", names)) return;
    for (const auto& spec : t.params) read_param(c, *set, p + ".set", spec, change, true);
  }
  c.policy_changes.emplace_back(&e, std::move(change));
}

void build_policies(BuildContext& c, const Node* shocks) {
  std::vector<std::pair<int, PolicyParams>> set;
  for (const PolicyDraft& d : c.policies) {
    set.emplace_back(d.type, d.params);
    c.sc.policy_ids.push_back(d.params.id);
  }
  // The timeline's policy events, in firing order.
  std::vector<PolicyChange> changes;
  for (std::size_t k = 0; k < c.sc.timeline.size(); ++k) {
    const Action& a = c.sc.timeline[k].action;
    if (a.type != ActionType::policy || a.policy < 0) continue;
    PolicyChange change{a.policy, c.sc.timeline[k].turn, {}, a.active};
    for (const auto& [node, params] : c.policy_changes)
      if (node == c.event_nodes[k]) change.set = params;
    changes.push_back(std::move(change));
  }
  std::vector<ShockSpec> shock_specs;
  if (shocks && !shocks->is_seq())
    c.r.error(*shocks, "shocks", "expected a list of shocks, got " + shocks->kind_name());
  for (std::size_t i = 0; shocks && shocks->is_seq() && i < shocks->seq.size(); ++i)
    shock_specs.push_back(read_shock(c, shocks->seq[i], item_path("shocks", shocks->seq[i], i)));
  if (!set.empty() || !shock_specs.empty())
    c.sc.decider =
        std::make_shared<PolicySet>(std::move(set), std::move(shock_specs), std::move(changes));
}

}  // namespace geosim
