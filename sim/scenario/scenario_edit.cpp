#include "scenario/scenario_edit.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

#include "core/text.hpp"
#include "policy/policy_set.hpp"
#include "scenario/context.hpp"

namespace geosim {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// Text that reads back as exactly `v` (std::from_chars, as the loader reads): whole numbers
/// as integers, others in the shortest form.
std::string number_text(double v) {
  if (v == std::floor(v) && std::abs(v) < 1e15 && !(v == 0.0 && std::signbit(v)))
    return std::to_string(static_cast<long long>(v));
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

/// One step of a --set path: a key ("gdp") or a [selector] ("TJK").
struct Token {
  std::string text;
  bool selector = false;
};

/// Splits "a.b[KEY].c" as apply_set() (overlay.cpp) does.
std::vector<Token> tokenize(const std::string& path, const Location& where) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
    } else if (path[i] == '[') {
      const auto close = path.find(']', i);
      if (close == std::string::npos) throw InputError(where, path, "unclosed '[' in the path");
      out.push_back({path.substr(i + 1, close - i - 1), true});
      i = close + 1;
    } else {
      auto end = path.find_first_of(".[", i);
      if (end == std::string::npos) end = path.size();
      out.push_back({path.substr(i, end - i), false});
      i = end;
    }
  }
  return out;
}

/// "a, b, c" for messages, shortened to the first `max` words.
std::string some_words(const std::vector<std::string>& words, std::size_t max = 20) {
  if (words.empty()) return "(none)";
  if (words.size() <= max) return join_words(words);
  std::vector<std::string> head(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(max));
  return join_words(head) + ", ... (" + std::to_string(words.size()) + " in all)";
}

/// "a x" or "an x".
std::string a_or_an(const std::string& noun) {
  return (noun.find_first_of("aeiou") == 0 ? "an " : "a ") + noun;
}

bool contains(const std::vector<std::string>& words, const std::string& w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

/// A numeric field of an item: its key, how it is written, and the loader's range.
enum class Written { number, quantity, whole };
struct NumericKey {
  const char* key;
  Written written;
  double lo;
  double hi;
  UnitKind unit = UnitKind::personnel;  ///< for quantities
};

std::vector<std::string> keys_of(const std::vector<NumericKey>& table) {
  std::vector<std::string> out;
  for (const auto& k : table) out.emplace_back(k.key);
  return out;
}

struct ActorKey {
  NumericKey k;
  double ActorSpec::*field;
};

/// The numeric fields of an actor (build_actors.cpp).
const std::vector<ActorKey>& actor_keys() {
  static const std::vector<ActorKey> keys = {
      {{"gdp", Written::quantity, 1e-9, 1e7, UnitKind::usd_bn_per_year}, &ActorSpec::gdp},
      {{"growth", Written::quantity, -0.99, 10.0, UnitKind::fraction_per_year}, &ActorSpec::growth},
      {{"military", Written::quantity, 0, 1e6, UnitKind::usd_bn_per_year}, &ActorSpec::military},
      {{"budget", Written::quantity, 1e-9, 1e7, UnitKind::usd_bn_per_year}, &ActorSpec::budget},
      {{"susceptibility", Written::number, 0, 1}, &ActorSpec::susceptibility},
      {{"autonomy", Written::number, 1e-9, 1e9}, &ActorSpec::autonomy},
      {{"stability", Written::number, 0, 1}, &ActorSpec::stability},
  };
  return keys;
}

struct ChannelKey {
  NumericKey k;
  double ChannelSpec::*field;
};

/// The numeric fields of a channel that can change alone (build_channels.cpp).
const std::vector<ChannelKey>& channel_keys() {
  static const std::vector<ChannelKey> keys = {
      {{"half_life", Written::number, 1e-9, 1e9}, &ChannelSpec::half_life},
      {{"exposure_scale", Written::number, 1e-9, 1e9}, &ChannelSpec::exposure_scale},
      {{"gdp_elasticity", Written::number, 0, 10}, &ChannelSpec::gdp_elasticity},
      {{"reference", Written::number, 0, 1e15}, &ChannelSpec::reference},
  };
  return keys;
}

/// The numeric keys of a timeline event of type `t` (build_timeline.cpp), with the field of
/// Action each one sets.
struct EventKey {
  NumericKey k;
  int field;  ///< 0 amount, 1 turns, 2 penalty, 3 detection
};
std::vector<EventKey> event_keys(ActionType t) {
  const EventKey amount{{"amount", Written::quantity, 0, 1e9, UnitKind::usd_m}, 0};
  const EventKey turns{{"turns", Written::whole, 1, 100000}, 1};
  switch (t) {
    case ActionType::economic_aid:
    case ActionType::security_aid:
      return {amount, turns};
    case ActionType::loan:
      return {amount};
    case ActionType::exercise:
      return {{{"personnel", Written::number, 0, 1e7}, 0}, turns};
    case ActionType::visit:
      return {{{"level", Written::whole, 1, 3}, 0}};
    case ActionType::sanction:
      return {{{"intensity", Written::number, 0, 1}, 0}};
    case ActionType::secondary_sanction:
      return {{{"penalty", Written::number, 0, 1}, 2}, {{"detection", Written::number, 0, 1}, 3}};
    default:
      return {};
  }
}

const PolicySet* policy_set_of(const Scenario& sc) {
  return dynamic_cast<const PolicySet*>(sc.decider.get());
}

}  // namespace

