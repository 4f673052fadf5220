#include "model/scenario.hpp"

#include <algorithm>

namespace geosim {

std::string_view unit_family(std::string_view unit) {
  return unit.substr(0, 3) == "USD" ? std::string_view("money") : unit;
}

int Scenario::actor_index(std::string_view code) const {
  for (int i = 0; i < n_actors(); ++i)
    if (actors[i].code == code) return i;
  return -1;
}

int Scenario::channel_index(std::string_view channel) const {
  for (int k = 0; k < n_channels(); ++k)
    if (channels[k].name == channel) return k;
  return -1;
}

int Scenario::pole_of(int actor) const {
  for (int p = 0; p < n_poles(); ++p)
    if (std::find(poles[p].owners.begin(), poles[p].owners.end(), actor) != poles[p].owners.end())
      return p;
  return -1;
}

}  // namespace geosim
