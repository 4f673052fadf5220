#pragma once
#include <string>
#include <vector>

namespace geosim::cli {

/// `geosim sweep analyze SWEEP.h5`: Sobol' (design sobol) or Morris (design morris) indices of
/// every metric, printed and written into the sweep file; --salib DIR exports for SALib.
int cmd_sweep_analyze(const std::vector<std::string>& args);

/// `geosim sweep ...` (cmd_sweep.cpp).
int cmd_sweep(const std::vector<std::string>& args);

}  // namespace geosim::cli
