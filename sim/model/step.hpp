#pragma once
#include "core/rng.hpp"
#include "core/turn_pool.hpp"
#include "model/world.hpp"

namespace geosim {

/// Advances the world by one turn. Allocates nothing. With a pool, the row loops of the dense
/// phases run on its threads; the result is the same bits with or without one.
void step(World& w, const Scenario& sc, const CounterRng& rng, TurnPool* pool = nullptr);

}  // namespace geosim
