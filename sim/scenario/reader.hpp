#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/error.hpp"
#include "scenario/tree.hpp"

namespace geosim {

/// Units a quantity may be written in (docs/scenario-format.md, "Quantities"). Each converts to
/// one canonical unit; a bare number is taken to be in it.
enum class UnitKind {
  usd_bn_per_year,    ///< gdp, military, budget: canonical USD bn per year; "/yr" optional
  usd_m_per_year,     ///< budgets per instrument: canonical USD m per year; "/yr" optional
  usd_m_flow,         ///< money flows: canonical USD m/yr; the rate ("/yr", "/month") required
  usd_m,              ///< amounts and money stocks: canonical USD m; no rate allowed
  fraction_per_year,  ///< growth: a fraction per year, or "N %/yr"
  personnel,
  level,
  membership,
};

/// The canonical unit's name, as written in docs and outputs.
std::string_view canonical_unit(UnitKind kind);
/// The unit kind of a channel's canonical unit string, or nullopt.
std::optional<UnitKind> unit_kind_of(std::string_view canonical);

/// How a number written in one unit becomes its canonical value: ((value * scale) * per_year) /
/// divisor, in that order, so that the loader and a typed edit (scenario_edit.hpp) give the same
/// bits.
struct UnitConversion {
  double scale = 1.0;     ///< the money multiple in USD m (USD bn: 1e3), or 1
  double per_year = 1.0;  ///< the rate per year (/month: 12), or 1
  double divisor = 1.0;   ///< 1e3 to USD bn, 100 from %, or 1
  double operator()(double value) const { return value * scale * per_year / divisor; }
};

/// The conversion of `unit` (as written after a number, e.g. "USD bn/yr") to `kind`'s canonical
/// unit; nullopt if `unit` does not convert to it, with the reason (a hint of what does) in `why`.
std::optional<UnitConversion> unit_conversion(std::string_view unit, UnitKind kind,
                                              std::string& why);

/// Typed reads from the located tree. Each reports problems to the Diagnostics (with the
/// node's location and the key path) and returns nullopt, so parsing goes on and the user sees
/// every problem at once.
class Reader {
 public:
  explicit Reader(Diagnostics& d) : d_(d) {}

  void error(const Node& n, const std::string& path, const std::string& message);
  void error_at(const Location& where, const std::string& path, const std::string& message);

  /// Checks a node is a map whose keys are all in `allowed`; reports each unknown key with a
  /// "did you mean". Returns false if the node is not a map.
  bool check_map(const Node& n, const std::string& path, const std::vector<std::string>& allowed);
  /// The value of `key`, or null; reports a missing key when `required`.
  const Node* field(const Node& map, const std::string& path, const std::string& key,
                    bool required);

  std::optional<std::string> string(const Node& n, const std::string& path);
  /// A code or id: letters, digits and _ only (so it can stand in a --set path).
  std::optional<std::string> identifier(const Node& n, const std::string& path);
  std::optional<double> number(const Node& n, const std::string& path, double min, double max,
                               bool allow_infinity = false);
  std::optional<long long> integer(const Node& n, const std::string& path, long long min,
                                   long long max);
  std::optional<bool> boolean(const Node& n, const std::string& path);
  std::optional<Date> date(const Node& n, const std::string& path);
  /// One of `names`; returns its index.
  std::optional<int> choice(const Node& n, const std::string& path,
                            const std::vector<std::string>& names, const std::string& what);
  /// A quantity in `kind`'s canonical unit; `min`, `max` apply after conversion.
  std::optional<double> quantity(const Node& n, const std::string& path, UnitKind kind, double min,
                                 double max);
  /// A number written with a separate unit string (flow entries).
  std::optional<double> convert(double value, const Node& unit, const std::string& path,
                                UnitKind kind);

 private:
  std::optional<double> parse_number(const std::string& text) const;
  Diagnostics& d_;
};

/// Convenience: "a.b" or "b" if a is empty.
std::string child_path(const std::string& parent, const std::string& key);

}  // namespace geosim
