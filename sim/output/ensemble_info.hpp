#pragma once
/// `geosim info` on files of several runs: a replicates file (`geosim run --replicates R`) and a
/// comparison (`geosim compare`: format version 1, one what-if; version 2, a what-if study).
/// Layouts: docs/whatif.md, "File layouts".
#include <cstdint>
#include <string>
#include <vector>

#include "output/run_info.hpp"

namespace geosim {

/// One scenario of the file: the replicates' scenario, or the base or a what-if of a comparison.
struct EnsembleScenario {
  std::string label;  ///< its `scenario` label in a comparison ("base", "whatif", a name)
  std::string name, description, hash, file;
  std::uint64_t seed = 0;
};

/// A mean paired difference what-if - base of influence_share(actor, target) at the last turn,
/// with its 95% interval (NaN with one replicate).
struct ShareEffect {
  std::string actor, target;
  double mean = 0.0, lower = 0.0, upper = 0.0;
};

struct EnsembleInfo : FileCoordinates {
  std::string path;
  bool comparison = false;  ///< false: a replicates file
  int format_version = 0;
  std::string geosim_version, git_commit, hdf5_version;
  /// Replicates: its scenario. Comparison: the base, then each what-if in file order.
  std::vector<EnsembleScenario> scenarios;
  std::size_t replicates = 0;                       ///< R
  std::uint64_t first_run_id = 0, last_run_id = 0;  ///< the `replicate` coordinate's ends
  double ci_level = 0.0, t_quantile = 0.0;          ///< comparison only
  std::string start_time, host, command_line;
  double wall_seconds = 0.0;
  std::string forked_from;  ///< runs continued from a checkpoint: that file ("": none)
  int forked_at_turn = -1;
  std::string posterior_file;  ///< replicates drawn from a calibration's posterior ("": none)

  std::size_t events = 0;
  /// Replicates: each client's largest mean influence shares at the final turn.
  std::vector<ClientSummary> clients;
  /// Comparison: per what-if (scenarios[k + 1]), the largest mean paired differences of
  /// influence_share at the final turn by absolute value (at most 3, NaN left out).
  std::vector<std::vector<ShareEffect>> top_effects;
};

/// Reads the summary of a replicates or comparison file. Throws FileError naming the file (and
/// the key) if it is missing, not HDF5, damaged, of another format, of a format_version this
/// geosim does not read, or lacks what the summary needs.
EnsembleInfo read_ensemble_info(const std::string& path);

/// A readable multi-line description (ends with a newline).
std::string format_ensemble_info(const EnsembleInfo& info);

}  // namespace geosim
