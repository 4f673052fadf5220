#pragma once
// Where the random numbers of sim/sweep/ come from. Part of the reproducibility contract: a
// design or a bootstrap interval depends only on the root seed and these constants, so changing
// any of them changes published results.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "core/rng.hpp"

namespace geosim::sweep {

/// Run-id word of the CounterRng key used by every design and bootstrap: CounterRng(seed,
/// kDesignStream). Far from the small run ids of replicates; the purpose word
/// (RngPurpose::design) separates it from the model's numbers as well.
inline constexpr std::uint64_t kDesignStream = 0x7377'6565'7000'0001ULL;  // "sweep" + 1

/// The `draw` word of the counter (row, dim, RngPurpose::design, draw): one value per use.
enum class DesignDraw : std::uint64_t {
  monte_carlo = 0,      ///< (row, dim): the point itself
  lhs_position = 1,     ///< (row, dim): position inside the stratum
  lhs_permutation = 2,  ///< (round, dim): key of a Feistel round of IndexPermutation
  sobol_shift = 3,      ///< (0, column): random digital shift of a Sobol' column
  morris_base = 4,      ///< (trajectory, factor): base level
  morris_order = 5,     ///< (i, trajectory): Fisher-Yates swap partner in the factor order
  morris_sign = 6,      ///< (trajectory, factor): direction of the step
  bootstrap = 7,        ///< (replicate, k): which block is the k-th of the resample
};

/// u(row, dim) for one use, in [0, 1).
inline double design_uniform(const CounterRng& rng, std::uint64_t row, std::uint64_t dim,
                             DesignDraw draw) {
  return rng.uniform(row, dim, RngPurpose::design, static_cast<std::uint64_t>(draw));
}

/// floor(u * n) for u in [0, 1), kept below n against rounding. Precondition: n > 0.
inline std::size_t uniform_index(double u, std::size_t n) {
  const auto i = static_cast<std::size_t>(u * static_cast<double>(n));
  return std::min(i, n - 1);
}

}  // namespace geosim::sweep
