// Harness: the scenario loader (scenario/load.hpp) with an overlay and --set changes. The input
// is up to three parts split by "%%%" lines (fuzz_support.hpp): the base scenario, an overlay
// (written after an `extends: base.yaml` line, so it always extends the base) and `--set
// PATH=VALUE` lines, one a line. The loader takes paths, so the parts are written as files.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "scenario/load.hpp"

using namespace geosim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::split_parts(fuzz::as_text(data, size), 3);
  std::string top = fuzz::write_temp("base.yaml", parts[0]);
  if (parts.size() > 1)
    top = fuzz::write_temp("overlay.yaml", "extends: base.yaml\n" + std::string(parts[1]));
  // A handful of changes is enough to reach every rule of apply_set.
  const std::vector<std::string> sets =
      parts.size() > 2 ? fuzz::lines(parts[2], 8) : std::vector<std::string>{};
  fuzz::expect_contract("load_scenario", [&] {
    const Scenario sc = load_scenario(top, sets);
    // A scenario that loads must load again from its resolved YAML (what every output file
    // records and `geosim validate --resolved` prints): a rejection there is a finding too.
    try {
      (void)load_scenario_text(sc.resolved_yaml, "resolved.yaml");
    } catch (const InputError& e) {
      fuzz::finding("load_scenario", std::string("its resolved YAML does not reload: ") + e.what() +
                                         "\n--- resolved YAML:\n" + sc.resolved_yaml);
    }
  });
  return 0;
}
