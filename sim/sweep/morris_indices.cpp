// Morris elementary-effect measures (mu, mu*, sigma).
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "sweep/incomplete.hpp"
#include "sweep/sensitivity.hpp"

namespace geosim::sweep {
namespace {

/// Throws unless the rows are grouped per trajectory and each changes every factor once.
void check_layout(const MorrisLayout& layout) {
  const std::size_t d = layout.n_dims, bs = layout.block_size();
  const auto bad = [](const std::string& why) {
    throw std::invalid_argument("morris_indices: inconsistent layout: " + why);
  };
  if (d == 0 || layout.n_trajectories == 0) bad("no factor or no trajectory");
  if (layout.rows.size() != layout.n_trajectories * bs) {
    bad(std::to_string(layout.rows.size()) + " rows, expected " +
        std::to_string(layout.n_trajectories) + " trajectories of " + std::to_string(bs));
  }
  std::vector<char> seen(d);
  for (std::size_t t = 0; t < layout.n_trajectories; ++t) {
    std::fill(seen.begin(), seen.end(), 0);
    for (std::size_t s = 0; s < bs; ++s) {
      const MorrisRow& row = layout.rows[t * bs + s];
      const std::string where = "row " + std::to_string(t * bs + s);
      if (row.trajectory != t || row.step != s) bad(where + " is out of trajectory/step order");
      if (s == 0) continue;
      if (row.factor >= d || seen[row.factor]) bad(where + " does not change a new factor");
      if (!std::isfinite(row.delta) || row.delta == 0.0) bad(where + " has a zero delta");
      seen[row.factor] = 1;
    }
  }
}

}  // namespace

std::vector<std::size_t> MorrisResult::ranking() const {
  std::vector<std::size_t> order(mu_star.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return mu_star[a] > mu_star[b]; });
  return order;
}

MorrisResult morris_indices(const MorrisLayout& layout, std::span<const double> y,
                            IncompletePolicy policy) {
  check_layout(layout);
  const std::size_t d = layout.n_dims, bs = layout.block_size();
  if (y.size() != layout.rows.size()) {
    throw std::invalid_argument("morris_indices: " + std::to_string(y.size()) +
                                " outputs for a layout of " + std::to_string(layout.rows.size()) +
                                " rows (give NaN for runs that failed or did not run)");
  }

  std::vector<std::size_t> complete, incomplete;
  for (std::size_t t = 0; t < layout.n_trajectories; ++t) {
    const auto block = y.subspan(t * bs, bs);
    const bool ok =
        std::all_of(block.begin(), block.end(), [](double v) { return std::isfinite(v); });
    (ok ? complete : incomplete).push_back(t);
  }
  if (!incomplete.empty() && policy == IncompletePolicy::refuse) {
    throw std::invalid_argument(incomplete_message("morris_indices", layout.n_trajectories,
                                                   "Morris trajectories", "trajectories",
                                                   incomplete));
  }
  if (complete.empty()) throw std::invalid_argument("morris_indices: no complete trajectory");

  // Elementary effects, ee[k * d + i]: trajectory k (of the complete ones), factor i.
  const std::size_t n = complete.size();
  std::vector<double> ee(n * d);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t first = complete[k] * bs;
    for (std::size_t s = 1; s < bs; ++s) {
      const MorrisRow& row = layout.rows[first + s];
      ee[k * d + row.factor] = (y[first + s] - y[first + s - 1]) / row.delta;
    }
  }

  MorrisResult res;
  res.trajectories_used = n;
  res.trajectories_dropped = incomplete.size();
  res.dropped_trajectories = incomplete;
  res.mu.assign(d, 0.0);
  res.mu_star.assign(d, 0.0);
  res.sigma.assign(d, std::numeric_limits<double>::quiet_NaN());
  const double dn = static_cast<double>(n);
  for (std::size_t i = 0; i < d; ++i) {
    double sum = 0.0, sum_abs = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
      sum += ee[k * d + i];
      sum_abs += std::abs(ee[k * d + i]);
    }
    res.mu[i] = sum / dn;
    res.mu_star[i] = sum_abs / dn;
    if (n > 1) {
      double ss = 0.0;
      for (std::size_t k = 0; k < n; ++k)
        ss += (ee[k * d + i] - res.mu[i]) * (ee[k * d + i] - res.mu[i]);
      res.sigma[i] = std::sqrt(ss / (dn - 1.0));
    }
  }
  return res;
}

}  // namespace geosim::sweep
