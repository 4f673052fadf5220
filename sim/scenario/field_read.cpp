// Reading a field by its declaration (field.hpp), and the markdown tables of the declarations.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/text.hpp"
#include "scenario/context.hpp"
#include "scenario/field.hpp"

namespace geosim {

int scenario_version(const BuildContext& c) {
  return c.version();
}

std::string needs_version_2(const BuildContext& c) {
  return "needs scenario format version 2 (geosim: 2); this scenario is version " +
         std::to_string(c.version()) + " (docs/scenario-format.md, \"Versions\")";
}

namespace {

bool valid_code(const std::string& s) {
  if (s.empty() || !std::isupper(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char ch) {
    return std::isupper(static_cast<unsigned char>(ch)) ||
           std::isdigit(static_cast<unsigned char>(ch)) || ch == '_';
  });
}

/// Shares per pole: {west: 0.2, russia: 0.8}; unnamed poles are 0; they must add up to 1. The
/// sum is blamed on the share written last (an overlay's, not the base's).
std::optional<Vector> pole_shares(BuildContext& c, const Node& n, const std::string& path) {
  const int P = static_cast<int>(c.pole_codes.size());
  if (!c.r.check_map(n, path, c.pole_codes)) return std::nullopt;
  Vector x = Vector::Zero(P);
  bool ok = true;
  for (int q = 0; q < P; ++q)
    if (const Node* v = n.find(c.pole_codes[q])) {
      if (auto s = c.r.number(*v, path + "." + c.pole_codes[q], 0.0, 1.0))
        x(q) = *s;
      else
        ok = false;
    }
  for (const auto& kv : n.map)
    if (std::find(c.pole_codes.begin(), c.pole_codes.end(), kv.first) == c.pole_codes.end())
      ok = false;
  if (!ok) return std::nullopt;
  if (std::abs(x.sum() - 1.0) > 1e-6) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", x.sum());
    const Node& blame = latest_in(n).layer > n.layer ? latest_in(n) : n;
    c.r.error(blame, path,
              std::string("shares add up to ") + buf +
                  "; expected 1 (the shares of one actor's alignment over the poles)");
    return std::nullopt;
  }
  return x;
}

constexpr int kLatestVersion = 2;

std::vector<std::string> choice_names(const FieldSpec& s, int version) {
  const std::size_t n =
      version < 2 && s.v1_choices > 0 ? std::min(s.v1_choices, s.choices.size()) : s.choices.size();
  return std::vector<std::string>(s.choices.begin(), s.choices.begin() + static_cast<long>(n));
}

}  // namespace

void report_missing(BuildContext& c, const Node& n, const std::string& path, std::string_view key) {
  c.r.error(n, child_path(path, std::string(key)),
            "missing required key '" + std::string(key) + "'");
}

bool check_keys(BuildContext& c, const Node& n, const std::string& path,
                const std::vector<FieldSpec>& specs, const std::vector<std::string>& extra) {
  std::vector<std::string> known;  // for this version, in declaration order
  std::vector<std::string> later;  // introduced by a later version
  for (const auto& s : specs) (s.since <= c.version() ? known : later).emplace_back(s.key);
  known.insert(known.end(), extra.begin(), extra.end());
  if (!n.is_map()) return c.r.check_map(n, path, known);
  for (const auto& [key, value] : n.map) {
    const Location& where = value.key_loc.file.empty() ? value.loc : value.key_loc;
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    if (std::find(later.begin(), later.end(), key) != later.end()) {
      c.r.error_at(where, child_path(path, key), "'" + key + "' " + needs_version_2(c));
      continue;
    }
    c.r.error_at(where, child_path(path, key),
                 "unknown key '" + key + "'" + did_you_mean(key, known) +
                     "; expected one of: " + join_words(known));
  }
  return true;
}

