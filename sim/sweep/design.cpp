#include "sweep/design.hpp"

#include <boost/random/sobol.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/rng.hpp"
#include "sweep/design_rng.hpp"
#include "sweep/index_permutation.hpp"

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

/// Preconditions of the *_rows functions: rows [first, first + count) of n, count x d values.
template <class T>
void require_range(const char* fn, std::size_t n, std::size_t d, std::size_t first,
                   std::size_t count, std::span<T> out) {
  if (first > n || count > n - first) {
    throw std::out_of_range(std::string(fn) + ": rows " + std::to_string(first) + " + " +
                            std::to_string(count) + " exceed the design's " + std::to_string(n));
  }
  if (out.size() != count * d) {
    throw std::invalid_argument(std::string(fn) + ": the output holds " +
                                std::to_string(out.size()) + " values, not " +
                                std::to_string(count * d));
  }
}

/// The checks of the n x d designs (monte_carlo, latin_hypercube) and of a row range of one.
void check_unit_rows(const char* fn, std::size_t n, std::size_t d, std::size_t first,
                     std::size_t count, std::span<double> out) {
  require_positive(n, fn, "n");
  require_positive(d, fn, "d");
  (void)checked_mul(n, d, fn);
  require_range(fn, n, d, first, count, out);
}

/// An n x d design of zeros, to be filled (the checks of check_unit_rows).
UnitDesign unit_design(const char* fn, std::size_t n, std::size_t d) {
  require_positive(n, fn, "n");
  require_positive(d, fn, "d");
  return UnitDesign{n, d, std::vector<double>(checked_mul(n, d, fn))};
}

/// A random permutation of 0..n-1 (Fisher-Yates), draws (i, dim, design, draw). For the small
/// factor orders of Morris trajectories.
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

/// Rows of a full factorial over `levels`; throws if there are none or they overflow.
std::size_t grid_size(std::span<const std::size_t> levels) {
  if (levels.empty()) throw std::invalid_argument("grid: at least one dimension is needed");
  std::size_t n = 1;
  for (std::size_t k = 0; k < levels.size(); ++k) {
    if (levels[k] == 0) {
      throw std::invalid_argument("grid: dimension " + std::to_string(k) + " has no levels");
    }
    n = checked_mul(n, levels[k], "grid");
  }
  (void)checked_mul(n, levels.size(), "grid");
  return n;
}

void check_saltelli(std::size_t n_base, std::size_t d) {
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
}

void check_morris(std::size_t r, std::size_t d, int levels) {
  require_positive(r, "morris", "r (trajectories)");
  require_positive(d, "morris", "d");
  if (levels < 2 || levels % 2 != 0) {
    throw std::invalid_argument("morris: levels must be even and at least 2, got " +
                                std::to_string(levels));
  }
}

/// Trajectory t of a Morris design: its (d + 1) x d points and the rows' roles.
void morris_trajectory(const CounterRng& rng, std::size_t t, std::size_t d, int levels,
                       std::span<double> points, std::span<MorrisRow> roles) {
  const std::size_t half = static_cast<std::size_t>(levels) / 2;  // delta in grid steps
  const double top = static_cast<double>(levels - 1);
  const double delta = static_cast<double>(half) / top;
  std::vector<std::size_t> level(d);  // current grid level of each factor
  std::vector<int> sign(d);
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
      row.delta = sign[k] * delta;
    }
    for (std::size_t k = 0; k < d; ++k) points[s * d + k] = static_cast<double>(level[k]) / top;
    if (!roles.empty()) roles[s] = row;
  }
}

}  // namespace

// --- Grid, Monte Carlo, Latin hypercube ----------------------------------------------------------

void grid_rows(std::span<const std::size_t> levels, std::size_t first, std::size_t count,
               std::span<std::size_t> out) {
  const std::size_t n = grid_size(levels), d = levels.size();
  require_range("grid", n, d, first, count, out);
  for (std::size_t i = 0; i < count; ++i) {
    // Mixed radix, the last dimension varying fastest.
    std::size_t r = first + i;
    for (std::size_t k = d; k-- > 0;) {
      out[i * d + k] = r % levels[k];
      r /= levels[k];
    }
  }
}

