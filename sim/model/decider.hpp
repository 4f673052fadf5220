#pragma once
#include <cstddef>
#include <string>

#include "core/rng.hpp"

namespace geosim {

struct World;
struct Scenario;

/// How actors decide (step 2 of a turn). The model calls it without knowing the policies: the
/// scenario loader builds one from the scenario's `policies:` and `shocks:` (sim/policy/) and
/// stores it in the Scenario. A decider observes the world and queues actions in
/// World::pending; the engine then applies them in queue order. Its own state lives in
/// World::policy_state, so that a world is the whole state of a run.
class Decider {
 public:
  virtual ~Decider() = default;
  /// Entries of World::policy_state it needs.
  virtual std::size_t state_size() const = 0;
  /// Sets the initial policy state and per-actor settings (called by make_world).
  virtual void init(World& w, const Scenario& sc) const = 0;
  /// Queues this turn's actions. Must not allocate (World::pending is reserved).
  virtual void decide(World& w, const Scenario& sc, const CounterRng& rng, int turn) const = 0;
  /// Upper bound on the actions queued in one turn (for the reservation).
  virtual std::size_t max_actions_per_turn(const Scenario& sc) const = 0;
};

}  // namespace geosim
