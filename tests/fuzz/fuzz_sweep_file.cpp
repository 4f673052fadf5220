// Harness: the sweep file loader (study/sweep_spec.hpp, what `geosim sweep plan` reads), then
// the plan against its scenario (study/sweep_plan.hpp) when the sweep is small. Relative paths
// in the file resolve from the private temp folder, which holds copies of the shipped files
// sweeps name (fuzz::add_shipped_files) so that the plan's checks of paths, variables and
// labels against a scenario are reached. The input is up to two parts split by "%%%" lines
// (fuzz_support.hpp): the sweep file, and the CSV of a `list` design, written as design.csv
// next to it (a sweep with `design: {kind: list, file: design.csv}` reads it when planned).
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "study/sweep_plan.hpp"
#include "study/sweep_spec.hpp"

using namespace geosim;

namespace {

// A plan expands its design; beyond this many points it takes longer than a fuzz execution
// should (the limit of 10^9 runs is the loader's, and is checked before this).
bool small_enough(const SweepSpec& s) {
  if (s.design == DesignKind::grid) {
    double points = 1;
    for (const auto& p : s.parameters) points *= static_cast<double>(p.levels.size());
    return points <= 4096;
  }
  return s.n <= 1024 && s.parameters.size() <= 32;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::add_shipped_files();
  const auto parts = fuzz::split_parts(fuzz::as_text(data, size), 2);
  const std::string path = fuzz::write_temp("fuzz.sweep.yaml", parts[0]);
  // Always written: a CSV left by an earlier input must not be read with this one.
  (void)fuzz::write_temp("design.csv", parts.size() > 1 ? parts[1] : std::string_view());
  fuzz::expect_contract("read_sweep_file", [&] {
    const SweepSpec spec = read_sweep_file(path);
    if (small_enough(spec)) (void)make_plan(spec);
  });
  return 0;
}
