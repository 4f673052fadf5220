#pragma once
/// A fast point estimate: the Nelder-Mead simplex (Nelder and Mead 1965) on the calibration's
/// distance, in the priors' quantile coordinates (each parameter's u in [0, 1] maps to its value
/// by the prior's inverse CDF, so the search stays inside the prior's support). Every
/// evaluation runs the same replicates with the same random keys (common random numbers), so
/// the objective is a deterministic function of the parameters.
#include "calib/calibrate.hpp"

namespace geosim::calib {

/// Runs the simplex and writes a one-generation output file: the final simplex's vertices as
/// equally weighted particles, `best` the vertex of smallest distance. No work folder: a run
/// stopped by a signal writes nothing and starts again.
CalibReport nelder_mead(const CalibSetup& setup, const CalibOptions& options);

}  // namespace geosim::calib
