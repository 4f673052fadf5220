#include "scenario/reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "core/text.hpp"

namespace geosim {

std::string child_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

namespace {

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

/// USD multiples in USD m.
std::optional<double> money_scale(std::string_view u) {
  if (u == "USD") return 1e-6;
  if (u == "USD k") return 1e-3;
  if (u == "USD m") return 1.0;
  if (u == "USD bn") return 1e3;
  if (u == "USD tn") return 1e6;
  return std::nullopt;
}

const char* kMoneyHint = "USD, USD k, USD m, USD bn or USD tn";

}  // namespace

std::string_view canonical_unit(UnitKind kind) {
  switch (kind) {
    case UnitKind::usd_bn_per_year:
      return "USD bn/yr";
    case UnitKind::usd_m_per_year:
    case UnitKind::usd_m_flow:
      return "USD m/yr";
    case UnitKind::usd_m:
      return "USD m";
    case UnitKind::fraction_per_year:
      return "1/yr";
    case UnitKind::personnel:
      return "personnel";
    case UnitKind::level:
      return "level";
    case UnitKind::membership:
      return "membership";
  }
  return "";
}

std::optional<UnitKind> unit_kind_of(std::string_view c) {
  if (c == "USD m/yr") return UnitKind::usd_m_flow;
  if (c == "USD m") return UnitKind::usd_m;
  if (c == "personnel") return UnitKind::personnel;
  if (c == "level") return UnitKind::level;
  if (c == "membership") return UnitKind::membership;
  return std::nullopt;
}

void Reader::error(const Node& n, const std::string& path, const std::string& message) {
  d_.error(n.loc, path, message);
}

void Reader::error_at(const Location& where, const std::string& path, const std::string& message) {
  d_.error(where, path, message);
}

bool Reader::check_map(const Node& n, const std::string& path,
                       const std::vector<std::string>& allowed) {
  if (!n.is_map()) {
    error(n, path, "expected a map (key: value lines), got " + n.kind_name());
    return false;
  }
  for (const auto& [key, value] : n.map) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    d_.error(value.key_loc.file.empty() ? value.loc : value.key_loc, child_path(path, key),
             "unknown key '" + key + "'" + did_you_mean(key, allowed) +
                 "; expected one of: " + join_words(allowed));
  }
  return true;
}

const Node* Reader::field(const Node& map, const std::string& path, const std::string& key,
                          bool required) {
  const Node* v = map.is_map() ? map.find(key) : nullptr;
  if (v == nullptr && required && map.is_map())
    error(map, child_path(path, key), "missing required key '" + key + "'");
  return v;
}

std::optional<std::string> Reader::string(const Node& n, const std::string& path) {
  if (!n.is_scalar()) {
    error(n, path, "expected text, got " + n.kind_name());
    return std::nullopt;
  }
  return n.scalar;
}

std::optional<std::string> Reader::identifier(const Node& n, const std::string& path) {
  auto s = string(n, path);
  if (!s) return s;
  const bool ok = !s->empty() && std::all_of(s->begin(), s->end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_';
  });
  if (!ok) {
    error(n, path, "'" + *s + "' is not an identifier; use letters, digits and _ only");
    return std::nullopt;
  }
  return s;
}

std::optional<double> Reader::parse_number(const std::string& text) const {
  const std::string t = trim(text);
  if (t == ".inf" || t == ".Inf" || t == "inf") return std::numeric_limits<double>::infinity();
  if (t == ".nan" || t == ".NaN" || t == "nan" || t == "NaN")
    return std::numeric_limits<double>::quiet_NaN();
  double v = 0;
  const char* b = t.data();
  const char* e = b + t.size();
  if (b != e && *b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, v);
  if (ec != std::errc() || p != e || b == e) return std::nullopt;
  return v;
}

std::optional<double> Reader::number(const Node& n, const std::string& path, double min, double max,
                                     bool allow_infinity) {
  if (!n.is_scalar() || n.quoted) {
    error(n, path,
          "expected a number, got " + n.kind_name() +
              (n.quoted ? " in quotes (quoted values are text: remove the quotes)" : ""));
    return std::nullopt;
  }
  const auto v = parse_number(n.scalar);
  if (!v) {
    error(n, path, "expected a number, got '" + n.scalar + "'");
    return std::nullopt;
  }
  if (std::isnan(*v)) {
    error(n, path,
          "NaN is not a valid value; expected a number in [" + fmt(min) + ", " + fmt(max) + "]");
    return std::nullopt;
  }
  if (std::isinf(*v)) {
    if (allow_infinity && *v > 0) return v;
    error(n, path, "infinity is not allowed here; expected a finite number");
    return std::nullopt;
  }
  if (*v < min || *v > max) {
    error(n, path,
          "value " + fmt(*v) + " is out of range; expected a number in [" + fmt(min) + ", " +
              fmt(max) + "]");
    return std::nullopt;
  }
  return v;
}

std::optional<long long> Reader::integer(const Node& n, const std::string& path, long long min,
                                         long long max) {
  if (!n.is_scalar() || n.quoted) {
    error(n, path,
          "expected a whole number, got " + n.kind_name() +
              (n.quoted ? " in quotes (quoted values are text: remove the quotes)" : ""));
    return std::nullopt;
  }
  long long v = 0;
  const std::string t = trim(n.scalar);
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || p != t.data() + t.size() || t.empty()) {
    error(n, path, "expected a whole number, got '" + n.scalar + "'");
    return std::nullopt;
  }
  if (v < min || v > max) {
    error(n, path,
          "value " + t + " is out of range; expected a whole number in [" + std::to_string(min) +
              ", " + std::to_string(max) + "]");
    return std::nullopt;
  }
  return v;
}