/// Parses a path against a scenario and fills in the edit.
struct ScenarioEdit::Resolver {
  const Scenario& sc;
  const std::string& path;
  const Location& where;
  std::vector<Token> t;
  ScenarioEdit e;

  [[noreturn]] void fail(const std::string& message) const {
    throw InputError(where, path, message);
  }

  /// The path up to (not including) token i, for messages.
  std::string prefix(std::size_t i) const {
    std::string s;
    for (std::size_t j = 0; j < i && j < t.size(); ++j)
      s += t[j].selector ? "[" + t[j].text + "]" : (s.empty() ? "" : ".") + t[j].text;
    return s;
  }

  /// Token i, which must be a key; `expected` says what belongs there.
  const std::string& key(std::size_t i, const std::string& expected) const {
    if (i >= t.size())
      fail("the path stops at '" + prefix(i) + "'; expected " + expected + " after it");
    if (t[i].selector)
      fail("'" + prefix(i) + "[" + t[i].text + "]': expected " + expected +
           " here, not a [selector]");
    return t[i].text;
  }

  /// The item token i selects by code or id among `ids` ("" = an item without one).
  int item(std::size_t i, const std::vector<std::string>& ids, const std::string& what,
           const std::string& hint = "") const {
    const std::string list = prefix(i);
    if (i >= t.size() || !t[i].selector)
      fail("expected " + list + "[" + what + "] after '" + list + "'");
    const std::string& sel = t[i].text;
    const bool numeric = !sel.empty() && std::all_of(sel.begin(), sel.end(),
                                                     [](char c) { return c >= '0' && c <= '9'; });
    if (numeric)
      fail(list + "[" + sel + "]: address the item by its " + what +
           ", not by its position (positions in the YAML list are not kept in the typed "
           "scenario)");
    for (std::size_t k = 0; k < ids.size(); ++k)
      if (!ids[k].empty() && ids[k] == sel) return static_cast<int>(k);
    std::vector<std::string> known;
    for (const auto& id : ids)
      if (!id.empty() && !contains(known, id)) known.push_back(id);
    fail("no item of " + list + " with " + what + " '" + sel + "'" + did_you_mean(sel, known) +
         "; " + list + " has: " + some_words(known) + hint);
  }

  /// Nothing may follow token n - 1.
  void end(std::size_t n) const {
    if (t.size() > n)
      fail("'" + prefix(n) + "' is a number: nothing can follow it (got '" +
           prefix(t.size()).substr(prefix(n).size()) + "')");
  }

  void set_range(const NumericKey& k) {
    e.lo_ = k.lo;
    e.hi_ = k.hi;
    e.integer_ = k.written == Written::whole;
    if (k.written == Written::quantity) {
      e.unit_ = std::string(canonical_unit(k.unit));
      std::string why;
      e.conv_ = *unit_conversion(e.unit_, k.unit, why);  // a canonical unit always converts
      e.range_after_conversion_ = true;
      e.unit_in_value_ = true;
    }
  }

  [[noreturn]] void not_a_number(const std::string& field, const std::string& item_kind,
                                 const std::vector<std::string>& numeric) const {
    fail("'" + field + "' is not a number; the numeric fields of " + item_kind +
         (numeric.empty() ? std::string(": none") : ": " + join_words(numeric)));
  }

