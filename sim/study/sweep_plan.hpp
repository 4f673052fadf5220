#pragma once
/// A sweep resolved against its scenario: every run's parameter values, the metrics as cells of
/// run variables, the design's structure for the analysis, and the plan's hash. Pure data and
/// deterministic: the same sweep file and scenario give the same plan, bit for bit, in any
/// process, so every shard, rank or restart agrees on what run i is.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "scenario/scenario_edit.hpp"
#include "study/derived_metric.hpp"
#include "study/sweep_spec.hpp"
#include "sweep/design.hpp"

namespace geosim {

/// The most runs (points x replicates) a sweep may have (docs/sweeps.md, Reference).
inline constexpr std::uint64_t kMaxSweepRuns = 1'000'000'000;

/// A summary metric resolved to one cell of a run variable.
struct MetricDef {
  std::string name, units, long_name;
  int variable = -1;       ///< index into run_variables() (-1: the ishigami function's y)
  int block = 0;           ///< channel index for variables whose first axis is channel
  std::size_t offset = 0;  ///< row-major cell within the block
  Reduce reduce = Reduce::last;
  int from_turn = 0, to_turn = 0;  ///< inclusive window
  DerivedDef derived;  ///< a derived quantity (derived.kind != none; variable is then -1)
};

/// A variable kept every few turns for every run.
struct TrajectoryDef {
  std::string name;  ///< the run variable's name
  int variable = -1;
  std::vector<std::string> dim_names;                ///< its axes after turn
  std::vector<std::vector<std::string>> dim_labels;  ///< labels of each axis
  std::size_t cells = 0;                             ///< values per sampled turn
  std::string units, long_name;
};

struct SweepPlan {
  SweepSpec spec;
  std::shared_ptr<const Scenario> scenario;  ///< after the sweep's set:; null for ishigami
  std::vector<ScenarioEdit> edits;           ///< one per parameter (scenario model)
  std::vector<MetricDef> metrics;
  std::vector<TrajectoryDef> trajectories;
  std::vector<int> trajectory_turns;  ///< the sampled turns

  std::size_t n_points = 0;
  std::vector<double> list_values;  ///< design list only: the file's rows (n_points x params)
  std::string hash;                 ///< of everything that decides the results, values too

  /// The parameter values (in their own units) of points [first, first + count), computed
  /// from the design alone: the plan holds no design values, so its memory does not grow with
  /// the sweep (a list design holds its file's rows). out: count x n_parameters(), row-major.
  /// Throws std::out_of_range past the last point. Thread-safe.
  void points(std::size_t first, std::size_t count, std::span<double> out) const;
  /// The values of point p.
  std::vector<double> point(std::size_t p) const;

  std::size_t n_parameters() const { return spec.parameters.size(); }
  std::uint64_t n_runs() const { return n_points * static_cast<std::uint64_t>(spec.replicates); }
  std::uint64_t n_chunks() const {
    return (n_runs() + static_cast<std::uint64_t>(spec.chunk) - 1) /
           static_cast<std::uint64_t>(spec.chunk);
  }
  /// Run id r is replicate r % R of point r / R; its random key is (spec.seed, r).
  std::size_t point_of(std::uint64_t run) const { return run / spec.replicates; }
  int replicate_of(std::uint64_t run) const { return static_cast<int>(run % spec.replicates); }
};

/// Loads the scenario (applying the sweep's set:), resolves parameters, metrics and
/// trajectories against it and expands the design. Throws InputError, located in the sweep
/// file, for a path, variable or label that does not exist or a bad CSV.
SweepPlan make_plan(const SweepSpec& spec);

}  // namespace geosim
