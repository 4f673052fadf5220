#include <cmath>
#include <cstdio>

#include <algorithm>

#include "core/text.hpp"
#include "model/channel_defaults.hpp"
#include "scenario/context.hpp"
#include "scenario/schema.hpp"

namespace geosim {

namespace {

void read_channel(BuildContext& c, const Node& n, const std::string& p, ChannelSpec& ch,
                  bool is_new) {
  if (!check_keys(c, n, p, specs_of(channel_schema()))) return;
  if (is_new)
    for (const char* key : {"kind", "dimension", "unit"})
      if (!n.find(key)) report_missing(c, n, p, key);
  read_fields(c, n, p, channel_schema(), ch);
}

void check_weights(BuildContext& c, const Node& where, const char* what,
                   double ChannelSpec::*field) {
  double sum = 0.0;
  for (const auto& ch : c.sc.channels) sum += ch.*field;
  if (std::abs(sum - 1.0) > 1e-6) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "the channels' %s values add up to %.6g; expected 1", what, sum);
    c.r.error(where, std::string("channels.*.") + what, buf);
  }
}

}  // namespace

void build_channels(BuildContext& c, const Node* n) {
  c.sc.channels = default_channels(c.version());
  if (n && !n->is_map()) {
    c.r.error(*n, "channels", "expected a map of channel name -> fields, got " + n->kind_name());
    n = nullptr;
  }
  if (n)
    for (const auto& [name, value] : n->map) {
      const std::string p = "channels." + name;
      int k = c.sc.channel_index(name);
      const bool is_new = k < 0;
      if (is_new) {
        std::vector<std::string> shipped;
        for (const auto& d : default_channels(c.version())) shipped.push_back(d.name);
        const std::string near = closest_match(name, shipped);
        if (!near.empty() && !value.find("kind")) {
          c.r.error_at(value.key_loc.file.empty() ? value.loc : value.key_loc, p,
                       "unknown channel '" + name + "' (did you mean '" + near +
                           "'?); a new channel needs kind, dimension and unit");
          continue;
        }
        ChannelSpec ch;
        ch.name = name;
        ch.unit.clear();
        c.sc.channels.push_back(ch);
        k = c.sc.n_channels() - 1;
      }
      read_channel(c, value, p, c.sc.channels[k], is_new);
    }
  for (const auto& ch : c.sc.channels) c.channel_names.push_back(ch.name);
  Node where;
  where.loc = n ? n->loc : Location{"<shipped channel defaults>", 0, 0};
  check_weights(c, n ? *n : where, "bandwidth_weight", &ChannelSpec::bandwidth_weight);
  check_weights(c, n ? *n : where, "dependence_weight", &ChannelSpec::dependence_weight);
}

std::vector<std::string> unscaled_money_channels(const Scenario& sc) {
  bool written = false;  // does the timeline put money into channels?
  for (const ScheduledEvent& e : sc.timeline) {
    const ActionType t = e.action.type;
    written = written || t == ActionType::economic_aid || t == ActionType::security_aid ||
              t == ActionType::loan;
  }
  bool tied = false;
  for (const FlowEntry& f : sc.flows)
    tied = tied || (f.value > 0.0 && unit_family(sc.channels[f.channel].unit) == "money");
  std::vector<std::string> unscaled;
  for (const ChannelSpec& ch : sc.channels)
    if (unit_family(ch.unit) == "money" && ch.reference <= 0.0 && ch.bandwidth_weight > 0.0)
      unscaled.push_back(ch.name);
  if (!written || tied) unscaled.clear();
  return unscaled;
}

void check_references(BuildContext& c, const Node& root) {
  if (const auto unscaled = unscaled_money_channels(c.sc); !unscaled.empty()) {
    const Node* where = root.find("timeline") ? root.find("timeline") : &root;
    c.r.error(*where, "channels",
              "the timeline disburses money but no money channel has initial flows or stocks, so "
              "their bandwidth has no scale: add initial flows, or give a reference (in USD m/yr "
              "or USD m) to each of: " +
                  join_words(unscaled));
  }
}

Endpoints read_endpoints(BuildContext& c, const Node& e, const std::string& p,
                         bool allow_rest_of_world) {
  Reader& r = c.r;
  Endpoints out;
  if (const Node* between = e.find("between")) {
    out.both = true;
    if (e.find("from") || e.find("to"))
      r.error(*between, p + ".between", "give either between: [A, B] or from/to, not both");
    const auto pair = c.actor_list(*between, p + ".between", 2, allow_rest_of_world);
    if (between->is_seq() && between->seq.size() != 2)
      r.error(*between, p + ".between", "expected exactly two actor codes");
    if (pair.size() == 2 && between->seq.size() == 2) {
      out.from = pair[0];
      out.to = pair[1];
    }
    return out;
  }
  if (const Node* v = r.field(e, p, "from", true))
    out.from = c.actor(*v, p + ".from", allow_rest_of_world);
  if (const Node* v = r.field(e, p, "to", true))
    out.to = c.actor(*v, p + ".to", allow_rest_of_world);
  if (out.from >= 0 && out.from == out.to)
    r.error(latest(e, {"from", "to"}), p,
            "from and to are the same actor; flows are between two actors");
  return out;
}

void build_flows(BuildContext& c, const Node* n) {
  if (!n) return;
  if (!n->is_seq()) {
    c.r.error(*n, "flows", "expected a list of flow entries, got " + n->kind_name());
    return;
  }
  Reader& r = c.r;
  const bool row = c.version() >= 2;  // flows with the rest of the world
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < n->seq.size(); ++i) {
    const Node& e = n->seq[i];
    const std::string p = item_path("flows", e, i);
    if (!check_keys(c, e, p, specs_of(flow_schema()))) continue;
    FlowEntry f;
    read_fields(c, e, p, flow_schema(), f);
    if (!f.id.empty()) {
      if (std::find(ids.begin(), ids.end(), f.id) != ids.end())
        r.error(*e.find("id"), p + ".id", "duplicate flow id '" + f.id + "': ids must be unique");
      ids.push_back(f.id);
    }
    if (f.channel >= 0 && c.sc.channels[f.channel].name == "institutions")
      r.error(e, p + ".channel",
              "the institutions channel comes from bloc memberships "
              "(actors[...].blocs), not from flow entries");
    const Endpoints ends = read_endpoints(c, e, p, row);
    const bool between = ends.both;
    f.from = ends.from;
    f.to = ends.to;
    const FieldSpec& vs = find_field(flow_schema(), "value")->spec;
    std::optional<double> value;
    if (const Node* v = r.field(e, p, "value", true))
      value = r.number(*v, p + ".value", vs.min, vs.max);
    if (f.channel < 0 || !value) continue;
    const auto kind = unit_kind_of(c.sc.channels[f.channel].unit);
    if (!kind) continue;
    if (const Node* u = e.find("unit")) {
      value = r.convert(*value, *u, p + ".unit", *kind);
      if (!value) continue;
      f.unit = u->scalar;
    }
    f.value = *value;
    if (between) {
      if (f.from < 0 || f.to < 0) continue;
      f.value = *value / 2.0;
      c.sc.flows.push_back(f);
      c.flow_nodes.push_back(&e);
      std::swap(f.from, f.to);
    }
    if (f.from >= 0 && f.to >= 0 && f.from != f.to) {
      c.sc.flows.push_back(f);
      c.flow_nodes.push_back(&e);
    }
  }
}

}  // namespace geosim