  [[noreturn]] void unknown(const std::string& field, const std::string& item_kind,
                            const std::vector<std::string>& numeric,
                            const std::vector<std::string>& others) const {
    std::vector<std::string> all = numeric;
    all.insert(all.end(), others.begin(), others.end());
    fail("unknown field '" + field + "'" + did_you_mean(field, all) + "; the numeric fields of " +
         item_kind + ": " + (numeric.empty() ? std::string("none") : join_words(numeric)));
  }

  void parameters() {
    std::vector<std::string> names;
    for (const auto& s : param_specs()) names.emplace_back(s.name);
    const std::string& name = key(1, "a model parameter, e.g. parameters.dependence_inertia");
    const auto& specs = param_specs();
    const auto it = std::find_if(specs.begin(), specs.end(),
                                 [&](const ParamSpec& s) { return s.name == name; });
    if (it == specs.end())
      fail("unknown model parameter '" + name + "'" + did_you_mean(name, names) +
           "; the parameters are: " + join_words(names));
    end(2);
    e.target_ = Target::parameter;
    e.param_ = it->field;
    e.item_ = name;
    set_range({"", Written::number, it->min, it->max});
  }

  void actors() {
    std::vector<std::string> codes;
    for (const auto& a : sc.actors) codes.push_back(a.code);
    e.index_ = item(1, codes, "code");
    e.item_ = codes[static_cast<std::size_t>(e.index_)];
    std::vector<std::string> numeric;
    for (const auto& k : actor_keys()) numeric.emplace_back(k.k.key);
    numeric.emplace_back("budgets.INSTRUMENT");
    const std::string& field = key(2, "one of the actor's numeric fields: " + join_words(numeric));
    if (field == "budgets") {
      std::vector<std::string> instruments(kInstrumentNames.begin(), kInstrumentNames.end());
      const std::string& name = key(3, "an instrument: " + join_words(instruments));
      const auto it = std::find(instruments.begin(), instruments.end(), name);
      if (it == instruments.end())
        fail("unknown instrument '" + name + "'" + did_you_mean(name, instruments) +
             "; the instruments are: " + join_words(instruments));
      end(4);
      e.target_ = Target::actor_budgets;
      e.slot_ = static_cast<int>(it - instruments.begin());
      set_range({"", Written::quantity, 0, 1e9, UnitKind::usd_m_per_year});
      return;
    }
    for (const auto& k : actor_keys())
      if (field == k.k.key) {
        end(3);
        e.target_ = Target::actor_number;
        e.actor_field_ = k.field;
        set_range(k.k);
        return;
      }
    if (field == "anchor" || field == "alignment")
      fail("actors[" + e.item_ + "]." + field +
           " cannot be swept: its shares over the poles must add up to 1, so one share "
           "cannot change alone (write the whole map in the YAML instead)");
    const std::vector<std::string> others = {"code", "name", "role", "blocs", "source", "note"};
    if (contains(others, field)) not_a_number(field, "an actor", numeric);
    unknown(field, "an actor", numeric, others);
  }

  void flows() {
    std::vector<std::string> ids;
    bool unnamed = false;
    for (const auto& f : sc.flows) {
      ids.push_back(f.id);
      unnamed = unnamed || f.id.empty();
    }
    e.index_ = item(1, ids, "id",
                    unnamed ? " (flows without an id cannot be addressed: give them an id)" : "");
    e.item_ = ids[static_cast<std::size_t>(e.index_)];
    for (std::size_t k = static_cast<std::size_t>(e.index_) + 1; k < ids.size(); ++k)
      if (ids[k] == e.item_) e.other_ = static_cast<int>(k);  // the other half of a between
    const std::vector<std::string> numeric = {"value"};
    const std::string& field = key(2, "value");
    if (field != "value") {
      const std::vector<std::string> others = {"channel",  "from",   "to",   "between", "unit",
                                               "decaying", "source", "note", "id"};
      if (contains(others, field)) not_a_number(field, "a flow", numeric);
      unknown(field, "a flow", numeric, others);
    }
    end(3);
    const FlowEntry& f = sc.flows[static_cast<std::size_t>(e.index_)];
    const ChannelSpec& ch = sc.channels[static_cast<std::size_t>(f.channel)];
    const auto kind = unit_kind_of(ch.unit);
    if (!kind) fail("the flow's channel '" + ch.name + "' has no unit a flow can be given in");
    e.target_ = Target::flow;
    set_range({"", Written::number, 0, 1e15});
    e.unit_ = f.unit.empty() ? ch.unit : f.unit;
    if (!f.unit.empty()) {
      std::string why;
      const auto conv = unit_conversion(f.unit, *kind, why);
      if (!conv) fail("the flow's unit '" + f.unit + "' does not convert to " + ch.unit);
      e.conv_ = *conv;
    }
  }

