// Harness: what `geosim info`, `calibrate export` and `run --posterior` read from a calibration
// output file (output/calibration_store.hpp): is_calibration_file (never throws), then
// read_calibration_result and its summary.
#include <cstdint>
#include <string>

#include "fuzz_h5.hpp"
#include "fuzz_support.hpp"
#include "output/calibration_store.hpp"

using namespace geosim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = (fuzz::quiet_hdf5(), true);
  (void)quiet;
  const std::string path = fuzz::write_temp("calibration.h5", fuzz::as_text(data, size));
  bool is_calibration = false;
  try {
    is_calibration = calib::is_calibration_file(path);
  } catch (const std::exception& e) {
    fuzz::finding("is_calibration_file", std::string("threw (it must not): ") + e.what());
  }
  (void)is_calibration;
  fuzz::expect_contract("read_calibration_result", [&] {
    (void)calib::format_calibration_info(calib::read_calibration_result(path));
  });
  return 0;
}
