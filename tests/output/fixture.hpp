#pragma once
/// A tiny hand-built scenario and world for the output tests: four actors (three patrons, one
/// client), two poles, the default channels, four monthly turns; every recorded value follows a
/// formula so a test can check any cell it reads back.
#include <string>

#include "model/scenario.hpp"
#include "model/world.hpp"
#include "output/provenance.hpp"

namespace geosim::test {

Scenario tiny_scenario(int turns = 4);

/// A world sized for `sc` by hand (independent of make_world), all values zero, turn -1.
World sized_world(const Scenario& sc);

/// The value written at cell `index` (row-major) of the variable with `salt` at turn `turn`.
double cell(int salt, int turn, long index);

/// Fills every recorded field with cell(salt, w.turn, i); the salts are listed in fixture.cpp.
void fill_turn(World& w);

/// The salt fill_turn uses for a variable of the run file (channel block k for per-channel
/// variables); -1 for an unknown name.
int salt_of(const std::string& variable, int k = 0);

/// Provenance with a value in every field.
Provenance sample_provenance();

/// A per-test scratch path under the build tree, with any leftovers from earlier runs removed.
std::string scratch_path(const std::string& name);

}  // namespace geosim::test
