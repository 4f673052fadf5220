// Harness: the calibration file loader (calib/calib_spec.hpp, what `geosim calibrate` reads),
// then its resolution against the scenario (make_calibration_setup, calib/calibrate.hpp).
// Relative paths resolve from the private temp folder, which holds copies of the shipped files
// calibrations name (fuzz::add_shipped_files).
#include <cstdint>
#include <string>

#include "calib/calib_spec.hpp"
#include "calib/calibrate.hpp"
#include "fuzz_support.hpp"

using namespace geosim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::add_shipped_files();
  const std::string path = fuzz::write_temp("fuzz.calib.yaml", fuzz::as_text(data, size));
  fuzz::expect_contract("read_calibration_file", [&] {
    const CalibSpec spec = read_calibration_file(path);
    (void)calib::make_calibration_setup(spec);
  });
  return 0;
}