std::optional<Value> read_value(BuildContext& c, const Node& n, const std::string& path,
                                const FieldSpec& s) {
  Reader& r = c.r;
  Value v;
  switch (s.type) {
    case FieldType::text:
      if (auto x = r.string(n, path))
        v.text = *x;
      else
        return std::nullopt;
      return v;
    case FieldType::identifier:
      if (auto x = r.identifier(n, path))
        v.text = *x;
      else
        return std::nullopt;
      return v;
    case FieldType::actor_code: {
      auto x = r.string(n, path);
      if (!x) return std::nullopt;
      v.text = *x;
      if (!valid_code(*x))
        r.error(n, path,
                "actor code '" + *x +
                    "' must be capitals, digits or _ and start with a capital "
                    "(ISO 3166 alpha-3 for states, e.g. TJK)");
      return v;  // kept either way, so that references to it do not add errors
    }
    case FieldType::number:
      if (auto x = r.number(n, path, s.min, s.max, s.allow_infinity))
        v.number = *x;
      else
        return std::nullopt;
      return v;
    case FieldType::integer:
      // A max of 2^63 or more (the seed's) is the largest long long: the cast would overflow.
      if (auto x = r.integer(n, path, static_cast<long long>(s.min),
                             s.max >= 9.2e18 ? std::numeric_limits<long long>::max()
                                             : static_cast<long long>(s.max)))
        v.whole = *x;
      else
        return std::nullopt;
      return v;
    case FieldType::quantity:
      if (auto x = r.quantity(n, path, s.unit, s.min, s.max))
        v.number = *x;
      else
        return std::nullopt;
      return v;
    case FieldType::boolean:
      if (auto x = r.boolean(n, path))
        v.flag = *x;
      else
        return std::nullopt;
      return v;
    case FieldType::date:
      if (auto x = r.date(n, path))
        v.date = *x;
      else
        return std::nullopt;
      return v;
    case FieldType::choice: {
      const auto names = choice_names(s, c.version());
      const auto all = choice_names(s, kLatestVersion);
      if (n.is_scalar() && std::find(names.begin(), names.end(), n.scalar) == names.end() &&
          std::find(all.begin(), all.end(), n.scalar) != all.end()) {
        r.error(n, path, "'" + n.scalar + "' " + needs_version_2(c));  // a later version's value
        return std::nullopt;
      }
      const auto x = r.choice(n, path, names, std::string(s.noun));
      if (!x) return std::nullopt;
      v.index = *x;
      return v;
    }
    case FieldType::actor:
      v.index = c.actor(n, path, s.allow_rest_of_world);
      if (v.index < 0) return std::nullopt;
      return v;
    case FieldType::actor_list:
      v.list = c.actor_list(n, path, static_cast<std::size_t>(std::max(0.0, s.min)),
                            s.allow_rest_of_world);
      return v;
    case FieldType::bloc:
      v.index = c.bloc(n, path);
      if (v.index < 0) return std::nullopt;
      return v;
    case FieldType::bloc_list:
      if (!n.is_seq()) {
        r.error(n, path, "expected a list of bloc codes, got " + n.kind_name());
        return std::nullopt;
      }
      for (std::size_t i = 0; i < n.seq.size(); ++i) {
        const int b = c.bloc(n.seq[i], path + "[" + std::to_string(i) + "]");
        if (b >= 0 && std::find(v.list.begin(), v.list.end(), b) == v.list.end())
          v.list.push_back(b);
      }
      return v;
    case FieldType::channel:
      v.index = c.channel(n, path);
      if (v.index < 0) return std::nullopt;
      return v;
    case FieldType::channel_list:
      if (!n.is_seq() || n.seq.empty()) {
        r.error(n, path,
                "expected a list of channel names like [trade, remittances], got " +
                    (n.is_seq() ? std::string("an empty list") : n.kind_name()));
        return std::nullopt;
      }
      for (std::size_t i = 0; i < n.seq.size(); ++i) {
        const int k = c.channel(n.seq[i], path + "[" + std::to_string(i) + "]");
        if (k < 0) continue;
        if (std::find(v.list.begin(), v.list.end(), k) != v.list.end())
          r.error(n.seq[i], path, "channel '" + n.seq[i].scalar + "' is listed twice");
        else
          v.list.push_back(k);
      }
      return v;
    case FieldType::pole_shares:
      if (auto x = pole_shares(c, n, path))
        v.shares = *x;
      else
        return std::nullopt;
      return v;
    case FieldType::special:
      break;
  }
  return std::nullopt;
}

namespace {

std::string fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

std::string type_text(const FieldSpec& s) {
  switch (s.type) {
    case FieldType::text:
      return "text";
    case FieldType::identifier:
      return "identifier";
    case FieldType::actor_code:
      return "code";
    case FieldType::number:
      return "number";
    case FieldType::integer:
      return "integer";
    case FieldType::quantity:
      return "quantity";
    case FieldType::boolean:
      return "bool";
    case FieldType::date:
      return "date";
    case FieldType::choice: {
      std::string out;
      for (auto c : s.choices) out += (out.empty() ? "" : " \\| ") + ("`" + std::string(c) + "`");
      return out.empty() ? "name" : out;
    }
    case FieldType::actor:
      return "actor code";
    case FieldType::actor_list:
      return "list of actor codes";
    case FieldType::bloc:
      return "bloc code";
    case FieldType::bloc_list:
      return "list of bloc codes";
    case FieldType::channel:
      return "channel name";
    case FieldType::channel_list:
      return "list of channel names";
    case FieldType::pole_shares:
      return "map pole -> share";
    case FieldType::special:
      return "see below";  // a structure of its own, described after the table
  }
  return "";
}

std::string range_text(const FieldSpec& s) {
  const bool ranged =
      s.type == FieldType::number || s.type == FieldType::integer || s.type == FieldType::quantity;
  if (!ranged) return "";
  std::string hi = s.max >= 1e300 ? "inf" : fmt(s.max);
  if (s.type == FieldType::integer && s.max >= 9e18) hi = "2^63-1";
  return "[" + fmt(s.min) + ", " + hi + "]";
}

}  // namespace

std::string field_table(const std::vector<FieldSpec>& specs) {
  std::string out =
      "| key | type | unit | default | range | meaning |\n|---|---|---|---|---|---|\n";
  for (const auto& s : specs) {
    const std::string unit =
        s.type == FieldType::quantity ? std::string(canonical_unit(s.unit)) : std::string();
    std::string meaning(s.meaning);
    if (s.since > 1) meaning += " *(version 2)*";
    out += "| `" + std::string(s.key) + "` | " + type_text(s) + " | " + unit + " | " +
           (s.required ? std::string("required") : std::string(s.default_text)) + " | " +
           range_text(s) + " | " + meaning + " |\n";
  }
  return out;
}

}  // namespace geosim
