// The turn loop must not touch the heap (style.md, principle 8): this program counts every
// global operator new while step() runs, for the baseline and the small test scenario.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <new>
#include <sstream>
#include <string>

#include "core/rng.hpp"
#include "model/step.hpp"
#include "scenario/load.hpp"
#include "test_paths.hpp"

namespace {
bool counting = false;
long allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  if (counting) ++allocations;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  return operator new(size);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}

// The small scenario with every policy and shock, so that their code is counted too.
const char* kPolicies = R"(
policies:
  - {actor: PA, policy: patron_budget, priorities: {C1: 1, C2: 2}}
  - {actor: PB, policy: rival_reaction, rivals: {PA: 0.5}, hosts: [C1, C2], grievance: 500}
  - {actor: PA, policy: rival_reaction, rivals: {PB: 0.5}, hosts: [C2]}
  - {actor: C2, policy: hedging_client, threshold: 0.1}
shocks:
  - {kind: border_conflict, actors: [C1, C2], probability: 0.2, size: 0.5, turns: 2}
  - {kind: commodity_price, actors: [PB], probability: 0.2, size: -0.05}
  - {kind: regime_instability, actors: [C1], probability: 0.2, size: 0.05}
)";

int main() {
  int failures = 0;
  for (const char* file : {"central_asia_2022.yaml", "sahel_2020.yaml", "small_test.yaml",
                           "small_test_v2.yaml", "policies"}) {
    const std::string small = std::string(GEOSIM_SCENARIOS_DIR) + "/small_test.yaml";
    std::ifstream in(small);
    std::stringstream text;
    text << in.rdbuf() << kPolicies;
    const geosim::Scenario sc =
        std::string(file) == "policies"
            ? geosim::load_scenario_text(text.str(), "small_test + policies")
            : geosim::load_scenario(std::string(GEOSIM_SCENARIOS_DIR) + "/" + file);
    geosim::World w = geosim::make_world(sc);
    const geosim::CounterRng rng(sc.seed, 0);
    allocations = 0;
    counting = true;
    for (int t = 0; t < sc.turns; ++t) geosim::step(w, sc, rng);
    counting = false;
    std::printf("%s: %d turns, %ld heap allocations in the turn loop\n", file, sc.turns,
                allocations);
    failures += allocations != 0;
  }
  std::printf(failures == 0 ? "no allocation in the turn loop\n" : "the turn loop allocated\n");
  return failures == 0 ? 0 : 1;
}
