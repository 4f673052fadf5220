#pragma once
#include <vector>

#include "model/scenario.hpp"

namespace geosim {

/// The channels every scenario starts from (model.md, State). A scenario may override any
/// field of these by name, or add channels of its own. `institutions` is filled from bloc
/// memberships rather than from flow entries.
/// Format version 2 changes two of them: institutions feed political dependence (their
/// dependence weight, taken from remittances, debt and basing) and their bandwidth reference is
/// the scenario's total bloc weight (model.md, "Version 1").
const std::vector<ChannelSpec>& default_channels(int version);

}  // namespace geosim
