#pragma once
/// Several runs of a scenario (replicates) and paired runs of two scenarios (what-if
/// comparisons): `geosim run --replicates R` and `geosim compare`. Layouts: docs/whatif.md.
#include <csignal>
#include <cstdint>
#include <string>
#include <vector>

#include "core/progress.hpp"
#include "model/scenario.hpp"
#include "output/provenance.hpp"
#include "output/replicate_stats.hpp"
#include "output/replicate_writer.hpp"

namespace geosim {

/// Parameter uncertainty carried into replicates (`--posterior CALIB.h5`, docs/calibration.md):
/// replicate r runs with the parameter values of particle particle[r] of the calibration's
/// last generation, drawn by weight from the replicate's own random key, so a base and a
/// what-if run of the same run id use the same particle.
struct PosteriorDraws {
  std::string file;                         ///< the calibration file
  std::vector<std::string> paths;           ///< the parameters' --set paths
  std::vector<std::int64_t> particle;       ///< per replicate
  std::vector<std::vector<double>> values;  ///< per replicate, one per path
  std::vector<std::string> scenario_sets;   ///< the calibration's set: changes (for a warning)
};

/// The posterior's paths that `whatif` sets to another value than `base` (their resolved YAML):
/// the what-if's own changes, which it keeps (only the base draws them).
std::vector<std::string> paths_the_whatif_sets(const Scenario& base, const Scenario& whatif,
                                               const PosteriorDraws& posterior);

/// Draws a particle for each run id (key (seed, run id), purpose calibration); reads the
/// calibration file and checks every path against `sc` (InputError, located at the file).
PosteriorDraws draw_posterior(const std::string& calibration_file, const Scenario& sc,
                              const std::vector<std::uint64_t>& run_ids);

/// Run ids first, first + 1, ..., first + count - 1.
std::vector<std::uint64_t> consecutive_run_ids(std::uint64_t first, std::uint64_t count);

/// Runs `sc` once per run id (same seed: the replicates differ only in the run id keying the
/// random numbers) and writes one replicates file to `out_path` (temp name, renamed at the end).
/// If `stop` becomes non-zero, stops at the end of the current turn by throwing Interrupted
/// (run_pipeline.hpp) and removes the temp file.
/// With `posterior`, replicate r runs with its particle's values (PosteriorDraws).
/// How replicates and comparisons run: `threads` deflate the file's chunks while the runs go on,
/// and from kTurnPoolMinRows actors split each turn (the runs themselves are one after the
/// other; the file does not depend on it); `progress`: how to show the runs done on stderr
/// (core/progress.hpp: a redrawn bar on a terminal, a line every 30 s elsewhere).
/// `from`: a checkpoint (`geosim run --checkpoint-at`) every run continues instead of starting
/// from the scenario's initial state: its recorded turns are copied into each run, which then
/// steps on with its own run id, so the replicates share the history up to the checkpoint and
/// differ after it (the caller checks that each scenario may continue it: check_fork).
struct EnsembleOptions {
  int threads = 1;
  ProgressStyle progress{.on = false};
  std::string from;
};

void simulate_replicates(const Scenario& sc, const std::vector<std::uint64_t>& run_ids,
                         const std::string& out_path, Provenance prov,
                         const volatile std::sig_atomic_t* stop = nullptr,
                         const PosteriorDraws* posterior = nullptr,
                         const EnsembleOptions& options = {});

/// One line of the table of `geosim compare`: a quantity at the horizon in both scenarios and
/// the paired difference whatif - base with its confidence interval.
struct Effect {
  std::string client;    ///< actor code of the client
  std::string quantity;  ///< "influence share of USA", "hedging index", "re-exports"
  std::string units;     ///< "1", "USD m/yr"
  double base_mean = 0.0;
  double whatif_mean = 0.0;
  stats::MeanInterval diff;  ///< over replicates of whatif - base
};

/// One what-if's effects in what `geosim compare` prints.
struct WhatifEffects {
  std::string label;  ///< in the file's `scenario` and `whatif` dimensions
  std::string name;   ///< the scenario's name
  std::uint64_t seed = 0;
  std::vector<Effect> effects;
};

/// What `geosim compare` prints.
struct ComparisonSummary {
  std::string base_name;
  std::uint64_t base_seed = 0;
  std::vector<WhatifEffects> whatifs;
  std::vector<std::uint64_t> run_ids;
  int horizon = -1;  ///< the last turn (-1 if the scenarios have no turns)
  std::string horizon_date;
  double t_quantile = 0.0;  ///< NaN with one replicate
};

/// Runs `base` and each of `whatifs` with the same run ids (common random numbers: same seed,
/// same run id, so a random draw differs between two runs of a replicate only where the
/// scenarios make it differ), writes the comparison file to `out_path` (one what-if: format
/// version 1; several: a what-if study, version 2), and returns the effects at the horizon,
/// per what-if: for each client (role client in `base`) the influence share of each patron,
/// then its hedging index and re-exports. Throws InputError if a what-if cannot be compared
/// with the base run by run (comparison_mismatches) or two what-ifs have the same name,
/// Interrupted as simulate_replicates. With `posterior`, all runs of replicate r use particle
/// r's values (a what-if keeps the values it sets itself).
ComparisonSummary simulate_comparison(const Scenario& base,
                                      const std::vector<const Scenario*>& whatifs,
                                      const std::vector<std::uint64_t>& run_ids,
                                      const std::string& out_path, ComparisonProvenance prov,
                                      const volatile std::sig_atomic_t* stop = nullptr,
                                      const PosteriorDraws* posterior = nullptr,
                                      const EnsembleOptions& options = {});

/// What a comparison or study will cost (`geosim compare --estimate`), from one timed replicate
/// of every scenario run here without a file.
struct ComparisonEstimate {
  double seconds_per_replicate = 0.0;  ///< the base and every what-if once
  std::uint64_t bytes_per_run = 0;     ///< the per-turn variables of one run, uncompressed
  std::uint64_t max_turn_bytes = 0;    ///< the largest variable's values of one run's turn
  double peak_rss_mb = 0.0;            ///< this process after the sample
};
ComparisonEstimate estimate_comparison(const Scenario& base,
                                       const std::vector<const Scenario*>& whatifs,
                                       std::uint64_t run_id);
/// The lines `geosim compare --estimate` prints for `replicates` replicates.
std::string format_comparison_estimate(const ComparisonEstimate& e, std::size_t whatifs,
                                       std::uint64_t replicates);

/// The table printed by `geosim compare` (ends with a newline).
std::string format_comparison(const ComparisonSummary& s);

}  // namespace geosim
