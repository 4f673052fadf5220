#pragma once
#include <cstdint>
#include <string>

#include "model/scenario.hpp"
#include "model/world.hpp"
#include "output/provenance.hpp"

namespace geosim {

/// Runs a scenario from its initial state through all its turns. With a non-empty `out_path`,
/// records every turn to that HDF5 file (temp name, renamed at the end). Returns the final
/// world. `run_id` keys the random numbers together with the scenario's seed.
World simulate(const Scenario& sc, std::uint64_t run_id, const std::string& out_path,
               Provenance prov);

}  // namespace geosim
