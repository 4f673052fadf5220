#include "output/run_info.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "core/error.hpp"
#include "core/text.hpp"
#include "output/calibration_store.hpp"
#include "output/ensemble_info.hpp"
#include "output/h5_helpers.hpp"
#include "output/info_reader.hpp"
#include "output/replicate_writer.hpp"
#include "output/run_schema.hpp"
#include "output/sweep_info.hpp"

namespace geosim {

namespace {

constexpr std::string_view kRunKind = "geosim run file";

void check_run_format(const summary::Reader& r) {
  if (!r.has_attr("format"))
    r.fail("format", "not a geosim run file: the root attribute 'format' is missing (expected '" +
                         std::string(kRunFormat) + "')");
  const std::string format = h5::read_string_attr(r.root(), "format");
  if (format != kRunFormat)
    r.fail("format", "not a geosim run file: format is '" + format + "', expected '" +
                         std::string(kRunFormat) + "'");
  if (!r.has_attr("format_version"))
    r.fail("format_version", "the root attribute 'format_version' is missing");
  const std::int64_t v = h5::read_int_attr(r.root(), "format_version");
  if (v != kRunFormatVersion)
    r.fail("format_version", "unsupported format_version " + std::to_string(v) +
                                 " (this geosim reads version " +
                                 std::to_string(kRunFormatVersion) + ")");
}

RunInfo read(const summary::Reader& r) {
  check_run_format(r);
  RunInfo info;
  info.path = r.path();
  info.format_version = static_cast<int>(r.integer("format_version"));
  info.geosim_version = r.text("geosim_version");
  info.git_commit = r.text("git_commit");
  info.hdf5_version = r.text("hdf5_version");
  info.scenario_name = r.text("scenario_name");
  info.scenario_description = r.text("scenario_description");
  info.scenario_hash = r.text("scenario_hash");
  info.scenario_file = r.text("scenario_file");
  info.seed = static_cast<std::uint64_t>(r.integer("seed"));
  info.run_id = static_cast<std::uint64_t>(r.integer("run_id"));
  info.start_time = r.text("start_time");
  info.host = r.text("host");
  info.command_line = r.text("command_line");
  info.wall_seconds = r.real("wall_seconds");
  if (r.has_attr("checkpoint_turn")) {
    info.checkpoint_turn = static_cast<int>(r.integer("checkpoint_turn"));
    info.checkpoint_date = r.text("checkpoint_date");
  }
  if (r.has_attr("forked_from")) {
    info.forked_from = r.text("forked_from");
    info.forked_at_turn = static_cast<int>(r.integer("forked_at_turn"));
  }

  FileCoordinates& c = info;
  c = summary::read_coordinates(r);
  info.events = r.labels("event_action", false).size();
  info.clients = summary::summarise_clients(r, c, "influence_share", "hedging_index");
  return info;
}

constexpr std::string_view kAnyKind = "geosim file";
constexpr std::string_view kPlanFormat = "geosim-sweep-plan";
constexpr std::string_view kSweepFormat = "geosim-sweep";
constexpr std::string_view kCalibrationFormat = "geosim-calibration";
const std::vector<std::string> kInfoFormats = {
    std::string(kRunFormat),  std::string(kReplicatesFormat), std::string(kComparisonFormat),
    std::string(kPlanFormat), std::string(kSweepFormat),      std::string(kCalibrationFormat)};

/// A sweep or calibration folder, or a sweep's pack (not HDF5), given instead of a file: what
/// it is and which command reads it (FileError). Other paths pass.
void refuse_work_paths(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path p(path);
  if (fs::is_directory(p, ec)) {
    if (fs::is_regular_file(p / "plan.h5", ec))
      throw FileError(path, "a sweep folder, not a file: `geosim sweep status " + path +
                                "` summarises its runs, `geosim info " + (p / "plan.h5").string() +
                                "` its plan");
    if (fs::is_directory(p / "gen_000", ec))
      throw FileError(
          path, "a calibration's work folder, not a file: `geosim calibrate CALIB.yaml -d " + path +
                    "` resumes it; `geosim info` reads the calibration's output file");
    return;  // h5::check_input_file says it is a folder
  }
  if (!fs::is_regular_file(p, ec)) return;
  char head[8] = {0};
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    const std::size_t got = std::fread(head, 1, sizeof head, f);
    std::fclose(f);
    if (got == sizeof head && std::string_view(head, sizeof head) == "GSIMPACK")
      throw FileError(path,
                      "a pack of committed sweep chunks (a work file of a sweep folder, not HDF5): "
                      "`geosim sweep status DIR` reads its folder, and `geosim sweep merge DIR -o "
                      "OUT.h5` merges them into a file `geosim info` reads");
  }
}

/// The one-line refusal of a file whose `format` info does not summarise.
[[noreturn]] void refuse_format(const summary::Reader& r, const std::string& format) {
  if (format == "geosim-sweep-chunk")
    r.fail("format",
           "a sweep chunk of an older geosim (format 'geosim-sweep-chunk'): a work file of a "
           "sweep folder, read only by the geosim that planned the sweep (`geosim sweep status "
           "DIR`)");
  if (format == "geosim-calibration-population")
    r.fail("format",
           "a calibration's population (format 'geosim-calibration-population'): a work file "
           "of `geosim calibrate`, read when it resumes (`geosim calibrate CALIB.yaml -d DIR`); "
           "`geosim info` reads the calibration's output file");
  const std::string reads = " (geosim info reads " + join_words(kInfoFormats) + ")";
  if (format.empty())
    r.fail("format", "not a geosim file: the root attribute 'format' is missing" + reads);
  r.fail("format",
         "not a file geosim info reads: format is '" + printable(format, 60) + "'" + reads);
}

}  // namespace