  void timeline() {
    std::vector<std::string> ids;
    bool unnamed = false;
    for (const auto& ev : sc.timeline) {
      ids.push_back(ev.id);
      unnamed = unnamed || ev.id.empty();
    }
    e.index_ = item(1, ids, "id",
                    unnamed ? " (events without an id cannot be addressed: give them an id)" : "");
    const ScheduledEvent& ev = sc.timeline[static_cast<std::size_t>(e.index_)];
    e.item_ = ev.id;
    e.slot_ = static_cast<int>(ev.action.type);
    const std::string type(kActionNames[static_cast<std::size_t>(ev.action.type)]);
    const auto keys = event_keys(ev.action.type);
    std::vector<std::string> numeric;
    for (const auto& k : keys) numeric.emplace_back(k.k.key);
    const std::string& field =
        key(2, numeric.empty() ? "a numeric field (" + a_or_an(type) + " event has none)"
                               : "one of the event's numeric fields: " + join_words(numeric));
    for (const auto& k : keys)
      if (field == k.k.key) {
        end(3);
        static constexpr Target targets[] = {Target::event_amount, Target::event_turns,
                                             Target::event_penalty, Target::event_detection};
        e.target_ = targets[k.field];
        set_range(k.k);
        return;
      }
    if (field == "date")
      fail("timeline[" + ev.id +
           "].date cannot be swept: the date sets the event's turn and its place in the "
           "timeline");
    const std::vector<std::string> others = {
        "action", "id",           "source", "note", "donor",  "recipient", "sponsor",
        "host",   "participants", "from",   "to",   "sender", "target",    "transit",
        "lender", "borrower",     "actor",  "bloc", "change"};
    const std::string what = a_or_an(type + " event");
    if (contains(others, field)) not_a_number(field, what, numeric);
    unknown(field, what, numeric, others);
  }

  void policies() {
    const PolicySet* set = policy_set_of(sc);
    if (set == nullptr || set->policies().empty()) fail("the scenario has no policies");
    std::vector<std::string> ids;
    bool unnamed = false;
    for (const auto& [type, p] : set->policies()) {
      ids.push_back(p.id);
      unnamed = unnamed || p.id.empty();
    }
    e.index_ = item(1, ids, "id",
                    unnamed ? " (a policy without an id cannot be addressed: give it an id)" : "");
    const auto& [type, p] = set->policies()[static_cast<std::size_t>(e.index_)];
    e.item_ = p.id;
    e.slot_ = type;
    const PolicyType& pt = policy_types()[static_cast<std::size_t>(type)];
    std::vector<std::string> numeric, others = {"id", "actor", "policy", "source", "note"};
    for (const auto& s : pt.params) {
      if (s.kind == PolicyParamKind::number) numeric.emplace_back(s.name);
      if (s.kind == PolicyParamKind::actor_weights)
        numeric.push_back(std::string(s.name) + ".CODE");
      if (s.kind == PolicyParamKind::actor_list) others.emplace_back(s.name);
    }
    const std::string what = a_or_an(std::string(pt.name) + " policy");
    const std::string& name =
        key(2, "one of the policy's numeric parameters: " + join_words(numeric));
    const auto it = std::find_if(pt.params.begin(), pt.params.end(),
                                 [&](const PolicyParamSpec& s) { return s.name == name; });
    if (it == pt.params.end() || it->kind == PolicyParamKind::actor_list) {
      if (contains(others, name)) not_a_number(name, what, numeric);
      std::vector<std::string> all_numeric;
      for (const auto& s : pt.params)
        if (s.kind != PolicyParamKind::actor_list) all_numeric.emplace_back(s.name);
      unknown(name, what, numeric, all_numeric);
    }
    e.key_ = name;
    set_range({"", Written::number, it->min, it->max});
    if (it->kind == PolicyParamKind::number) {
      end(3);
      e.target_ = Target::policy_number;
      return;
    }
    std::vector<std::string> codes;
    for (const auto& a : sc.actors) codes.push_back(a.code);
    const std::string& code =
        key(3, "an actor code (" + name + " maps actor codes to numbers), e.g. " + prefix(3) + "." +
                   (codes.empty() ? std::string("CODE") : codes.front()));
    const int a = sc.actor_index(code);
    if (a < 0)
      fail("unknown actor '" + code + "'" + did_you_mean(code, codes) +
           "; actors are: " + join_words(codes));
    if (a == p.actor)
      fail("an actor cannot name itself in its own policy's " + name + " ('" + code + "')");
    end(4);
    e.target_ = Target::policy_weight;
    e.other_ = a;
  }

