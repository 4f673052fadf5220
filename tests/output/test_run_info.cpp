#include <doctest/doctest.h>
#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "core/text.hpp"
#include "fixture.hpp"
#include "output/calibration_store.hpp"
#include "output/ensemble_info.hpp"
#include "output/h5_helpers.hpp"
#include "output/replicate_writer.hpp"
#include "output/run_info.hpp"
#include "output/run_writer.hpp"
#include "output/sweep_info.hpp"
#include "output/sweep_pack.hpp"

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

// --- geosim info on every other kind of file (format_file_info) ------------------------------

namespace {

namespace fs = std::filesystem;

/// The values of `name` in the block [start, start + count), read back with HDF5.
std::vector<double> read_values(const std::string& path, const std::string& name,
                                const std::vector<hsize_t>& start,
                                const std::vector<hsize_t>& count) {
  h5::QuietErrors quiet;
  const h5::Handle f = h5::open_file(path);
  const h5::Handle ds = h5::check(H5Dopen2(f.get(), name.c_str(), H5P_DEFAULT), name);
  return h5::read_block(ds.get(), start, count);
}

std::string file_info_error(const std::string& path) {
  try {
    (void)format_file_info(path);
  } catch (const FileError& e) {
    return e.what();
  }
  return "no FileError";
}

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

/// The influence shares over KAZ (USA, CHN, RUS) of scenario s (0: base, k: what-if k),
/// replicate r at turn t of 4: each what-if moves them by its own deltas, which grow to their
/// full size at the last turn and differ a little between replicates.
void set_shares(World& w, int s, int r, int t) {
  static const double kDelta[3][3] = {
      {0.0, 0.0, 0.0}, {+0.011, -0.004, -0.007}, {-0.002, +0.009, -0.003}};
  const double base[3] = {0.2, 0.5, 0.3};
  w.share.setZero();
  for (int a = 0; a < 3; ++a)
    w.share(a, 3) = base[a] + 0.001 * r + kDelta[s][a] * (1.0 + 0.1 * r) * (t + 1) / 4.0;
  w.hedging.setZero();
  w.hedging(3) = 1.0 - w.share(1, 3);
}

/// A replicates file (whatifs = 0) or a comparison of `whatifs` what-ifs of the tiny scenario,
/// 3 replicates with run ids 5, 6, 7, each run logging `turn + 1` events.
std::string write_ensemble(const std::string& name, int whatifs) {
  const Scenario base = test::tiny_scenario();
  std::vector<Scenario> alt;
  for (int k = 1; k <= whatifs; ++k) {
    Scenario sc = test::tiny_scenario();
    sc.name = "tiny_whatif_" + std::to_string(k);
    sc.description = "What if " + std::to_string(k) + "?\nA second line.";
    sc.resolved_yaml += "whatif: " + std::to_string(k) + "\n";
    alt.push_back(sc);
  }
  std::vector<const Scenario*> ptrs;
  for (const auto& sc : alt) ptrs.push_back(&sc);
  const std::string path = test::scratch_path(name);
  const std::vector<std::uint64_t> ids{5, 6, 7};
  EnsembleWriter writer = whatifs == 0 ? EnsembleWriter::replicates(path, base, ids)
                                       : EnsembleWriter::comparison(path, base, ptrs, ids);
  for (int s = 0; s <= whatifs; ++s)
    for (int r = 0; r < 3; ++r) {
      World w = test::sized_world(base);
      for (int t = 0; t < base.turns; ++t) {
        w.turn = t;
        test::fill_turn(w);
        set_shares(w, s, r, t);
        w.log.push_back(LoggedEvent{t, ActionType::visit, Cause::scripted, 0, 3});
        writer.record(s, static_cast<std::size_t>(r), w);
      }
      writer.end_run(s, static_cast<std::size_t>(r), w);
    }
  ComparisonProvenance prov{test::sample_provenance(), {}};
  for (int k = 1; k <= whatifs; ++k)
    prov.whatif_files.push_back("tests/whatif_" + std::to_string(k) + ".yaml");
  prov.base.posterior_file = "calib.h5";
  prov.base.posterior_particle = {0, 1, 0};
  writer.finish(prov);
  return path;
}

std::string signed_pp(double difference) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.2f", 100.0 * difference);
  return buf;
}

}  // namespace