std::optional<bool> Reader::boolean(const Node& n, const std::string& path) {
  if (n.is_scalar() && !n.quoted && (n.scalar == "true" || n.scalar == "false"))
    return n.scalar == "true";
  error(n, path, "expected true or false, got " + n.kind_name());
  return std::nullopt;
}

std::optional<Date> Reader::date(const Node& n, const std::string& path) {
  if (n.is_scalar())
    if (auto d = parse_date(trim(n.scalar))) return d;
  error(n, path, "expected a date YYYY-MM-DD, got " + n.kind_name());
  return std::nullopt;
}

std::optional<int> Reader::choice(const Node& n, const std::string& path,
                                  const std::vector<std::string>& names, const std::string& what) {
  if (n.is_scalar())
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == n.scalar) return static_cast<int>(i);
  const std::string got = n.is_scalar() ? "'" + n.scalar + "'" : n.kind_name();
  error(n, path,
        "unknown " + what + " " + got +
            (n.is_scalar() ? did_you_mean(n.scalar, names) : std::string()) +
            "; expected one of: " + join_words(names));
  return std::nullopt;
}

std::optional<UnitConversion> unit_conversion(std::string_view unit_text, UnitKind kind,
                                              std::string& why) {
  const std::string unit = trim(std::string(unit_text));
  auto bad = [&](const std::string& hint) {
    why = hint;
    return std::nullopt;
  };
  switch (kind) {
    case UnitKind::usd_bn_per_year:
    case UnitKind::usd_m_per_year:
    case UnitKind::usd_m_flow:
    case UnitKind::usd_m: {
      UnitConversion conv;
      std::string money = unit;
      bool has_rate = false;
      if (const auto slash = unit.find('/'); slash != std::string::npos) {
        const std::string rate = trim(unit.substr(slash + 1));
        money = trim(unit.substr(0, slash));
        has_rate = true;
        if (rate == "yr" || rate == "year")
          conv.per_year = 1.0;
        else if (rate == "quarter")
          conv.per_year = 4.0;
        else if (rate == "month")
          conv.per_year = 12.0;
        else
          return bad(std::string(kMoneyHint) + ", followed by /yr, /quarter or /month");
      }
      const auto scale = money_scale(money);
      if (!scale)
        return bad(std::string(kMoneyHint) +
                   (kind == UnitKind::usd_m ? "" : ", optionally per /yr"));
      if (kind == UnitKind::usd_m && has_rate)
        return bad("an amount or stock takes no rate: write e.g. 'USD m', not 'USD m/yr'");
      if (kind == UnitKind::usd_m_flow && !has_rate)
        return bad("a flow needs a rate, e.g. 'USD m/yr' or 'USD bn/yr'");
      conv.scale = *scale;
      if (kind == UnitKind::usd_bn_per_year) conv.divisor = 1000.0;
      return conv;
    }
    case UnitKind::fraction_per_year:
      if (unit == "%/yr" || unit == "%") return UnitConversion{1.0, 1.0, 100.0};
      if (unit == "1/yr" || unit == "/yr") return UnitConversion{};
      return bad("'%/yr' or '1/yr'");
    case UnitKind::personnel:
    case UnitKind::level:
    case UnitKind::membership:
      if (unit == canonical_unit(kind)) return UnitConversion{};
      return bad(std::string(canonical_unit(kind)));
  }
  return bad("");
}

std::optional<double> Reader::convert(double value, const Node& unit_node, const std::string& path,
                                      UnitKind kind) {
  if (!unit_node.is_scalar()) {
    error(unit_node, path, "expected a unit, got " + unit_node.kind_name());
    return std::nullopt;
  }
  std::string why;
  const auto conv = unit_conversion(unit_node.scalar, kind, why);
  if (!conv) {
    error(unit_node, path,
          "wrong unit '" + trim(unit_node.scalar) + "'; expected a unit convertible to " +
              std::string(canonical_unit(kind)) + " (" + why + ")");
    return std::nullopt;
  }
  return (*conv)(value);
}

std::optional<double> Reader::quantity(const Node& n, const std::string& path, UnitKind kind,
                                       double min, double max) {
  if (!n.is_scalar()) {
    error(n, path, "expected a quantity like '10.7 USD bn', got " + n.kind_name());
    return std::nullopt;
  }
  std::optional<double> v;
  const std::string t = trim(n.scalar);
  const auto plain = parse_number(t);
  if (plain && !n.quoted) {
    v = plain;
  } else {
    // "<number> <unit>": the number runs to the first space or '%'.
    const auto split = t.find_first_of(" %");
    const auto num = split == std::string::npos ? std::nullopt : parse_number(t.substr(0, split));
    if (!num) {
      error(n, path,
            "expected a quantity like '10.7 USD bn' (a number, a space, a unit), got '" + n.scalar +
                "'");
      return std::nullopt;
    }
    Node unit = n;
    unit.scalar = trim(t.substr(split));
    v = convert(*num, unit, path, kind);
    if (!v) return std::nullopt;
  }
  if (std::isnan(*v)) {
    error(n, path, "NaN is not a valid value");
    return std::nullopt;
  }
  if (std::isinf(*v) || *v < min || *v > max) {
    error(n, path,
          "value " + fmt(*v) + " " + std::string(canonical_unit(kind)) +
              " is out of range; expected [" + fmt(min) + ", " + fmt(max) + "]");
    return std::nullopt;
  }
  return v;
}

}  // namespace geosim
