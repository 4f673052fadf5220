#include "scenario/context.hpp"
#include "scenario/schema.hpp"

namespace geosim {

namespace {

void build_actor(BuildContext& c, const Node& n, const std::string& p, ActorSpec& a) {
  if (!check_keys(c, n, p, specs_of(actor_schema()))) return;
  a.budget = -1.0;  // filled from budget_share_of_gdp once the parameters are read
  read_fields(c, n, p, actor_schema(), a);
  if (const Node* v = n.find("budgets")) {
    const auto names = instrument_keys();
    const FieldSpec& spec = find_field(actor_schema(), "budgets")->spec;
    std::vector<FieldSpec> specs;  // the instruments, deployments from version 2
    for (const auto& name : names)
      specs.push_back(FieldSpec{
          .key = name, .type = FieldType::quantity, .since = name == "deployments" ? 2 : 1});
    std::vector<std::string> known = names;
    if (c.version() < 2) known.pop_back();
    if (check_keys(c, *v, p + ".budgets", specs))
      for (std::size_t i = 0; i < known.size(); ++i)
        if (const Node* b = v->find(known[i]))
          if (auto q = c.r.quantity(*b, p + ".budgets." + known[i], spec.unit, spec.min, spec.max))
            a.budgets[i] = *q;
  }
  if (a.alignment.size() == 0) a.alignment = a.anchor;
}

}  // namespace

void build_actors(BuildContext& c, const Node& n) {
  if (!n.is_seq() || n.seq.size() < 2) {
    c.r.error(n, "actors", "expected a list of at least two actors, got " + n.kind_name());
    return;
  }
  for (std::size_t i = 0; i < n.seq.size(); ++i) {
    ActorSpec a;
    const std::string p = item_path("actors", n.seq[i], i);
    build_actor(c, n.seq[i], p, a);
    if (std::find(a.neighbours.begin(), a.neighbours.end(), static_cast<int>(i)) !=
        a.neighbours.end())
      c.r.error(*n.seq[i].find("neighbours"), p + ".neighbours",
                "an actor cannot be its own neighbour ('" + a.code + "')");
    c.sc.actors.push_back(std::move(a));
  }
  // Borders are mutual: a neighbour listed on one side is a neighbour of both.
  for (int i = 0; i < c.sc.n_actors(); ++i)
    for (int j : std::vector<int>(c.sc.actors[i].neighbours))
      if (j < c.sc.n_actors() &&
          std::find(c.sc.actors[j].neighbours.begin(), c.sc.actors[j].neighbours.end(), i) ==
              c.sc.actors[j].neighbours.end())
        c.sc.actors[j].neighbours.push_back(i);
}

}  // namespace geosim