TEST_CASE("format_file_info gives a run file's summary unchanged") {
  const std::string path = write_shares_run("info_any.h5");
  CHECK(format_file_info(path) == format_run_info(read_run_info(path)));
}

TEST_CASE("geosim info on a replicates file") {
  const std::string path = write_ensemble("info_replicates.h5", 0);
  const EnsembleInfo info = read_ensemble_info(path);
  CHECK_FALSE(info.comparison);
  CHECK(info.format_version == 1);
  REQUIRE(info.scenarios.size() == 1);
  CHECK(info.scenarios[0].name == "tiny");
  CHECK(info.scenarios[0].file == "tests/tiny.yaml");
  CHECK(info.scenarios[0].seed == 42);
  CHECK(info.replicates == 3);
  CHECK(info.first_run_id == 5);
  CHECK(info.last_run_id == 7);
  CHECK(info.turns == 4);
  CHECK(info.events == 3 * 4);
  CHECK(info.posterior_file == "calib.h5");
  // The clients' shares are the file's means over the replicates at the last turn.
  const std::vector<double> mean = read_values(path, "influence_share_mean", {3, 0, 3}, {1, 3, 1});
  REQUIRE(info.clients.size() == 1);
  REQUIRE(info.clients[0].top.size() == 3);
  CHECK(info.clients[0].top[0].patron == "CHN");
  CHECK(info.clients[0].top[0].share == mean[1]);
  CHECK(info.clients[0].top[2].share == mean[0]);  // USA 0.201 < RUS 0.301

  const std::string text = format_ensemble_info(info);
  CHECK(text.rfind(path + " (geosim replicates file, format version 1)\n", 0) == 0);
  CHECK(has_line(text, "  replicates:   3, run ids 5 .. 7"));
  CHECK(has_line(text, "  turns:        4 (2022-01-01 .. 2022-04-01)"));
  CHECK(has_line(text, "  events:       12 (all runs)"));
  CHECK(has_line(text, "  command:      geosim run tests/tiny.yaml -o out.h5"));
  CHECK(text.find("  posterior:    calib.h5") != std::string::npos);
  CHECK(text.find("over 3 replicates:\n  KAZ  CHN 0.501") != std::string::npos);
  CHECK(format_file_info(path) == text);
}

