#pragma once
/// Limits every YAML input (scenario, overlay, sweep and calibration files, `--set` values) is
/// read under, so a hostile or broken file is refused in bounded time and memory instead of
/// exhausting them (docs/scenario-format.md, "Limits"). Each can be raised for one command with
/// an environment variable.
#include <cstddef>

namespace geosim {

struct YamlLimits {
  std::size_t max_bytes = 16u << 20;  ///< file size; GEOSIM_YAML_MAX_BYTES
  std::size_t max_nodes = 500'000;    ///< nodes once aliases are expanded; GEOSIM_YAML_MAX_NODES
  std::size_t max_depth = 64;         ///< nesting of maps and lists; GEOSIM_YAML_MAX_DEPTH
  std::size_t max_scalar = 1u << 20;  ///< bytes of one value; GEOSIM_YAML_MAX_SCALAR
};

/// The defaults above, each overridden by its environment variable when that is set to a whole
/// number (anything else is an InputError naming the variable).
YamlLimits yaml_limits();

}  // namespace geosim
