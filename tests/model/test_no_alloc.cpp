// The turn loop must not touch the heap (style.md, principle 8): this program counts every
// global operator new while step() runs, for the baseline and the small test scenario.
#include <cstdio>
#include <cstdlib>
#include <new>

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

int main() {
  int failures = 0;
  for (const char* file : {"central_asia_2022.yaml", "small_test.yaml"}) {
    const geosim::Scenario sc =
        geosim::load_scenario(std::string(GEOSIM_SCENARIOS_DIR) + "/" + file);
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