  void shocks() {
    const PolicySet* set = policy_set_of(sc);
    if (set == nullptr || set->shocks().empty()) fail("the scenario has no shocks");
    std::vector<std::string> ids;
    bool unnamed = false;
    for (const auto& s : set->shocks()) {
      ids.push_back(s.id);
      unnamed = unnamed || s.id.empty();
    }
    e.index_ = item(1, ids, "id",
                    unnamed ? " (a shock without an id cannot be addressed: give it an id)" : "");
    const ShockSpec& s = set->shocks()[static_cast<std::size_t>(e.index_)];
    e.item_ = s.id;
    e.slot_ = static_cast<int>(s.kind);
    const bool price = s.kind == ShockKind::commodity_price;
    const std::vector<NumericKey> keys = {
        {"probability", Written::number, 0, 1},
        {"size", Written::number, price ? -0.9 : 0.0, price ? 10.0 : 1.0},
        {"turns", Written::whole, 1, 100000}};
    const std::vector<std::string> numeric = keys_of(keys);
    const std::string& field = key(2, "one of the shock's numeric fields: " + join_words(numeric));
    for (std::size_t k = 0; k < keys.size(); ++k)
      if (field == keys[k].key) {
        end(3);
        static constexpr Target targets[] = {Target::shock_probability, Target::shock_size,
                                             Target::shock_turns};
        e.target_ = targets[k];
        set_range(keys[k]);
        return;
      }
    const std::vector<std::string> others = {"id", "kind", "actors", "source", "note"};
    if (contains(others, field)) not_a_number(field, "a shock", numeric);
    unknown(field, "a shock", numeric, others);
  }

  void channels() {
    std::vector<std::string> names;
    for (const auto& ch : sc.channels) names.push_back(ch.name);
    const std::string& name = key(1, "a channel name, e.g. channels.trade.half_life");
    e.index_ = sc.channel_index(name);
    if (e.index_ < 0)
      fail("unknown channel '" + name + "'" + did_you_mean(name, names) +
           "; the channels are: " + join_words(names));
    e.item_ = name;
    std::vector<std::string> numeric;
    for (const auto& k : channel_keys()) numeric.emplace_back(k.k.key);
    const std::string& field =
        key(2, "one of the channel's numeric fields: " + join_words(numeric));
    for (const auto& k : channel_keys())
      if (field == k.k.key) {
        end(3);
        e.target_ = Target::channel_number;
        e.channel_field_ = k.field;
        set_range(k.k);
        return;
      }
    if (field == "bandwidth_weight" || field == "dependence_weight")
      fail("channels." + name + "." + field +
           " cannot be swept alone: over all channels the weights must add up to 1");
    const std::vector<std::string> others = {"kind",         "dimension",   "unit", "exposure",
                                             "sanctionable", "description", "fbic"};
    if (contains(others, field)) not_a_number(field, "a channel", numeric);
    unknown(field, "a channel", numeric, others);
  }

  void blocs() {
    std::vector<std::string> codes;
    for (const auto& b : sc.blocs) codes.push_back(b.code);
    e.index_ = item(1, codes, "code");
    e.item_ = codes[static_cast<std::size_t>(e.index_)];
    const std::vector<std::string> numeric = {"weight"};
    const std::string& field = key(2, "weight");
    if (field != "weight") {
      const std::vector<std::string> others = {"code", "name", "source", "note"};
      if (contains(others, field)) not_a_number(field, "a bloc", numeric);
      unknown(field, "a bloc", numeric, others);
    }
    end(3);
    e.target_ = Target::bloc_weight;
    set_range({"", Written::number, 0, 1e6});
  }

