#include "sweep/design.hpp"

#include <boost/random/sobol.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/rng.hpp"
#include "sweep/design_rng.hpp"

namespace geosim::sweep {
namespace {

constexpr std::size_t kMaxSize = std::numeric_limits<std::size_t>::max();

/// a * b, or std::length_error naming what overflowed.
std::size_t checked_mul(std::size_t a, std::size_t b, const char* what) {
  if (b != 0 && a > kMaxSize / b) {
    throw std::length_error(std::string(what) + ": design too large (size overflows)");
  }
  return a * b;
}

void require_positive(std::size_t v, const char* fn, const char* name) {
  if (v == 0) throw std::invalid_argument(std::string(fn) + ": " + name + " must be at least 1");
}

/// A random permutation of 0..n-1 (Fisher-Yates), draws (i, dim, design, draw).
std::vector<std::size_t> permutation(const CounterRng& rng, std::size_t n, std::uint64_t dim,
                                     DesignDraw draw) {
  std::vector<std::size_t> p(n);
  std::iota(p.begin(), p.end(), std::size_t{0});
  for (std::size_t i = n; i-- > 1;) {
    const std::size_t j = uniform_index(design_uniform(rng, i, dim, draw), i + 1);
    std::swap(p[i], p[j]);
  }
  return p;
}

}  // namespace

GridDesign grid(std::span<const std::size_t> levels) {
  if (levels.empty()) throw std::invalid_argument("grid: at least one dimension is needed");
  GridDesign g;
  g.n_dims = levels.size();
  g.n_rows = 1;
  for (std::size_t k = 0; k < levels.size(); ++k) {
    if (levels[k] == 0) {
      throw std::invalid_argument("grid: dimension " + std::to_string(k) + " has no levels");
    }
    g.n_rows = checked_mul(g.n_rows, levels[k], "grid");
  }
  g.values.resize(checked_mul(g.n_rows, g.n_dims, "grid"));
  std::vector<std::size_t> idx(g.n_dims, 0);
  for (std::size_t r = 0; r < g.n_rows; ++r) {
    std::copy(idx.begin(), idx.end(), g.values.begin() + static_cast<std::ptrdiff_t>(r * g.n_dims));
    // Odometer: the last dimension varies fastest.
    for (std::size_t k = g.n_dims; k-- > 0;) {
      if (++idx[k] < levels[k]) break;
      idx[k] = 0;
    }
  }
  return g;
}

UnitDesign monte_carlo(std::size_t n, std::size_t d, std::uint64_t seed) {
  require_positive(n, "monte_carlo", "n");
  require_positive(d, "monte_carlo", "d");
  const CounterRng rng(seed, kDesignStream);
  UnitDesign out{n, d, std::vector<double>(checked_mul(n, d, "monte_carlo"))};
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t k = 0; k < d; ++k) {
      out.values[r * d + k] = design_uniform(rng, r, k, DesignDraw::monte_carlo);
    }
  }
  return out;
}

UnitDesign latin_hypercube(std::size_t n, std::size_t d, std::uint64_t seed) {
  require_positive(n, "latin_hypercube", "n");
  require_positive(d, "latin_hypercube", "d");
  const CounterRng rng(seed, kDesignStream);
  UnitDesign out{n, d, std::vector<double>(checked_mul(n, d, "latin_hypercube"))};
  const double dn = static_cast<double>(n);
  for (std::size_t k = 0; k < d; ++k) {
    const std::vector<std::size_t> stratum = permutation(rng, n, k, DesignDraw::lhs_permutation);
    for (std::size_t r = 0; r < n; ++r) {
      const double s = static_cast<double>(stratum[r]);
      const double x = (s + design_uniform(rng, r, k, DesignDraw::lhs_position)) / dn;
      // Rounding of s + u may reach the upper edge of the stratum; stay strictly inside.
      out.values[r * d + k] = std::min(x, std::nextafter((s + 1.0) / dn, 0.0));
    }
  }
  return out;
}

SaltelliRow SaltelliLayout::row(std::size_t r) const {
  const std::size_t j = r / block_size(), pos = r % block_size();
  if (pos == 0) return {j, SaltelliRole::a, kNoFactor};
  if (pos == 1) return {j, SaltelliRole::b, kNoFactor};
  return {j, SaltelliRole::ab, pos - 2};
}

