#pragma once
/// The parser of --set paths against a typed Scenario, shared by scenario_edit.cpp (the
/// entry points and the sections it dispatches to) and scenario_edit_sections.cpp (one resolver
/// per section). Internal to sim/scenario.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/text.hpp"
#include "policy/policy_set.hpp"
#include "scenario/context.hpp"
#include "scenario/rest_of_world.hpp"
#include "scenario/scenario_edit.hpp"
#include "scenario/schema.hpp"

namespace geosim {

namespace edit_detail {

/// Text that reads back as exactly `v` (std::from_chars, as the loader reads): whole numbers
/// as integers, others in the shortest form.
inline std::string number_text(double v) {
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
inline std::vector<Token> tokenize(const std::string& path, const Location& where) {
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
inline std::string some_words(const std::vector<std::string>& words, std::size_t max = 20) {
  if (words.empty()) return "(none)";
  if (words.size() <= max) return join_words(words);
  std::vector<std::string> head(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(max));
  return join_words(head) + ", ... (" + std::to_string(words.size()) + " in all)";
}

/// "a x" or "an x".
inline std::string a_or_an(const std::string& noun) {
  return (noun.find_first_of("aeiou") == 0 ? "an " : "a ") + noun;
}

inline bool contains(const std::vector<std::string>& words, const std::string& w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

inline const PolicySet* policy_set_of(const Scenario& sc) {
  return dynamic_cast<const PolicySet*>(sc.decider.get());
}

}  // namespace edit_detail

/// Parses a path against a scenario and fills in the edit.
struct ScenarioEdit::Resolver {
  using Token = edit_detail::Token;
  static bool contains(const std::vector<std::string>& words, const std::string& w) {
    return edit_detail::contains(words, w);
  }
  static std::string some_words(const std::vector<std::string>& words) {
    return edit_detail::some_words(words);
  }
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

  /// The range, unit and conversion of a declared number.
  void set_range(const FieldSpec& s) {
    e.lo_ = s.min;
    e.hi_ = s.max;
    e.integer_ = s.type == FieldType::integer;
    if (s.type == FieldType::quantity) {
      e.unit_ = std::string(canonical_unit(s.unit));
      std::string why;
      e.conv_ = *unit_conversion(e.unit_, s.unit, why);  // a canonical unit always converts
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

  /// The declared numeric field named `field` of an item (token `at`), which must be the last
  /// token; `extra` numeric keys (handled by the caller) are listed in messages. Fails with
  /// what exists when the field is not a sweepable number.
  template <class T>
  const Field<T>* numeric(const Schema<T>& schema, const std::string& field,
                          const std::string& item_kind, std::size_t at,
                          const std::vector<std::string>& extra = {}) {
    std::vector<std::string> numbers, others;
    const Field<T>* found = nullptr;
    for (const Field<T>& f : schema) {
      if (f.spec.since > sc.version) continue;
      const bool is_number = (f.number || f.whole) && f.spec.sweepable;
      (is_number ? numbers : others).emplace_back(f.spec.key);
      if (f.spec.key == field) found = &f;
    }
    numbers.insert(numbers.end(), extra.begin(), extra.end());
    if (found && (found->number || found->whole) && !found->spec.sweepable)
      fail(prefix(at + 1) +
           " cannot be swept alone: " + std::string(found->spec.why_not_sweepable));
    if (found && (found->number || found->whole)) {
      end(at + 1);
      set_range(found->spec);
      return found;
    }
    if (contains(others, field)) not_a_number(field, item_kind, numbers);
    unknown(field, item_kind, numbers, others);
  }

  /// The setter of a declared number of item `index` of a list, checked by `matches`.
  template <class T, class Items, class Check>
  void store_into(Items Scenario::*list, const Field<T>* field, std::size_t index, Check matches,
                  std::string what, std::string item) {
    const auto number = field->number;
    const auto whole = field->whole;
    e.set_ = [=, path = path](Scenario& s, double v) {
      auto& items = s.*list;
      if (index >= items.size() || !matches(items[index]))
        throw std::invalid_argument(path + ": this scenario has no " + what + " '" + item +
                                    "' where the edit was resolved; resolve it against this "
                                    "scenario");
      T& x = items[index];
      if (number)
        x.*number = v;
      else
        x.*whole = static_cast<int>(v);
    };
  }

  // One per section (scenario_edit_sections.cpp).
  void actor_number(std::size_t index, const std::string& code, const std::string& field,
                    std::size_t at, const Schema<ActorSpec>& schema, const std::string& kind);
  void parameters();
  void actors();
  void rest_of_world();
  void flows();
  void timeline();
  void policies();
  void shocks();
  void channels();
  void blocs();

  ScenarioEdit run();
};

}  // namespace geosim
