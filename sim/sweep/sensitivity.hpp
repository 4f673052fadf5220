#pragma once
// Sensitivity analysis of one scalar output of a sweep: Sobol' indices from a Saltelli design,
// Morris elementary effects from a Morris design. Outputs are given in design row order; a
// failed or missing run is NaN (any non-finite value counts as missing).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sweep/design.hpp"

namespace geosim::sweep {

/// What to do with Saltelli blocks / Morris trajectories that have a missing (non-finite)
/// output.
enum class IncompletePolicy : std::uint8_t {
  refuse,  ///< throw std::invalid_argument naming how many are incomplete and which
  drop,    ///< analyse the complete ones only and report what was dropped
};

/// First-order and total Sobol' indices of one output, with bootstrap percentile intervals.
/// Vectors have one entry per factor. Bounds are NaN when n_bootstrap is 0 (or no bootstrap
/// replicate was usable).
struct SobolResult {
  std::vector<double> s1, s1_low, s1_high;  ///< first order S1_i and its interval
  std::vector<double> st, st_low, st_high;  ///< total ST_i and its interval
  std::size_t blocks_used = 0;              ///< complete blocks analysed
  std::size_t blocks_dropped = 0;           ///< incomplete blocks dropped (policy drop)
  std::vector<std::size_t> dropped_bases;   ///< base indices j of the dropped blocks, ascending
  double variance = 0.0;  ///< variance of the output over the A and B rows used (divisor 2n)
  /// The A and B outputs used are all equal: variance 0, every index and bound NaN (no
  /// exception, so one constant output does not stop the analysis of the others).
  bool constant_output = false;
  int n_bootstrap = 0;             ///< replicates requested
  std::size_t bootstrap_used = 0;  ///< replicates with non-constant output (the rest skipped)
  double confidence = 0.0;         ///< coverage of the intervals, e.g. 0.95
};

/// Sobol' indices of one output y (one value per row of the layout, NaN for a failed run).
/// Outputs are first centred on the mean of the A and B values used (as SALib does; the
/// estimators' expectations are unchanged). With n blocks and V the variance of the A and B
/// values (divisor 2n):
///   S1_i = mean_j f(B_j) (f(AB_j^i) - f(A_j)) / V      (Saltelli et al. 2010)
///   ST_i = mean_j (f(A_j) - f(AB_j^i))^2 / 2 / V        (Jansen 1999)
/// Intervals: n_bootstrap resamples of the n blocks with replacement, each recomputing V, S1
/// and ST; the interval is the ((1-c)/2, (1+c)/2) percentile pair (linear interpolation) of
/// the replicates, c = confidence. Resample k of replicate b picks block floor(u * n) with u
/// from CounterRng(seed, kDesignStream) at counter (b, k, design, bootstrap), so results depend
/// only on the arguments, and dropping blocks gives exactly the result of the complete subset.
/// A block is complete if all its n_dims + 2 outputs are finite.
/// Throws std::invalid_argument if y.size() != layout.n_rows(), layout has no factor or block,
/// n_bootstrap < 0, confidence is not in (0, 1), fewer than 2 blocks are complete, or (policy
/// refuse) any block is incomplete: the message gives the count and the first base indices.
SobolResult sobol_indices(const SaltelliLayout& layout, std::span<const double> y, int n_bootstrap,
                          double confidence, std::uint64_t seed,
                          IncompletePolicy policy = IncompletePolicy::refuse);

/// The replicates' noise in a sweep's output: y holds R replicates per design point, in run
/// order (point p's replicates at p R .. p R + R - 1; NaN for a failed run). Returns the
/// within-point variance pooled over the points whose replicates are all finite (each point's
/// sample variance, divisor R - 1, averaged over those points); NaN with R < 2 or no such
/// point.
double pooled_within_variance(std::span<const double> y, std::size_t replicates);

/// Which Sobol' indices cannot be told from noise: the estimate's sampling error (the
/// bootstrap interval) or the replicates' noise. The indices are computed on the
/// means of R replicates, whose variance V (SobolResult::variance) holds the noise's share
/// eta = (within / R) / V. In expectation the noise adds nothing to S1_i (the product
/// f(B)(f(AB_i) - f(A)) of independent noises averages 0) and adds eta to every ST_i (the
/// squared difference of two noisy evaluations). So an S1 whose interval reaches 0, and an ST
/// whose interval reaches eta (0 when the noise is unknown), cannot be told from noise.
struct SobolNoise {
  double share = 0.0;    ///< eta; NaN when the noise is unknown (R = 1) or V is 0
  std::vector<char> s1;  ///< 1: S1_i cannot be told from noise (its interval reaches 0)
  std::vector<char> st;  ///< 1: ST_i cannot be told from noise (its interval reaches eta)
};
SobolNoise sobol_noise(const SobolResult& r, double within_variance, std::size_t replicates);

/// Morris screening measures of one output, one entry per factor.
struct MorrisResult {
  std::vector<double> mu;       ///< mean elementary effect
  std::vector<double> mu_star;  ///< mean absolute elementary effect
  std::vector<double> sigma;    ///< sample standard deviation of the effects (divisor r - 1);
                                ///< NaN with a single trajectory
  std::size_t trajectories_used = 0;
  std::size_t trajectories_dropped = 0;           ///< incomplete ones dropped (policy drop)
  std::vector<std::size_t> dropped_trajectories;  ///< their indices, ascending

  /// Factors by decreasing mu_star (ties: lower index first).
  std::vector<std::size_t> ranking() const;
};

/// Morris measures of one output y (one value per row of the layout, NaN for a failed run).
/// The elementary effect of the factor changed at step s is
/// EE = (y(step s) - y(step s-1)) / delta_s with the signed delta of the layout (unit-cube
/// units); each complete trajectory gives one effect per factor. A trajectory is complete if
/// all its n_dims + 1 outputs are finite.
/// Throws std::invalid_argument if y.size() != layout.rows.size(), the layout is inconsistent
/// (rows not grouped per trajectory, a factor not changed exactly once, zero delta), no
/// trajectory is complete, or (policy refuse) any trajectory is incomplete: the message gives
/// the count and the first trajectory indices.
MorrisResult morris_indices(const MorrisLayout& layout, std::span<const double> y,
                            IncompletePolicy policy = IncompletePolicy::refuse);

}  // namespace geosim::sweep
