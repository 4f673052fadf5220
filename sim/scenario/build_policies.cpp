#include <algorithm>

#include "core/text.hpp"
#include "policy/policy_set.hpp"
#include "scenario/context.hpp"

namespace geosim {

namespace {

std::vector<std::string> policy_names() {
  std::vector<std::string> out;
  for (const auto& t : policy_types()) out.emplace_back(t.name);
  return out;
}

/// Reads one parameter of a policy by its declaration.
void read_param(BuildContext& c, const Node& e, const std::string& p, const PolicyParamSpec& spec,
                PolicyParams& out) {
  const std::string name(spec.name);
  const Node* v = c.r.field(e, p, name, spec.required);
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
  if (!r.check_map(e, p,
                   {"id", "kind", "actors", "probability", "size", "turns", "source", "note"}))
    return s;
  if (const Node* v = r.field(e, p, "id", false))
    if (auto id = r.identifier(*v, p + ".id")) s.id = *id;
  std::vector<std::string> kinds(std::begin(kShockKindNames), std::end(kShockKindNames));
  if (const Node* v = r.field(e, p, "kind", true))
    if (auto k = r.choice(*v, p + ".kind", kinds, "shock kind"))
      s.kind = static_cast<ShockKind>(*k);
  const std::size_t want = s.kind == ShockKind::border_conflict ? 2 : 1;
  if (const Node* v = r.field(e, p, "actors", true)) {
    s.actors = c.actor_list(*v, p + ".actors", 0);
    if (v->is_seq() && v->seq.size() != want) {
      r.error(*v, p + ".actors",
              "a " + kinds[static_cast<std::size_t>(s.kind)] + " shock names exactly " +
                  std::to_string(want) + (want == 1 ? " actor" : " actors"));
      s.actors.clear();
    }
  }
  if (const Node* v = r.field(e, p, "probability", true))
    s.probability = r.number(*v, p + ".probability", 0, 1).value_or(0.0);
  const double lo = s.kind == ShockKind::commodity_price ? -0.9 : 0.0;
  const double hi = s.kind == ShockKind::commodity_price ? 10.0 : 1.0;
  if (const Node* v = r.field(e, p, "size", true))
    s.size = r.number(*v, p + ".size", lo, hi).value_or(0.0);
  if (const Node* v = r.field(e, p, "turns", false))
    s.turns = static_cast<int>(r.integer(*v, p + ".turns", 1, 100000).value_or(1));
  return s;
}

}  // namespace

void build_policies(BuildContext& c, const Node* policies, const Node* shocks) {
  std::vector<std::pair<int, PolicyParams>> set;
  std::vector<ShockSpec> shock_specs;
  std::vector<std::string> ids;  ///< policy ids (optional; overlays address a policy by it)
  if (policies && !policies->is_seq())
    c.r.error(*policies, "policies", "expected a list of policies, got " + policies->kind_name());
  for (std::size_t i = 0; policies && policies->is_seq() && i < policies->seq.size(); ++i) {
    const Node& e = policies->seq[i];
    std::string p = "policies[" + std::to_string(i) + "]";
    if (!e.is_map()) {
      c.r.error(e, p, "expected a policy (a map with actor, policy, ...), got " + e.kind_name());
      continue;
    }
    PolicyParams params;
    if (const Node* v = c.r.field(e, p, "actor", true)) {
      params.actor = c.actor(*v, p + ".actor");
      if (params.actor >= 0) p = "policies[" + c.actor_codes[params.actor] + "]";
    }
    const Node* name = c.r.field(e, p, "policy", true);
    const auto type =
        name ? c.r.choice(*name, p + ".policy", policy_names(), "policy") : std::nullopt;
    if (!type) continue;
    const PolicyType& t = policy_types()[static_cast<std::size_t>(*type)];
    std::vector<std::string> allowed = {"id", "actor", "policy", "source", "note"};
    for (const auto& spec : t.params) allowed.emplace_back(spec.name);
    if (!c.r.check_map(e, p, allowed)) continue;
    if (const Node* id = e.find("id"); id && id->is_scalar()) {
      if (std::find(ids.begin(), ids.end(), id->scalar) != ids.end())
        c.r.error(*id, p + ".id", "duplicate policy id '" + id->scalar + "'");
      ids.push_back(id->scalar);
      params.id = id->scalar;
    }
    for (const auto& spec : t.params) read_param(c, e, p, spec, params);
    for (const auto& [other_type, other] : set)
      if (other_type == *type && other.actor == params.actor)
        c.r.error(e, p,
                  "actor '" + c.actor_codes[params.actor] + "' already has a " +
                      std::string(t.name) + " policy");
    set.emplace_back(*type, std::move(params));
  }
  if (shocks && !shocks->is_seq())
    c.r.error(*shocks, "shocks", "expected a list of shocks, got " + shocks->kind_name());
  for (std::size_t i = 0; shocks && shocks->is_seq() && i < shocks->seq.size(); ++i)
    shock_specs.push_back(read_shock(c, shocks->seq[i], item_path("shocks", shocks->seq[i], i)));
  if (!set.empty() || !shock_specs.empty())
    c.sc.decider = std::make_shared<PolicySet>(std::move(set), std::move(shock_specs));
}

}  // namespace geosim