  ScenarioEdit run() {
    t = tokenize(path, where);
    e.path_ = path;
    const std::vector<std::string> sweepable = {"parameters", "actors", "flows",    "timeline",
                                                "policies",   "shocks", "channels", "blocs"};
    const std::string& section = key(0, "a section: " + join_words(sweepable));
    if (section == "parameters")
      parameters();
    else if (section == "actors")
      actors();
    else if (section == "flows")
      flows();
    else if (section == "timeline")
      timeline();
    else if (section == "policies")
      policies();
    else if (section == "shocks")
      shocks();
    else if (section == "channels")
      channels();
    else if (section == "blocs")
      blocs();
    else if (section == "metadata")
      fail(
          "metadata cannot be swept: start, turn and turns place every event and set the run's "
          "length, the seed is the runs' root seed (vary the run id instead), and name and "
          "description are text");
    else if (section == "poles")
      fail("poles have no numeric fields");
    else
      fail("'" + section + "' names nothing that can be swept" + did_you_mean(section, sweepable) +
           "; sweepable paths start with: " + join_words(sweepable));
    return std::move(e);
  }
};

ScenarioEdit ScenarioEdit::resolve(const Scenario& sc, const std::string& path,
                                   const Location& where) {
  return Resolver{sc, path, where, {}, {}}.run();
}

double ScenarioEdit::checked(double value) const {
  const std::string unit = unit_.empty() ? std::string() : " " + unit_;
  const std::string range = "[" + number_text(lo_) + ", " + number_text(hi_) + "]" + unit;
  auto fail = [&](const std::string& why) {
    throw std::invalid_argument(path_ + " = " + number_text(value) + unit + ": " + why);
  };
  if (!std::isfinite(value)) fail("not a finite number; expected a number in " + range);
  if (integer_) {
    if (value != std::floor(value) || value < lo_ || value > hi_)
      fail("expected a whole number in " + range);
    return value;
  }
  // The loader checks a quantity after converting it, a plain number (a flow's value) before.
  const double canonical = conv_(value);
  const double v = range_after_conversion_ ? canonical : value;
  if (!std::isfinite(v) || v < lo_ || v > hi_) fail("out of range; expected a number in " + range);
  return canonical;
}

void ScenarioEdit::mismatch(const char* what) const {
  throw std::invalid_argument(path_ + ": this scenario has no " + what + " '" + item_ +
                              "' where the edit was resolved; resolve it against this scenario");
}

