#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "model/params.hpp"
#include "test_paths.hpp"

using namespace geosim;

TEST_CASE("every model parameter is documented in docs/model.md with its default") {
  std::ifstream in(GEOSIM_SOURCE_DIR "/docs/model.md");
  REQUIRE(in.good());
  std::stringstream s;
  s << in.rdbuf();
  const std::string doc = s.str();
  const ModelParams defaults;
  for (const auto& p : param_specs()) {
    INFO("parameter " << p.name);
    const auto at = doc.find("| `" + std::string(p.name) + "` |");
    REQUIRE(at != std::string::npos);
    std::ostringstream v;
    v << defaults.*(p.field);
    const std::string row = doc.substr(at, doc.find('\n', at) - at);
    CHECK(row.find("| " + v.str() + " |") != std::string::npos);
  }
}
