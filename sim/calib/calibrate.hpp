#pragma once
/// Running a calibration (docs/calibration.md): ABC-SMC generation by generation on the sweep
/// machinery (each batch of proposals is a sweep plan of list design, run in committed chunks
/// on threads or MPI ranks, resumed chunk by chunk), or a Nelder-Mead point estimate on the
/// same distance.
#include <csignal>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "calib/abc_smc.hpp"
#include "calib/calib_spec.hpp"
#include "core/progress.hpp"
#include "output/calibration_store.hpp"
#include "study/sweep_plan.hpp"

namespace geosim::calib {

/// A calibration resolved against its scenario: the targets as sweep metrics, the prior with
/// the fields' valid ranges.
struct CalibSetup {
  CalibSpec spec;
  SweepSpec sweep;  ///< the template of every batch's sweep (design list, outputs = targets)
  SweepPlan probe;  ///< a one-point plan: resolved metrics, edits and the scenario
  Prior prior;
  std::string key;               ///< hash of everything that decides the results
  std::vector<std::size_t> fit;  ///< indices of the fitted targets
};

/// Resolves the targets and parameters against the scenario. Throws InputError, located in
/// the calibration file, for an unknown variable, actor or date, a date outside the run, or a
/// prior outside the parameter's valid range.
CalibSetup make_calibration_setup(const CalibSpec& spec);

struct CalibOptions {
  std::string dir;  ///< work folder (batches and generations); resumed if it exists
  std::string out;  ///< the output file
  int jobs = 1;
  bool mpi = false;
  const volatile std::sig_atomic_t* stop = nullptr;
  std::function<void(const std::string&)> progress;  ///< status lines
  /// The runs of a batch, as `sweep run` shows them (a bar on a terminal, a line every 30 s in
  /// a log); not under MPI, where a rank sees only its own runs.
  ProgressStyle meter{.on = false};
  std::function<void(const std::string&)> warn;  ///< warnings
  std::string command_line, start_time, host;
};

struct CalibReport {
  bool converged = false, interrupted = false, is_root = true;
  std::string stop_reason;
  int generations = 0;
  std::uint64_t runs = 0, runs_failed = 0;
  double seconds = 0.0;
};

/// The distance of simulated values s to the fitted targets: RMS of (s - y) / sd.
double distance(const CalibSetup& setup, std::span<const double> simulated);

/// What the output file says about the calibration (parameters, priors, targets with their
/// persistence forecasts, provenance); the run's outcome is filled in by the caller.
OutputInfo calibration_output_info(const CalibSetup& setup, const CalibOptions& options);

/// Runs (or resumes) the calibration and writes the output file (rank 0 under MPI).
CalibReport calibrate(const CalibSetup& setup, const CalibOptions& options);

}  // namespace geosim::calib
