#pragma once
/// A calibration file (docs/calibration.md) as typed data: the scenario, the free parameters
/// with their priors, the targets (observed values the model's outputs are compared with), and
/// the method with its budget. Read by read_calibration_file().
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "study/sweep_spec.hpp"

namespace geosim {

enum class CalibMethod { abc_smc, nelder_mead };
inline constexpr const char* kCalibMethodNames[] = {"abc-smc", "nelder-mead"};

/// An observed value and what in a run it is compared with.
struct CalibTarget {
  SweepOutput output;  ///< the simulated quantity (a run variable's cell or a derived one)
  double observed = 0.0;
  double sd = 0.0;  ///< standard error, in the quantity's unit (an interval: half-width / 1.645)
  std::string source;
  bool fit = true;  ///< false: a holdout target, predicted and scored, never fitted
};

struct CalibMethodSpec {
  CalibMethod kind = CalibMethod::abc_smc;
  int particles = 200;            ///< accepted particles per generation (abc-smc)
  int replicates = 1;             ///< runs per particle; their mean is compared
  int batch = 0;                  ///< proposals per batch (0: sized from the acceptance rate)
  int chunk = 16;                 ///< runs per committed chunk file
  double alpha = 0.5;             ///< next tolerance: alpha-quantile of the accepted distances
  double tolerance = 1.0;         ///< stop when reached (RMS z-score over the fitted targets)
  int generations = 10;           ///< most generations (abc-smc)
  std::uint64_t budget = 100000;  ///< most runs in all
  double min_acceptance = 0.01;   ///< stop when a generation's acceptance rate falls below
  double min_ess = 0.0;           ///< warn when the ESS falls below (0: particles / 10)
  bool min_ess_default = true;    ///< min_ess was not given (it follows particles)
  int iterations = 200;           ///< nelder-mead: most iterations
};

struct CalibSpec {
  std::string file;  ///< as given
  std::string name, description;
  SweepModel model = SweepModel::scenario;  ///< gaussian: the test model with a known posterior
  std::string scenario;                     ///< resolved path (may be an overlay)
  std::vector<std::string> sets;
  std::uint64_t seed = 0;
  CalibMethodSpec method;
  std::vector<SweepParameter> parameters;
  std::vector<CalibTarget> targets;
  std::string resolved_yaml;  ///< the file as read, recorded in the output
  /// The same without the stopping rules (method.generations, budget, tolerance,
  /// min_acceptance, min_ess): what the work folder's generations are keyed by.
  std::string identity_yaml;
  Location method_where;

  std::size_t n_fit() const {
    std::size_t n = 0;
    for (const auto& t : targets) n += t.fit ? 1 : 0;
    return n;
  }
};

/// Reads and validates a calibration file: every problem at once, located (file:line:column,
/// key path, what was expected). The targets are checked against the scenario by
/// make_calibration_plan (calibrate.hpp).
CalibSpec read_calibration_file(const std::string& path);
CalibSpec read_calibration_text(const std::string& text, const std::string& name,
                                const std::string& dir);

}  // namespace geosim
