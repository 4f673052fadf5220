#pragma once
#include <cstdint>
#include <string>

#include "model/scenario.hpp"

namespace geosim {

/// A made-up world for benchmarks, built directly as a typed Scenario (no YAML): 3 poles, each
/// owned by one patron (actors 0, 1, 2), and n_actors - 3 clients (every tenth of role
/// `other`); the default channels and parameters; 3 patron-led blocs plus one regional bloc
/// per 50 actors; flows of every default channel (each client trades with the three patrons
/// and about 10 other clients; remittances, aid, debt, energy, arms, a little basing, two
/// decaying pulses); and a timeline scaled with n: aid programmes, exercises, visits, loans, a
/// sanction by patron 0 on patron 2 (plus a small one on a client), a secondary sanction on
/// the clients that trade most with patron 2, a bloc accession and a withdrawal.
///
/// Deterministic from `seed`: std::mt19937_64 bits turned into numbers by hand (no
/// std::*_distribution, whose output differs between standard libraries; only the libm
/// exp/log of the log-uniform gdps could differ in the last bit elsewhere). Not data: the
/// numbers only have realistic orders of magnitude (gravity-like trade, remittances of a few
/// to 30% of gdp for small economies, and so on).
///
/// Requires n_actors >= 4 and turns >= 1 (std::invalid_argument otherwise). The Scenario
/// holds the actions that a World points to, so keep it at one address while a World built
/// from it lives.
Scenario make_synthetic_world(int n_actors, int turns, std::uint64_t seed);

/// The same scenario as YAML text in docs/scenario-format.md (geosim: 1), with every number in
/// its canonical unit and written in shortest round-trip form, so that load_scenario_text()
/// rebuilds exactly the same actors, flows and timeline. Works for any Scenario that uses the
/// default channels unchanged and months as turns (std::invalid_argument otherwise).
std::string scenario_to_yaml(const Scenario& sc);

}  // namespace geosim
