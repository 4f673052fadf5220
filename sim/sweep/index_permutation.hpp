#pragma once
// A random permutation of 0 .. n-1 that gives the image of any index alone, in O(1) memory:
// what lets a Latin hypercube of millions of rows compute any of its rows (design.hpp).
#include <cstddef>
#include <cstdint>

#include "core/rng.hpp"

namespace geosim::sweep {

/// A random permutation of 0 .. n-1 evaluated one index at a time, in O(1) memory: a
/// six-round balanced Feistel network on the smallest 2^(2h) >= n values, keyed by CounterRng
/// draws (round, dim, design, draw), walked along its cycle until the value is below n (fewer
/// than 4 steps on average). Latin hypercubes of millions of rows need no n-element table.
class IndexPermutation {
 public:
  /// Precondition: n >= 1.
  IndexPermutation(std::size_t n, const CounterRng& rng, std::uint64_t dim, std::uint64_t draw);
  /// The image of i (precondition i < n).
  std::size_t operator()(std::size_t i) const;

 private:
  std::uint64_t feistel(std::uint64_t x) const;
  std::uint64_t n_ = 1;
  unsigned half_bits_ = 0;
  std::uint64_t keys_[6] = {};
};

}  // namespace geosim::sweep
