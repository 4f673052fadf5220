#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace geosim {

/// A calendar date (proleptic Gregorian). Turns are whole months, so only year and month
/// matter for turn arithmetic; the day is kept for the record.
struct Date {
  int year = 0;
  int month = 1;  ///< 1..12
  int day = 1;    ///< 1..31
  auto operator<=>(const Date&) const = default;
  std::string str() const;  ///< ISO 8601, YYYY-MM-DD
};

/// Parses YYYY-MM-DD; nullopt if malformed or not a real date.
std::optional<Date> parse_date(std::string_view text);

/// Whole months from `from` to `to` (by year and month; days ignored).
int months_between(const Date& from, const Date& to);

/// The first day of the month `months` after `d`'s month.
Date add_months(const Date& d, int months);

}  // namespace geosim