TEST_CASE("geosim info on a comparison (version 1) and a what-if study (version 2)") {
  for (const int whatifs : {1, 2}) {
    CAPTURE(whatifs);
    const std::string path =
        write_ensemble("info_comparison_" + std::to_string(whatifs) + ".h5", whatifs);
    const EnsembleInfo info = read_ensemble_info(path);
    CHECK(info.comparison);
    CHECK(info.format_version == whatifs);
    REQUIRE(info.scenarios.size() == static_cast<std::size_t>(whatifs + 1));
    CHECK(info.scenarios[0].name == "tiny");
    CHECK(info.scenarios[0].label == "base");
    CHECK(info.scenarios[1].name == "tiny_whatif_1");
    CHECK(info.scenarios[1].label == (whatifs == 1 ? "whatif" : "tiny_whatif_1"));
    CHECK(info.scenarios[1].file == "tests/whatif_1.yaml");
    CHECK(info.scenarios[1].hash == fnv1a_hex("name: tiny\nturns: 4\nwhatif: 1\n"));
    CHECK((info.replicates == 3 && info.first_run_id == 5 && info.last_run_id == 7));
    CHECK(info.events == static_cast<std::size_t>(3 * 4 * (whatifs + 1)));
    CHECK(std::abs(info.t_quantile - 4.302652729749463) < 1e-9);
    const std::string text = format_ensemble_info(info);
    CHECK(text.find("  what-if" + std::string(whatifs == 1 ? ":      " : " 1:    ") +
                    "tiny_whatif_1 (hash ") != std::string::npos);
    CHECK(text.find("                What if 1?\n                file tests/whatif_1.yaml\n") !=
          std::string::npos);
    CHECK(has_line(text, "  intervals:    95%, t = 4.303 (Student's t, 2 degrees of freedom)"));
    REQUIRE(info.top_effects.size() == static_cast<std::size_t>(whatifs));
    for (int k = 0; k < whatifs; ++k) {
      CAPTURE(k);
      // The largest effect by absolute value is the file's mean paired difference at the last
      // turn (what-if - base), with the file's interval.
      const std::vector<hsize_t> at =
          whatifs == 1 ? std::vector<hsize_t>{3, 0, 0} : std::vector<hsize_t>{hsize_t(k), 3, 0, 0};
      const std::vector<hsize_t> count =
          whatifs == 1 ? std::vector<hsize_t>{1, 4, 4} : std::vector<hsize_t>{1, 1, 4, 4};
      const auto mean = read_values(path, "influence_share_diff_mean", at, count);
      const auto lower = read_values(path, "influence_share_diff_ci_lower", at, count);
      const auto upper = read_values(path, "influence_share_diff_ci_upper", at, count);
      const auto largest = static_cast<std::size_t>(
          std::max_element(mean.begin(), mean.end(),
                           [](double x, double y) { return std::abs(x) < std::abs(y); }) -
          mean.begin());
      const std::vector<std::string> codes{"USA", "CHN", "RUS", "KAZ"};
      REQUIRE(info.top_effects[k].size() == 3);  // the three patrons' shares of KAZ
      const ShareEffect& top = info.top_effects[k][0];
      CHECK(top.actor == codes[largest / 4]);
      CHECK(top.target == codes[largest % 4]);
      CHECK(top.mean == mean[largest]);
      CHECK(top.lower == lower[largest]);
      CHECK(top.upper == upper[largest]);
      CHECK(top.lower < top.mean);
      CHECK(top.mean < top.upper);
      // By construction: what-if 1 raises the US share by 1.21 pp on average, what-if 2 China's
      // by 0.99 pp.
      CHECK(top.actor == (k == 0 ? "USA" : "CHN"));
      CHECK(std::abs(top.mean - (k == 0 ? 0.0121 : 0.0099)) < 1e-12);
      CHECK(std::abs(info.top_effects[k][1].mean) <= std::abs(top.mean));
      const std::string line = "    " + top.actor + " share of KAZ  " + signed_pp(top.mean) +
                               " pp [" + signed_pp(top.lower) + ", " + signed_pp(top.upper) + "]";
      CHECK(has_line(text, "  tiny_whatif_" + std::to_string(k + 1) + "\n" + line));
    }
    CHECK(format_file_info(path) == text);
  }
}

namespace {

/// A sweep of 4 points x 2 replicates in chunks of 4, 2 parameters, 2 metrics and a trajectory.
SweepLayout sweep_layout() {
  SweepLayout l;
  l.name = "info_test";
  l.description = "A sweep for geosim info.";
  l.plan_hash = "0123456789abcdef";
  l.model = "scenario";
  l.design = "lhs";
  l.design_n = 4;
  l.scenario_name = "tiny";
  l.scenario_hash = "fedcba9876543210";
  l.seed = 5;
  l.n_points = 4;
  l.replicates = 2;
  l.n_runs = 8;
  l.chunk = 4;
  l.parameters = {"inertia", "growth"};
  l.parameter_paths = {"parameters.influence_inertia", "actors[KAZ].growth"};
  l.parameter_units = {"1", "1/yr"};
  l.metrics = {"usa_share", "kaz_gdp"};
  l.metric_units = {"1", "USD bn/yr"};
  l.metric_long_names = {"US share of KAZ", "KAZ gdp"};
  SweepLayout::Trajectory t;
  t.name = "gdp";
  t.units = "USD bn/yr";
  t.long_name = "gdp";
  t.cells = 1;
  l.trajectories.push_back(t);
  l.trajectory_turns = {0, 3};
  l.trajectory_dates = {"2022-01-01", "2022-04-01"};
  return l;
}

double point_value(std::uint64_t point, std::size_t parameter) {
  return parameter == 0 ? 0.05 + 0.05 * static_cast<double>(point)
                        : -0.01 * static_cast<double>(point * point);
}

/// A fresh sweep folder with its plan, and chunk 0 committed (run 1 failed, chunk 1 not run).
std::string write_sweep_folder(const SweepLayout& l) {
  const fs::path dir =
      fs::path(test::scratch_path("info_sweep_folder.txt")).parent_path() / "info_sweep";
  fs::remove_all(dir);
  write_sweep_plan((dir / "plan.h5").string(), l,
                   [](std::uint64_t first, std::size_t count, std::span<double> out) {
                     for (std::size_t i = 0; i < count; ++i)
                       for (std::size_t k = 0; k < 2; ++k)
                         out[i * 2 + k] = point_value(first + i, k);
                   });
  SweepPackWriter pack(dir.string(), l);
  std::vector<SweepRunRecord> runs;
  for (std::uint64_t r = 0; r < 4; ++r) {
    SweepRunRecord x;
    x.run_id = r;
    x.ok = r != 1;
    if (!x.ok) x.message = "a failed run";
    x.metrics = {0.25, 200.0};
    x.trajectory = {1.0, 2.0};
    runs.push_back(x);
  }
  pack.commit(0, runs);
  return dir.string();
}

/// The one pack of a sweep folder.
std::string pack_path_of(const std::string& dir) {
  for (const auto& e : fs::directory_iterator(fs::path(dir) / "chunks"))
    if (e.path().extension() == ".gspack") return e.path().string();
  return "";
}

}  // namespace

