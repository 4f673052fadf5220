#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace geosim {

/// Where a run came from, as recorded in its output file. Filled by the app; the scenario's
/// name, hash, resolved YAML and seed and the program version are added by the writer.
struct Provenance {
  std::string command_line;
  std::string scenario_file;
  std::string start_time;  ///< ISO 8601 UTC, e.g. "2024-05-01T12:00:00Z"
  std::string host;
  std::uint64_t run_id = 0;
  double wall_seconds = 0;
  std::string forked_from;       ///< checkpoint file the run continued from (geosim run --from)
  std::string forked_from_hash;  ///<   its scenario hash
  int forked_at = -1;            ///<   its last turn
  /// Replicates drawn from a calibration's posterior (--posterior): the file and, per
  /// replicate, the particle of its last generation.
  std::string posterior_file;
  std::vector<std::int64_t> posterior_particle;
};

}  // namespace geosim
