#pragma once
#include <string>

#include "scenario/context.hpp"

namespace geosim {

/// A timeline `policy` event (format version 2): the policy it names, the parameters its `set:`
/// changes (kept in BuildContext::policy_changes until build_policies makes the versions) and
/// `active`. Reports an unknown policy id or parameter with its location.
void read_policy_change(BuildContext& c, const Node& e, const std::string& p, ScheduledEvent& ev);

/// The node that decides where an error about an action's actors is reported: of its actor
/// fields, the one written last (an overlay's or a --set's), else the event itself.
const Node& latest_of_actors(const Node& e);

}  // namespace geosim