GridDesign grid(std::span<const std::size_t> levels) {
  GridDesign g;
  g.n_dims = levels.size();
  g.n_rows = grid_size(levels);
  g.values.resize(g.n_rows * g.n_dims);
  grid_rows(levels, 0, g.n_rows, g.values);
  return g;
}

void monte_carlo_rows(std::size_t n, std::size_t d, std::uint64_t seed, std::size_t first,
                      std::size_t count, std::span<double> out) {
  check_unit_rows("monte_carlo", n, d, first, count, out);
  const CounterRng rng(seed, kDesignStream);
  for (std::size_t i = 0; i < count; ++i) {
    for (std::size_t k = 0; k < d; ++k) {
      out[i * d + k] = design_uniform(rng, first + i, k, DesignDraw::monte_carlo);
    }
  }
}

UnitDesign monte_carlo(std::size_t n, std::size_t d, std::uint64_t seed) {
  UnitDesign out = unit_design("monte_carlo", n, d);
  monte_carlo_rows(n, d, seed, 0, n, out.values);
  return out;
}

void latin_hypercube_rows(std::size_t n, std::size_t d, std::uint64_t seed, std::size_t first,
                          std::size_t count, std::span<double> out) {
  check_unit_rows("latin_hypercube", n, d, first, count, out);
  const CounterRng rng(seed, kDesignStream);
  const double dn = static_cast<double>(n);
  for (std::size_t k = 0; k < d; ++k) {
    const IndexPermutation stratum(n, rng, k,
                                   static_cast<std::uint64_t>(DesignDraw::lhs_permutation));
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t r = first + i;
      const double s = static_cast<double>(stratum(r));
      const double x = (s + design_uniform(rng, r, k, DesignDraw::lhs_position)) / dn;
      // Rounding of s + u may reach the upper edge of the stratum; stay strictly inside.
      out[i * d + k] = std::min(x, std::nextafter((s + 1.0) / dn, 0.0));
    }
  }
}

UnitDesign latin_hypercube(std::size_t n, std::size_t d, std::uint64_t seed) {
  UnitDesign out = unit_design("latin_hypercube", n, d);
  latin_hypercube_rows(n, d, seed, 0, n, out.values);
  return out;
}

// --- Saltelli ----------------------------------------------------------------------------------

SaltelliRow SaltelliLayout::row(std::size_t r) const {
  const std::size_t j = r / block_size(), pos = r % block_size();
  if (pos == 0) return {j, SaltelliRole::a, kNoFactor};
  if (pos == 1) return {j, SaltelliRole::b, kNoFactor};
  return {j, SaltelliRole::ab, pos - 2};
}

