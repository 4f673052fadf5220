// Harness: read_sweep_plan (output/sweep_store.hpp), what `geosim sweep run`, `status` and
// `merge` read from DIR/plan.h5.
#include <cstdint>
#include <string>

#include "fuzz_h5.hpp"
#include "fuzz_support.hpp"
#include "output/sweep_store.hpp"

using namespace geosim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = (fuzz::quiet_hdf5(), true);
  (void)quiet;
  const std::string path = fuzz::write_temp("plan.h5", fuzz::as_text(data, size));
  fuzz::expect_contract("read_sweep_plan", [&] { (void)read_sweep_plan(path); });
  return 0;
}
