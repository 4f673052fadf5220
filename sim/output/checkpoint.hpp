#pragma once
#include <cstdint>
#include <string>

#include "model/scenario.hpp"
#include "model/world.hpp"

namespace geosim {

/// What a checkpoint file (`geosim run --checkpoint-at`) says about itself. A checkpoint is a
/// run file of the turns up to the checkpoint, plus the whole state of the run at its end in
/// the group `checkpoint` (docs/output-format.md).
struct CheckpointInfo {
  std::string path;
  int turn = -1;     ///< the last turn the state includes
  std::string date;  ///< that turn's date
  std::uint64_t seed = 0;
  std::uint64_t run_id = 0;
  std::string scenario_name;
  std::string scenario_hash;
  std::string history_yaml;  ///< scenario/history.hpp: what decided the state
};

/// Reads a checkpoint's description. Throws InputError (at the file, key `--from`) if the file
/// cannot be opened or is not a geosim checkpoint.
CheckpointInfo read_checkpoint_info(const std::string& path);

/// The state saved in a checkpoint, as a world for `sc`: make_world(sc), then every state
/// member overwritten from the file. `sc` must be compatible (the app checks history_yaml);
/// throws std::runtime_error if a member does not fit it.
World read_checkpoint_world(const std::string& path, const Scenario& sc);

}  // namespace geosim
