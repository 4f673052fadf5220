#include <algorithm>

#include "core/text.hpp"
#include "scenario/context.hpp"

namespace geosim {

namespace {

/// The keys each action type takes besides date, action, id, source and note.
std::vector<std::string> action_keys(ActionType t) {
  switch (t) {
    case ActionType::economic_aid:
    case ActionType::security_aid:
      return {"donor", "recipient", "amount", "turns"};
    case ActionType::exercise:
      return {"sponsor", "host", "participants", "personnel", "turns"};
    case ActionType::visit:
      return {"from", "to", "level"};
    case ActionType::sanction:
      return {"sender", "target", "intensity", "transit"};
    case ActionType::secondary_sanction:
      return {"sender", "target", "transit", "penalty", "detection"};
    case ActionType::loan:
      return {"lender", "borrower", "amount"};
    case ActionType::withdraw:
      return {"actor", "from"};
    case ActionType::bloc:
      return {"actor", "bloc", "change"};
    case ActionType::detection:  // the engine's and the policies' own actions
    case ActionType::decline:
    case ActionType::border_conflict:
    case ActionType::commodity_price:
    case ActionType::regime_instability:
      break;
  }
  return {};
}

void read_action(BuildContext& c, const Node& e, const std::string& p, Action& a) {
  Reader& r = c.r;
  const auto keys = action_keys(a.type);
  auto actor = [&](int key) {
    const Node* v = r.field(e, p, keys[key], true);
    return v ? c.actor(*v, p + "." + keys[key]) : -1;
  };
  auto number = [&](const std::string& key, double lo, double hi, double fallback, bool required) {
    const Node* v = r.field(e, p, key, required);
    if (!v) return fallback;
    return r.number(*v, p + "." + key, lo, hi).value_or(fallback);
  };
  auto turns = [&]() {
    const Node* v = r.field(e, p, "turns", false);
    return v ? static_cast<int>(r.integer(*v, p + ".turns", 1, 100000).value_or(1)) : 1;
  };
  a.actor = actor(0);
  if (a.type != ActionType::bloc) a.target = actor(1);
  switch (a.type) {
    case ActionType::economic_aid:
    case ActionType::security_aid:
    case ActionType::loan:
      if (const Node* v = r.field(e, p, "amount", true))
        a.amount = r.quantity(*v, p + ".amount", UnitKind::usd_m, 0, 1e9).value_or(0.0);
      if (a.type != ActionType::loan) a.turns = turns();
      break;
    case ActionType::exercise:
      if (const Node* v = r.field(e, p, "participants", true))
        a.others = c.actor_list(*v, p + ".participants", 1);
      a.amount = number("personnel", 0, 1e7, 0.0, true);
      if (std::find(a.others.begin(), a.others.end(), a.actor) != a.others.end())
        r.error(e, p + ".participants",
                "the sponsor is listed among the participants; list only the other forces "
                "(the sponsor takes part by definition)");
      a.turns = turns();
      break;
    case ActionType::visit:
      if (const Node* v = r.field(e, p, "level", true))
        a.amount = static_cast<double>(r.integer(*v, p + ".level", 1, 3).value_or(1));
      break;
    case ActionType::sanction:
      a.amount = number("intensity", 0, 1, 0.0, true);
      if (const Node* v = r.field(e, p, "transit", false))
        a.others = c.actor_list(*v, p + ".transit", 1);
      break;
    case ActionType::secondary_sanction:
      if (const Node* v = r.field(e, p, "transit", true))
        a.others = c.actor_list(*v, p + ".transit", 1);
      a.penalty = number("penalty", 0, 1, 0.0, true);
      a.detection = number("detection", 0, 1, 0.0, true);
      break;
    case ActionType::withdraw:
      break;
    case ActionType::bloc:
      if (const Node* v = r.field(e, p, "bloc", true)) a.bloc = c.bloc(*v, p + ".bloc");
      if (const Node* v = r.field(e, p, "change", true))
        if (auto i = r.choice(*v, p + ".change", {"join", "leave"}, "bloc change"))
          a.join = *i == 0;
      break;
    case ActionType::detection:
    case ActionType::decline:
    case ActionType::border_conflict:
    case ActionType::commodity_price:
    case ActionType::regime_instability:
      break;
  }
  if (a.actor >= 0 && a.actor == a.target)
    r.error(e, p,
            "the action's two actors are the same (" + c.actor_codes[a.actor] +
                "); an action goes from one actor to another");
  if (a.type != ActionType::exercise)
    for (int o : a.others)
      if (o == a.actor || o == a.target)
        r.error(e, p + ".transit",
                "a transit state cannot be the sender or the target (" + c.actor_codes[o] + ")");
}

}  // namespace

void build_timeline(BuildContext& c, const Node* n) {
  if (!n) return;
  if (!n->is_seq()) {
    c.r.error(*n, "timeline", "expected a list of dated events, got " + n->kind_name());
    return;
  }
  Reader& r = c.r;
  Scenario& sc = c.sc;
  std::vector<std::string> action_names(kActionNames.begin(),
                                        kActionNames.begin() + kScriptableActions);
  std::vector<std::string> ids;
  const Date end = sc.date_of_turn(sc.turns);
  const bool run_known = c.run_known;
  for (std::size_t i = 0; i < n->seq.size(); ++i) {
    const Node& e = n->seq[i];
    const std::string p = item_path("timeline", e, i);
    if (!e.is_map()) {
      r.error(e, p, "expected an event (a map with date, action, ...), got " + e.kind_name());
      continue;
    }
    ScheduledEvent ev;
    const Node* type = r.field(e, p, "action", true);
    const auto t =
        type ? r.choice(*type, p + ".action", action_names, "action type") : std::nullopt;
    if (!t) continue;
    ev.action.type = static_cast<ActionType>(*t);
    std::vector<std::string> allowed = {"date", "action", "id", "source", "note"};
    for (auto& k : action_keys(ev.action.type)) allowed.push_back(k);
    if (!r.check_map(e, p, allowed)) continue;
    if (const Node* v = r.field(e, p, "id", false))
      if (auto s = r.identifier(*v, p + ".id")) {
        if (std::find(ids.begin(), ids.end(), *s) != ids.end())
          r.error(*v, p + ".id", "duplicate event id '" + *s + "'");
        ids.push_back(*s);
        ev.id = *s;
      }
    if (const Node* v = r.field(e, p, "source", false))
      if (auto s = r.string(*v, p + ".source")) ev.source = *s;
    if (const Node* v = r.field(e, p, "date", true))
      if (auto d = r.date(*v, p + ".date")) {
        ev.date = *d;
        const int months = months_between(sc.start, *d);
        if (!run_known)
          ;  // metadata.start or turns is bad and already reported: no follow-on errors
        else if (months < 0 || months >= sc.turns * sc.months_per_turn)
          r.error(*v, p + ".date",
                  "date " + d->str() + " is outside the run; expected a date from " +
                      Date{sc.start.year, sc.start.month, 1}.str() + " up to (not including) " +
                      end.str());
        else
          ev.turn = months / sc.months_per_turn;
      }
    read_action(c, e, p, ev.action);
    sc.timeline.push_back(std::move(ev));
  }
  std::stable_sort(
      sc.timeline.begin(), sc.timeline.end(),
      [](const ScheduledEvent& a, const ScheduledEvent& b) { return a.turn < b.turn; });
}

}  // namespace geosim
