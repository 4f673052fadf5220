#pragma once
/// The files of a calibration (docs/calibration.md): one population file per finished
/// generation in the work folder (the committed adaptive state a resume starts from), and the
/// calibration output file (netCDF-compatible HDF5) assembled from them one generation at a
/// time, with its reader.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace geosim::calib {

/// A generation's accepted particles.
struct Population {
  std::size_t n = 0, p = 0, k = 0;  ///< particles, parameters, targets
  std::vector<double> theta;        ///< n x p, row-major
  std::vector<double> weight;       ///< n, normalised to sum 1
  std::vector<double> distance;     ///< n
  std::vector<double> simulated;    ///< n x k: each particle's simulated targets (replicate mean)
  double tolerance = 0.0;
  double acceptance = 0.0;                  ///< accepted / simulated proposals of the generation
  std::uint64_t proposals = 0, failed = 0;  ///< simulated, and of them failed

  std::span<const double> particle(std::size_t i) const { return {theta.data() + i * p, p}; }
};

/// DIR/gen_GGG/population.h5
std::string population_path(const std::string& dir, int gen);
/// Writes a finished generation (temp + rename); `key` names the calibration it belongs to.
void write_population(const std::string& path, const Population& pop, const std::string& key);
/// The generation stored at `path`; nullopt if there is none. Throws InputError if it belongs
/// to another calibration (another key) or is not a population file.
std::optional<Population> read_population(const std::string& path, const std::string& key);

/// What the output file records besides the generations.
struct OutputInfo {
  std::string name, description, method, stop_reason, calibration_yaml, scenario_name,
      scenario_hash, scenario_yaml;
  std::string calibration_file, command_line, start_time, host;
  std::string scenario_file;               ///< absolute path ("" for a test model)
  std::vector<std::string> scenario_sets;  ///< the calibration's set: changes
  int scenario_version = 0;
  bool converged = false;
  std::uint64_t seed = 0, runs = 0, runs_failed = 0;
  double wall_seconds = 0.0;
  double tolerance_target = 0.0, min_acceptance = 0.0, alpha = 0.0;
  int replicates = 1, particles = 0;
  std::vector<std::string> parameters, parameter_paths, parameter_units, prior_kinds;
  std::vector<double> prior_a, prior_b;
  std::vector<std::string> targets, target_variable, target_units, target_use, target_source,
      target_period, target_long_name;
  std::vector<double> target_observed, target_sd, persistence;
};

/// Writes the output file `out` (temp + rename, nothing under the final name on failure) from
/// the population files of generations 0 .. generations-1 in `dir`, read one at a time.
void write_calibration_output(const std::string& out, const OutputInfo& info,
                              const std::string& dir, int generations, const std::string& key);
/// The same from populations in memory (nelder-mead, which keeps no work folder).
void write_calibration_output(const std::string& out, const OutputInfo& info,
                              const std::vector<Population>& generations);

/// What `calibrate export`, `info` and `--posterior` read from an output file.
struct CalibrationResult {
  std::string path, method, stop_reason, scenario_name, scenario_hash;
  std::string scenario_file, scenario_yaml;
  std::vector<std::string> scenario_sets;
  int scenario_version = 0;
  bool converged = false;
  int generations = 0;
  std::vector<std::string> parameters, parameter_paths, parameter_units;
  std::vector<std::string> targets, target_use, target_period;
  std::vector<double> target_observed, target_sd;
  Population last;  ///< the last generation
  std::vector<double> posterior_median, best, tolerance, ess, acceptance;
  std::vector<std::int64_t> proposals;
  std::uint64_t runs = 0, runs_failed = 0;
};
/// True if `path` is an HDF5 file whose format is geosim-calibration (false on any failure).
bool is_calibration_file(const std::string& path);
/// A short text summary for `geosim info`: method, convergence, generations, the parameters'
/// posterior medians and 90% intervals, the fitted targets' observed and simulated medians.
std::string format_calibration_info(const CalibrationResult& c);

/// Reads a calibration output file. Throws InputError (at the file) if it is not one.
CalibrationResult read_calibration_result(const std::string& path);

}  // namespace geosim::calib
