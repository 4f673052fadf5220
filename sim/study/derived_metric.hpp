#pragma once
/// Derived quantities a sweep output or a calibration target can name besides the run
/// variables (docs/sweeps.md, "Derived quantities"): shares and ratios of the flows that
/// public statistics report, computed each turn from the world's flows and gdp.
#include <optional>
#include <string_view>

#include "model/world.hpp"

namespace geosim {

enum class Derived { none, turnover_share, import_share, inflow_gdp };
inline constexpr const char* kDerivedNames[] = {"", "turnover_share", "import_share", "inflow_gdp"};

/// What a derived quantity reads: the measured actor, its partner (-1: all partners, for
/// inflow_gdp only) and the channel.
struct DerivedDef {
  Derived kind = Derived::none;
  int actor = -1;
  int partner = -1;
  int channel = 0;
};

/// The kind named `name`, or nullopt if it is not a derived quantity.
std::optional<Derived> derived_kind(std::string_view name);

/// The quantity this turn (flow(a, b) is the channel's effective flow from a to b):
///  - turnover_share: (flow(a, p) + flow(p, a)) / sum over j != a of (flow(a, j) + flow(j, a));
///  - import_share:   flow(p, a) / sum over j of flow(j, a);
///  - inflow_gdp:     (sum over j of flow(j, a), or flow(p, a)) / (1000 gdp_a), for a channel
///    in USD m (per year) against gdp in USD bn/yr.
/// A share whose denominator is 0 is NaN (the run then fails with the metric's name).
double derived_value(const World& w, const DerivedDef& d);

}  // namespace geosim
