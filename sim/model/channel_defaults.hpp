#pragma once
#include <vector>

#include "model/scenario.hpp"

namespace geosim {

/// The channels every scenario starts from (model.md, State). A scenario may override any
/// field of these by name, or add channels of its own. `institutions` is filled from bloc
/// memberships rather than from flow entries.
const std::vector<ChannelSpec>& default_channels();

}  // namespace geosim
