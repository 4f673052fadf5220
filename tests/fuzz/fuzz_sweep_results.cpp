// Harness: read_sweep_results (output/sweep_store.hpp), what `geosim sweep analyze` reads from a
// merged sweep file.
#include <cstdint>
#include <string>

#include "fuzz_h5.hpp"
#include "fuzz_support.hpp"
#include "output/sweep_store.hpp"

using namespace geosim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = (fuzz::quiet_hdf5(), true);
  (void)quiet;
  const std::string path = fuzz::write_temp("sweep.h5", fuzz::as_text(data, size));
  fuzz::expect_contract("read_sweep_results", [&] { (void)read_sweep_results(path); });
  return 0;
}
