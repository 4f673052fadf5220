#pragma once
/// `geosim info` on a sweep's files (docs/sweeps.md): its plan (DIR/plan.h5, format
/// geosim-sweep-plan) and its merged file (format geosim-sweep, also after `sweep analyze`).
/// The progress of a sweep folder is `geosim sweep status DIR`'s.
#include <cstdint>
#include <string>
#include <vector>

#include "output/sweep_store.hpp"

namespace geosim {

/// The most design values (points x parameters) whose range `info` reads from a plan: 2^24
/// values (128 MiB of doubles, read a block at a time). A larger design's ranges are not shown.
inline constexpr std::uint64_t kMaxRangeValues = std::uint64_t{1} << 24;

/// The most runs whose statuses `info` counts itself (2^24: about 0.2 s).
inline constexpr std::uint64_t kMaxCountedRuns = std::uint64_t{1} << 24;

struct SweepPlanInfo {
  std::string path;
  int format_version = 0;
  std::string geosim_version, git_commit, hdf5_version;
  SweepLayout layout;  ///< as read_sweep_plan reads it
  /// Per parameter, the smallest and largest value of the design (empty when the design has
  /// more than kMaxRangeValues values).
  std::vector<double> value_min, value_max;
};

/// Reads the summary of a sweep plan. Throws FileError naming the file (and the key) if it is
/// missing, not HDF5, damaged, not a plan, or of a format_version this geosim does not read.
SweepPlanInfo read_sweep_plan_info(const std::string& path);
std::string format_sweep_plan_info(const SweepPlanInfo& info);

/// The summary of a merged sweep file.
struct SweepFileInfo {
  std::string path;
  int format_version = 0;
  std::string geosim_version, git_commit, hdf5_version;
  std::string name, description, plan_hash, model, design, scenario_name, scenario_hash;
  std::uint64_t design_n = 0, seed = 0, runs = 0, points = 0;
  int replicates = 1, morris_levels = 0;
  std::vector<std::string> parameters, parameter_units, metrics, metric_units;
  /// Runs by status (the `status` variable: 0 ok, 1 failed, 2 missing: not run).
  std::uint64_t ok = 0, failed = 0, missing = 0;
  /// False for a sweep of more than kMaxCountedRuns runs: the counts are the merge's
  /// (root attributes runs_ok, runs_failed, runs_missing).
  bool statuses_counted = true;
  std::vector<std::string> trajectories;  ///< the variables kept per sampled turn
  std::vector<std::string> sample_dates;
  /// The index tables `sweep analyze` wrote (sobol_s1 ... or morris_mu ...), in file order.
  std::vector<std::string> index_tables;
  std::int64_t sobol_bootstrap = 0;
  double sobol_confidence = 0.0;
};

/// Reads the summary of a merged sweep file: its attributes and labels, and every run's status
/// (counted a block at a time, up to kMaxCountedRuns runs). Throws FileError as
/// read_sweep_plan_info does, and when a status is not 0, 1 or 2 or the statuses do not number the
/// runs.
SweepFileInfo read_sweep_file_info(const std::string& path);
std::string format_sweep_file_info(const SweepFileInfo& info);

}  // namespace geosim
