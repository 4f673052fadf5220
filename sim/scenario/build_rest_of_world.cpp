// The rest of the world (format version 2): its actor, and its flows from actors' totals.
#include <algorithm>
#include <cstdio>

#include "scenario/context.hpp"
#include "scenario/rest_of_world.hpp"
#include "scenario/schema.hpp"

namespace geosim {

namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

/// What actor i receives (inflow) or sends (outflow) in channel k from or to listed actors.
double listed(const Scenario& sc, int i, int k, bool inflow) {
  double s = 0.0;
  for (const FlowEntry& f : sc.flows) {
    if (f.derived || f.channel != k) continue;
    const int self = inflow ? f.to : f.from, other = inflow ? f.from : f.to;
    if (self == i && other != sc.rest_of_world) s += f.value;
  }
  return s;
}

}  // namespace

std::string derive_rest_of_world_flows(Scenario& sc, std::size_t* failed) {
  std::vector<FlowEntry> derived;
  for (std::size_t ti = 0; ti < sc.totals.size(); ++ti) {
    const ChannelTotal& t = sc.totals[ti];
    if (failed) *failed = ti;
    const std::string unit = sc.channels[t.channel].unit;
    const std::string who = sc.actors[t.actor].code + "'s " + sc.channels[t.channel].name;
    auto add = [&](double value, bool inflow) {
      if (value <= 0.0) return;
      FlowEntry f;
      f.channel = t.channel;
      f.from = inflow ? sc.rest_of_world : t.actor;
      f.to = inflow ? t.actor : sc.rest_of_world;
      f.value = value;
      f.derived = true;
      f.source = "rest_of_world.totals: " + who + " total less its listed partners'";
      derived.push_back(std::move(f));
    };
    const double in = listed(sc, t.actor, t.channel, true);
    const double out = listed(sc, t.actor, t.channel, false);
    // Tolerance for totals equal to their listed parts written in other units.
    auto fits = [](double total, double part) { return total >= part * (1.0 - 1e-9); };
    if (t.turnover >= 0.0) {
      if (!fits(t.turnover, in + out))
        return who + " turnover with listed partners (" + fmt(in + out) + " " + unit +
               ") is larger than its total turnover (" + fmt(t.turnover) + " " + unit + ")";
      const double rest = std::max(0.0, t.turnover - in - out);
      add(rest / 2.0, true);
      add(rest / 2.0, false);
      continue;
    }
    if (t.inflow >= 0.0) {
      if (!fits(t.inflow, in))
        return who + " inflow from listed partners (" + fmt(in) + " " + unit +
               ") is larger than its total inflow (" + fmt(t.inflow) + " " + unit + ")";
      add(std::max(0.0, t.inflow - in), true);
    }
    if (t.outflow >= 0.0) {
      if (!fits(t.outflow, out))
        return who + " outflow to listed partners (" + fmt(out) + " " + unit +
               ") is larger than its total outflow (" + fmt(t.outflow) + " " + unit + ")";
      add(std::max(0.0, t.outflow - out), false);
    }
  }
  std::erase_if(sc.flows, [](const FlowEntry& f) { return f.derived; });
  sc.flows.insert(sc.flows.end(), derived.begin(), derived.end());
  return {};
}

void build_rest_of_world(BuildContext& c, const Node* n) {
  if (n == nullptr) return;
  const std::string p = "rest_of_world";
  if (c.version() < 2) {
    c.r.error(*n, p, "rest_of_world " + needs_version_2(c));
    return;
  }
  // The names were not collected, or the actors list was broken: reported already.
  if (c.sc.rest_of_world < 0 || c.sc.rest_of_world != c.sc.n_actors()) return;
  RestOfWorldSpec row;
  if (check_keys(c, *n, p, specs_of(rest_of_world_schema())))
    read_fields(c, *n, p, rest_of_world_schema(), row);
  ActorSpec a;
  a.code = std::string(kRestOfWorldCode);
  a.name = row.name;
  a.role = Role::rest_of_world;
  a.gdp = row.gdp > 0.0 ? row.gdp : 1.0;
  a.growth = row.growth;
  const int P = static_cast<int>(c.pole_codes.size());
  a.anchor = Vector::Constant(P, P > 0 ? 1.0 / P : 0.0);  // it influences nobody, never moves
  a.alignment = a.anchor;
  a.susceptibility = 0.0;
  a.budget = -1.0;
  // Actors that list ROW among their neighbours are its neighbours.
  const int self = c.sc.n_actors();
  for (int i = 0; i < self; ++i) {
    const auto& nb = c.sc.actors[i].neighbours;
    if (std::find(nb.begin(), nb.end(), self) != nb.end()) a.neighbours.push_back(i);
  }
  c.sc.actors.push_back(std::move(a));
}

