// geosim_synthetic_yaml: writes a synthetic world as a YAML scenario, to time the CLI path:
//   geosim_synthetic_yaml N [TURNS [SEED]] > synthetic_N.yaml && geosim run synthetic_N.yaml
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "synthetic_world.hpp"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::fprintf(stderr, "usage: %s N_ACTORS [TURNS (default 36) [SEED (default 20240501)]]\n",
                 argv[0]);
    return 2;
  }
  try {
    const int n = std::stoi(argv[1]);
    const int turns = argc > 2 ? std::stoi(argv[2]) : 36;
    const std::uint64_t seed = argc > 3 ? std::stoull(argv[3]) : 20240501;
    const std::string yaml = geosim::scenario_to_yaml(geosim::make_synthetic_world(n, turns, seed));
    std::fwrite(yaml.data(), 1, yaml.size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "geosim_synthetic_yaml: error: %s\n", e.what());
    return 2;
  }
}
