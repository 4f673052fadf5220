#include <doctest/doctest.h>

#include "core/calendar.hpp"

using namespace geosim;

TEST_CASE("dates parse strictly and reject impossible days") {
  CHECK(parse_date("2022-08-10") == Date{2022, 8, 10});
  CHECK(parse_date("2024-02-29").has_value());
  CHECK_FALSE(parse_date("2023-02-29").has_value());
  CHECK_FALSE(parse_date("2022-13-01").has_value());
  CHECK_FALSE(parse_date("2022-8-10").has_value());
  CHECK_FALSE(parse_date("10/08/2022").has_value());
}

TEST_CASE("month arithmetic crosses years") {
  CHECK(months_between(Date{2022, 1, 1}, Date{2022, 8, 10}) == 7);
  CHECK(months_between(Date{2022, 11, 1}, Date{2024, 2, 1}) == 15);
  CHECK(add_months(Date{2022, 11, 15}, 3) == Date{2023, 2, 1});
  CHECK(add_months(Date{2022, 1, 1}, 35).str() == "2024-12-01");
}
