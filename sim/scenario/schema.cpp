#include "scenario/schema.hpp"

#include <limits>

namespace geosim {

namespace {

using T = FieldType;
constexpr double kInf = std::numeric_limits<double>::infinity();

template <class S>
Field<S> num(FieldSpec s, double S::*m) {
  return {std::move(s), m, nullptr, nullptr};
}
template <class S>
Field<S> whole(FieldSpec s, int S::*m) {
  return {std::move(s), nullptr, m, nullptr};
}
template <class S>
Field<S> with(FieldSpec s, void (*set)(S&, const Value&)) {
  return {std::move(s), nullptr, nullptr, set};
}
template <class S>
Field<S> special(FieldSpec s) {
  return {std::move(s), nullptr, nullptr, nullptr};
}
FieldSpec note_spec(std::string_view key) {
  return {.key = key, .type = T::text, .default_text = "\"\"", .meaning = "free text"};
}

/// A free-text field that is checked (text) and not kept.
template <class S>
Field<S> note(std::string_view key) {
  return with<S>(note_spec(key), [](S&, const Value&) {});
}

}  // namespace

const Schema<Scenario>& metadata_schema() {
  static const Schema<Scenario> s = {
      with<Scenario>({.key = "name",
                      .type = T::text,
                      .required = true,
                      .meaning = "the scenario's name, recorded in outputs"},
                     [](Scenario& sc, const Value& v) { sc.name = v.text; }),
      with<Scenario>(
          {.key = "description", .type = T::text, .default_text = "\"\"", .meaning = "free text"},
          [](Scenario& sc, const Value& v) { sc.description = v.text; }),
      with<Scenario>(
          {.key = "start", .type = T::date, .required = true, .meaning = "calendar date of turn 0"},
          [](Scenario& sc, const Value& v) { sc.start = v.date; }),
      with<Scenario>({.key = "turn",
                      .type = T::choice,
                      .default_text = "month",
                      .choices = {"month", "quarter", "year"},
                      .noun = "turn length",
                      .meaning = "length of one turn"},
                     [](Scenario& sc, const Value& v) {
                       sc.months_per_turn = std::array<int, 3>{1, 3, 12}[v.index];
                     }),
      whole<Scenario>({.key = "turns",
                       .type = T::integer,
                       .required = true,
                       .min = 1,
                       .max = 100000,
                       .meaning = "number of turns",
                       .sweepable = false,
                       .why_not_sweepable = "the run's length places every event"},
                      &Scenario::turns),
      with<Scenario>(
          {.key = "seed",
           .type = T::integer,
           .default_text = "1",
           .min = 0,
           .max = static_cast<double>(std::numeric_limits<long long>::max()),
           .meaning = "root seed of the run's random numbers"},
          [](Scenario& sc, const Value& v) { sc.seed = static_cast<std::uint64_t>(v.whole); }),
  };
  return s;
}

const Schema<PoleSpec>& pole_schema() {
  static const Schema<PoleSpec> s = {
      with<PoleSpec>({.key = "code",
                      .type = T::identifier,
                      .required = true,
                      .meaning = "unique; letters, digits, _"},
                     [](PoleSpec& p, const Value& v) { p.code = v.text; }),
      with<PoleSpec>({.key = "name",
                      .type = T::text,
                      .default_text = "the code",
                      .meaning = "a readable name"},
                     [](PoleSpec& p, const Value& v) { p.name = v.text; }),
      special<PoleSpec>({.key = "owners",
                         .type = T::actor_list,
                         .required = true,
                         .meaning = "the actors whose pole it is; at least one"}),
      note<PoleSpec>("source"),
      note<PoleSpec>("note"),
  };
  return s;
}

const Schema<BlocSpec>& bloc_schema() {
  static const Schema<BlocSpec> s = {
      with<BlocSpec>({.key = "code",
                      .type = T::identifier,
                      .required = true,
                      .meaning = "unique; letters, digits, _"},
                     [](BlocSpec& b, const Value& v) { b.code = v.text; }),
      with<BlocSpec>({.key = "name",
                      .type = T::text,
                      .default_text = "the code",
                      .meaning = "a readable name"},
                     [](BlocSpec& b, const Value& v) { b.name = v.text; }),
      num<BlocSpec>({.key = "weight",
                     .type = T::number,
                     .default_text = "1",
                     .min = 0,
                     .max = 1e6,
                     .meaning = "value of one shared membership (membership units)"},
                    &BlocSpec::weight),
      with<BlocSpec>({.key = "customs_union",
                      .type = T::boolean,
                      .default_text = "false",
                      .meaning = "no customs border among members: re-exports pass freely "
                                 "(diversion route factor 1, model.md)",
                      .since = 2},
                     [](BlocSpec& b, const Value& v) { b.customs_union = v.flag; }),
      num<BlocSpec>({.key = "trade_preference",
                     .type = T::number,
                     .default_text = "0",
                     .min = 0,
                     .max = 10,
                     .meaning = "members trade (1 + p) times what they would outside the bloc: "
                                "leaving or joining scales their trade (model.md)",
                     .since = 2},
                    &BlocSpec::trade_preference),
      note<BlocSpec>("source"),
      note<BlocSpec>("note"),
  };
  return s;
}

const Schema<ActorSpec>& actor_schema() {
  static const Schema<ActorSpec> s = {
      with<ActorSpec>({.key = "code",
                       .type = T::actor_code,
                       .required = true,
                       .meaning = "`[A-Z][A-Z0-9_]*`, unique (ISO 3166 alpha-3 for states); "
                                  "`ROW` is the rest of the world's (version 2)"},
                      [](ActorSpec& a, const Value& v) { a.code = v.text; }),
      with<ActorSpec>({.key = "name", .type = T::text, .required = true, .meaning = "its name"},
                      [](ActorSpec& a, const Value& v) { a.name = v.text; }),
      with<ActorSpec>({.key = "role",
                       .type = T::choice,
                       .default_text = "other",
                       .choices = {"patron", "client", "other"},
                       .noun = "role",
                       .meaning = "patrons' influence shares are reported (model.md, step 9)"},
                      [](ActorSpec& a, const Value& v) { a.role = static_cast<Role>(v.index); }),
      num<ActorSpec>({.key = "gdp",
                      .type = T::quantity,
                      .required = true,
                      .min = 1e-9,
                      .max = 1e7,
                      .unit = UnitKind::usd_bn_per_year,
                      .meaning = "gross domestic product at the start"},
                     &ActorSpec::gdp),
      num<ActorSpec>({.key = "growth",
                      .type = T::quantity,
                      .default_text = "0",
                      .min = -0.99,
                      .max = 10,
                      .unit = UnitKind::fraction_per_year,
                      .meaning = "nominal growth of gdp per year (`8 %/yr` = 0.08)"},
                     &ActorSpec::growth),
      num<ActorSpec>({.key = "military",
                      .type = T::quantity,
                      .default_text = "0",
                      .min = 0,
                      .max = 1e6,
                      .unit = UnitKind::usd_bn_per_year,
                      .meaning = "military spending: the exposure base of security channels; "
                                 "fixed (it does not follow gdp)"},
                     &ActorSpec::military),
      num<ActorSpec>({.key = "budget",
                      .type = T::quantity,
                      .default_text = "budget_share_of_gdp x gdp",
                      .min = 1e-9,
                      .max = 1e7,
                      .unit = UnitKind::usd_bn_per_year,
                      .meaning = "government budget: the exposure base of economic aid; scales "
                                 "with gdp"},
                     &ActorSpec::budget),
      special<ActorSpec>({.key = "budgets",
                          .type = T::quantity,
                          .default_text = "all 0",
                          .min = 0,
                          .max = kMaxAmount,
                          .unit = UnitKind::usd_m_per_year,
                          .meaning = "yearly budget per instrument, a map with keys "
                                     "economic_aid, security_aid, exercises, visits, loans, "
                                     "deployments (version 2); each >= 0"}),
      with<ActorSpec>({.key = "anchor",
                       .type = T::pole_shares,
                       .required = true,
                       .meaning = "x0: the alignment it returns to without outside influence"},
                      [](ActorSpec& a, const Value& v) { a.anchor = v.shares; }),
      with<ActorSpec>({.key = "alignment",
                       .type = T::pole_shares,
                       .default_text = "= anchor",
                       .meaning = "alignment at the start"},
                      [](ActorSpec& a, const Value& v) { a.alignment = v.shares; }),
      num<ActorSpec>({.key = "susceptibility",
                      .type = T::number,
                      .default_text = "0",
                      .min = 0,
                      .max = 1,
                      .meaning = "base susceptibility lambda0; 0 = never moves"},
                     &ActorSpec::susceptibility),
      num<ActorSpec>({.key = "autonomy",
                      .type = T::number,
                      .default_text = "1",
                      .min = 1e-9,
                      .max = 1e9,
                      .meaning = "self-weight in the alignment update"},
                     &ActorSpec::autonomy),
      num<ActorSpec>({.key = "stability",
                      .type = T::number,
                      .default_text = "1",
                      .min = 0,
                      .max = 1,
                      .meaning = "recorded; no mechanism uses it yet"},
                     &ActorSpec::stability),
      with<ActorSpec>({.key = "blocs",
                       .type = T::bloc_list,
                       .default_text = "[]",
                       .meaning = "bloc memberships at the start"},
                      [](ActorSpec& a, const Value& v) { a.blocs = v.list; }),
      with<ActorSpec>({.key = "neighbours",
                       .type = T::actor_list,
                       .default_text = "[]",
                       .meaning = "actors it borders (`ROW`: unlisted neighbours); symmetric; "
                                  "diversion routes (model.md)",
                       .allow_rest_of_world = true,
                       .since = 2},
                      [](ActorSpec& a, const Value& v) { a.neighbours = v.list; }),
      note<ActorSpec>("source"),
      note<ActorSpec>("note"),
  };
  return s;
}

const Schema<ChannelSpec>& channel_schema() {
  static const Schema<ChannelSpec> s = {
      with<ChannelSpec>(
          {.key = "kind",
           .type = T::choice,
           .default_text = "required for a new channel",
           .choices = {"flow", "stock"},
           .noun = "channel kind",
           .meaning = "a flow is a rate per year; a stock is a level"},
          [](ChannelSpec& c, const Value& v) { c.kind = static_cast<ChannelKind>(v.index); }),
      with<ChannelSpec>(
          {.key = "dimension",
           .type = T::choice,
           .default_text = "required for a new channel",
           .choices = {"economic", "security", "political"},
           .noun = "dimension",
           .meaning = "which dependence sub-index it feeds"},
          [](ChannelSpec& c, const Value& v) { c.dimension = static_cast<Dimension>(v.index); }),
      with<ChannelSpec>({.key = "unit",
                         .type = T::choice,
                         .default_text = "required for a new channel",
                         .choices = {"USD m/yr", "USD m", "personnel", "level", "membership"},
                         .noun = "channel unit",
                         .meaning = "canonical unit of its values"},
                        [](ChannelSpec& c, const Value& v) {
                          static constexpr const char* units[] = {"USD m/yr", "USD m", "personnel",
                                                                  "level", "membership"};
                          c.unit = units[v.index];
                        }),
      num<ChannelSpec>({.key = "half_life",
                        .type = T::number,
                        .default_text = "12",
                        .min = 1e-9,
                        .max = 1e9,
                        .meaning = "months; how fast pulses fade; `.inf` = no decay",
                        .allow_infinity = true},
                       &ChannelSpec::half_life),
      num<ChannelSpec>({.key = "bandwidth_weight",
                        .type = T::number,
                        .default_text = "0",
                        .min = 0,
                        .max = 1,
                        .meaning = "omega; over all channels the weights add up to 1",
                        .sweepable = false,
                        .why_not_sweepable = "over all channels the weights must add up to 1"},
                       &ChannelSpec::bandwidth_weight),
      num<ChannelSpec>({.key = "dependence_weight",
                        .type = T::number,
                        .default_text = "0",
                        .min = 0,
                        .max = 1,
                        .meaning = "nu; over all channels the weights add up to 1",
                        .sweepable = false,
                        .why_not_sweepable = "over all channels the weights must add up to 1"},
                       &ChannelSpec::dependence_weight),
      with<ChannelSpec>(
          {.key = "exposure",
           .type = T::choice,
           .default_text = "gdp",
           .choices = {"gdp", "budget", "military", "none"},
           .noun = "exposure base",
           .meaning = "what the recipient's inflow is measured against"},
          [](ChannelSpec& c, const Value& v) { c.exposure = static_cast<ExposureBase>(v.index); }),
      num<ChannelSpec>({.key = "exposure_scale",
                        .type = T::number,
                        .default_text = "1",
                        .min = 1e-9,
                        .max = 1e9,
                        .meaning = "multiplies the exposure"},
                       &ChannelSpec::exposure_scale),
      num<ChannelSpec>({.key = "gdp_elasticity",
                        .type = T::number,
                        .default_text = "0",
                        .min = 0,
                        .max = 10,
                        .meaning = "base flows scale with (sender gdp / its initial gdp)^e"},
                       &ChannelSpec::gdp_elasticity),
      num<ChannelSpec>({.key = "reference",
                        .type = T::number,
                        .default_text = "0",
                        .min = 0,
                        .max = 1e15,
                        .meaning = "bandwidth saturation value in the channel's unit; 0 = the "
                                   "largest initial tie (model.md, step 6)"},
                       &ChannelSpec::reference),
      with<ChannelSpec>({.key = "sanctionable",
                         .type = T::boolean,
                         .default_text = "false",
                         .meaning = "cut by sanctions and diverted through transit states; "
                                    "carries bloc trade preferences"},
                        [](ChannelSpec& c, const Value& v) { c.sanctionable = v.flag; }),
      with<ChannelSpec>(
          {.key = "description", .type = T::text, .default_text = "\"\"", .meaning = "free text"},
          [](ChannelSpec& c, const Value& v) { c.description = v.text; }),
      with<ChannelSpec>({.key = "fbic",
                         .type = T::text,
                         .default_text = "\"\"",
                         .meaning = "the FBIC sub-index it feeds (documentation)"},
                        [](ChannelSpec& c, const Value& v) { c.fbic = v.text; }),
  };
  return s;
}

const Schema<FlowEntry>& flow_schema() {
  static const Schema<FlowEntry> s = {
      with<FlowEntry>({.key = "id",
                       .type = T::identifier,
                       .default_text = "none",
                       .meaning = "unique; lets an overlay or `--set` address this item"},
                      [](FlowEntry& f, const Value& v) { f.id = v.text; }),
      with<FlowEntry>({.key = "channel",
                       .type = T::channel,
                       .required = true,
                       .meaning = "a shipped channel or one defined in `channels` (not "
                                  "institutions, which comes from blocs)"},
                      [](FlowEntry& f, const Value& v) { f.channel = v.index; }),
      special<FlowEntry>({.key = "from",
                          .type = T::actor,
                          .meaning = "the sender (`ROW` in version 2: the rest of the world)"}),
      special<FlowEntry>({.key = "to", .type = T::actor, .meaning = "the recipient"}),
      special<FlowEntry>({.key = "between",
                          .type = T::actor_list,
                          .meaning = "instead of from/to: two actors; the value is a turnover, "
                                     "split equally both ways"}),
      special<FlowEntry>({.key = "value",
                          .type = T::number,
                          .required = true,
                          .min = 0,
                          .max = 1e15,
                          .meaning = "in `unit`"}),
      special<FlowEntry>({.key = "unit",
                          .type = T::text,
                          .default_text = "the channel's",
                          .meaning = "must convert to the channel's unit"}),
      with<FlowEntry>({.key = "decaying",
                       .type = T::boolean,
                       .default_text = "false",
                       .meaning = "a pulse that decays by the channel's half-life from turn 0 "
                                  "(a tie that is ending)"},
                      [](FlowEntry& f, const Value& v) { f.decaying = v.flag; }),
      with<FlowEntry>(note_spec("source"), [](FlowEntry& f, const Value& v) { f.source = v.text; }),
      note<FlowEntry>("note"),
  };
  return s;
}

const Schema<ShockSpec>& shock_schema() {
  static const Schema<ShockSpec> s = {
      with<ShockSpec>({.key = "id",
                       .type = T::identifier,
                       .default_text = "none",
                       .meaning = "lets an overlay or `--set` address it"},
                      [](ShockSpec& x, const Value& v) { x.id = v.text; }),
      with<ShockSpec>(
          {.key = "kind",
           .type = T::choice,
           .required = true,
           .choices = {"border_conflict", "commodity_price", "regime_instability"},
           .noun = "shock kind",
           .meaning = "what happens (model.md, Shocks)"},
          [](ShockSpec& x, const Value& v) { x.kind = static_cast<ShockKind>(v.index); }),
      special<ShockSpec>({.key = "actors",
                          .type = T::actor_list,
                          .required = true,
                          .meaning = "exactly two for border_conflict, one otherwise"}),
      num<ShockSpec>({.key = "probability",
                      .type = T::number,
                      .required = true,
                      .min = 0,
                      .max = 1,
                      .meaning = "per turn"},
                     &ShockSpec::probability),
      special<ShockSpec>({.key = "size",
                          .type = T::number,
                          .required = true,
                          .min = -0.9,
                          .max = 10,
                          .meaning = "border_conflict: trade cut in [0, 1]; commodity_price: gdp "
                                     "change as a share in [-0.9, 10]; regime_instability: share "
                                     "of alignment moved toward a random pole, in [0, 1]"}),
      whole<ShockSpec>({.key = "turns",
                        .type = T::integer,
                        .default_text = "1",
                        .min = 1,
                        .max = 100000,
                        .meaning = "how long a border conflict lasts"},
                       &ShockSpec::turns),
      note<ShockSpec>("source"),
      note<ShockSpec>("note"),
  };
  return s;
}

const Schema<RestOfWorldSpec>& rest_of_world_schema() {
  static const Schema<RestOfWorldSpec> s = {
      with<RestOfWorldSpec>({.key = "name",
                             .type = T::text,
                             .default_text = "Rest of the world",
                             .meaning = "its name in outputs (its code is always ROW)"},
                            [](RestOfWorldSpec& r, const Value& v) { r.name = v.text; }),
      num<RestOfWorldSpec>({.key = "gdp",
                            .type = T::quantity,
                            .required = true,
                            .min = 1e-9,
                            .max = 1e7,
                            .unit = UnitKind::usd_bn_per_year,
                            .meaning = "world gdp less the listed actors'"},
                           &RestOfWorldSpec::gdp),
      num<RestOfWorldSpec>({.key = "growth",
                            .type = T::quantity,
                            .default_text = "0",
                            .min = -0.99,
                            .max = 10,
                            .unit = UnitKind::fraction_per_year,
                            .meaning = "nominal growth per year (its flows to listed actors "
                                       "scale with its gdp)"},
                           &RestOfWorldSpec::growth),
      special<RestOfWorldSpec>({.key = "totals",
                                .type = T::special,
                                .default_text = "[]",
                                .meaning = "actors' complete totals per channel (table below)"}),
      with<RestOfWorldSpec>(note_spec("source"),
                            [](RestOfWorldSpec& r, const Value& v) { r.source = v.text; }),
      note<RestOfWorldSpec>("note"),
  };
  return s;
}

const Schema<TotalEntry>& total_schema() {
  static const Schema<TotalEntry> s = {
      with<TotalEntry>({.key = "id",
                        .type = T::identifier,
                        .default_text = "none",
                        .meaning = "lets an overlay or `--set` address it"},
                       [](TotalEntry&, const Value&) {}),
      with<TotalEntry>(
          {.key = "actor", .type = T::actor, .required = true, .meaning = "a listed actor"},
          [](TotalEntry& t, const Value& v) { t.actor = v.index; }),
      with<TotalEntry>({.key = "channel",
                        .type = T::channel,
                        .required = true,
                        .meaning = "any channel but institutions"},
                       [](TotalEntry& t, const Value& v) { t.channel = v.index; }),
      special<TotalEntry>({.key = "inflow",
                           .type = T::number,
                           .min = 0,
                           .max = 1e15,
                           .meaning = "everything it receives in the channel (imports, "
                                      "remittances received, debt owed, arms installed)"}),
      special<TotalEntry>({.key = "outflow",
                           .type = T::number,
                           .min = 0,
                           .max = 1e15,
                           .meaning = "everything it sends (exports, remittances sent, ...)"}),
      special<TotalEntry>({.key = "turnover",
                           .type = T::number,
                           .min = 0,
                           .max = 1e15,
                           .meaning = "instead of inflow and outflow: both ways together; the "
                                      "rest of the world's part is split equally"}),
      special<TotalEntry>({.key = "unit",
                           .type = T::text,
                           .default_text = "the channel's",
                           .meaning = "the unit of the values"}),
      note<TotalEntry>("source"),
      note<TotalEntry>("note"),
  };
  return s;
}

const std::vector<FieldSpec>& policy_item_specs() {
  static const std::vector<FieldSpec> s = {
      {.key = "id",
       .type = T::identifier,
       .default_text = "none",
       .meaning = "unique among the policies; overlays, `--set` and `policy` events name it"},
      {.key = "actor",
       .type = T::actor,
       .required = true,
       .meaning = "the actor that follows the policy"},
      {.key = "policy",
       .type = T::choice,
       .required = true,
       .noun = "policy",
       .meaning = "its name (`geosim policies` lists them)"},
      note_spec("source"),
      note_spec("note"),
  };
  return s;
}

const Schema<ScheduledEvent>& event_schema() {
  static const Schema<ScheduledEvent> s = {
      special<ScheduledEvent>(
          {.key = "date",
           .type = T::date,
           .required = true,
           .meaning = "inside the run: it fires at the start of the turn that contains it"}),
      special<ScheduledEvent>({.key = "action",
                               .type = T::choice,
                               .required = true,
                               .noun = "action type",
                               .meaning = "one of the actions below"}),
      with<ScheduledEvent>({.key = "id",
                            .type = T::identifier,
                            .default_text = "none",
                            .meaning = "unique among timeline items; for overlays, `--set` "
                                       "and sweeps"},
                           [](ScheduledEvent& e, const Value& v) { e.id = v.text; }),
      with<ScheduledEvent>(note_spec("source"),
                           [](ScheduledEvent& e, const Value& v) { e.source = v.text; }),
      note<ScheduledEvent>("note"),
  };
  return s;
}

std::vector<std::string> instrument_keys() {
  return std::vector<std::string>(kInstrumentNames.begin(), kInstrumentNames.end());
}

}  // namespace geosim
