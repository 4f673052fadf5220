#include <cmath>
#include <cstdio>

#include <algorithm>

#include "core/text.hpp"
#include "model/channel_defaults.hpp"
#include "scenario/context.hpp"

namespace geosim {

namespace {

const std::vector<std::string> kChannelKeys = {"kind",      "dimension",        "unit",
                                               "half_life", "bandwidth_weight", "dependence_weight",
                                               "exposure",  "exposure_scale",   "gdp_elasticity",
                                               "reference", "sanctionable",     "description",
                                               "fbic"};

template <std::size_t N>
std::vector<std::string> names(const std::array<std::string_view, N>& a) {
  return std::vector<std::string>(a.begin(), a.end());
}

void read_channel(BuildContext& c, const Node& n, const std::string& p, ChannelSpec& ch,
                  bool is_new) {
  Reader& r = c.r;
  if (!r.check_map(n, p, kChannelKeys)) return;
  if (const Node* v = r.field(n, p, "kind", is_new))
    if (auto i = r.choice(*v, p + ".kind", names(kKindNames), "channel kind"))
      ch.kind = static_cast<ChannelKind>(*i);
  if (const Node* v = r.field(n, p, "dimension", is_new))
    if (auto i = r.choice(*v, p + ".dimension", names(kDimensionNames), "dimension"))
      ch.dimension = static_cast<Dimension>(*i);
  if (const Node* v = r.field(n, p, "unit", is_new))
    if (auto i =
            r.choice(*v, p + ".unit", {"USD m/yr", "USD m", "personnel", "level", "membership"},
                     "channel unit"))
      ch.unit =
          std::array<const char*, 5>{"USD m/yr", "USD m", "personnel", "level", "membership"}[*i];
  if (const Node* v = r.field(n, p, "half_life", false))
    if (auto x = r.number(*v, p + ".half_life", 1e-9, 1e9, true)) ch.half_life = *x;
  if (const Node* v = r.field(n, p, "bandwidth_weight", false))
    if (auto x = r.number(*v, p + ".bandwidth_weight", 0, 1)) ch.bandwidth_weight = *x;
  if (const Node* v = r.field(n, p, "dependence_weight", false))
    if (auto x = r.number(*v, p + ".dependence_weight", 0, 1)) ch.dependence_weight = *x;
  if (const Node* v = r.field(n, p, "exposure", false))
    if (auto i = r.choice(*v, p + ".exposure", names(kExposureNames), "exposure base"))
      ch.exposure = static_cast<ExposureBase>(*i);
  if (const Node* v = r.field(n, p, "exposure_scale", false))
    if (auto x = r.number(*v, p + ".exposure_scale", 1e-9, 1e9)) ch.exposure_scale = *x;
  if (const Node* v = r.field(n, p, "gdp_elasticity", false))
    if (auto x = r.number(*v, p + ".gdp_elasticity", 0, 10)) ch.gdp_elasticity = *x;
  if (const Node* v = r.field(n, p, "reference", false))
    if (auto x = r.number(*v, p + ".reference", 0, 1e15)) ch.reference = *x;
  if (const Node* v = r.field(n, p, "sanctionable", false))
    if (auto b = r.boolean(*v, p + ".sanctionable")) ch.sanctionable = *b;
  if (const Node* v = r.field(n, p, "description", false))
    if (auto s = r.string(*v, p + ".description")) ch.description = *s;
  if (const Node* v = r.field(n, p, "fbic", false))
    if (auto s = r.string(*v, p + ".fbic")) ch.fbic = *s;
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
  c.sc.channels = default_channels();
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
        for (const auto& d : default_channels()) shipped.push_back(d.name);
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

void build_flows(BuildContext& c, const Node* n) {
  if (!n) return;
  if (!n->is_seq()) {
    c.r.error(*n, "flows", "expected a list of flow entries, got " + n->kind_name());
    return;
  }
  Reader& r = c.r;
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < n->seq.size(); ++i) {
    const Node& e = n->seq[i];
    const std::string p = item_path("flows", e, i);
    if (!r.check_map(e, p,
                     {"channel", "from", "to", "between", "value", "unit", "decaying", "source",
                      "note", "id"}))
      continue;
    FlowEntry f;
    if (const Node* v = r.field(e, p, "id", false))
      if (auto s = r.identifier(*v, p + ".id")) {
        if (std::find(ids.begin(), ids.end(), *s) != ids.end())
          r.error(*v, p + ".id", "duplicate flow id '" + *s + "': ids must be unique");
        ids.push_back(*s);
        f.id = *s;
      }
    if (const Node* v = r.field(e, p, "channel", true))
      if (auto k = r.choice(*v, p + ".channel", c.channel_names, "channel")) f.channel = *k;
    if (f.channel >= 0 && c.sc.channels[f.channel].name == "institutions")
      r.error(e, p + ".channel",
              "the institutions channel comes from bloc memberships "
              "(actors[...].blocs), not from flow entries");
    const Node* between = e.find("between");
    std::vector<int> pair;
    if (between) {
      if (e.find("from") || e.find("to"))
        r.error(*between, p + ".between", "give either between: [A, B] or from/to, not both");
      pair = c.actor_list(*between, p + ".between", 2);
      if (between->is_seq() && between->seq.size() != 2)
        r.error(*between, p + ".between", "expected exactly two actor codes");
    } else {
      if (const Node* v = r.field(e, p, "from", true)) f.from = c.actor(*v, p + ".from");
      if (const Node* v = r.field(e, p, "to", true)) f.to = c.actor(*v, p + ".to");
      if (f.from >= 0 && f.from == f.to)
        r.error(e, p, "from and to are the same actor; flows are between two actors");
    }
    std::optional<double> value;
    if (const Node* v = r.field(e, p, "value", true)) value = r.number(*v, p + ".value", 0, 1e15);
    if (const Node* v = r.field(e, p, "decaying", false))
      if (auto b = r.boolean(*v, p + ".decaying")) f.decaying = *b;
    if (const Node* v = r.field(e, p, "source", false))
      if (auto s = r.string(*v, p + ".source")) f.source = *s;
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
      if (pair.size() != 2) continue;
      f.value = *value / 2.0;
      f.from = pair[0];
      f.to = pair[1];
      c.sc.flows.push_back(f);
      std::swap(f.from, f.to);
    }
    if (f.from >= 0 && f.to >= 0 && f.from != f.to) c.sc.flows.push_back(f);
  }
}

}  // namespace geosim
