#include "calib/abc_smc.hpp"

#include <Eigen/Cholesky>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <stdexcept>

namespace geosim::calib {

namespace {

using Kind = sweep::Distribution::Kind;

/// The `draw` word of a proposal's numbers: attempt, use and parameter.
enum class Use : std::uint64_t { prior = 0, ancestor = 1, normal_a = 2, normal_b = 3 };

double draw(const CounterRng& rng, std::uint64_t gen, std::uint64_t index, std::uint64_t attempt,
            Use use, std::uint64_t dim) {
  return rng.uniform(index, gen, RngPurpose::calibration,
                     (attempt << 20) | (static_cast<std::uint64_t>(use) << 16) | dim);
}

double standard_normal(const CounterRng& rng, std::uint64_t gen, std::uint64_t index,
                       std::uint64_t attempt, std::uint64_t dim) {
  const double u1 = 1.0 - draw(rng, gen, index, attempt, Use::normal_a, dim);
  const double u2 = draw(rng, gen, index, attempt, Use::normal_b, dim);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

/// A scale for the covariance floor: the prior's width.
double prior_scale(const sweep::Distribution& d) {
  switch (d.kind()) {
    case Kind::uniform:
    case Kind::loguniform:
      return d.hi() - d.lo();
    case Kind::normal:
      return d.sd();
    case Kind::discrete:
      break;
  }
  return 1.0;
}

constexpr int kMaxAttempts = 100000;

}  // namespace

bool Prior::inside(std::span<const double> x) const {
  for (std::size_t k = 0; k < marginals.size(); ++k) {
    const auto& d = marginals[k];
    if (!std::isfinite(x[k]) || x[k] < lo[k] || x[k] > hi[k]) return false;
    if ((d.kind() == Kind::uniform || d.kind() == Kind::loguniform) &&
        (x[k] < d.lo() || x[k] > d.hi()))
      return false;
  }
  return true;
}

double Prior::density(std::span<const double> x) const {
  if (!inside(x)) return 0.0;
  double f = 1.0;
  for (std::size_t k = 0; k < marginals.size(); ++k) {
    const auto& d = marginals[k];
    switch (d.kind()) {
      case Kind::uniform:
        f /= d.hi() - d.lo();
        break;
      case Kind::loguniform:
        f /= x[k] * std::log(d.hi() / d.lo());
        break;
      case Kind::normal: {
        const double z = (x[k] - d.mean()) / d.sd();
        f *= std::exp(-0.5 * z * z) / d.sd();
        break;
      }
      case Kind::discrete:
        throw std::invalid_argument("calibration priors are continuous");
    }
  }
  return f;
}

Kernel::Kernel(const Population& prev, const Prior& prior) {
  const auto p = static_cast<Eigen::Index>(prev.p);
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(p);
  for (std::size_t i = 0; i < prev.n; ++i)
    for (Eigen::Index k = 0; k < p; ++k)
      mean[k] += prev.weight[i] * prev.theta[i * prev.p + static_cast<std::size_t>(k)];
  Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(p, p);
  for (std::size_t i = 0; i < prev.n; ++i) {
    Eigen::VectorXd dx(p);
    for (Eigen::Index k = 0; k < p; ++k)
      dx[k] = prev.theta[i * prev.p + static_cast<std::size_t>(k)] - mean[k];
    cov.noalias() += prev.weight[i] * dx * dx.transpose();
  }
  cov *= 2.0;
  for (Eigen::Index k = 0; k < p; ++k) {
    const double s = prior_scale(prior.marginals[static_cast<std::size_t>(k)]);
    cov(k, k) = std::max(cov(k, k), 1e-12 * s * s);
  }
  Eigen::LLT<Eigen::MatrixXd> llt(cov);
  if (llt.info() != Eigen::Success) {  // collinear particles: keep the variances only
    cov = Eigen::MatrixXd(cov.diagonal().asDiagonal());
    llt.compute(cov);
  }
  l_ = llt.matrixL();
  l_inv_ = l_.triangularView<Eigen::Lower>().solve(Eigen::MatrixXd::Identity(p, p));
}

void Kernel::perturb(std::span<const double> centre, std::span<const double> z,
                     std::span<double> out) const {
  const auto p = l_.rows();
  for (Eigen::Index r = 0; r < p; ++r) {
    double s = centre[static_cast<std::size_t>(r)];
    for (Eigen::Index c = 0; c <= r; ++c) s += l_(r, c) * z[static_cast<std::size_t>(c)];
    out[static_cast<std::size_t>(r)] = s;
  }
}

double Kernel::density(std::span<const double> x, std::span<const double> centre) const {
  const auto p = l_.rows();
  double q = 0.0;
  for (Eigen::Index r = 0; r < p; ++r) {
    double s = 0.0;
    for (Eigen::Index c = 0; c <= r; ++c)
      s += l_inv_(r, c) * (x[static_cast<std::size_t>(c)] - centre[static_cast<std::size_t>(c)]);
    q += s * s;
  }
  return std::exp(-0.5 * q);
}

std::optional<std::vector<double>> propose(const Prior& prior, const Population* prev,
                                           const Kernel* kernel, std::uint64_t seed,
                                           std::uint64_t gen, std::uint64_t index) {
  const CounterRng rng(seed, kProposalStream);
  const std::size_t p = prior.size();
  std::vector<double> x(p), z(p);
  for (std::uint64_t a = 0; a < kMaxAttempts; ++a) {
    if (prev == nullptr) {
      for (std::size_t k = 0; k < p; ++k)
        x[k] = prior.marginals[k].value(draw(rng, gen, index, a, Use::prior, k));
    } else {
      // The ancestor by weight: the first whose cumulative weight exceeds u.
      const double u = draw(rng, gen, index, a, Use::ancestor, 0);
      double c = 0.0;
      std::size_t j = 0;
      for (; j + 1 < prev->n; ++j) {
        c += prev->weight[j];
        if (u < c) break;
      }
      for (std::size_t k = 0; k < p; ++k) z[k] = standard_normal(rng, gen, index, a, k);
      kernel->perturb(prev->particle(j), z, x);
    }
    if (prior.inside(x)) return x;
  }
  return std::nullopt;
}

std::vector<double> importance_weights(const Prior& prior, const Population* prev,
                                       const Kernel* kernel, std::span<const double> theta,
                                       std::size_t p) {
  const std::size_t n = theta.size() / p;
  std::vector<double> w(n, 1.0);
  if (prev != nullptr) {
    for (std::size_t i = 0; i < n; ++i) {
      const auto x = theta.subspan(i * p, p);
      double mix = 0.0;
      for (std::size_t j = 0; j < prev->n; ++j)
        mix += prev->weight[j] * kernel->density(x, prev->particle(j));
      w[i] = mix > 0.0 ? prior.density(x) / mix : 0.0;
    }
  }
  const double total = std::accumulate(w.begin(), w.end(), 0.0);
  if (!(total > 0.0) || !std::isfinite(total))
    throw std::runtime_error("calibration: the importance weights of a generation sum to " +
                             std::to_string(total));
  for (double& x : w) x /= total;
  return w;
}

}  // namespace geosim::calib
