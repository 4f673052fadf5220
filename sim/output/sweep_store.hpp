#pragma once
/// The files of a sweep (docs/sweeps.md): the plan (plan.h5), the committed chunks of runs
/// (packs, output/sweep_pack.hpp), and the merged sweep file that xarray opens with a `run`
/// dimension. Plain data in, HDF5 out; no HDF5 type here.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace geosim {

/// What the sweep files record about the plan (filled from study/sweep_plan.hpp).
struct SweepLayout {
  std::string name, description, plan_hash, sweep_yaml, model, design;
  std::string scenario_name, scenario_hash, scenario_yaml;
  std::uint64_t seed = 0, n_runs = 0, n_points = 0, design_n = 0;
  int replicates = 1, chunk = 32, morris_levels = 0;
  std::vector<std::string> parameters, parameter_paths, parameter_units;
  std::vector<std::string> metrics, metric_units, metric_long_names;
  struct Trajectory {
    std::string name, units, long_name;
    std::vector<std::string> dim_names;
    std::vector<std::vector<std::string>> dim_labels;
    std::size_t cells = 0;  ///< values per sampled turn
  };
  std::vector<Trajectory> trajectories;
  std::vector<int> trajectory_turns;
  std::vector<std::string> trajectory_dates;
  std::vector<std::string> actor_names;  ///< the scenario's actors' full names (trajectories)

  std::uint64_t n_chunks() const {
    return (n_runs + static_cast<std::uint64_t>(chunk) - 1) / static_cast<std::uint64_t>(chunk);
  }
  /// Runs of chunk c: [first, first + count).
  std::uint64_t chunk_first(std::uint64_t c) const { return c * static_cast<std::uint64_t>(chunk); }
  std::uint64_t chunk_count(std::uint64_t c) const;
  /// Trajectory values per run (all variables, all sampled turns).
  std::size_t trajectory_size() const;
};

/// One run's results.
struct SweepRunRecord {
  std::uint64_t run_id = 0;
  bool ok = true;
  std::string message;             ///< why it failed ("" if ok)
  std::vector<double> metrics;     ///< one per layout metric (NaN if failed)
  std::vector<double> trajectory;  ///< trajectory_size() values (NaN if failed)
};

/// Fills `out` with the parameter values of design points [first, first + count), row-major
/// (count x parameters).
using PointValues =
    std::function<void(std::uint64_t first, std::size_t count, std::span<double> out)>;

/// Writes plan.h5 (temp + rename), its point_values dataset block by block from `points`
/// (never all in memory). If `path` exists it must be the same plan (same hash): returns
/// false and leaves it as it is; throws InputError if it is another plan's.
bool write_sweep_plan(const std::string& path, const SweepLayout& layout,
                      const PointValues& points);
/// Reads plan.h5's description (not its point values: see merge_sweep). Throws InputError (at
/// the file) if it is missing or not a sweep plan.
SweepLayout read_sweep_plan(const std::string& path);

/// Per-run status in the merged file.
enum class RunStatus : std::int32_t { ok = 0, failed = 1, missing = 2 };

struct MergeCounts {
  std::uint64_t ok = 0, failed = 0, missing = 0;
  /// Torn or damaged records of the packs (their chunks' runs count as missing).
  std::vector<std::string> notes;
};
/// Writes the merged sweep file `out` (temp + rename) from the plan (DIR/plan.h5, whose point
/// values it copies) and the committed chunks of `dir`, a block of chunks in memory at a time.
/// Missing (or damaged) chunks are an InputError unless `allow_missing`, when their runs get
/// status missing and NaN metrics. `runs_merged` (if set) is called after each block with the
/// runs written so far and the sweep's runs.
MergeCounts merge_sweep(
    const std::string& dir, const SweepLayout& layout, const std::string& out, bool allow_missing,
    const std::function<void(std::uint64_t done, std::uint64_t total)>& runs_merged = {});

}  // namespace geosim

namespace geosim {

/// What analysis needs from a merged sweep file.
struct SweepResults {
  std::string path, name, design, plan_hash;
  std::uint64_t design_n = 0, n_points = 0;
  int replicates = 1, morris_levels = 0;
  std::uint64_t seed = 0;
  std::vector<std::string> parameters, metrics;
  std::vector<double> point_values;         ///< n_points x parameters
  std::vector<std::int32_t> status;         ///< per run
  std::vector<std::vector<double>> values;  ///< [metric][run]
};
/// Reads a merged sweep file. Throws InputError (at the file) if it is not one.
SweepResults read_sweep_results(const std::string& path);

/// One table of indices (metric x parameter) to store, e.g. "sobol_s1".
struct IndexTable {
  std::string name, long_name;
  std::vector<double> values;  ///< metric-major
  bool per_metric = false;     ///< one value per metric (dimension metric only)
};
/// A root attribute: a string, a whole number or a real number.
using AttributeValue = std::variant<std::string, std::int32_t, double>;
/// Replaces the analysis tables in the sweep file (copy, change, rename: the file is never
/// left half-written) and records `attributes` (name, value) on the root.
void write_sweep_analysis(const std::string& path, const std::vector<IndexTable>& tables,
                          const std::vector<std::pair<std::string, AttributeValue>>& attributes);

}  // namespace geosim
