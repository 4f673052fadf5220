#include "sweep/index_permutation.hpp"

#include <bit>
#include <stdexcept>

namespace geosim::sweep {

namespace {

/// SplitMix64's output function: a bijective 64-bit mixer, the Feistel rounds' function.
std::uint64_t mix64(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

IndexPermutation::IndexPermutation(std::size_t n, const CounterRng& rng, std::uint64_t dim,
                                   std::uint64_t draw)
    : n_(n) {
  if (n == 0) throw std::invalid_argument("IndexPermutation: n must be at least 1");
  // The smallest even bit count 2h >= 2 with 2^(2h) >= n.
  const unsigned bits = n <= 2 ? 1u : static_cast<unsigned>(std::bit_width(n - 1));
  half_bits_ = (bits + 1) / 2;
  for (std::uint64_t r = 0; r < 6; ++r) {
    keys_[r] = static_cast<std::uint64_t>(rng.uniform(r, dim, RngPurpose::design, draw) * 0x1.0p53);
  }
}

std::uint64_t IndexPermutation::feistel(std::uint64_t x) const {
  const std::uint64_t mask = (std::uint64_t{1} << half_bits_) - 1;
  std::uint64_t left = x >> half_bits_, right = x & mask;
  for (const std::uint64_t key : keys_) {
    const std::uint64_t next = left ^ (mix64(right ^ key) & mask);
    left = right;
    right = next;
  }
  return (left << half_bits_) | right;
}

std::size_t IndexPermutation::operator()(std::size_t i) const {
  // Cycle walking: the network permutes 0 .. 2^(2h)-1; follow i's cycle back into 0 .. n-1.
  std::uint64_t y = feistel(i);
  while (y >= n_) y = feistel(y);
  return static_cast<std::size_t>(y);
}

}  // namespace geosim::sweep
