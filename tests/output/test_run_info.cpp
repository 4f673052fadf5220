#include <doctest/doctest.h>
#include <hdf5.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "fixture.hpp"
#include "output/h5_helpers.hpp"
#include "output/run_info.hpp"
#include "output/run_writer.hpp"

using namespace geosim;

namespace {

/// A finished run whose final influence shares over KAZ are CHN 0.5, RUS 0.3, USA 0.2.
std::string write_shares_run(const std::string& name) {
  const Scenario sc = test::tiny_scenario();
  const std::string path = test::scratch_path(name);
  World w = test::sized_world(sc);
  RunWriter writer(path, sc, w);
  for (int t = 0; t < sc.turns; ++t) {
    w.turn = t;
    test::fill_turn(w);
    w.share.setZero();
    w.share(0, 3) = 0.2;
    w.share(1, 3) = 0.5;
    w.share(2, 3) = t == sc.turns - 1 ? 0.3 : 0.0;
    w.hedging.setZero();
    w.hedging(3) = 0.5;
    writer.record(w);
  }
  Provenance p;
  p.scenario_file = "tests/tiny.yaml";
  p.host = "testhost";
  p.start_time = "2024-05-01T12:00:00Z";
  p.run_id = 3;
  p.wall_seconds = 0.25;
  p.command_line = "geosim run tests/tiny.yaml";
  writer.finish(w, p);
  return path;
}

/// Creates an HDF5 file with a root attribute `format` (or none if empty) and nothing else, in
/// the file format geosim writes.
std::string write_foreign(const std::string& name, const std::string& format,
                          std::int32_t version = 1) {
  const std::string path = test::scratch_path(name);
  h5::Handle f = h5::create_file(path);
  if (!format.empty()) {
    h5::write_attr(f.get(), "format", format);
    h5::write_attr(f.get(), "format_version", version);
  }
  return path;
}

std::string message_of(const std::string& path) {
  try {
    read_run_info(path);
  } catch (const FileError& e) {
    return e.what();
  }
  return "no FileError";
}

}  // namespace

TEST_CASE("read_run_info summarises a run file") {
  const std::string path = write_shares_run("info.h5");
  const RunInfo info = read_run_info(path);
  CHECK(info.path == path);
  CHECK(info.format_version == 1);
  CHECK(info.scenario_name == "tiny");
  CHECK(info.scenario_file == "tests/tiny.yaml");
  CHECK(info.seed == 42);
  CHECK(info.run_id == 3);
  CHECK(info.host == "testhost");
  CHECK(info.wall_seconds == 0.25);
  CHECK(info.turns == 4);
  CHECK(info.first_date == "2022-01-01");
  CHECK(info.last_date == "2022-04-01");
  CHECK(info.actors == std::vector<std::string>{"USA", "CHN", "RUS", "KAZ"});
  CHECK(info.actor_roles == std::vector<std::string>{"patron", "patron", "patron", "client"});
  CHECK(info.poles == std::vector<std::string>{"WEST", "EAST"});
  CHECK(info.events == 0);
  REQUIRE(info.clients.size() == 1);
  const ClientSummary& kaz = info.clients.front();
  CHECK(kaz.code == "KAZ");
  CHECK(kaz.name == "Kazakhstan");
  CHECK(kaz.hedging == 0.5);
  REQUIRE(kaz.top.size() == 3);
  CHECK(kaz.top[0].patron == "CHN");
  CHECK(kaz.top[0].share == 0.5);
  CHECK(kaz.top[1].patron == "RUS");
  CHECK(kaz.top[2].patron == "USA");

  const std::string text = format_run_info(info);
  CHECK(text.find("tiny") != std::string::npos);
  CHECK(text.find("4 (2022-01-01 .. 2022-04-01)") != std::string::npos);
  CHECK(text.find("KAZ  CHN 0.500  RUS 0.300  USA 0.200   hedging 0.500") != std::string::npos);
}

TEST_CASE("read_run_info rejects files that are not geosim run files, saying why") {
  SUBCASE("missing file") {
    const std::string path = test::scratch_path("missing.h5");
    CHECK(message_of(path) == path + ": no such file (expected a geosim run file)");
  }
  SUBCASE("a folder") {
    const std::string path = test::scratch_path("a_folder.h5");
    std::filesystem::create_directories(path);
    CHECK(message_of(path) == path + ": is a folder, not a geosim run file");
  }
  SUBCASE("empty") {
    const std::string path = test::scratch_path("zero.h5");
    std::ofstream{path};
    CHECK(message_of(path) == path + ": is empty (0 bytes; expected a geosim run file)");
  }
  SUBCASE("not HDF5") {
    const std::string path = test::scratch_path("text.h5");
    std::ofstream(path) << "name: not a run\n";
    CHECK(message_of(path) == path + ": not an HDF5 file (expected a geosim run file)");
  }
  SUBCASE("HDF5 in the old layout without checksums") {
    const std::string path = test::scratch_path("old_layout.h5");
    h5::check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "create");
    CHECK(message_of(path) ==
          path +
              ": an HDF5 file geosim did not write (superblock version 0, without checksums; "
              "geosim reads version 2 or later: rewrite it with `h5repack -L` to read it)");
  }
  SUBCASE("HDF5 without the format attribute") {
    const std::string path = write_foreign("foreign.h5", "");
    CHECK(message_of(path) == path +
                                  ": format: not a geosim run file: the root "
                                  "attribute 'format' is missing (expected 'geosim-run')");
  }
  SUBCASE("HDF5 of another format") {
    const std::string path = write_foreign("sweep.h5", "geosim-sweep");
    CHECK(message_of(path) == path +
                                  ": format: not a geosim run file: format is "
                                  "'geosim-sweep', expected 'geosim-run'");
  }
  SUBCASE("a newer format version") {
    const std::string path = write_foreign("v2.h5", "geosim-run", 2);
    CHECK(message_of(path) == path +
                                  ": format_version: unsupported format_version 2 "
                                  "(this geosim reads version 1)");
  }
  SUBCASE("the right attributes but no data") {
    const std::string path = write_foreign("empty.h5", "geosim-run", 1);
    CHECK(message_of(path) == path + ": actor: missing dataset 'actor'");
  }
}