void ScenarioEdit::apply(Scenario& sc, double value) const {
  const double v = checked(value);
  const auto at = static_cast<std::size_t>(index_);
  switch (target_) {
    case Target::parameter:
      sc.params.*param_ = v;
      if (param_ == &ModelParams::budget_share_of_gdp)  // the default budgets (load.cpp)
        for (ActorSpec& a : sc.actors)
          if (a.budget_from_gdp) a.budget = sc.params.budget_share_of_gdp * a.gdp;
      return;
    case Target::actor_number:
    case Target::actor_budgets: {
      if (at >= sc.actors.size() || sc.actors[at].code != item_) mismatch("actor");
      ActorSpec& a = sc.actors[at];
      if (target_ == Target::actor_budgets) {
        a.budgets[static_cast<std::size_t>(slot_)] = v;
        return;
      }
      a.*actor_field_ = v;
      if (actor_field_ == &ActorSpec::budget) a.budget_from_gdp = false;
      if (actor_field_ == &ActorSpec::gdp && a.budget_from_gdp)
        a.budget = sc.params.budget_share_of_gdp * a.gdp;
      return;
    }
    case Target::flow: {
      const auto other = static_cast<std::size_t>(other_);
      if (at >= sc.flows.size() || sc.flows[at].id != item_ ||
          (other_ >= 0 && (other >= sc.flows.size() || sc.flows[other].id != item_)))
        mismatch("flow");
      FlowEntry& f = sc.flows[at];
      FlowEntry* half = other_ >= 0 ? &sc.flows[other] : nullptr;
      const double old_f = f.value, old_half = half ? half->value : 0.0;
      if (half) {  // between: split equally both ways (build_flows)
        f.value = v / 2.0;
        half->value = v / 2.0;
      } else {
        f.value = v;
      }
      if (v <= 0.0)
        if (const auto unscaled = unscaled_money_channels(sc); !unscaled.empty()) {
          f.value = old_f;
          if (half) half->value = old_half;
          throw std::invalid_argument(
              path_ + " = " + number_text(value) +
              ": with it no money channel has an initial tie, so the bandwidth of " +
              join_words(unscaled) + " has no scale (the loader rejects this scenario)");
        }
      return;
    }
    case Target::event_amount:
    case Target::event_turns:
    case Target::event_penalty:
    case Target::event_detection: {
      if (at >= sc.timeline.size() || sc.timeline[at].id != item_ ||
          static_cast<int>(sc.timeline[at].action.type) != slot_)
        mismatch("timeline event");
      Action& a = sc.timeline[at].action;
      if (target_ == Target::event_amount) a.amount = v;
      if (target_ == Target::event_turns) a.turns = static_cast<int>(v);
      if (target_ == Target::event_penalty) a.penalty = v;
      if (target_ == Target::event_detection) a.detection = v;
      return;
    }
    case Target::policy_number:
    case Target::policy_weight: {
      const PolicySet* set = policy_set_of(sc);
      if (set == nullptr || at >= set->policies().size() || set->policies()[at].first != slot_ ||
          set->policies()[at].second.id != item_)
        mismatch("policy");
      auto policies = set->policies();  // a changed copy: the old set may be shared
      PolicyParams& p = policies[at].second;
      if (target_ == Target::policy_number) {
        auto it = std::find_if(p.numbers.begin(), p.numbers.end(),
                               [&](const auto& kv) { return kv.first == key_; });
        if (it == p.numbers.end()) mismatch("policy parameter");
        it->second = v;
      } else {
        auto it = std::find_if(p.weights.begin(), p.weights.end(),
                               [&](const auto& kv) { return kv.first == key_; });
        if (it == p.weights.end()) mismatch("policy parameter");
        auto& weights = it->second;
        auto w = std::find_if(weights.begin(), weights.end(),
                              [&](const auto& aw) { return aw.first == other_; });
        if (w != weights.end())
          w->second = v;
        else
          weights.emplace_back(other_, v);  // --set adds the key at the end of the map
      }
      sc.decider = std::make_shared<const PolicySet>(std::move(policies), set->shocks());
      return;
    }
    case Target::shock_probability:
    case Target::shock_size:
    case Target::shock_turns: {
      const PolicySet* set = policy_set_of(sc);
      if (set == nullptr || at >= set->shocks().size() || set->shocks()[at].id != item_ ||
          static_cast<int>(set->shocks()[at].kind) != slot_)
        mismatch("shock");
      auto shocks = set->shocks();  // a changed copy: the old set may be shared
      ShockSpec& s = shocks[at];
      if (target_ == Target::shock_probability) s.probability = v;
      if (target_ == Target::shock_size) s.size = v;
      if (target_ == Target::shock_turns) s.turns = static_cast<int>(v);
      sc.decider = std::make_shared<const PolicySet>(set->policies(), std::move(shocks));
      return;
    }
    case Target::channel_number: {
      if (at >= sc.channels.size() || sc.channels[at].name != item_) mismatch("channel");
      ChannelSpec& ch = sc.channels[at];
      const double old = ch.*channel_field_;
      ch.*channel_field_ = v;
      if (channel_field_ == &ChannelSpec::reference && v <= 0.0)
        if (const auto unscaled = unscaled_money_channels(sc); !unscaled.empty()) {
          ch.*channel_field_ = old;
          throw std::invalid_argument(
              path_ + " = " + number_text(value) +
              ": the timeline disburses money but no money channel has an initial tie, so the "
              "bandwidth of " +
              join_words(unscaled) + " needs a reference > 0 (the loader rejects this scenario)");
        }
      return;
    }
    case Target::bloc_weight:
      if (at >= sc.blocs.size() || sc.blocs[at].code != item_) mismatch("bloc");
      sc.blocs[at].weight = v;
      return;
  }
}

std::string ScenarioEdit::as_set(double value) const {
  std::string text = number_text(value);
  if (unit_in_value_) text += " " + unit_;
  return path_ + "=" + text;
}

}  // namespace geosim
