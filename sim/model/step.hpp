#pragma once
#include "core/rng.hpp"
#include "model/world.hpp"

namespace geosim {

/// Advances the world by one turn. Allocates nothing.
void step(World& w, const Scenario& sc, const CounterRng& rng);

}  // namespace geosim
