#include <algorithm>
#include <cmath>

#include "core/text.hpp"
#include "scenario/context.hpp"
#include "scenario/policy_changes.hpp"
#include "scenario/schema.hpp"

namespace geosim {

namespace {

/// The turn that contains `d`, or nullopt (with an error) if it is before the start.
int turn_of(const Scenario& sc, const Date& d) {
  return months_between(sc.start, d) / sc.months_per_turn;
}

/// `turns` or `end` (conflicts and deployments): how many turns it lasts from `turn`.
void read_duration(BuildContext& c, const Node& e, const std::string& p, ScheduledEvent& ev) {
  const Node* end = e.find("end");
  if (end == nullptr) return;
  if (e.find("turns")) {
    c.r.error(latest(e, {"turns", "end"}), p, "give either turns or end, not both");
    return;
  }
  const auto d = c.r.date(*end, p + ".end");
  if (!d || !c.run_known) return;
  if (*d < ev.date) {
    c.r.error(*end, p + ".end", "end " + d->str() + " is before the event's date " + ev.date.str());
    return;
  }
  ev.action.turns = turn_of(c.sc, *d) - ev.turn + 1;
  ev.duration_from_end = true;
}

/// A money or personnel value written with an optional `unit:` key, in the channel's unit.
std::optional<double> value_in_channel_unit(BuildContext& c, const Node& e, const std::string& p,
                                            const Node& value, int channel) {
  const FieldSpec& spec = find_field(action_schema(ActionType::flow).fields, "value")->spec;
  auto v = c.r.number(value, p + ".value", spec.min, spec.max);
  if (!v || channel < 0) return std::nullopt;
  const auto kind = unit_kind_of(c.sc.channels[channel].unit);
  if (!kind) return std::nullopt;
  if (const Node* u = e.find("unit")) return c.r.convert(*v, *u, p + ".unit", *kind);
  return v;
}

void read_flow_change(BuildContext& c, const Node& e, const std::string& p, Action& a) {
  Reader& r = c.r;
  if (a.channel >= 0 && c.sc.channels[a.channel].name == "institutions")
    r.error(*e.find("channel"), p + ".channel",
            "the institutions channel comes from bloc memberships: change them with `bloc` "
            "events");
  const Endpoints ends = read_endpoints(c, e, p, true);
  a.actor = ends.from;
  a.target = ends.to;
  a.both = ends.both;
  const Node* value = e.find("value");
  const Node* scale = e.find("scale");
  if ((value == nullptr) == (scale == nullptr)) {
    r.error(value && scale ? latest(e, {"value", "scale"}) : e, p,
            "give either value (the new level) or scale (a factor), one of them");
    return;
  }
  if (e.find("unit") && !value) r.error(*e.find("unit"), p + ".unit", "unit goes with value");
  if (value) {
    a.mode = ChangeMode::set;
    if (auto v = value_in_channel_unit(c, e, p, *value, a.channel)) a.amount = *v;
  } else {
    a.mode = ChangeMode::scale;
    const FieldSpec& spec = find_field(action_schema(ActionType::flow).fields, "scale")->spec;
    a.amount = r.number(*scale, p + ".scale", spec.min, spec.max).value_or(1.0);
    if (a.amount == 1.0) c.warn(*scale, p + ".scale", "scale: 1 changes nothing");
  }
}

void read_budget_change(BuildContext& c, const Node& e, const std::string& p, Action& a) {
  Reader& r = c.r;
  const Node* budgets = e.find("budgets");
  const Node* scale = e.find("scale");
  if ((budgets == nullptr) == (scale == nullptr)) {
    r.error(budgets && scale ? latest(e, {"budgets", "scale"}) : e, p,
            "give either budgets (new yearly budgets) or scale (a factor), one of them");
    return;
  }
  const auto names = instrument_keys();
  const auto& fields = action_schema(ActionType::budget).fields;
  if (budgets) {
    a.mode = ChangeMode::set;
    const FieldSpec& spec = find_field(fields, "budgets")->spec;
    if (r.check_map(*budgets, p + ".budgets", names))
      for (std::size_t i = 0; i < names.size(); ++i)
        if (const Node* b = budgets->find(names[i]))
          if (auto q = r.quantity(*b, p + ".budgets." + names[i], spec.unit, spec.min, spec.max))
            a.values[i] = *q;
    return;
  }
  a.mode = ChangeMode::scale;
  const FieldSpec& spec = find_field(fields, "scale")->spec;
  if (scale->is_map()) {
    if (r.check_map(*scale, p + ".scale", names))
      for (std::size_t i = 0; i < names.size(); ++i)
        if (const Node* b = scale->find(names[i]))
          if (auto x = r.number(*b, p + ".scale." + names[i], spec.min, spec.max)) a.values[i] = *x;
  } else if (auto x = r.number(*scale, p + ".scale", spec.min, spec.max)) {
    a.values.fill(*x);
  }
}

/// The institutions channel comes from bloc memberships: `withdraw` and `conflict` may not name
/// it (a `bloc` event ends or freezes a membership).
void refuse_institutions(BuildContext& c, const Node& e, const std::string& p, const char* key,
                         std::vector<int>& channels) {
  const int inst = c.sc.channel_index("institutions");
  const auto it = std::find(channels.begin(), channels.end(), inst);
  if (it == channels.end()) return;
  c.r.error(*e.find(key), p + "." + key,
            "the institutions channel comes from bloc memberships: end or freeze a membership "
            "with a bloc event instead");
  channels.erase(it);
}

/// Rules between an action's fields (each located on the value written last).
void check_action(BuildContext& c, const Node& e, const std::string& p, ScheduledEvent& ev) {
  Reader& r = c.r;
  Action& a = ev.action;
  const auto& codes = c.actor_codes;
  switch (a.type) {
    case ActionType::exercise:
      if (std::find(a.others.begin(), a.others.end(), a.actor) != a.others.end())
        r.error(latest(e, {"sponsor", "participants"}), p + ".participants",
                "the sponsor is listed among the participants; list only the other forces "
                "(the sponsor takes part by definition)");
      break;
    case ActionType::withdraw:
      refuse_institutions(c, e, p, "channels", a.channels);
      if (a.channels.empty())  // every security channel
        for (int k = 0; k < c.sc.n_channels(); ++k)
          if (c.sc.channels[k].dimension == Dimension::security) a.channels.push_back(k);
      if (c.version() < 2) a.stocks = StockRule::remove;  // the version-1 rule
      break;
    case ActionType::conflict:
      if (const Node* s = e.find("sides"); s && s->is_seq() && s->seq.size() != 2)
        r.error(*s, p + ".sides", "a conflict has exactly two sides");
      refuse_institutions(c, e, p, "cuts", a.channels);
      if (const Node* v = e.find("intensity"); v && a.amount == 0.0)
        c.warn(*v, p + ".intensity", "a conflict of intensity 0 changes nothing");
      if (a.channels.empty())
        for (int k = 0; k < c.sc.n_channels(); ++k)
          if (c.sc.channels[k].kind == ChannelKind::flow) a.channels.push_back(k);
      read_duration(c, e, p, ev);
      break;
    case ActionType::deploy:
      if (a.channel < 0 && !e.find("channel")) a.channel = c.sc.channel_index("basing");
      if (a.channel >= 0 && c.sc.channels[a.channel].unit != "personnel")
        r.error(e.find("channel") ? *e.find("channel") : e, p + ".channel",
                "a deployment adds personnel: its channel" +
                    std::string(e.find("channel") ? "" : " (the default, basing)") +
                    " must be in personnel, not " + c.sc.channels[a.channel].unit);
      read_duration(c, e, p, ev);
      if (a.actor >= 0 && a.actor == a.target)
        c.warn(latest(e, {"actor", "host"}), p,
               "a deployment to the actor's own territory (" + codes[a.actor] +
                   ") adds no tie: it is ignored");
      break;
    case ActionType::flow:
      read_flow_change(c, e, p, a);
      break;
    case ActionType::budget:
      read_budget_change(c, e, p, a);
      break;
    case ActionType::policy:
      read_policy_change(c, e, p, ev);
      break;
    default:
      break;
  }
  if (a.actor >= 0 && a.actor == a.target && a.type != ActionType::deploy)
    r.error(latest_of_actors(e), p,
            "the action's two actors are the same (" + codes[a.actor] +
                "); an action goes from one actor to another");
  if (a.type == ActionType::sanction || a.type == ActionType::secondary_sanction)
    for (int o : a.others)
      if (o == a.actor || o == a.target)
        r.error(latest(e, {"sender", "target", "transit"}), p + ".transit",
                "a transit state cannot be the sender or the target (" + codes[o] + ")");
}

}  // namespace

const Node& latest_of_actors(const Node& e) {
  return latest(e, {"donor", "recipient", "sponsor", "host", "from", "to", "sender", "target",
                    "lender", "borrower", "actor", "sides", "between"});
}

void build_timeline(BuildContext& c, const Node* n) {
  if (!n) return;
  if (!n->is_seq()) {
    c.r.error(*n, "timeline", "expected a list of dated events, got " + n->kind_name());
    return;
  }
  Reader& r = c.r;
  Scenario& sc = c.sc;
  const int known = c.version() >= 2 ? kScriptableActions : kVersion1Actions;
  const std::vector<std::string> names(kActionNames.begin(), kActionNames.begin() + known);
  const std::vector<std::string> all(kActionNames.begin(),
                                     kActionNames.begin() + kScriptableActions);
  std::vector<std::string> ids;
  const Date end = sc.date_of_turn(sc.turns);
  for (std::size_t i = 0; i < n->seq.size(); ++i) {
    const Node& e = n->seq[i];
    const std::string p = item_path("timeline", e, i);
    if (!e.is_map()) {
      r.error(e, p, "expected an event (a map with date, action, ...), got " + e.kind_name());
      continue;
    }
    ScheduledEvent ev;
    const Node* type = r.field(e, p, "action", true);
    if (type == nullptr) continue;
    if (type->is_scalar() && c.version() < 2 &&
        std::find(all.begin() + known, all.end(), type->scalar) != all.end()) {
      r.error(*type, p + ".action", "action '" + type->scalar + "' " + needs_version_2(c));
      continue;
    }
    const auto t = r.choice(*type, p + ".action", names, "action type");
    if (!t) continue;
    ev.action.type = static_cast<ActionType>(*t);
    const ActionSchema& schema = action_schema(ev.action.type);
    std::vector<FieldSpec> specs = specs_of(event_schema());
    for (const auto& f : schema.fields) specs.push_back(f.spec);
    if (!check_keys(c, e, p, specs)) continue;
    read_fields(c, e, p, event_schema(), ev);
    if (!ev.id.empty()) {
      if (std::find(ids.begin(), ids.end(), ev.id) != ids.end())
        r.error(*e.find("id"), p + ".id", "duplicate event id '" + ev.id + "'");
      ids.push_back(ev.id);
    }
    if (const Node* v = r.field(e, p, "date", true))
      if (auto d = r.date(*v, p + ".date")) {
        ev.date = *d;
        const int months = months_between(sc.start, *d);
        if (!c.run_known)
          ;  // metadata.start or turns is bad and already reported: no follow-on errors
        else if (months < 0 || months >= sc.turns * sc.months_per_turn)
          r.error(*v, p + ".date",
                  "date " + d->str() + " is outside the run; expected a date from " +
                      Date{sc.start.year, sc.start.month, 1}.str() + " up to (not including) " +
                      end.str());
        else
          ev.turn = months / sc.months_per_turn;
      }
    read_fields(c, e, p, schema.fields, ev.action);
    check_action(c, e, p, ev);
    sc.timeline.push_back(std::move(ev));
    c.event_nodes.push_back(&e);
  }
  // Events fire in turn order, and in file order within a turn.
  std::vector<std::size_t> order(sc.timeline.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return sc.timeline[a].turn < sc.timeline[b].turn;
  });
  std::vector<ScheduledEvent> sorted;
  std::vector<const Node*> nodes;
  for (std::size_t i : order) {
    sorted.push_back(std::move(sc.timeline[i]));
    nodes.push_back(c.event_nodes[i]);
  }
  sc.timeline = std::move(sorted);
  c.event_nodes = std::move(nodes);
}

}  // namespace geosim