TEST_CASE("geosim info on a sweep plan, a merged sweep and an analysed one") {
  const SweepLayout l = sweep_layout();
  const std::string dir = write_sweep_folder(l);
  const std::string plan = dir + "/plan.h5";

  const SweepPlanInfo p = read_sweep_plan_info(plan);
  CHECK(p.layout.name == "info_test");
  CHECK(p.layout.n_runs == 8);
  REQUIRE(p.value_min.size() == 2);
  CHECK(p.value_min[0] == point_value(0, 0));
  CHECK(p.value_max[0] == point_value(3, 0));
  CHECK(p.value_min[1] == point_value(3, 1));
  CHECK(p.value_max[1] == point_value(0, 1));
  const std::string plan_text = format_sweep_plan_info(p);
  CHECK(plan_text.rfind(plan + " (geosim sweep plan, format version 1)\n", 0) == 0);
  CHECK(has_line(plan_text, "  sweep:        info_test (plan 0123456789abcdef)"));
  CHECK(has_line(plan_text,
                 "  design:       lhs (n = 4): 4 points x 2 replicates = 8 runs, in 2 "
                 "chunks of 4"));
  CHECK(has_line(plan_text,
                 "  parameters:   2\n"
                 "                inertia  parameters.influence_inertia, values 0.05 .. "
                 "0.2\n"
                 "                growth   actors[KAZ].growth [1/yr], values -0.09 .. 0"));
  CHECK(has_line(plan_text, "  metrics:      2: usa_share, kaz_gdp [USD bn/yr]"));
  CHECK(has_line(plan_text, "  trajectories: gdp at 2 sampled turns (2022-01-01 .. 2022-04-01)"));
  CHECK(has_line(plan_text, "  progress:     `geosim sweep status " + dir +
                                "` (the runs committed in its folder)"));
  CHECK(format_file_info(plan) == plan_text);

  // The merged file of a sweep left half done; its statuses counted from the file.
  const std::string merged = test::scratch_path("info_merged.h5");
  const MergeCounts counts = merge_sweep(dir, l, merged, true);
  const std::vector<double> status = read_values(merged, "status", {0}, {8});
  const SweepFileInfo m = read_sweep_file_info(merged);
  CHECK(m.runs == 8);
  CHECK(m.ok == static_cast<std::uint64_t>(std::count(status.begin(), status.end(), 0.0)));
  CHECK(m.failed == static_cast<std::uint64_t>(std::count(status.begin(), status.end(), 1.0)));
  CHECK(m.missing == static_cast<std::uint64_t>(std::count(status.begin(), status.end(), 2.0)));
  CHECK((m.ok == counts.ok && m.failed == counts.failed && m.missing == counts.missing));
  CHECK((m.ok == 3 && m.failed == 1 && m.missing == 4));
  CHECK(m.trajectories == std::vector<std::string>{"gdp"});
  CHECK(m.index_tables.empty());
  const std::string merged_text = format_sweep_file_info(m);
  CHECK(has_line(merged_text,
                 "  runs:         8: 3 ok, 1 failed, 4 not run (`status` 0, 1, 2; `message` says "
                 "why a run failed)"));
  CHECK(has_line(merged_text, "  parameters:   2: inertia, growth [1/yr]"));
  CHECK(has_line(merged_text,
                 "  indices:      none (`geosim sweep analyze " + merged + "` adds them)"));
  CHECK(format_file_info(merged) == merged_text);

  // After `sweep analyze`: the Sobol' tables.
  std::vector<IndexTable> tables;
  for (const char* name :
       {"sobol_s1", "sobol_s1_low", "sobol_s1_high", "sobol_st", "sobol_st_low", "sobol_st_high"})
    tables.push_back({name, name, {0.1, 0.2, 0.3, 0.4}});
  write_sweep_analysis(merged, tables,
                       {{"sobol_bootstrap", std::int32_t{20}}, {"sobol_confidence", 0.95}});
  const SweepFileInfo a = read_sweep_file_info(merged);
  CHECK(a.index_tables.size() == 6);
  CHECK(has_line(format_sweep_file_info(a),
                 "  indices:      Sobol' S1 and ST (sobol_s1, sobol_st), 95% intervals from 20 "
                 "bootstrap resamples (_low, _high)"));

  // The folder and its pack are not files info reads: it says what reads them.
  CHECK(file_info_error(dir) == dir + ": a sweep folder, not a file: `geosim sweep status " + dir +
                                    "` summarises its runs, `geosim info " + plan + "` its plan");
  const std::string pack = pack_path_of(dir);
  CHECK(file_info_error(pack).find(pack + ": a pack of committed sweep chunks") == 0);
}