SaltelliDesign saltelli(std::size_t n_base, std::size_t d, std::uint64_t seed,
                        SobolScramble scramble) {
  if (n_base == 0 || (n_base & (n_base - 1)) != 0) {
    throw std::invalid_argument("saltelli: n_base must be a power of two (1, 2, 4, ...), got " +
                                std::to_string(n_base));
  }
  require_positive(d, "saltelli", "d");
  constexpr std::size_t kMaxSobolDim = BOOST_RANDOM_SOBOL_MAX_DIMENSION;
  if (d > kMaxSobolDim / 2) {
    throw std::invalid_argument("saltelli: at most " + std::to_string(kMaxSobolDim / 2) +
                                " factors (Boost's Sobol' sequence has " +
                                std::to_string(kMaxSobolDim) + " dimensions), got " +
                                std::to_string(d));
  }
  const std::size_t cols = 2 * d;

  // Digital shift: one 53-bit word per Sobol' column.
  std::vector<std::uint64_t> shift(cols, 0);
  if (scramble == SobolScramble::digital_shift) {
    const CounterRng rng(seed, kDesignStream);
    for (std::size_t c = 0; c < cols; ++c) {
      shift[c] =
          static_cast<std::uint64_t>(design_uniform(rng, 0, c, DesignDraw::sobol_shift) * 0x1.0p53);
    }
  }

  SaltelliDesign out;
  out.layout = {n_base, d};
  const std::size_t bs = out.layout.block_size();
  out.points.n_dims = d;
  out.points.n_rows = checked_mul(n_base, bs, "saltelli");
  out.points.values.resize(checked_mul(out.points.n_rows, d, "saltelli"));

  boost::random::sobol seq(cols);
  std::vector<double> ab(cols);  // A_j then B_j
  for (std::size_t j = 0; j < n_base; ++j) {
    for (std::size_t c = 0; c < cols; ++c) {
      ab[c] = static_cast<double>(((seq() >> 11) ^ shift[c])) * 0x1.0p-53;
    }
    double* block = out.points.values.data() + j * bs * d;
    std::copy(ab.begin(), ab.begin() + static_cast<std::ptrdiff_t>(d), block);    // A_j
    std::copy(ab.begin() + static_cast<std::ptrdiff_t>(d), ab.end(), block + d);  // B_j
    for (std::size_t i = 0; i < d; ++i) {                                         // AB_j^(i)
      double* row = block + (2 + i) * d;
      std::copy(ab.begin(), ab.begin() + static_cast<std::ptrdiff_t>(d), row);
      row[i] = ab[d + i];
    }
  }
  return out;
}

MorrisDesign morris(std::size_t r, std::size_t d, std::uint64_t seed, int levels) {
  require_positive(r, "morris", "r (trajectories)");
  require_positive(d, "morris", "d");
  if (levels < 2 || levels % 2 != 0) {
    throw std::invalid_argument("morris: levels must be even and at least 2, got " +
                                std::to_string(levels));
  }
  const CounterRng rng(seed, kDesignStream);
  const std::size_t half = static_cast<std::size_t>(levels) / 2;  // delta in grid steps
  const double top = static_cast<double>(levels - 1);

  MorrisDesign out;
  MorrisLayout& lay = out.layout;
  lay.n_trajectories = r;
  lay.n_dims = d;
  lay.levels = levels;
  lay.delta = static_cast<double>(half) / top;
  const std::size_t bs = lay.block_size();
  out.points.n_dims = d;
  out.points.n_rows = checked_mul(r, bs, "morris");
  out.points.values.resize(checked_mul(out.points.n_rows, d, "morris"));
  lay.rows.reserve(out.points.n_rows);

  std::vector<std::size_t> level(d);  // current grid level of each factor
  std::vector<int> sign(d);
  for (std::size_t t = 0; t < r; ++t) {
    for (std::size_t k = 0; k < d; ++k) {
      const std::size_t base =
          uniform_index(design_uniform(rng, t, k, DesignDraw::morris_base), half);
      sign[k] = design_uniform(rng, t, k, DesignDraw::morris_sign) < 0.5 ? 1 : -1;
      level[k] = sign[k] > 0 ? base : base + half;
    }
    const std::vector<std::size_t> order = permutation(rng, d, t, DesignDraw::morris_order);
    for (std::size_t s = 0; s <= d; ++s) {
      MorrisRow row{t, s, kNoFactor, 0.0};
      if (s > 0) {
        const std::size_t k = order[s - 1];
        level[k] = sign[k] > 0 ? level[k] + half : level[k] - half;
        row.factor = k;
        row.delta = sign[k] * lay.delta;
      }
      double* x = out.points.values.data() + (t * bs + s) * d;
      for (std::size_t k = 0; k < d; ++k) x[k] = static_cast<double>(level[k]) / top;
      lay.rows.push_back(row);
    }
  }
  return out;
}

}  // namespace geosim::sweep
