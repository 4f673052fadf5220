// One resolver per section of a --set path (scenario_edit_resolver.hpp).
#include "scenario/scenario_edit_resolver.hpp"

namespace geosim {

using namespace edit_detail;

void ScenarioEdit::Resolver::parameters() {
  std::vector<std::string> names;
  for (const auto& s : param_specs()) names.emplace_back(s.name);
  const std::string& name = key(1, "a model parameter, e.g. parameters.dependence_inertia");
  const auto& specs = param_specs();
  const auto it =
      std::find_if(specs.begin(), specs.end(), [&](const ParamSpec& s) { return s.name == name; });
  if (it == specs.end())
    fail("unknown model parameter '" + name + "'" + did_you_mean(name, names) +
         "; the parameters are: " + join_words(names));
  if (it->since > sc.version)
    fail("parameters." + name +
         " needs scenario format version 2: no version-1 mechanism "
         "reads it");
  end(2);
  set_range({.key = it->name, .type = FieldType::number, .min = it->min, .max = it->max});
  const auto field = it->field;
  e.set_ = [field](Scenario& s, double v) {
    s.params.*field = v;
    if (field == &ModelParams::budget_share_of_gdp)  // the default budgets (load.cpp)
      for (ActorSpec& a : s.actors)
        if (a.budget_from_gdp) a.budget = s.params.budget_share_of_gdp * a.gdp;
  };
}

/// An actor's number (the rest of the world's through rest_of_world.*).
void ScenarioEdit::Resolver::actor_number(std::size_t index, const std::string& code,
                                          const std::string& field, std::size_t at,
                                          const Schema<ActorSpec>& schema,
                                          const std::string& kind) {
  const Field<ActorSpec>* f = numeric(schema, field, kind, at, {"budgets.INSTRUMENT"});
  const auto member = f->number;
  e.set_ = [=, path = path](Scenario& s, double v) {
    if (index >= s.actors.size() || s.actors[index].code != code)
      throw std::invalid_argument(path + ": this scenario has no actor '" + code +
                                  "' where the edit was resolved; resolve it against this "
                                  "scenario");
    ActorSpec& a = s.actors[index];
    a.*member = v;
    if (member == &ActorSpec::budget) a.budget_from_gdp = false;
    if (member == &ActorSpec::gdp && a.budget_from_gdp)
      a.budget = s.params.budget_share_of_gdp * a.gdp;
  };
}

void ScenarioEdit::Resolver::actors() {
  std::vector<std::string> codes;
  for (const auto& a : sc.actors) codes.push_back(a.is_listed() ? a.code : std::string());
  if (t.size() > 1 && t[1].selector && t[1].text == std::string(kRestOfWorldCode) &&
      sc.rest_of_world >= 0)
    fail(
        "the rest of the world is not in actors: change it through rest_of_world.gdp or "
        "rest_of_world.growth");
  const int index = item(1, codes, "code");
  const std::string code = codes[static_cast<std::size_t>(index)];
  std::vector<std::string> numeric_keys;
  for (const auto& f : actor_schema())
    if ((f.number || f.whole) && f.spec.since <= sc.version) numeric_keys.emplace_back(f.spec.key);
  numeric_keys.emplace_back("budgets.INSTRUMENT");
  const std::string& field =
      key(2, "one of the actor's numeric fields: " + join_words(numeric_keys));
  if (field == "budgets") {
    std::vector<std::string> instruments(kInstrumentNames.begin(), kInstrumentNames.end());
    if (sc.version < 2) instruments.pop_back();  // deployments: version 2
    const std::string& name = key(3, "an instrument: " + join_words(instruments));
    const auto it = std::find(instruments.begin(), instruments.end(), name);
    if (it == instruments.end())
      fail("unknown instrument '" + name + "'" + did_you_mean(name, instruments) +
           "; the instruments are: " + join_words(instruments));
    end(4);
    set_range(find_field(actor_schema(), "budgets")->spec);
    const auto slot = static_cast<std::size_t>(it - instruments.begin());
    const auto at = static_cast<std::size_t>(index);
    e.set_ = [=, path = path](Scenario& s, double v) {
      if (at >= s.actors.size() || s.actors[at].code != code)
        throw std::invalid_argument(path + ": this scenario has no actor '" + code +
                                    "' where the edit was resolved");
      s.actors[at].budgets[slot] = v;
    };
    return;
  }
  if (field == "anchor" || field == "alignment")
    fail("actors[" + code + "]." + field +
         " cannot be swept: its shares over the poles must add up to 1, so one share "
         "cannot change alone (write the whole map in the YAML instead)");
  actor_number(static_cast<std::size_t>(index), code, field, 2, actor_schema(), "an actor");
}

void ScenarioEdit::Resolver::rest_of_world() {
  if (sc.rest_of_world < 0) fail("the scenario declares no rest of the world");
  const std::string& field = key(1, "gdp or growth");
  const auto& schema = rest_of_world_schema();
  // Its declared numbers are the actor's gdp and growth.
  const Field<RestOfWorldSpec>* f = numeric(schema, field, "the rest of the world", 1);
  Schema<ActorSpec> as_actor;
  for (const auto& af : actor_schema())
    if (af.spec.key == f->spec.key) as_actor.push_back(af);
  actor_number(static_cast<std::size_t>(sc.rest_of_world),
               std::string(std::string(kRestOfWorldCode)), field, 1, as_actor,
               "the rest of the world");
  set_range(f->spec);
}

void ScenarioEdit::Resolver::flows() {
  std::vector<std::string> ids;
  bool unnamed = false;
  for (const auto& f : sc.flows) {
    if (f.derived) continue;
    ids.push_back(f.id);
    unnamed = unnamed || f.id.empty();
  }
  const int index = item(
      1, ids, "id", unnamed ? " (flows without an id cannot be addressed: give them an id)" : "");
  const std::string id = ids[static_cast<std::size_t>(index)];
  int other = -1;
  for (std::size_t k = static_cast<std::size_t>(index) + 1; k < ids.size(); ++k)
    if (ids[k] == id) other = static_cast<int>(k);  // the other half of a between
  const std::string& field = key(2, "value");
  if (field != "value") {
    std::vector<std::string> others;
    for (const auto& f : flow_schema())
      if (f.spec.key != "value") others.emplace_back(f.spec.key);
    if (contains(others, field)) not_a_number(field, "a flow", {"value"});
    unknown(field, "a flow", {"value"}, others);
  }
  end(3);
  const FlowEntry& f = sc.flows[static_cast<std::size_t>(index)];
  const ChannelSpec& ch = sc.channels[static_cast<std::size_t>(f.channel)];
  const auto kind = unit_kind_of(ch.unit);
  if (!kind) fail("the flow's channel '" + ch.name + "' has no unit a flow can be given in");
  set_range(find_field(flow_schema(), "value")->spec);
  e.unit_ = f.unit.empty() ? ch.unit : f.unit;
  if (!f.unit.empty()) {
    std::string why;
    const auto conv = unit_conversion(f.unit, *kind, why);
    if (!conv) fail("the flow's unit '" + f.unit + "' does not convert to " + ch.unit);
    e.conv_ = *conv;
  }
  const auto at = static_cast<std::size_t>(index);
  e.set_ = [=, path = path](Scenario& s, double v) {
    const auto half = static_cast<std::size_t>(other);
    if (at >= s.flows.size() || s.flows[at].id != id ||
        (other >= 0 && (half >= s.flows.size() || s.flows[half].id != id)))
      throw std::invalid_argument(path + ": this scenario has no flow '" + id +
                                  "' where the edit was resolved; resolve it against this "
                                  "scenario");
    const std::vector<FlowEntry> old = s.flows;
    s.flows[at].value = other >= 0 ? v / 2.0 : v;  // between: split equally both ways
    if (other >= 0) s.flows[half].value = v / 2.0;
    auto refuse = [&](const std::string& why) {
      s.flows = old;
      throw std::invalid_argument(path + " = " + number_text(v) + ": " + why +
                                  " (the loader rejects this scenario)");
    };
    if (v <= 0.0)
      if (const auto unscaled = unscaled_money_channels(s); !unscaled.empty())
        refuse("with it no money channel has an initial tie, so the bandwidth of " +
               join_words(unscaled) + " has no scale");
    if (!s.totals.empty())
      if (const std::string why = derive_rest_of_world_flows(s); !why.empty()) refuse(why);
  };
}

void ScenarioEdit::Resolver::timeline() {
  std::vector<std::string> ids;
  bool unnamed = false;
  for (const auto& ev : sc.timeline) {
    ids.push_back(ev.id);
    unnamed = unnamed || ev.id.empty();
  }
  const int index = item(
      1, ids, "id", unnamed ? " (events without an id cannot be addressed: give them an id)" : "");
  const ScheduledEvent& ev = sc.timeline[static_cast<std::size_t>(index)];
  const ActionType type = ev.action.type;
  const std::string name(kActionNames[static_cast<std::size_t>(type)]);
  const ActionSchema& schema = action_schema(type);
  std::vector<std::string> numbers;
  for (const auto& f : schema.fields)
    if ((f.number || f.whole) && f.spec.sweepable && f.spec.since <= sc.version)
      numbers.emplace_back(f.spec.key);
  const std::string& field =
      key(2, numbers.empty() ? "a numeric field (" + a_or_an(name) + " event has none)"
                             : "one of the event's numeric fields: " + join_words(numbers));
  if (field == "date")
    fail("timeline[" + ev.id +
         "].date cannot be swept: the date sets the event's turn and its place in the "
         "timeline");
  if (field == "turns" && ev.duration_from_end)
    fail("timeline[" + ev.id + "].turns cannot be swept: this event gives its end date");
  Schema<Action> all = schema.fields;
  for (const auto& f : event_schema())
    all.push_back({f.spec, nullptr, nullptr, nullptr});  // date, action, id, ...: not numbers
  const Field<Action>* f = numeric(all, field, a_or_an(name + " event"), 2);
  const auto number = f->number;  // `all` is local: keep the members, not the field
  const auto whole = f->whole;
  const auto at = static_cast<std::size_t>(index);
  const std::string id = ev.id;
  e.set_ = [=, path = path](Scenario& s, double v) {
    if (at >= s.timeline.size() || s.timeline[at].id != id || s.timeline[at].action.type != type)
      throw std::invalid_argument(path + ": this scenario has no timeline event '" + id +
                                  "' where the edit was resolved; resolve it against this "
                                  "scenario");
    Action& a = s.timeline[at].action;
    if (number)
      a.*number = v;
    else
      a.*whole = static_cast<int>(v);
  };
}

void ScenarioEdit::Resolver::policies() {
  const PolicySet* set = policy_set_of(sc);
  if (set == nullptr || set->policies().empty()) fail("the scenario has no policies");
  std::vector<std::string> ids;
  bool unnamed = false;
  for (const auto& [type, p] : set->policies()) {
    ids.push_back(p.id);
    unnamed = unnamed || p.id.empty();
  }
  const int index = item(
      1, ids, "id", unnamed ? " (a policy without an id cannot be addressed: give it an id)" : "");
  const auto& [type, p] = set->policies()[static_cast<std::size_t>(index)];
  const PolicyType& pt = policy_types()[static_cast<std::size_t>(type)];
  std::vector<std::string> numeric_names, others = {"id", "actor", "policy", "source", "note"};
  for (const auto& s : pt.params) {
    if (s.kind == PolicyParamKind::number) numeric_names.emplace_back(s.name);
    if (s.kind == PolicyParamKind::actor_weights)
      numeric_names.push_back(std::string(s.name) + ".CODE");
    if (s.kind == PolicyParamKind::actor_list) others.emplace_back(s.name);
  }
  const std::string what = a_or_an(std::string(pt.name) + " policy");
  const std::string& name =
      key(2, "one of the policy's numeric parameters: " + join_words(numeric_names));
  const auto it = std::find_if(pt.params.begin(), pt.params.end(),
                               [&](const PolicyParamSpec& s) { return s.name == name; });
  if (it == pt.params.end() || it->kind == PolicyParamKind::actor_list) {
    if (contains(others, name)) not_a_number(name, what, numeric_names);
    std::vector<std::string> all_numeric;
    for (const auto& s : pt.params)
      if (s.kind != PolicyParamKind::actor_list) all_numeric.emplace_back(s.name);
    unknown(name, what, numeric_names, all_numeric);
  }
  set_range({.key = it->name, .type = FieldType::number, .min = it->min, .max = it->max});
  int other = -1;
  if (it->kind == PolicyParamKind::number) {
    end(3);
  } else {
    std::vector<std::string> codes;
    for (const auto& a : sc.actors)
      if (a.is_listed()) codes.push_back(a.code);
    const std::string& code =
        key(3, "an actor code (" + name + " maps actor codes to numbers), e.g. " + prefix(3) + "." +
                   (codes.empty() ? std::string("CODE") : codes.front()));
    other = contains(codes, code) ? sc.actor_index(code) : -1;
    if (other < 0)
      fail("unknown actor '" + code + "'" + did_you_mean(code, codes) +
           "; actors are: " + join_words(codes));
    if (other == p.actor)
      fail("an actor cannot name itself in its own policy's " + name + " ('" + code + "')");
    end(4);
  }
  const auto at = static_cast<std::size_t>(index);
  const std::string id = p.id, param = name;
  const int policy_type = type;
  e.set_ = [=, path = path](Scenario& s, double v) {
    const PolicySet* set = policy_set_of(s);
    if (set == nullptr || at >= set->policies().size() ||
        set->policies()[at].first != policy_type || set->policies()[at].second.id != id)
      throw std::invalid_argument(path + ": this scenario has no policy '" + id +
                                  "' where the edit was resolved; resolve it against this "
                                  "scenario");
    auto policies = set->policies();  // a changed copy: the old set may be shared
    PolicyParams& pp = policies[at].second;
    if (other < 0) {
      auto n = std::find_if(pp.numbers.begin(), pp.numbers.end(),
                            [&](const auto& kv) { return kv.first == param; });
      if (n == pp.numbers.end())
        throw std::invalid_argument(path + ": the policy has no parameter '" + param + "'");
      n->second = v;
    } else {
      auto m = std::find_if(pp.weights.begin(), pp.weights.end(),
                            [&](const auto& kv) { return kv.first == param; });
      if (m == pp.weights.end())
        throw std::invalid_argument(path + ": the policy has no parameter '" + param + "'");
      auto w = std::find_if(m->second.begin(), m->second.end(),
                            [&](const auto& aw) { return aw.first == other; });
      if (w != m->second.end())
        w->second = v;
      else
        m->second.emplace_back(other, v);  // --set adds the key at the end of the map
    }
    s.decider =
        std::make_shared<const PolicySet>(std::move(policies), set->shocks(), set->changes());
  };
}

void ScenarioEdit::Resolver::shocks() {
  const PolicySet* set = policy_set_of(sc);
  if (set == nullptr || set->shocks().empty()) fail("the scenario has no shocks");
  std::vector<std::string> ids;
  bool unnamed = false;
  for (const auto& s : set->shocks()) {
    ids.push_back(s.id);
    unnamed = unnamed || s.id.empty();
  }
  const int index = item(
      1, ids, "id", unnamed ? " (a shock without an id cannot be addressed: give it an id)" : "");
  const ShockSpec& shock = set->shocks()[static_cast<std::size_t>(index)];
  const std::string id = shock.id;
  const ShockKind kind = shock.kind;
  const std::string& field = key(2, "one of the shock's numeric fields: probability, size, turns");
  double ShockSpec::*number = nullptr;
  int ShockSpec::*whole = nullptr;
  if (field == "size") {  // its range depends on the kind (build_policies.cpp)
    end(3);
    const bool price = kind == ShockKind::commodity_price;
    set_range({.key = "size",
               .type = FieldType::number,
               .min = price ? -0.9 : 0.0,
               .max = price ? 10.0 : 1.0});
    number = &ShockSpec::size;
  } else {
    const Field<ShockSpec>* f = numeric(shock_schema(), field, "a shock", 2, {"size"});
    number = f->number;
    whole = f->whole;
  }
  const auto at = static_cast<std::size_t>(index);
  e.set_ = [=, path = path](Scenario& s, double v) {
    const PolicySet* set = policy_set_of(s);
    if (set == nullptr || at >= set->shocks().size() || set->shocks()[at].id != id ||
        set->shocks()[at].kind != kind)
      throw std::invalid_argument(path + ": this scenario has no shock '" + id +
                                  "' where the edit was resolved; resolve it against this "
                                  "scenario");
    auto shocks = set->shocks();  // a changed copy: the old set may be shared
    if (number)
      shocks[at].*number = v;
    else
      shocks[at].*whole = static_cast<int>(v);
    s.decider =
        std::make_shared<const PolicySet>(set->policies(), std::move(shocks), set->changes());
  };
}

void ScenarioEdit::Resolver::channels() {
  std::vector<std::string> names;
  for (const auto& ch : sc.channels) names.push_back(ch.name);
  const std::string& name = key(1, "a channel name, e.g. channels.trade.half_life");
  const int index = sc.channel_index(name);
  if (index < 0)
    fail("unknown channel '" + name + "'" + did_you_mean(name, names) +
         "; the channels are: " + join_words(names));
  std::vector<std::string> numbers;
  for (const auto& f : channel_schema())
    if (f.number && f.spec.sweepable) numbers.emplace_back(f.spec.key);
  const std::string& field = key(2, "one of the channel's numeric fields: " + join_words(numbers));
  if (field == "bandwidth_weight" || field == "dependence_weight")
    fail("channels." + name + "." + field +
         " cannot be swept alone: over all channels the weights must add up to 1");
  const Field<ChannelSpec>* f = numeric(channel_schema(), field, "a channel", 2);
  const auto member = f->number;
  const auto at = static_cast<std::size_t>(index);
  e.set_ = [=, path = path](Scenario& s, double v) {
    if (at >= s.channels.size() || s.channels[at].name != name)
      throw std::invalid_argument(path + ": this scenario has no channel '" + name +
                                  "' where the edit was resolved; resolve it against this "
                                  "scenario");
    ChannelSpec& ch = s.channels[at];
    const double old = ch.*member;
    ch.*member = v;
    if (member == &ChannelSpec::reference && v <= 0.0)
      if (const auto unscaled = unscaled_money_channels(s); !unscaled.empty()) {
        ch.*member = old;
        throw std::invalid_argument(
            path + " = " + number_text(v) +
            ": the timeline disburses money but no money channel has an initial tie, so the "
            "bandwidth of " +
            join_words(unscaled) + " needs a reference > 0 (the loader rejects this scenario)");
      }
  };
}

void ScenarioEdit::Resolver::blocs() {
  std::vector<std::string> codes;
  for (const auto& b : sc.blocs) codes.push_back(b.code);
  const int index = item(1, codes, "code");
  const std::string code = codes[static_cast<std::size_t>(index)];
  const std::string& field = key(2, "weight");
  const Field<BlocSpec>* f = numeric(bloc_schema(), field, "a bloc", 2);
  store_into<BlocSpec>(
      &Scenario::blocs, f, static_cast<std::size_t>(index),
      [code](const BlocSpec& b) { return b.code == code; }, "bloc", code);
}

}  // namespace geosim
