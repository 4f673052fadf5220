#pragma once
#include <csignal>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "model/scenario.hpp"
#include "model/world.hpp"
#include "output/provenance.hpp"

namespace geosim {

/// Thrown by simulate() when asked to stop; the temp output file is removed by then.
struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted") {}
};

/// Runs a scenario from its initial state through all its turns. With a non-empty `out_path`,
/// records every turn to that HDF5 file (temp name, renamed at the end). Returns the final
/// world. `run_id` keys the random numbers together with the scenario's seed. If `stop` is
/// given and becomes non-zero, stops at the end of the current turn by throwing Interrupted.
World simulate(const Scenario& sc, std::uint64_t run_id, const std::string& out_path,
               Provenance prov, const volatile std::sig_atomic_t* stop = nullptr);

}  // namespace geosim
