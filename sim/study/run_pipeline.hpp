#pragma once
#include <csignal>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "model/scenario.hpp"
#include "model/world.hpp"
#include "output/provenance.hpp"

namespace geosim {

/// Thrown by simulate() when asked to stop; the temp output file is removed by then.
struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted") {}
};

/// Where a run starts and where it stops (default: the whole run from the initial state).
struct RunSpan {
  std::string from;          ///< continue from this checkpoint file ("": the initial state)
  int checkpoint_at = -1;    ///< stop after this turn and write a checkpoint (-1: run to the end)
  std::string history_yaml;  ///< with checkpoint_at: history_yaml(sc, checkpoint_at)
  /// Threads of the run: above 1, the output's chunks are compressed on that many threads
  /// while the turns go on, and from kTurnPoolMinRows actors the turn's row loops are split
  /// over as many (core/turn_pool.hpp). The results and the file's values do not depend on it.
  int threads = 1;
};

/// Runs a scenario through its turns. With a non-empty `out_path`, records every turn to that
/// HDF5 file (temp name, renamed at the end). Returns the final world. `run_id` keys the
/// random numbers together with the scenario's seed. If `stop` is given and becomes non-zero,
/// stops at the end of the current turn by throwing Interrupted.
///
/// With `span.from`, the state and the recorded turns up to the checkpoint come from that file
/// (the app checks first that `sc` has the checkpoint's history); with `span.checkpoint_at`, the
/// run stops after that turn and the output file is a checkpoint (output/checkpoint.hpp).
World simulate(const Scenario& sc, std::uint64_t run_id, const std::string& out_path,
               Provenance prov, const volatile std::sig_atomic_t* stop = nullptr,
               const RunSpan& span = {});

}  // namespace geosim
