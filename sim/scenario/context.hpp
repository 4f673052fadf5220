#pragma once
#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "scenario/reader.hpp"

namespace geosim {

/// State shared by the parts of the scenario builder: the reader, the scenario being built and
/// the names a reference may use.
struct BuildContext {
  explicit BuildContext(Diagnostics& d) : r(d) {}
  Reader r;
  Scenario sc;
  std::vector<std::string> actor_codes, pole_codes, bloc_codes, channel_names;
  bool run_known = false;  ///< metadata.start and turns were read without error

  /// An actor code; reports an unknown actor with a "did you mean". Returns its index or -1.
  int actor(const Node& n, const std::string& path);
  /// A list of actor codes (at least `min_items`).
  std::vector<int> actor_list(const Node& n, const std::string& path, std::size_t min_items);
  int bloc(const Node& n, const std::string& path);
};

/// The parts of the build, in the order build_scenario() calls them.
void build_metadata(BuildContext& c, const Node& n);
void collect_names(BuildContext& c, const Node& root);
void build_poles_and_blocs(BuildContext& c, const Node& root);
void build_actors(BuildContext& c, const Node& n);
void build_channels(BuildContext& c, const Node* n);
void build_parameters(BuildContext& c, const Node* n);
void build_flows(BuildContext& c, const Node* n);
void build_timeline(BuildContext& c, const Node* n);
/// The actors' policies and the scenario's shocks (sim/policy/), as the scenario's Decider.
void build_policies(BuildContext& c, const Node* policies, const Node* shocks);
/// A money channel the timeline can fill needs a bandwidth scale: its reference, or an initial
/// tie in it or another money channel.
void check_references(BuildContext& c, const Node& root);
/// The money channels with no bandwidth scale when the timeline disburses money but no money
/// channel has an initial tie (the rule check_references() enforces); empty when it holds.
std::vector<std::string> unscaled_money_channels(const Scenario& sc);

/// "name[CODE]" when the item has a code or id, else "name[i]".
std::string item_path(const std::string& list, const Node& item, std::size_t index);

}  // namespace geosim
