#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "fixture.hpp"
#include "output/run_writer.hpp"
#include "output/temp_file.hpp"

namespace fs = std::filesystem;
using namespace geosim;

TEST_CASE("the final name appears only when finish() succeeds") {
  const Scenario sc = test::tiny_scenario();
  const std::string path = test::scratch_path("partial.h5");
  World w = test::sized_world(sc);

  SUBCASE("while writing, only the temp file exists") {
    RunWriter writer(path, sc, w);
    CHECK(writer.temp_path() == temp_name(path));
    CHECK(writer.temp_path().rfind(path + ".tmp.", 0) == 0);
    CHECK(fs::exists(temp_name(path)));
    CHECK_FALSE(fs::exists(path));
  }
  SUBCASE("destroyed without finish(): neither file remains") {
    {
      RunWriter writer(path, sc, w);
      w.turn = 0;
      test::fill_turn(w);
      writer.record(w);
    }
    CHECK_FALSE(fs::exists(path + ".tmp"));
    CHECK_FALSE(fs::exists(path));
  }
  SUBCASE("an exception during the run: neither file remains") {
    try {
      RunWriter writer(path, sc, w);
      w.turn = 0;
      writer.record(w);
      throw std::runtime_error("model failure");
    } catch (const std::runtime_error&) {
    }
    CHECK_FALSE(fs::exists(path + ".tmp"));
    CHECK_FALSE(fs::exists(path));
  }
  SUBCASE("a failed run leaves an existing file of the final name untouched") {
    std::ofstream(path) << "previous run";
    { RunWriter writer(path, sc, w); }
    std::ifstream in(path);
    std::string text;
    std::getline(in, text);
    CHECK(text == "previous run");
    CHECK_FALSE(fs::exists(path + ".tmp"));
  }
  SUBCASE("finish() before every turn is recorded is refused and leaves nothing") {
    {
      RunWriter writer(path, sc, w);
      w.turn = 0;
      writer.record(w);
      CHECK_THROWS_WITH_AS(writer.finish(w, test::sample_provenance()),
                           "RunWriter::finish: 1 of 4 turns recorded", std::logic_error);
    }
    CHECK_FALSE(fs::exists(path + ".tmp"));
    CHECK_FALSE(fs::exists(path));
  }
}

TEST_CASE("turns must be recorded in order") {
  const Scenario sc = test::tiny_scenario();
  const std::string path = test::scratch_path("order.h5");
  World w = test::sized_world(sc);
  RunWriter writer(path, sc, w);
  w.turn = 1;
  CHECK_THROWS_WITH_AS(writer.record(w), "RunWriter::record: expected turn 0 of 4, got 1",
                       std::logic_error);
  w.turn = -1;
  CHECK_THROWS_AS(writer.record(w), std::logic_error);
}

TEST_CASE("a world whose arrays do not match the scenario is refused") {
  const Scenario sc = test::tiny_scenario();
  const std::string path = test::scratch_path("mismatch.h5");
  World w = test::sized_world(sc);
  SUBCASE("at construction") {
    w.n = 3;
    CHECK_THROWS_AS(RunWriter(path, sc, w), std::logic_error);
    CHECK_FALSE(fs::exists(path + ".tmp"));
  }
  SUBCASE("when a matrix has the wrong size") {
    RunWriter writer(path, sc, w);
    w.turn = 0;
    w.I = Matrix::Zero(3, 3);
    CHECK_THROWS_WITH_AS(writer.record(w),
                         "RunWriter::record: 'influence' has 9 values, expected 16",
                         std::logic_error);
  }
}

TEST_CASE("a temp file that cannot be created is an error naming it") {
  const Scenario sc = test::tiny_scenario();
  const World w = test::sized_world(sc);
  const std::string path = test::scratch_path("no/such/dir/run.h5");
  try {
    RunWriter writer(path, sc, w);
    FAIL("expected an exception");
  } catch (const std::runtime_error& e) {
    const std::string msg = e.what();
    CHECK(msg.find("cannot create '" + temp_name(path) + "'") != std::string::npos);
  }
}
