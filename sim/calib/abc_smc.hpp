#pragma once
/// The arithmetic of ABC-SMC (population Monte Carlo ABC: Beaumont, Cornuet, Marin and Robert
/// 2009, with adaptive tolerances as in Del Moral, Doucet and Jasra 2012 and Drovandi and
/// Pettitt 2011): priors, proposals, the perturbation kernel and importance weights. Pure and
/// deterministic: a proposal depends only on (seed, generation, index) and the previous
/// generation, never on how many proposals were drawn before it or where they ran.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/matrix.hpp"
#include "core/rng.hpp"
#include "core/weighted_stats.hpp"
#include "output/calibration_store.hpp"
#include "sweep/distribution.hpp"

namespace geosim::calib {

/// Run-id word of the CounterRng key of every calibration proposal (the seed is the
/// calibration's root seed): far from replicate run ids, and purpose `calibration` besides.
inline constexpr std::uint64_t kProposalStream = 0x6361'6c69'6200'0001ULL;  // "calib" + 1

/// The joint prior: independent marginals, each restricted to the field's valid range
/// [lo, hi] (a normal prior is truncated there).
struct Prior {
  std::vector<sweep::Distribution> marginals;
  std::vector<double> lo, hi;  ///< the fields' valid ranges

  std::size_t size() const { return marginals.size(); }
  /// True if x is inside the support of every marginal (and its range).
  bool inside(std::span<const double> x) const;
  /// The density up to a constant factor (the truncation's normalisers are left out: they
  /// are the same for every particle); 0 outside the support.
  double density(std::span<const double> x) const;
};

/// The perturbation kernel: a multivariate normal with twice the previous generation's
/// weighted covariance (Beaumont et al. 2009). A parameter with no spread gets a floor of
/// 1e-12 of its prior scale squared, so the covariance stays positive definite.
class Kernel {
 public:
  Kernel(const Population& prev, const Prior& prior);
  /// centre + L z, L the Cholesky factor of the covariance.
  void perturb(std::span<const double> centre, std::span<const double> z,
               std::span<double> out) const;
  /// The kernel density of x around centre, up to the constant factor all pairs share.
  double density(std::span<const double> x, std::span<const double> centre) const;

 private:
  Eigen::MatrixXd l_;      ///< Cholesky factor of the covariance
  Eigen::MatrixXd l_inv_;  ///< its inverse
};

/// Proposal `index` of generation `gen`: from the prior (gen 0, prev null) or by drawing a
/// particle of prev by weight and perturbing it until it falls in the prior's support (up to
/// 100000 attempts, each with its own numbers: no run is spent on them). nullopt if no attempt
/// fell inside (the proposal then counts as failed).
std::optional<std::vector<double>> propose(const Prior& prior, const Population* prev,
                                           const Kernel* kernel, std::uint64_t seed,
                                           std::uint64_t gen, std::uint64_t index);

/// Importance weights of the new particles (n x p), normalised: w_i proportional to
/// prior(theta_i) / sum_j w_j K(theta_i | theta_j); all equal for generation 0 (prev null).
std::vector<double> importance_weights(const Prior& prior, const Population* prev,
                                       const Kernel* kernel, std::span<const double> theta,
                                       std::size_t p);

}  // namespace geosim::calib
