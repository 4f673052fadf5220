#pragma once
#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "policy/policy_type.hpp"
#include "scenario/reader.hpp"

namespace geosim {

/// A policy as read from `policies:`, before the PolicySet is made: the timeline's `policy`
/// events add versions to it.
struct PolicyDraft {
  int type = -1;  ///< index into policy_types()
  PolicyParams params;
  const Node* node = nullptr;  ///< its item in the tree, for located errors
};

/// State shared by the parts of the scenario builder: the reader, the scenario being built and
/// the names a reference may use.
struct BuildContext {
  explicit BuildContext(Diagnostics& d) : r(d) {}
  Reader r;
  Scenario sc;
  std::vector<std::string> actor_codes, pole_codes, bloc_codes, channel_names;
  bool run_known = false;  ///< metadata.start and turns were read without error
  std::vector<Diagnostic> warnings;
  std::vector<PolicyDraft> policies;
  /// The `set:` of each timeline `policy` event, by the event's node (build_policies).
  std::vector<std::pair<const Node*, PolicyParams>> policy_changes;
  /// Each timeline event's node, in Scenario::timeline order (after the sort by turn).
  std::vector<const Node*> event_nodes;
  /// Each flow entry's item, in Scenario::flows order (a `between` entry twice).
  std::vector<const Node*> flow_nodes;

  /// An actor code; reports an unknown actor with a "did you mean". The rest of the world (code
  /// ROW) is accepted only where `allow_rest_of_world`. Returns its index or -1.
  int actor(const Node& n, const std::string& path, bool allow_rest_of_world = false);
  /// A list of actor codes (at least `min_items`), each once.
  std::vector<int> actor_list(const Node& n, const std::string& path, std::size_t min_items,
                              bool allow_rest_of_world = false);
  int bloc(const Node& n, const std::string& path);
  int channel(const Node& n, const std::string& path);
  /// A warning: valid but suspicious input. Printed on stderr; never a refusal.
  void warn(const Node& n, const std::string& path, const std::string& message);
  /// The format version being read (metadata is read first).
  int version() const { return sc.version; }
};

/// The parts of the build, in the order build_scenario() calls them.
void build_metadata(BuildContext& c, const Node& n);
void collect_names(BuildContext& c, const Node& root);
void build_poles_and_blocs(BuildContext& c, const Node& root);
void build_actors(BuildContext& c, const Node& n);
/// The `rest_of_world:` section's actor (appended after the listed actors); its totals are
/// read by build_rest_of_world_totals once the flows are known.
void build_rest_of_world(BuildContext& c, const Node* n);
void build_rest_of_world_totals(BuildContext& c, const Node* n);
void build_channels(BuildContext& c, const Node* n);
void build_parameters(BuildContext& c, const Node* n);
void build_flows(BuildContext& c, const Node* n);
/// The actors' policies (read before the timeline, whose `policy` events change them).
void read_policies(BuildContext& c, const Node* policies);
void build_timeline(BuildContext& c, const Node* n);
/// The policies and the scenario's shocks (sim/policy/), as the scenario's Decider.
void build_policies(BuildContext& c, const Node* shocks);
/// A money channel the timeline can fill needs a bandwidth scale: its reference, or an initial
/// tie in it or another money channel.
void check_references(BuildContext& c, const Node& root);
/// Warnings about the whole scenario (ties a withdrawal would end, programmes past the end...).
void check_timeline_warnings(BuildContext& c);
/// The money channels with no bandwidth scale when the timeline disburses money but no money
/// channel has an initial tie (the rule check_references() enforces); empty when it holds.
std::vector<std::string> unscaled_money_channels(const Scenario& sc);

/// The two ends of a flow entry or a `flow` event: `from` and `to`, or `between` (both ways);
/// reports what is wrong (both forms, a wrong count, the same actor twice). -1 where unknown.
struct Endpoints {
  int from = -1;
  int to = -1;
  bool both = false;
};
Endpoints read_endpoints(BuildContext& c, const Node& e, const std::string& p,
                         bool allow_rest_of_world);

/// "needs scenario format version 2 (geosim: 2); this scenario is version N (...)".
std::string needs_version_2(const BuildContext& c);

/// "name[CODE]" when the item has a code or id, else "name[i]".
std::string item_path(const std::string& list, const Node& item, std::size_t index);

/// The code the rest of the world has in every scenario that declares one.
inline constexpr std::string_view kRestOfWorldCode = "ROW";

}  // namespace geosim