/// Reports a total that its listed flows exceed at the total, or at the flow value written after
/// it (an overlay or a --set that raised a flow is the mistake's place).
static void report_total(BuildContext& c, const Node& total, const std::string& total_path,
                         const ChannelTotal& t, const std::string& why) {
  const Node* best = &total;
  std::string path = total_path;
  for (std::size_t i = 0; i < c.sc.flows.size() && i < c.flow_nodes.size(); ++i) {
    const FlowEntry& f = c.sc.flows[i];
    if (f.derived || f.channel != t.channel || (f.from != t.actor && f.to != t.actor)) continue;
    const Node& item = *c.flow_nodes[i];
    const Node& value = latest(item, {"value", "unit"});
    if (value.layer <= best->layer) continue;
    best = &value;
    path = item_path("flows", item, i) + (item.find("value") == &value ? ".value" : ".unit");
  }
  c.r.error(*best, path, why);
}

void build_rest_of_world_totals(BuildContext& c, const Node* n) {
  if (n == nullptr || c.version() < 2 || !c.sc.is_rest_of_world(c.sc.n_actors() - 1)) return;
  const Node* list = n->find("totals");
  if (list == nullptr) return;
  const std::string lp = "rest_of_world.totals";
  if (!list->is_seq()) {
    c.r.error(*list, lp, "expected a list of totals, got " + list->kind_name());
    return;
  }
  Reader& r = c.r;
  const auto& schema = total_schema();
  std::vector<const Node*> nodes;  // of each total kept
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < list->seq.size(); ++i) {
    const Node& e = list->seq[i];
    const std::string p = item_path(lp, e, i);
    if (!check_keys(c, e, p, specs_of(schema))) continue;
    TotalEntry t;
    read_fields(c, e, p, schema, t);
    if (t.actor < 0 || t.channel < 0) continue;
    if (c.channel_names[t.channel] == "institutions") {
      r.error(*e.find("channel"), p + ".channel",
              "the institutions channel comes from bloc memberships: it has no total");
      continue;
    }
    const auto kind = unit_kind_of(c.sc.channels[t.channel].unit);
    const Node* unit = e.find("unit");
    auto read = [&](const char* key) -> double {
      const Node* v = e.find(key);
      if (v == nullptr) return -1.0;
      const FieldSpec& spec = find_field(schema, key)->spec;
      auto x = r.number(*v, p + "." + key, spec.min, spec.max);
      if (x && unit && kind) x = r.convert(*x, *unit, p + ".unit", *kind);
      return x ? *x : -2.0;
    };
    ChannelTotal total{t.actor, t.channel, read("inflow"), read("outflow"), read("turnover")};
    if (total.inflow == -2.0 || total.outflow == -2.0 || total.turnover == -2.0) continue;
    const bool both = total.inflow >= 0.0 || total.outflow >= 0.0;
    if (both == (total.turnover >= 0.0)) {
      r.error(e, p, "give inflow and/or outflow, or turnover (one of the two forms)");
      continue;
    }
    for (const ChannelTotal& other : c.sc.totals)
      if (other.actor == total.actor && other.channel == total.channel)
        r.error(e, p, "a second total for the same actor and channel");
    for (const FlowEntry& f : c.sc.flows)
      if (f.channel == total.channel && ((f.from == c.sc.rest_of_world && f.to == total.actor) ||
                                         (f.to == c.sc.rest_of_world && f.from == total.actor)))
        r.error(e, p,
                "the flows already hold a flow between " + c.actor_codes[total.actor] +
                    " and ROW in " + c.channel_names[total.channel] +
                    ": give the rest of the world's part either as a flow or through a total");
    c.sc.totals.push_back(total);
    nodes.push_back(&e);
    paths.push_back(p);
  }
  std::size_t failed = 0;
  if (const std::string why = derive_rest_of_world_flows(c.sc, &failed); !why.empty())
    report_total(c, *nodes.at(failed), paths.at(failed), c.sc.totals[failed], why);
}

}  // namespace geosim
