#pragma once
#include <string>

#include "model/scenario.hpp"

namespace geosim {

/// Replaces the flows with the rest of the world that come from `sc.totals` (FlowEntry::derived,
/// kept at the end of sc.flows) by what the totals now imply: for each total, the part not with
/// a listed actor (total less the actor's initial flows with listed partners, decaying ones
/// included) is a flow from or to the rest of the world; a turnover's part is split equally both
/// ways. Returns "" on success, or what is wrong (a total smaller than its listed partners'; its
/// index in sc.totals in `failed`) and leaves `sc` unchanged.
std::string derive_rest_of_world_flows(Scenario& sc, std::size_t* failed = nullptr);

}  // namespace geosim
