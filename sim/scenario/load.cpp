#include "scenario/load.hpp"

#include <algorithm>

#include "scenario/context.hpp"
#include "scenario/overlay.hpp"

namespace geosim {

namespace {

Scenario finish(Node root, const std::vector<std::string>& sets, const std::string& file) {
  for (std::size_t i = 0; i < sets.size(); ++i) apply_set(root, sets[i], static_cast<int>(i + 1));
  Scenario sc = build_scenario(root);
  sc.resolved_yaml = emit_yaml(root);
  sc.source_file = file;
  return sc;
}

}  // namespace

Scenario build_scenario(const Node& root) {
  Diagnostics d;
  BuildContext c(d);
  const std::vector<std::string> top = {
      "geosim", "extends",    "metadata", "poles",    "blocs",  "actors",       "channels",
      "flows",  "parameters", "timeline", "policies", "shocks", "rest_of_world"};
  if (!c.r.check_map(root, "", top)) d.throw_if_any();
  if (const Node* v = c.r.field(root, "", "geosim", true))
    if (auto version = c.r.integer(*v, "geosim", 1, 1000)) {
      if (*version > kScenarioFormatVersion)
        c.r.error(*v, "geosim",
                  "format version " + std::to_string(*version) +
                      " is not supported; this geosim reads versions 1 and 2");
      else
        c.sc.version = static_cast<int>(*version);
    }
  if (const Node* m = c.r.field(root, "", "metadata", true)) build_metadata(c, *m);
  collect_names(c, root);
  build_poles_and_blocs(c, root);
  if (const Node* a = c.r.field(root, "", "actors", true)) build_actors(c, *a);
  build_rest_of_world(c, root.find("rest_of_world"));
  build_channels(c, root.find("channels"));
  build_parameters(c, root.find("parameters"));
  for (auto& a : c.sc.actors)
    if (a.budget < 0.0) {
      a.budget = c.sc.params.budget_share_of_gdp * a.gdp;
      a.budget_from_gdp = true;
    }
  build_flows(c, root.find("flows"));
  build_rest_of_world_totals(c, root.find("rest_of_world"));
  read_policies(c, root.find("policies"));
  build_timeline(c, root.find("timeline"));
  build_policies(c, root.find("shocks"));
  if (d.empty()) check_references(c, root);
  if (d.empty()) check_timeline_warnings(c);
  d.throw_if_any();
  c.sc.warnings = std::move(c.warnings);
  return std::move(c.sc);
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& sets) {
  std::vector<std::string> files;
  Node root = load_resolved(path, &files);
  Scenario sc = finish(std::move(root), sets, path);
  sc.source_files = std::move(files);
  return sc;
}

Scenario load_scenario_text(const std::string& text, const std::string& name,
                            const std::vector<std::string>& sets) {
  return finish(load_resolved_text(text, name), sets, name);
}

}  // namespace geosim
