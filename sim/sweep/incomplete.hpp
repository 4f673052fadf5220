#pragma once
// Internal: the message of IncompletePolicy::refuse, shared by the Sobol' and Morris analyses.
#include <cstddef>
#include <string>
#include <vector>

namespace geosim::sweep {

/// "<fn>: 3 of 64 <units> are incomplete (non-finite output), <label> 5, 17, 30; ..." listing
/// at most the first 10 indices.
inline std::string incomplete_message(const char* fn, std::size_t total, const char* units,
                                      const char* label,
                                      const std::vector<std::size_t>& incomplete) {
  constexpr std::size_t kShown = 10;
  std::string msg = std::string(fn) + ": " + std::to_string(incomplete.size()) + " of " +
                    std::to_string(total) + " " + units +
                    " are incomplete (NaN or infinite output), " + label + " ";
  for (std::size_t i = 0; i < incomplete.size() && i < kShown; ++i) {
    msg += (i ? ", " : "") + std::to_string(incomplete[i]);
  }
  if (incomplete.size() > kShown) msg += ", ...";
  msg += "; rerun them, or analyse the complete ones only";
  return msg;
}

}  // namespace geosim::sweep
