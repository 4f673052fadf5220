// deflate_chunk makes the zlib streams of the output files' chunks (ISA-L at level 1 when built
// with it, zlib otherwise): whatever made them, zlib's inflate (HDF5's deflate filter, h5py,
// netCDF) must give back the exact bytes.
#include <doctest/doctest.h>
#include <zlib.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "output/chunk_writer.hpp"

using geosim::h5::deflate_chunk;

namespace {

std::vector<unsigned char> bytes_of(const std::vector<double>& v) {
  std::vector<unsigned char> b(v.size() * sizeof(double));
  if (!v.empty()) std::memcpy(b.data(), v.data(), b.size());
  return b;
}

/// zlib's inflate of `packed`, which must hold exactly `size` bytes.
std::vector<unsigned char> inflate(const std::vector<unsigned char>& packed, std::size_t size) {
  std::vector<unsigned char> out(size + 1);  // one spare byte: a longer stream fails the size
  uLongf got = static_cast<uLongf>(out.size());
  REQUIRE(uncompress(out.data(), &got, packed.data(), static_cast<uLong>(packed.size())) == Z_OK);
  out.resize(got);
  return out;
}

}  // namespace

TEST_CASE("deflate_chunk: zlib inflates every chunk back to its bytes") {
  std::mt19937_64 g(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  // A sparse N x N array of a run (mostly zeros), a smooth one, and noise that does not
  // compress (stored blocks).
  std::vector<double> sparse(3 * 200 * 200, 0.0), smooth(50'000), noise(70'000);
  for (std::size_t i = 0; i < sparse.size(); i += 37) sparse[i] = u(g) * 1e9;
  for (std::size_t i = 0; i < smooth.size(); ++i) smooth[i] = std::sin(0.001 * double(i));
  for (double& x : noise) {
    const std::uint64_t bits = g();
    std::memcpy(&x, &bits, sizeof x);
  }
  for (int level : {1, 3}) {
    CAPTURE(level);
    for (const auto* v : {&sparse, &smooth, &noise}) {
      const std::vector<unsigned char> raw = bytes_of(*v);
      const std::vector<unsigned char> packed = deflate_chunk(raw, level);
      CHECK(inflate(packed, raw.size()) == raw);
      if (v == &sparse) CHECK(packed.size() * 10 < raw.size());  // it does compress
    }
    const std::vector<unsigned char> none;
    CHECK(inflate(deflate_chunk(none, level), 0).empty());
  }
}

TEST_CASE("deflate_chunk: the same bytes give the same stream (files do not depend on threads)") {
  std::vector<double> v(40'000);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = (i % 7 == 0) ? double(i) * 0.5 : 0.0;
  const std::vector<unsigned char> raw = bytes_of(v);
  CHECK(deflate_chunk(raw, 1) == deflate_chunk(raw, 1));
}

TEST_CASE(
    "deflate_chunk: level 1 is ISA-L's stream where geosim is built with it, zlib's otherwise") {
  std::vector<double> v(3 * 200 * 200, 0.0);
  for (std::size_t i = 0; i < v.size(); i += 11) v[i] = std::sqrt(double(i));
  const std::vector<unsigned char> raw = bytes_of(v);
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::vector<unsigned char> zlib(size);
  REQUIRE(compress2(zlib.data(), &size, raw.data(), static_cast<uLong>(raw.size()), 1) == Z_OK);
  zlib.resize(size);
#if GEOSIM_HAVE_ISAL
  CHECK(deflate_chunk(raw, 1) != zlib);
#else
  CHECK(deflate_chunk(raw, 1) == zlib);
#endif
  CHECK(deflate_chunk(raw, 3) != zlib);  // other levels are zlib's own, at that level
}
