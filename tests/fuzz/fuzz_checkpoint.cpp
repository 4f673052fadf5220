// Harness: what `geosim run --from CHECKPOINT.h5` reads (output/checkpoint.hpp): the
// checkpoint's description, the app's check that the scenario may continue it (whose history
// YAML comes from the file), the saved world, and the copy of its turns into a new run file.
// The scenario is scenarios/small_test_v2.yaml, the seeds' (loaded once).
#include <cstdint>
#include <string>

#include "app/cli_support.hpp"
#include "fuzz_h5.hpp"
#include "fuzz_support.hpp"
#include "model/world.hpp"
#include "output/checkpoint.hpp"
#include "output/run_writer.hpp"
#include "scenario/load.hpp"

using namespace geosim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Scenario sc = [] {
    fuzz::quiet_hdf5();
    return load_scenario(GEOSIM_SOURCE_DIR "/scenarios/small_test_v2.yaml");
  }();
  const std::string path = fuzz::write_temp("checkpoint.h5", fuzz::as_text(data, size));
  fuzz::expect_contract("read_checkpoint", [&] {
    const CheckpointInfo info = read_checkpoint_info(path);
    cli::check_fork(info, sc, "small_test_v2.yaml", info.run_id, false);
    const World w = read_checkpoint_world(path, sc);
    // As app/run_pipeline.cpp: the fork's output starts as a copy of the checkpoint's turns up
    // to the world's. Never finished, so the writer removes its temp file.
    RunWriter out(fuzz::temp_dir() + "/fork.h5", sc, w, sc.turns);
    out.copy_turns(path, w.turn + 1);
  });
  return 0;
}
