// Harness: read_run_info and format_run_info (output/run_info.hpp), and format_file_info, what
// `geosim info` does with every kind of geosim file (run, replicates, comparison, checkpoint,
// sweep plan, chunk and merged file, calibration): the seeds hold one of each.
#include <cstdint>
#include <string>

#include "fuzz_h5.hpp"
#include "fuzz_support.hpp"
#include "output/run_info.hpp"

using namespace geosim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = (fuzz::quiet_hdf5(), true);
  (void)quiet;
  const std::string path = fuzz::write_temp("input.h5", fuzz::as_text(data, size));
  fuzz::expect_contract("read_run_info", [&] { (void)format_run_info(read_run_info(path)); });
  fuzz::expect_contract("format_file_info", [&] { (void)format_file_info(path); });
  return 0;
}
