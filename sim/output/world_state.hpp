#pragma once
/// The whole state of a run (model/world.hpp) to and from an HDF5 group: what a checkpoint
/// holds. Internal to sim/output (names HDF5 types).
#include <hdf5.h>

#include "model/scenario.hpp"
#include "model/world.hpp"

namespace geosim {

/// Version of the state layout; a checkpoint of another version is refused.
inline constexpr int kWorldStateVersion = 2;

/// Writes every member of `w` that a later turn reads (all but scratch and the per-turn queue)
/// into the open group `g`. Pointers into the scenario (sanction transit lists, event
/// participants) are written as timeline event indices.
void write_world_state(hid_t g, const World& w, const Scenario& sc);

/// Overwrites `w` (made by make_world(sc), so sized for `sc`) with the state in group `g`.
/// Throws std::runtime_error naming the member if a shape or an index does not fit `sc`.
void read_world_state(hid_t g, World& w, const Scenario& sc);

}  // namespace geosim