TEST_CASE("geosim info refuses work files and unknown formats in one line, saying why") {
  SUBCASE("a calibration's population") {
    const std::string path = test::scratch_path("info_population.h5");
    calib::Population pop;
    pop.n = 2;
    pop.p = 1;
    pop.k = 1;
    pop.theta = {0.1, 0.2};
    pop.weight = {0.5, 0.5};
    pop.distance = {1.0, 2.0};
    pop.simulated = {3.0, 4.0};
    calib::write_population(path, pop, "key");
    CHECK(file_info_error(path) ==
          path +
              ": format: a calibration's population (format 'geosim-calibration-population'): a "
              "work file of `geosim calibrate`, read when it resumes (`geosim calibrate "
              "CALIB.yaml -d DIR`); `geosim info` reads the calibration's output file");
  }
  SUBCASE("a sweep chunk of an older geosim") {
    const std::string path = write_foreign("info_chunk.h5", "geosim-sweep-chunk");
    CHECK(file_info_error(path).find(path + ": format: a sweep chunk of an older geosim") == 0);
  }
  SUBCASE("no format, an unknown format") {
    const std::string none = write_foreign("info_none.h5", "");
    CHECK(file_info_error(none) ==
          none +
              ": format: not a geosim file: the root attribute 'format' is missing (geosim info "
              "reads geosim-run, geosim-replicates, geosim-comparison, geosim-sweep-plan, "
              "geosim-sweep, geosim-calibration)");
    const std::string other = write_foreign("info_other.h5", "geosim-sweeps");
    CHECK(file_info_error(other).find(other + ": format: not a file geosim info reads: format is "
                                              "'geosim-sweeps'") == 0);
  }
  SUBCASE("a format_version this geosim does not read") {
    const std::string v3 = write_foreign("info_v3.h5", "geosim-comparison", 3);
    CHECK(file_info_error(v3) == v3 + ": format_version: unsupported format_version 3 (this "
                                      "geosim reads versions 1 and 2)");
    const std::string v2 = write_foreign("info_rep_v2.h5", "geosim-replicates", 2);
    CHECK(file_info_error(v2) == v2 + ": format_version: unsupported format_version 2 (this "
                                      "geosim reads version 1)");
  }
  SUBCASE("the right attributes but no data") {
    const std::string path = write_foreign("info_empty_cmp.h5", "geosim-comparison", 2);
    CHECK(file_info_error(path) == path + ": actor: missing dataset 'actor'");
    const std::string sweep = write_foreign("info_empty_sweep.h5", "geosim-sweep", 1);
    CHECK(file_info_error(sweep) == sweep + ": name: the root attribute 'name' is missing");
  }
  SUBCASE("missing, a folder, not HDF5") {
    const std::string missing = test::scratch_path("info_missing.h5");
    CHECK(file_info_error(missing) == missing + ": no such file (expected a geosim file)");
    const std::string text = test::scratch_path("info_text.h5");
    std::ofstream(text) << "name: not a run\n";
    CHECK(file_info_error(text) == text + ": not an HDF5 file (expected a geosim file)");
  }
}
