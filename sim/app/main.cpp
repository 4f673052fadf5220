#include <string>
#include <vector>

#include "app/commands.hpp"

int main(int argc, char** argv) {
  return geosim::run_cli(std::vector<std::string>(argv + 1, argv + argc));
}
