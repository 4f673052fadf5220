// The timeline's actions and their fields (schema.hpp). Mechanisms: docs/model.md, "Actions".
#include <stdexcept>

#include "scenario/schema.hpp"

namespace geosim {

namespace {

using T = FieldType;

using Set = void (*)(Action&, const Value&);

Field<Action> ref(std::string_view key, std::string_view meaning, Set set) {
  return {FieldSpec{.key = key, .type = T::actor, .required = true, .meaning = meaning}, nullptr,
          nullptr, set};
}
void set_actor(Action& a, const Value& v) {
  a.actor = v.index;
}
void set_target(Action& a, const Value& v) {
  a.target = v.index;
}
Field<Action> first(std::string_view key, std::string_view meaning) {
  return ref(key, meaning, &set_actor);
}
Field<Action> second(std::string_view key, std::string_view meaning) {
  return ref(key, meaning, &set_target);
}

Field<Action> amount(std::string_view meaning) {
  return {FieldSpec{.key = "amount",
                    .type = T::quantity,
                    .required = true,
                    .min = 0,
                    .max = kMaxAmount,
                    .unit = UnitKind::usd_m,
                    .meaning = meaning},
          &Action::amount, nullptr, nullptr};
}

Field<Action> turns(std::string_view meaning, int since = 1) {
  return {FieldSpec{.key = "turns",
                    .type = T::integer,
                    .default_text = "1",
                    .min = 1,
                    .max = 100000,
                    .meaning = meaning,
                    .since = since},
          nullptr, &Action::turns, nullptr};
}

/// `end` instead of `turns` (conflict, deploy): read by build_timeline.
Field<Action> end_date() {
  return {FieldSpec{.key = "end",
                    .type = T::special,
                    .default_text = "none",
                    .meaning = "instead of `turns`: the date of its last turn (inclusive); may be "
                               "after the run (a warning)",
                    .since = 2},
          nullptr, nullptr, nullptr};
}

Field<Action> number(std::string_view key, bool required, std::string_view default_text, double min,
                     double max, double Action::*m, std::string_view meaning, int since = 1) {
  return {FieldSpec{.key = key,
                    .type = T::number,
                    .required = required,
                    .default_text = default_text,
                    .min = min,
                    .max = max,
                    .meaning = meaning,
                    .since = since},
          m, nullptr, nullptr};
}

Field<Action> cost(std::string_view meaning, UnitKind unit) {
  return {FieldSpec{.key = "cost",
                    .type = T::quantity,
                    .default_text = "0",
                    .min = 0,
                    .max = kMaxAmount,
                    .unit = unit,
                    .meaning = meaning,
                    .since = 2},
          &Action::cost, nullptr, nullptr};
}

Field<Action> special(FieldSpec s) {
  return {std::move(s), nullptr, nullptr, nullptr};
}

std::vector<ActionSchema> make() {
  std::vector<ActionSchema> s;
  s.push_back({ActionType::economic_aid,
               "a grant disbursed evenly over `turns`; spends the donor's economic_aid budget",
               1,
               {first("donor", "who gives"), second("recipient", "who receives"),
                amount("in total"), turns("over how many turns it is disbursed")}});
  s.push_back({ActionType::security_aid,
               "security assistance over `turns`; part stays as an equipment (arms) stock; "
               "spends the security_aid budget",
               1,
               {first("donor", "who gives"), second("recipient", "who receives"),
                amount("in total"), turns("over how many turns it is disbursed")}});
  s.push_back(
      {ActionType::exercise,
       "a joint exercise; nudges the participants' alignment toward the sponsor's pole once, "
       "in its first turn",
       1,
       {first("sponsor", "who runs it (not a participant)"),
        second("host", "where it is held"),
        {FieldSpec{.key = "participants",
                   .type = T::actor_list,
                   .required = true,
                   .min = 1,
                   .meaning = "the other forces (may include the host; not the sponsor)"},
         nullptr, nullptr, [](Action& a, const Value& v) { a.others = v.list; }},
        number("personnel", true, "", 0, 1e7, &Action::amount, "its size"),
        turns("how long it lasts"),
        cost("charged to the sponsor's exercises budget, spread over its turns",
             UnitKind::usd_m)}});
  s.push_back({ActionType::visit,
               "a diplomatic visit: a diplomacy pulse of `level` for one turn",
               1,
               {first("from", "the visitor"),
                second("to", "the host"),
                {FieldSpec{.key = "level",
                           .type = T::integer,
                           .required = true,
                           .min = 1,
                           .max = 3,
                           .meaning = "1 envoy, 2 minister, 3 head of state"},
                 &Action::amount, nullptr, nullptr},
                cost("charged to the visitor's visits budget", UnitKind::usd_m)}});
  s.push_back(
      {ActionType::sanction,
       "cuts sanctionable trade between sender and target; transit states may divert part of "
       "it",
       1,
       {first("sender", "who sanctions"),
        second("target", "who is sanctioned"),
        number("intensity", true, "", 0, 1, &Action::amount,
               "share of their trade cut; 0 lifts it"),
        {FieldSpec{.key = "transit",
                   .type = T::actor_list,
                   .default_text = "every eligible actor",
                   .min = 1,
                   .meaning = "the only actors allowed to divert its trade (`ROW` allowed in "
                              "version 2)",
                   .allow_rest_of_world = true},
         nullptr, nullptr, [](Action& a, const Value& v) { a.others = v.list; }}}});
  s.push_back({ActionType::secondary_sanction,
               "a standing threat on transit states that re-export to the target",
               1,
               {first("sender", "who threatens"),
                second("target", "the sanctioned state"),
                {FieldSpec{.key = "transit",
                           .type = T::actor_list,
                           .required = true,
                           .min = 1,
                           .meaning = "the states threatened"},
                 nullptr, nullptr, [](Action& a, const Value& v) { a.others = v.list; }},
                number("penalty", true, "", 0, 1, &Action::penalty,
                       "intensity of the sanction on a detected violator"),
                number("detection", true, "", 0, 1, &Action::detection,
                       "probability per turn that a re-export is detected")}});
  s.push_back(
      {ActionType::loan,
       "adds to the debt stock; spends the lender's loans budget",
       1,
       {first("lender", "who lends"), second("borrower", "who borrows"), amount("the loan")}});
  s.push_back(
      {ActionType::withdraw,
       "ends the named ties from actor to `from` (version 1: every security channel, stocks "
       "removed)",
       1,
       {first("actor", "who leaves"),
        second("from", "the state it leaves"),
        {FieldSpec{.key = "channels",
                   .type = T::channel_list,
                   .default_text = "every security channel",
                   .meaning = "the channels it ends: their programmes and deployments stop, "
                              "base flows end",
                   .since = 2},
         nullptr, nullptr, [](Action& a, const Value& v) { a.channels = v.list; }},
        {FieldSpec{.key = "stocks",
                   .type = T::choice,
                   .default_text = "depreciate",
                   .choices = {"depreciate", "remove"},
                   .noun = "stock rule",
                   .meaning = "a stock with a finite half-life (arms, debt) depreciates by it, "
                              "or is removed at once",
                   .since = 2},
         nullptr, nullptr,
         [](Action& a, const Value& v) { a.stocks = static_cast<StockRule>(v.index); }}}});
  s.push_back(
      {ActionType::bloc,
       "a membership change: join, leave, or (version 2) freeze and unfreeze",
       1,
       {first("actor", "the member"),
        {FieldSpec{.key = "bloc", .type = T::bloc, .required = true, .meaning = "the bloc's code"},
         nullptr, nullptr, [](Action& a, const Value& v) { a.bloc = v.index; }},
        {FieldSpec{.key = "change",
                   .type = T::choice,
                   .required = true,
                   .choices = {"join", "leave", "freeze", "unfreeze"},
                   .v1_choices = 2,
                   .noun = "bloc change",
                   .meaning = "freeze keeps the membership (and its trade preferences) but "
                              "ends its institutional tie until unfreeze"},
         nullptr, nullptr,
         [](Action& a, const Value& v) { a.change = static_cast<BlocChange>(v.index); }},
        turns("over how many turns trade moves to its new preference level", 2)}});
  s.push_back(
      {ActionType::conflict,
       "a war or border conflict between two actors: cuts their ties, drags both economies, "
       "pushes each one's alignment away from the other's; trade recovers slowly after it ends",
       2,
       {{FieldSpec{.key = "sides",
                   .type = T::actor_list,
                   .required = true,
                   .min = 2,
                   .meaning = "the two sides"},
         nullptr, nullptr,
         [](Action& a, const Value& v) {
           a.actor = v.list.size() > 0 ? v.list[0] : -1;
           a.target = v.list.size() > 1 ? v.list[1] : -1;
         }},
        number("intensity", true, "", 0, 1, &Action::amount,
               "1 = all-out war (every cut tie severed); UCDP-style scale"),
        turns("how long it lasts (or give `end`)"),
        end_date(),
        {FieldSpec{.key = "cuts",
                   .type = T::channel_list,
                   .default_text = "every flow channel",
                   .meaning = "the channels cut between the sides"},
         nullptr, nullptr, [](Action& a, const Value& v) { a.channels = v.list; }}}});
  s.push_back(
      {ActionType::deploy,
       "a deployment (peacekeepers, a contingent, monitors): personnel present from its date "
       "for `turns`, separate from a permanent base",
       2,
       {first("actor", "who deploys"),
        second("host", "where"),
        number("personnel", true, "", 0, 1e7, &Action::amount, "how many"),
        turns("how long it stays (or give `end`)"),
        end_date(),
        cost("per year while deployed, charged to the actor's deployments budget",
             UnitKind::usd_m_per_year),
        {FieldSpec{.key = "channel",
                   .type = T::channel,
                   .default_text = "basing",
                   .meaning = "a channel in personnel it adds to"},
         nullptr, nullptr, [](Action& a, const Value& v) { a.channel = v.index; }}}});
  s.push_back(
      {ActionType::policy,
       "changes a policy's parameters, or switches it off or on, from its date",
       2,
       {special({.key = "policy",
                 .type = T::identifier,
                 .required = true,
                 .meaning = "the policy's `id`"}),
        special({.key = "set",
                 .type = T::special,
                 .default_text = "none",
                 .meaning = "parameters to change, as in the policy's item; an actor map "
                            "merges key by key, a list is replaced"}),
        {FieldSpec{.key = "active",
                   .type = T::boolean,
                   .default_text = "unchanged",
                   .meaning = "false switches the policy off (it decides nothing), true on"},
         nullptr, nullptr, [](Action& a, const Value& v) { a.active = v.flag ? 1 : 0; }}}});
  s.push_back({ActionType::budget,
               "sets or scales an actor's yearly budgets from its date",
               2,
               {first("actor", "whose budgets"),
                special({.key = "budgets",
                         .type = T::quantity,
                         .default_text = "none",
                         .min = 0,
                         .max = kMaxAmount,
                         .unit = UnitKind::usd_m_per_year,
                         .meaning = "new yearly budgets per instrument (a map, as the actor's)"}),
                special({.key = "scale",
                         .type = T::number,
                         .default_text = "none",
                         .min = 0,
                         .max = 1e6,
                         .meaning = "instead of budgets: a factor for every instrument, or a map "
                                    "instrument -> factor"})}});
  s.push_back(
      {ActionType::flow,
       "sets or scales a channel's base flow between two actors from its date (a contract, "
       "a corridor closing, a trade deal)",
       2,
       {{FieldSpec{.key = "channel",
                   .type = T::channel,
                   .required = true,
                   .meaning = "any channel but institutions"},
         nullptr, nullptr, [](Action& a, const Value& v) { a.channel = v.index; }},
        special({.key = "from", .type = T::actor, .meaning = "the sender (`ROW` allowed)"}),
        special({.key = "to", .type = T::actor, .meaning = "the recipient (`ROW` allowed)"}),
        special({.key = "between",
                 .type = T::actor_list,
                 .meaning = "instead of from/to: both directions (a value is a turnover, split "
                            "equally)"}),
        special({.key = "value",
                 .type = T::number,
                 .default_text = "none",
                 .min = 0,
                 .max = 1e15,
                 .meaning = "the new level, in `unit`"}),
        special({.key = "unit",
                 .type = T::text,
                 .default_text = "the channel's",
                 .meaning = "the unit of `value`"}),
        special({.key = "scale",
                 .type = T::number,
                 .default_text = "none",
                 .min = 0,
                 .max = 1e6,
                 .meaning = "instead of value: a factor"}),
        turns("over how many turns it moves there (linearly)")}});
  s.push_back(
      {ActionType::anchor,
       "an actor's anchor moves (a coup, an election, a revolution), at once or over `turns`",
       2,
       {first("actor", "whose anchor"),
        {FieldSpec{.key = "anchor",
                   .type = T::pole_shares,
                   .required = true,
                   .meaning = "the new anchor (shares over poles adding up to 1)"},
         nullptr, nullptr, [](Action& a, const Value& v) { a.shares = v.shares; }},
        {FieldSpec{.key = "alignment",
                   .type = T::pole_shares,
                   .default_text = "unchanged",
                   .meaning = "a new alignment, at once (a new government's line)"},
         nullptr, nullptr, [](Action& a, const Value& v) { a.shares2 = v.shares; }},
        turns("over how many turns the anchor moves (linearly)")}});
  return s;
}

}  // namespace

const std::vector<ActionSchema>& action_schemas() {
  static const std::vector<ActionSchema> s = make();
  return s;
}

std::string format_reference_text() {
  std::string out;
  auto line = [&](const std::string& item, const std::vector<FieldSpec>& specs) {
    out += item + ":";
    for (const auto& s : specs)
      out += " " + std::string(s.key) + (s.required ? "*" : "") + (s.since > 1 ? "[2]" : "");
    out += "\n";
  };
  line("metadata", specs_of(metadata_schema()));
  line("poles[]", specs_of(pole_schema()));
  line("blocs[]", specs_of(bloc_schema()));
  line("actors[]", specs_of(actor_schema()));
  line("channels.NAME", specs_of(channel_schema()));
  line("flows[]", specs_of(flow_schema()));
  line("rest_of_world [2]", specs_of(rest_of_world_schema()));
  line("rest_of_world.totals[] [2]", specs_of(total_schema()));
  line("policies[] (and the policy's parameters: geosim policies)", policy_item_specs());
  line("shocks[]", specs_of(shock_schema()));
  line("timeline[] (every event)", specs_of(event_schema()));
  for (const ActionSchema& a : action_schemas())
    line("  action: " + std::string(kActionNames[static_cast<std::size_t>(a.type)]) +
             (a.since > 1 ? " [2]" : ""),
         specs_of(a.fields));
  out +=
      "(* required, [2] format version 2; geosim format --markdown: types, units, ranges, "
      "defaults, meanings)\n";
  return out;
}

std::string format_reference_markdown() {
  std::string out;
  auto section = [&](const std::string& title, const std::string& intro,
                     const std::vector<FieldSpec>& specs) {
    out += "#### " + title + "\n\n" + (intro.empty() ? "" : intro + "\n\n") + field_table(specs) +
           "\n";
  };
  section("`metadata`", "", specs_of(metadata_schema()));
  section("`poles[]`", "", specs_of(pole_schema()));
  section("`blocs[]`", "", specs_of(bloc_schema()));
  section("`actors[]`", "", specs_of(actor_schema()));
  section("`channels.NAME`", "A new channel needs kind, dimension and unit.",
          specs_of(channel_schema()));
  section("`flows[]`", "Give `from` and `to`, or `between`.", specs_of(flow_schema()));
  section("`rest_of_world` (version 2)", "", specs_of(rest_of_world_schema()));
  section("`rest_of_world.totals[]` (version 2)",
          "Give `inflow` and/or `outflow`, or `turnover`, in `unit`.", specs_of(total_schema()));
  section("`policies[]`", "Besides these, the keys of the policy's parameters (`geosim policies`).",
          policy_item_specs());
  section("`shocks[]`", "", specs_of(shock_schema()));
  section("`timeline[]`: keys of every event", "", specs_of(event_schema()));
  for (const ActionSchema& a : action_schemas()) {
    const std::string name(kActionNames[static_cast<std::size_t>(a.type)]);
    section("`action: " + name + "`" + (a.since > 1 ? " (version 2)" : ""),
            std::string(a.summary) + ".", specs_of(a.fields));
  }
  return out;
}

const ActionSchema& action_schema(ActionType t) {
  for (const auto& a : action_schemas())
    if (a.type == t) return a;
  throw std::logic_error("no schema for a non-scriptable action");
}

}  // namespace geosim
