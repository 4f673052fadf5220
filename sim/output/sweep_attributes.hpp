#pragma once
/// The plan's description as root attributes, shared by plan.h5 and the merged sweep file.
/// Internal to sim/output (names an HDF5 type).
#include <hdf5.h>

#include "output/sweep_store.hpp"

namespace geosim {

/// The largest chunk of the sweep files' datasets: 64 KiB (8,192 runs of a per-run variable).
/// The merge holds one chunk being filled per per-run variable, so its memory stops growing at
/// 8,192 runs instead of at 131,072 with the 1 MiB default; reading a whole variable of 10^6
/// runs is then 123 chunks, still few.
inline constexpr std::size_t kSweepChunkBytes = std::size_t{64} << 10;

/// Writes name, description, plan hash, sweep YAML, model, design, scenario, seed, replicates,
/// chunk size, numbers of runs and points, versions and the random-key note on `f`.
void write_sweep_attributes(hid_t f, const SweepLayout& layout);

}  // namespace geosim
