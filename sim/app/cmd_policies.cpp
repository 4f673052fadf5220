#include <iostream>
#include <sstream>

#include "app/commands.hpp"
#include "policy/policy_type.hpp"

namespace geosim {

/// `geosim policies [--markdown]`: every policy with its parameters (one declaration, in
/// sim/policy/policy_types.cpp), and the shock kinds.
int cmd_policies(const std::vector<std::string>& args) {
  bool md = false;
  for (const auto& a : args) {
    if (a == "--markdown") {
      md = true;
    } else if (a == "-h" || a == "--help") {
      std::cout << "Usage: geosim policies [--markdown]\n\nLists the policies a scenario can "
                   "give its actors (policies: in the scenario), with their parameters,\n"
                   "defaults and units, and the kinds of shocks (shocks:).\n";
      return kExitOk;
    } else {
      std::cerr << "geosim: error: unknown option '" << a << "' of `geosim policies`\n";
      return kExitBadInput;
    }
  }
  auto kind = [](PolicyParamKind k) {
    switch (k) {
      case PolicyParamKind::number:
        return "number";
      case PolicyParamKind::actor_weights:
        return "map actor -> number";
      case PolicyParamKind::actor_list:
        return "list of actors";
    }
    return "";
  };
  for (const auto& t : policy_types()) {
    if (md) {
      std::cout << "#### `" << t.name << "`\n"
                << t.description << ".\n\n"
                << "| parameter | type | default | range | unit | meaning |\n"
                << "|---|---|---|---|---|---|\n";
    } else {
      std::cout << t.name << "\n  " << t.description << "\n";
    }
    for (const auto& p : t.params) {
      std::ostringstream def, range;
      if (p.required)
        def << "required";
      else
        def << p.default_value;
      if (p.kind != PolicyParamKind::actor_list) range << "[" << p.min << ", " << p.max << "]";
      if (md)
        std::cout << "| `" << p.name << "` | " << kind(p.kind) << " | " << def.str() << " | "
                  << range.str() << " | " << p.unit << " | " << p.meaning << " |\n";
      else
        std::cout << "  " << p.name << " (" << kind(p.kind) << ", " << def.str()
                  << (range.str().empty() ? "" : ", " + range.str())
                  << (p.unit.empty() ? "" : " " + std::string(p.unit)) << "): " << p.meaning
                  << "\n";
    }
    std::cout << "\n";
  }
  std::cout << (md ? "Shock kinds: " : "shocks: ");
  for (std::size_t i = 0; i < std::size(kShockKindNames); ++i)
    std::cout << (i ? ", " : "") << kShockKindNames[i];
  std::cout << "\n";
  return kExitOk;
}

}  // namespace geosim
