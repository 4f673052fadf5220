#pragma once
/// The plan's description as root attributes, shared by plan.h5 and the merged sweep file.
/// Internal to sim/output (names an HDF5 type).
#include <hdf5.h>

#include "output/sweep_store.hpp"

namespace geosim {

/// Writes name, description, plan hash, sweep YAML, model, design, scenario, seed, replicates,
/// chunk size, numbers of runs and points, versions and the random-key note on `f`.
void write_sweep_attributes(hid_t f, const SweepLayout& layout);

}  // namespace geosim
