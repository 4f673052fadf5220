#pragma once
/// A calibrated point as a scenario overlay (docs/calibration.md, "Use the posterior"): the
/// --set paths of the calibration's parameters written as the `extends:` overlay that gives
/// the same scenario, so a what-if can extend the calibrated baseline.
#include <string>
#include <utility>
#include <vector>

namespace geosim::calib {

/// The overlay's YAML text. `base` is the scenario the paths were resolved against (its path
/// as the overlay will name it in `extends:`, and its resolved YAML, which says whether a
/// list's items are named by `code` or `id`); `changes` are (--set path, YAML value text), in
/// order. `header` is written first as comment lines. Throws InputError if a path cannot be
/// written as an overlay (an item with neither code nor id).
std::string overlay_yaml(const std::string& extends, const std::string& base_yaml,
                         const std::string& name, int format_version,
                         const std::vector<std::pair<std::string, std::string>>& changes,
                         const std::string& header);

/// The text of the value at a --set `path` in a resolved scenario's YAML ("" if the path names
/// nothing there, e.g. a parameter left at its default; a list or map as emitted YAML). Used to
/// tell whether two scenarios set a field differently.
std::string yaml_value_at(const std::string& yaml, const std::string& path);

}  // namespace geosim::calib