std::string format_file_info(const std::string& path) {
  refuse_work_paths(path);
  return h5::read_file(path, kAnyKind, [&]() -> std::string {
    summary::Reader r(path);
    r.open(kAnyKind);
    const std::string format = h5::format_of(r.root());
    // Each kind's own reader, so that a damaged file is "damaged or not a geosim KIND".
    if (format == kRunFormat)
      return format_run_info(h5::read_file(path, kRunKind, [&] { return read(r); }));
    if (format == kReplicatesFormat)
      return format_ensemble_info(
          h5::read_file(path, "geosim replicates file", [&] { return summary::read_ensemble(r); }));
    if (format == kComparisonFormat)
      return format_ensemble_info(
          h5::read_file(path, "geosim comparison file", [&] { return summary::read_ensemble(r); }));
    if (format == kSweepFormat)
      return format_sweep_file_info(h5::read_file(path, "merged geosim sweep file",
                                                  [&] { return summary::read_merged_sweep(r); }));
    if (format == kPlanFormat) return format_sweep_plan_info(summary::read_plan(path));
    if (format == kCalibrationFormat)
      return calib::format_calibration_info(calib::read_calibration_result(path));
    refuse_format(r, format);
  });
}

RunInfo read_run_info(const std::string& path) {
  return h5::read_file(path, kRunKind, [&] {
    summary::Reader r(path);
    r.open(kRunKind);
    return read(r);
  });
}

std::string format_run_info(const RunInfo& info) {
  summary::Lines s;
  s.raw(info.path + " (geosim run file, format version " + std::to_string(info.format_version) +
        ")\n");
  s.line("scenario", info.scenario_name + " (hash " + info.scenario_hash + ")");
  if (!info.scenario_description.empty())
    s.line("description", summary::wrap(info.scenario_description));
  if (!info.scenario_file.empty()) s.line("file", info.scenario_file);
  summary::coordinate_lines(
      s, summary::Coordinates{info.turns, info.first_date, info.last_date, info.actors,
                              info.actor_names, info.actor_roles, info.poles, info.channels});
  s.line("events", std::to_string(info.events));
  s.line("seed", std::to_string(info.seed) + ", run id " + std::to_string(info.run_id));
  s.line("geosim",
         info.geosim_version + " (commit " + info.git_commit + "), HDF5 " + info.hdf5_version);
  s.line("started", summary::or_unknown(info.start_time) + " on " + summary::or_unknown(info.host) +
                        ", ran " + summary::fixed(info.wall_seconds, 2) + " s");
  if (!info.command_line.empty()) s.line("command", info.command_line);
  if (info.checkpoint_turn >= 0)
    s.line("checkpoint", "state after turn " + std::to_string(info.checkpoint_turn) + " (" +
                             info.checkpoint_date +
                             "); continue it with `geosim run SCENARIO --from " + info.path + "`");
  if (!info.forked_from.empty())
    s.line("forked from", info.forked_from + " (its state after turn " +
                              std::to_string(info.forked_at_turn) + ")");
  summary::client_lines(s, info.clients,
                        "Influence shares over clients at the final turn (" + info.last_date + ")");
  return s.str();
}

}  // namespace geosim
