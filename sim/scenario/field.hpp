#pragma once
/// The one declaration of a scenario item's fields. Each field is declared once (key, type, unit,
/// range, default, one-line meaning, and where it is stored); the loader reads every item through
/// these tables, a `--set` path or a sweep resolves numeric fields through them
/// (scenario_edit.cpp), and docs/scenario-format.md prints them (`geosim format --markdown`; a
/// test checks the two agree). Adding a field is one row here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/matrix.hpp"
#include "scenario/reader.hpp"

namespace geosim {

struct BuildContext;
int scenario_version(const BuildContext& c);

/// How a field is written and checked.
enum class FieldType : std::uint8_t {
  text,          ///< any scalar
  identifier,    ///< letters, digits and _ (an id or a code that a --set path can name)
  actor_code,    ///< a new actor's code: [A-Z][A-Z0-9_]*
  number,        ///< a plain number in [min, max]
  integer,       ///< a whole number in [min, max]
  quantity,      ///< a number in `unit`'s canonical unit, or "<number> <unit>"; [min, max] after
  boolean,       ///< true or false
  date,          ///< YYYY-MM-DD, a real date
  choice,        ///< one of `choices`
  actor,         ///< an actor's code
  actor_list,    ///< a list of actor codes, at least `min` of them, each once
  bloc,          ///< a bloc's code
  bloc_list,     ///< a list of bloc codes (repeats are ignored)
  channel,       ///< a channel's name
  channel_list,  ///< a list of channel names, at least one, each once
  pole_shares,   ///< a map pole -> share in [0, 1], adding up to 1
  special,       ///< a structure of its own (a list of items, a map of parameters)
};

/// What a field is, for the reader and for the documentation.
struct FieldSpec {
  std::string_view key;
  FieldType type = FieldType::text;
  bool required = false;
  /// The default as the docs show it ("required" when required; "" when there is none).
  std::string_view default_text;
  double min = 0.0;
  double max = 0.0;
  UnitKind unit = UnitKind::personnel;  ///< quantities
  std::vector<std::string_view> choices;
  std::size_t v1_choices = 0;   ///< how many of `choices` format version 1 knows (0: all)
  std::string_view noun;        ///< what a choice or reference is, in messages ("role", "channel")
  std::string_view meaning;     ///< one line for the docs
  bool allow_infinity = false;  ///< numbers: .inf accepted (half-lives)
  bool allow_rest_of_world = false;  ///< actor references: the rest of the world (ROW) accepted
  bool sweepable = true;             ///< numbers: a --set path or a sweep may change it alone
  std::string_view why_not_sweepable;
  int since = 1;  ///< the scenario format version that introduced it
};

/// A value as read, before it is stored.
struct Value {
  double number = 0.0;
  long long whole = 0;
  bool flag = false;
  std::string text;
  Date date;
  int index = -1;  ///< choices and references
  std::vector<int> list;
  Vector shares;
};

/// A field of item type T: its spec and where it goes. Numbers, quantities and integers are
/// stored through `number` (as double) or `whole` (as int), which is also how a --set path or a
/// sweep changes them; every other type through `set`. A field with none of the three is read
/// by the item's own code (its spec still documents it, and check_keys knows it).
template <class T>
struct Field {
  FieldSpec spec;
  double T::*number = nullptr;
  int T::*whole = nullptr;
  void (*set)(T&, const Value&) = nullptr;
};

template <class T>
using Schema = std::vector<Field<T>>;

/// The keys of a schema, in order (for check_map and "expected one of").
template <class T>
std::vector<std::string> keys_of(const Schema<T>& schema) {
  std::vector<std::string> out;
  for (const auto& f : schema) out.emplace_back(f.spec.key);
  return out;
}

template <class T>
const Field<T>* find_field(const Schema<T>& schema, std::string_view key) {
  for (const auto& f : schema)
    if (f.spec.key == key) return &f;
  return nullptr;
}

/// Reports "missing required key" at the map `n`.
void report_missing(BuildContext& c, const Node& n, const std::string& path, std::string_view key);

/// Reads one value by its spec; reports problems and returns nullopt.
std::optional<Value> read_value(BuildContext& c, const Node& n, const std::string& path,
                                const FieldSpec& spec);

/// Checks that the map `n` holds only keys of `specs` (and `extra`), reporting unknown keys with
/// a "did you mean" and, for a key a later format version introduced, which version it needs.
/// Returns false if `n` is not a map.
bool check_keys(BuildContext& c, const Node& n, const std::string& path,
                const std::vector<FieldSpec>& specs, const std::vector<std::string>& extra = {});

/// Stores a value through a field's `number`, `whole` or `set`.
template <class T>
void store(const Field<T>& f, T& out, const Value& v) {
  if (f.number)
    out.*(f.number) = f.spec.type == FieldType::integer ? static_cast<double>(v.whole) : v.number;
  else if (f.whole)
    out.*(f.whole) = static_cast<int>(v.whole);
  else if (f.set)
    f.set(out, v);
}

/// Reads every field of `schema` that is present in the map `n` and has a storage into `out`, in
/// declaration order, and reports a missing required key. A field introduced by a later format
/// version than the scenario's is skipped (check_keys reported it).
template <class T>
void read_fields(BuildContext& c, const Node& n, const std::string& path, const Schema<T>& schema,
                 T& out);

/// The markdown table of a schema: key | type | unit | default | rule and meaning.
std::string field_table(const std::vector<FieldSpec>& specs);

template <class T>
std::vector<FieldSpec> specs_of(const Schema<T>& schema) {
  std::vector<FieldSpec> out;
  for (const auto& f : schema) out.push_back(f.spec);
  return out;
}

template <class T>
void read_fields(BuildContext& c, const Node& n, const std::string& path, const Schema<T>& schema,
                 T& out) {
  if (!n.is_map()) return;
  for (const Field<T>& f : schema) {
    const bool own_code = !f.number && !f.whole && !f.set;  // read by the item's own code
    if (own_code || f.spec.since > scenario_version(c)) continue;
    const Node* v = n.find(f.spec.key);
    if (v == nullptr) {
      if (f.spec.required) report_missing(c, n, path, f.spec.key);
      continue;
    }
    if (auto value = read_value(c, *v, child_path(path, std::string(f.spec.key)), f.spec))
      store(f, out, *value);
  }
}

}  // namespace geosim
