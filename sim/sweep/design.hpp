#pragma once
// Sweep designs on the unit cube: which parameter points to run. Every design is a pure
// function of its arguments: random designs draw from CounterRng(seed, kDesignStream) with
// counter (row, dim, RngPurpose::design, draw) (see design_rng.hpp), never from a stateful
// generator, so the same arguments give the same bits on any machine, in any process.
// Map the unit-cube values to parameter values with Distribution (distribution.hpp).
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace geosim::sweep {

/// n_rows rows of n_dims values, row-major.
template <class T>
struct Rows {
  std::size_t n_rows = 0;
  std::size_t n_dims = 0;
  std::vector<T> values;  ///< values[r * n_dims + k] is dimension k of row r

  /// Row r (precondition r < n_rows).
  std::span<const T> row(std::size_t r) const { return {values.data() + r * n_dims, n_dims}; }
  /// Dimension k of row r (preconditions r < n_rows, k < n_dims).
  const T& operator()(std::size_t r, std::size_t k) const { return values[r * n_dims + k]; }
};

/// Points in the unit cube: every value in [0, 1) (Morris: in [0, 1], see morris()).
using UnitDesign = Rows<double>;
/// Level indices of a full factorial: value k of a row is in [0, levels[k]).
using GridDesign = Rows<std::size_t>;

/// "No factor": the factor of a row that changes none (Saltelli A and B rows, Morris step 0).
inline constexpr std::size_t kNoFactor = std::numeric_limits<std::size_t>::max();

/// Full factorial over explicit levels: every combination of level indices, the last dimension
/// varying fastest (row 0 = all zeros, row 1 = (0, ..., 0, 1), ...). The caller maps index k
/// of dimension i to its own i-th list of values. levels[i] is the number of levels of
/// dimension i. Throws std::invalid_argument if levels is empty or any count is 0,
/// std::length_error if the number of rows times dimensions overflows.
GridDesign grid(std::span<const std::size_t> levels);

/// n independent uniform points in [0, 1)^d: value (r, k) = u(r, k). Throws
/// std::invalid_argument if n or d is 0, std::length_error if n * d overflows.
UnitDesign monte_carlo(std::size_t n, std::size_t d, std::uint64_t seed);

/// Latin hypercube of n points in [0, 1)^d: in every dimension each of the n strata
/// [s/n, (s+1)/n) holds exactly one point, at a uniform random position inside it; the strata
/// are assigned to rows by an independent random permutation per dimension (IndexPermutation of
/// index_permutation.hpp, so any row is computed alone). Throws std::invalid_argument if n or d is
/// 0, std::length_error if n * d overflows.
UnitDesign latin_hypercube(std::size_t n, std::size_t d, std::uint64_t seed);

// --- Saltelli design (Sobol' indices) -------------------------------------------------------

/// What a Saltelli row is: matrix A, matrix B, or AB^(i) (A with column i taken from B).
enum class SaltelliRole : std::uint8_t { a, b, ab };

/// Where a row of a Saltelli design stands.
struct SaltelliRow {
  std::size_t base = 0;  ///< base point j (the row of A and B it derives from)
  SaltelliRole role = SaltelliRole::a;
  std::size_t factor = kNoFactor;  ///< i for AB^(i); kNoFactor for A and B
};

/// Row structure of a Saltelli design: n_base blocks of (n_dims + 2) consecutive rows, block j
/// being A_j, B_j, AB_j^(0), ..., AB_j^(n_dims-1). A block is a complete unit of the analysis,
/// so a sweep run (or failing) in row order yields whole blocks one after the other and
/// sobol_indices() can use every finished block. The layout itself allows any n_base >= 1
/// (e.g. to analyse a subset of blocks); only saltelli() needs a power of two.
struct SaltelliLayout {
  std::size_t n_base = 0;
  std::size_t n_dims = 0;

  /// Rows per block: n_dims + 2.
  std::size_t block_size() const { return n_dims + 2; }
  /// All rows: n_base * block_size().
  std::size_t n_rows() const { return n_base * block_size(); }
  /// Role of row r (precondition r < n_rows()).
  SaltelliRow row(std::size_t r) const;
  /// Row of A_j.
  std::size_t index_a(std::size_t j) const { return j * block_size(); }
  /// Row of B_j.
  std::size_t index_b(std::size_t j) const { return j * block_size() + 1; }
  /// Row of AB_j^(i).
  std::size_t index_ab(std::size_t j, std::size_t i) const { return j * block_size() + 2 + i; }
};

/// A Saltelli design: the points and their layout (points.n_rows == layout.n_rows()).
struct SaltelliDesign {
  UnitDesign points;
  SaltelliLayout layout;
};

/// How the Sobol' sequence of saltelli() is randomised.
enum class SobolScramble : std::uint8_t {
  none,           ///< the plain sequence (the seed is unused)
  digital_shift,  ///< XOR of each column's 53 bits with a random word drawn from the seed
};

/// Saltelli (2002, 2010) design for first-order and total Sobol' indices of d factors.
/// Points j = 1 .. n_base of the 2d-dimensional Sobol' sequence of boost::random::sobol
/// (Joe-Kuo direction numbers); point 0, all zeros, is skipped by Boost itself, no other point
/// is skipped. Columns 0..d-1 of point j form A_j, columns d..2d-1 form B_j; rows are laid out
/// as described in SaltelliLayout, n_base * (d + 2) in all. With SobolScramble::digital_shift
/// (the default) each column is XOR-ed with a random 53-bit word from CounterRng(seed,
/// kDesignStream), which keeps the net structure and makes different seeds give independent
/// designs. Throws std::invalid_argument if n_base is not a power of two (>= 1), if d is 0 or
/// 2d exceeds Boost's 3667 Sobol' dimensions; std::length_error if the design is too large.
SaltelliDesign saltelli(std::size_t n_base, std::size_t d, std::uint64_t seed,
                        SobolScramble scramble = SobolScramble::digital_shift);

// --- Morris design (elementary effects) -----------------------------------------------------

/// Where a row of a Morris design stands.
struct MorrisRow {
  std::size_t trajectory = 0;      ///< trajectory t
  std::size_t step = 0;            ///< 0 (start point) .. n_dims
  std::size_t factor = kNoFactor;  ///< factor changed from the previous row; kNoFactor at step 0
  double delta = 0.0;              ///< signed change of that factor (+-layout delta); 0 at step 0
};

/// Row structure of a Morris design: n_trajectories blocks of (n_dims + 1) consecutive rows;
/// row t * (n_dims + 1) + s is step s of trajectory t, and steps 1..n_dims of a trajectory
/// change each factor exactly once.
struct MorrisLayout {
  std::size_t n_trajectories = 0;
  std::size_t n_dims = 0;
  int levels = 0;      ///< p: the grid is {0, 1/(p-1), ..., 1}
  double delta = 0.0;  ///< p / (2 (p - 1))
  std::vector<MorrisRow> rows;

  /// Rows per trajectory: n_dims + 1.
  std::size_t block_size() const { return n_dims + 1; }
};

/// A Morris design: the points and their layout (points.n_rows == layout.rows.size()).
struct MorrisDesign {
  UnitDesign points;
  MorrisLayout layout;
};

/// Morris (1991) one-at-a-time design: r trajectories of d + 1 points on the p-level grid
/// {0, 1/(p-1), ..., 1} with delta = p / (2 (p - 1)). Per trajectory: a random base point with
/// every coordinate in {0, ..., 1 - delta}, a random sign per factor (a factor with sign -1
/// starts at base + delta and steps down to base) and a random factor order; step s changes
/// the s-th factor of that order by its signed delta. Values are in the closed [0, 1] (the
/// grid includes 1). Throws std::invalid_argument if r or d is 0 or levels is not even and
/// >= 2; std::length_error if the design is too large.
MorrisDesign morris(std::size_t r, std::size_t d, std::uint64_t seed, int levels = 4);

// --- Rows on demand -------------------------------------------------------------------------
// Rows [first, first + count) of a design, computed without the others, bit for bit equal to
// the same rows of the whole design above: a sweep of millions of points computes each chunk's
// rows when it runs them and never holds the design. `out` receives count x d values, row-major
// (precondition: out.size() == count * d). They throw what the whole-design functions throw,
// and std::out_of_range if first + count exceeds the design's rows.

/// Rows of grid(levels).
void grid_rows(std::span<const std::size_t> levels, std::size_t first, std::size_t count,
               std::span<std::size_t> out);
/// Rows of monte_carlo(n, d, seed).
void monte_carlo_rows(std::size_t n, std::size_t d, std::uint64_t seed, std::size_t first,
                      std::size_t count, std::span<double> out);
/// Rows of latin_hypercube(n, d, seed).
void latin_hypercube_rows(std::size_t n, std::size_t d, std::uint64_t seed, std::size_t first,
                          std::size_t count, std::span<double> out);
/// Rows of saltelli(n_base, d, seed, scramble).points.
void saltelli_rows(std::size_t n_base, std::size_t d, std::uint64_t seed, SobolScramble scramble,
                   std::size_t first, std::size_t count, std::span<double> out);
/// Rows of morris(r, d, seed, levels).points.
void morris_rows(std::size_t r, std::size_t d, std::uint64_t seed, int levels, std::size_t first,
                 std::size_t count, std::span<double> out);

}  // namespace geosim::sweep
