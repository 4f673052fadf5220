#include <doctest/doctest.h>

#include "core/error.hpp"
#include "core/text.hpp"

using namespace geosim;

TEST_CASE("did-you-mean suggests close words only") {
  CHECK(edit_distance("gpd", "gdp") == 2);
  CHECK(closest_match("gpd", {"gdp", "growth", "military"}) == "gdp");
  CHECK(did_you_mean("susceptability", {"susceptibility", "autonomy"}) ==
        " (did you mean 'susceptibility'?)");
  CHECK(did_you_mean("zzzzzz", {"gdp", "growth"}).empty());
}

TEST_CASE("diagnostics print file:line:column, the key path and the message") {
  const Diagnostic d{{"a.yaml", 12, 5}, "actors[TJK].gdp", "expected a number"};
  CHECK(d.str() == "a.yaml:12:5: error at 'actors[TJK].gdp': expected a number");
  Diagnostics ds;
  CHECK_NOTHROW(ds.throw_if_any());
  ds.error({"b.yaml", 1, 1}, "x", "one");
  ds.error({"b.yaml", 2, 1}, "y", "two");
  try {
    ds.throw_if_any();
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(e.diagnostics().size() == 2);
    CHECK(std::string(e.what()).find("b.yaml:2:1: error at 'y': two") != std::string::npos);
  }
}

TEST_CASE("the scenario fingerprint is stable and sensitive") {
  CHECK(fnv1a_hex("") == "cbf29ce484222325");
  CHECK(fnv1a_hex("a") != fnv1a_hex("b"));
  CHECK(fnv1a_hex("abc").size() == 16);
}

TEST_CASE("the piecewise hash equals the hash of the joined text") {
  CHECK(geosim::Fnv1a().add("geosim ").add("").add("sweep").hex() ==
        geosim::fnv1a_hex("geosim sweep"));
  CHECK(geosim::Fnv1a().hex() == geosim::fnv1a_hex(""));
  CHECK(geosim::Fnv1a().add("ab").hex() != geosim::Fnv1a().add("ba").hex());
}

TEST_CASE("a word is hashed as its 8 bytes, least significant first") {
  // "abcdefgh" read little-endian is 0x6867666564636261.
  CHECK(geosim::Fnv1a().add_word(0x6867666564636261ULL).hex() == geosim::fnv1a_hex("abcdefgh"));
  CHECK(geosim::Fnv1a().add_word(1).hex() != geosim::Fnv1a().add_word(1ULL << 56).hex());
}

TEST_CASE("count_of: the noun is plural unless the count is 1") {
  CHECK(geosim::count_of(1, "chunk") == "1 chunk");
  CHECK(geosim::count_of(0, "chunk") == "0 chunks");
  CHECK(geosim::count_of(12, "run") == "12 runs");
}
