#pragma once
/// A sweep file (docs/sweeps.md) as typed data: what to vary, how, and what to keep. Read by
/// read_sweep_file(); resolved against its scenario by make_plan() (sweep_plan.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "sweep/distribution.hpp"

namespace geosim {

enum class DesignKind { grid, list, mc, lhs, sobol, morris };
inline constexpr const char* kDesignNames[] = {"grid", "list", "mc", "lhs", "sobol", "morris"};

/// What a run evaluates: the scenario's simulation, the Ishigami test function of x1, x2, x3
/// (parameters x4 .. x9 are inert dummies), to check the sensitivity estimators through the
/// sweep's own code path, or the gaussian test model y = mu + N(0, 1) (parameter mu; x2 .. x9
/// inert), whose posterior under a normal prior is known, to check calibration the same way.
enum class SweepModel { scenario, ishigami, gaussian };
inline constexpr const char* kSweepModelNames[] = {"scenario", "ishigami", "gaussian"};

struct SweepParameter {
  std::string name;  ///< short name: the coordinate in the sweep file
  std::string path;  ///< --set path into the scenario (ishigami: x1, x2, x3)
  std::optional<sweep::Distribution> distribution;  ///< mc, lhs, sobol, morris
  std::vector<double> levels;                       ///< grid
  Location where;
};

/// How a summary metric reduces a variable's time series to one number per run.
enum class Reduce { last, mean, sum, min, max };
inline constexpr const char* kReduceNames[] = {"last", "mean", "sum", "min", "max"};

/// A summary metric: one cell of a run variable, reduced over a window of turns.
struct SweepOutput {
  std::string name;
  std::string variable;  ///< a run-file variable (docs/output-format.md), ishigami: "y"
  /// Labels of the variable's axes after turn, by dimension name: actor, target, channel, pole,
  /// instrument (codes and names as in the scenario).
  std::vector<std::pair<std::string, std::string>> index;
  Reduce reduce = Reduce::last;
  std::string from, to;  ///< window (turn number or date); "" = first / last turn
  /// The window as written, for messages and files: "2023" (year:), "2023-12" (month:),
  /// "FROM..TO" (from:/to:), "" (the whole run).
  std::string period;
  Location where;
};

struct SweepSpec {
  std::string file;  ///< the sweep file as given
  std::string name;
  std::string description;
  SweepModel model = SweepModel::scenario;
  std::string scenario;           ///< scenario file, relative to the working folder (resolved)
  std::vector<std::string> sets;  ///< --set changes applied to the scenario before the sweep
  std::uint64_t seed = 0;
  int replicates = 1;
  int chunk = 32;  ///< runs per committed chunk file

  DesignKind design = DesignKind::mc;
  std::uint64_t n = 0;    ///< mc, lhs: points; sobol: base points (2^k); morris: trajectories
  int morris_levels = 4;  ///< morris grid levels (even)
  std::string list_file;  ///< list: CSV, header = parameter names (resolved path)
  /// list without a file (built in code, e.g. a calibration's proposals): rows x parameters,
  /// row-major.
  std::vector<double> list_rows;
  Location design_where;

  std::vector<SweepParameter> parameters;
  std::vector<SweepOutput> outputs;
  int trajectory_every = 0;  ///< 0: no trajectories; k: every k-th turn (and the last)
  std::vector<std::string> trajectory_variables;
  Location trajectory_where;

  std::string resolved_yaml;  ///< the sweep file as read, recorded in every output
};

/// Reads and validates a sweep file; every problem is reported at once as an InputError with
/// file:line:column, key path and what was expected. Paths inside it are relative to the file.
SweepSpec read_sweep_file(const std::string& path);
/// The same from text (`name` appears in locations; relative paths resolve from `dir`).
SweepSpec read_sweep_text(const std::string& text, const std::string& name, const std::string& dir);

}  // namespace geosim