void saltelli_rows(std::size_t n_base, std::size_t d, std::uint64_t seed, SobolScramble scramble,
                   std::size_t first, std::size_t count, std::span<double> out) {
  check_saltelli(n_base, d);
  const SaltelliLayout layout{n_base, d};
  const std::size_t bs = layout.block_size();
  (void)checked_mul(checked_mul(n_base, bs, "saltelli"), d, "saltelli");
  require_range("saltelli", layout.n_rows(), d, first, count, out);
  if (count == 0) return;
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

  // Base points j0 .. j1 (point j of Boost's sequence, which starts at point 1: seed(j)).
  const std::size_t j0 = first / bs, j1 = (first + count - 1) / bs;
  boost::random::sobol seq(cols);
  seq.seed(j0);
  std::vector<double> ab(cols);       // A_j then B_j
  std::vector<double> block(bs * d);  // the block's rows
  for (std::size_t j = j0; j <= j1; ++j) {
    for (std::size_t c = 0; c < cols; ++c) {
      ab[c] = static_cast<double>(((seq() >> 11) ^ shift[c])) * 0x1.0p-53;
    }
    std::copy(ab.begin(), ab.begin() + static_cast<std::ptrdiff_t>(d), block.begin());  // A_j
    std::copy(ab.begin() + static_cast<std::ptrdiff_t>(d), ab.end(),
              block.begin() + static_cast<std::ptrdiff_t>(d));  // B_j
    for (std::size_t i = 0; i < d; ++i) {                       // AB_j^(i)
      const auto row = block.begin() + static_cast<std::ptrdiff_t>((2 + i) * d);
      std::copy(ab.begin(), ab.begin() + static_cast<std::ptrdiff_t>(d), row);
      row[static_cast<std::ptrdiff_t>(i)] = ab[d + i];
    }
    // The part of this block inside [first, first + count).
    const std::size_t lo = std::max(first, j * bs), hi = std::min(first + count, (j + 1) * bs);
    std::copy(block.begin() + static_cast<std::ptrdiff_t>((lo - j * bs) * d),
              block.begin() + static_cast<std::ptrdiff_t>((hi - j * bs) * d),
              out.begin() + static_cast<std::ptrdiff_t>((lo - first) * d));
  }
}

SaltelliDesign saltelli(std::size_t n_base, std::size_t d, std::uint64_t seed,
                        SobolScramble scramble) {
  check_saltelli(n_base, d);
  SaltelliDesign out;
  out.layout = {n_base, d};
  out.points.n_dims = d;
  out.points.n_rows = checked_mul(n_base, out.layout.block_size(), "saltelli");
  out.points.values.resize(checked_mul(out.points.n_rows, d, "saltelli"));
  saltelli_rows(n_base, d, seed, scramble, 0, out.points.n_rows, out.points.values);
  return out;
}

// --- Morris ------------------------------------------------------------------------------------

void morris_rows(std::size_t r, std::size_t d, std::uint64_t seed, int levels, std::size_t first,
                 std::size_t count, std::span<double> out) {
  check_morris(r, d, levels);
  const std::size_t bs = d + 1;
  const std::size_t n = checked_mul(r, bs, "morris");
  (void)checked_mul(n, d, "morris");
  require_range("morris", n, d, first, count, out);
  if (count == 0) return;
  const CounterRng rng(seed, kDesignStream);
  std::vector<double> points(bs * d);
  for (std::size_t t = first / bs; t <= (first + count - 1) / bs; ++t) {
    morris_trajectory(rng, t, d, levels, points, {});
    const std::size_t lo = std::max(first, t * bs), hi = std::min(first + count, (t + 1) * bs);
    std::copy(points.begin() + static_cast<std::ptrdiff_t>((lo - t * bs) * d),
              points.begin() + static_cast<std::ptrdiff_t>((hi - t * bs) * d),
              out.begin() + static_cast<std::ptrdiff_t>((lo - first) * d));
  }
}

MorrisDesign morris(std::size_t r, std::size_t d, std::uint64_t seed, int levels) {
  check_morris(r, d, levels);
  const CounterRng rng(seed, kDesignStream);
  MorrisDesign out;
  MorrisLayout& lay = out.layout;
  lay.n_trajectories = r;
  lay.n_dims = d;
  lay.levels = levels;
  lay.delta = static_cast<double>(levels / 2) / static_cast<double>(levels - 1);
  const std::size_t bs = lay.block_size();
  out.points.n_dims = d;
  out.points.n_rows = checked_mul(r, bs, "morris");
  out.points.values.resize(checked_mul(out.points.n_rows, d, "morris"));
  lay.rows.resize(out.points.n_rows);
  for (std::size_t t = 0; t < r; ++t) {
    morris_trajectory(rng, t, d, levels,
                      std::span<double>(out.points.values).subspan(t * bs * d, bs * d),
                      std::span<MorrisRow>(lay.rows).subspan(t * bs, bs));
  }
  return out;
}

}  // namespace geosim::sweep
