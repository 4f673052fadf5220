// Harness: read_population (output/calibration_store.hpp), what a resumed calibration reads
// from DIR/gen_GGG/population.h5. It is given the input's own `key` attribute when it has one
// (as a population of this calibration would have), so mutated files reach the datasets.
#include <cstdint>
#include <string>

#include "fuzz_h5.hpp"
#include "fuzz_support.hpp"
#include "output/calibration_store.hpp"

using namespace geosim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = (fuzz::quiet_hdf5(), true);
  (void)quiet;
  const std::string path = fuzz::write_temp("population.h5", fuzz::as_text(data, size));
  const std::string key = fuzz::h5_string_attr(path, "key").value_or("fuzz");
  fuzz::expect_contract("read_population", [&] { (void)calib::read_population(path, key); });
  return 0;
}
