#pragma once
#include <memory>
#include <string>

#include "model/scenario.hpp"
#include "model/world.hpp"
#include "output/provenance.hpp"

namespace geosim {

/// Writes one run to an HDF5 file readable by h5py, xarray (h5netcdf and netcdf4 engines),
/// ncdump and h5dump (layout: docs/output-format.md, declared in run_schema.hpp).
///
/// Everything goes to `path + ".tmp"`, renamed to `path` by finish(). If finish() is never
/// called (exception, crash) the destructor removes the temp file, so no partial output exists
/// under the final name. Throws std::runtime_error if the temp file cannot be created. Does not
/// itself check the overwrite policy (the app does). Datasets are created at full size up
/// front and filled one turn at a time, so memory does not grow with the number of turns.
class RunWriter {
 public:
  /// Creates the temp file and writes the coordinates and scenario attributes. `initial` gives
  /// the sizes (its n, k, p must match the scenario); its state is not recorded. `turns`: how
  /// many turns the file holds (default, -1: all the scenario's; fewer for a checkpoint).
  /// `threads` > 1: chunks are compressed on that many threads while the run goes on (the
  /// file's bytes do not depend on it).
  RunWriter(std::string path, const Scenario& sc, const World& initial, int turns = -1,
            int threads = 1);
  ~RunWriter();
  RunWriter(RunWriter&&) noexcept;
  RunWriter& operator=(RunWriter&&) = delete;
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  /// Writes the state at turn w.turn. Turns must come in order 0, 1, ..., sc.turns - 1
  /// (std::logic_error otherwise).
  void record(const World& w);

  /// Copies turns 0 .. turns - 1 of every variable from the checkpoint file `from` (a run of
  /// the same actors, channels and poles), as if they had been recorded; the next turn to
  /// record is then `turns`. Throws std::runtime_error if a variable's shape differs.
  void copy_turns(const std::string& from, int turns);

  /// Makes the file a checkpoint: saves the whole state of `w` (the state after the last
  /// recorded turn) and `history_yaml` (scenario/history.hpp). Call before finish().
  void add_checkpoint(const World& w, const Scenario& sc, const std::string& history_yaml);

  /// Writes the events table from w.log and the provenance attributes, closes the file and
  /// renames it to its final name. Requires every turn to have been recorded.
  void finish(const World& w, const Provenance& prov);

  const std::string& path() const;
  std::string temp_path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace geosim
