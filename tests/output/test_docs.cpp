#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "output/run_schema.hpp"
#include "test_paths.hpp"

/// The format document and the schema declaration must not drift apart.
TEST_CASE("docs/output-format.md describes every dimension, variable and event column") {
  std::ifstream in(std::string(GEOSIM_SOURCE_DIR) + "/docs/output-format.md");
  REQUIRE(in.good());
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string doc = buf.str();
  for (const auto d : geosim::kDimNames) {
    CAPTURE(d);
    CHECK(doc.find("`" + std::string(d) + "`") != std::string::npos);
  }
  for (const auto& v : geosim::run_variables()) {
    CAPTURE(v.name);
    std::string sig = "`" + std::string(v.name) + "(turn";
    for (const auto d : v.dims) sig += ", " + std::string(geosim::kDimNames[static_cast<int>(d)]);
    sig += ")`";
    CHECK_MESSAGE(doc.find(sig) != std::string::npos, "missing " << sig);
    CHECK(doc.find(std::string(v.units)) != std::string::npos);
  }
  for (const auto& c : geosim::event_columns()) {
    CAPTURE(c.name);
    CHECK(doc.find("`" + std::string(c.name) + "(event)`") != std::string::npos);
  }
}
