#include <doctest/doctest.h>

#include "output/h5_helpers.hpp"

using geosim::h5::choose_chunk;
using V = std::vector<hsize_t>;

TEST_CASE("chunks keep whole N x N slices and hold as many turns as fit in 1 MiB") {
  CHECK(choose_chunk({120, 20, 20}, 8) == V{120, 20, 20});            // whole run: 375 KiB
  CHECK(choose_chunk({1000, 100, 100}, 8) == V{13, 100, 100});        // 13 * 78 KiB
  CHECK(choose_chunk({600, 11, 100, 100}, 8) == V{1, 11, 100, 100});  // 859 KiB per turn
  CHECK(choose_chunk({600, 11, 200, 200}, 8) == V{1, 3, 200, 200});
  CHECK(choose_chunk({10, 500, 500}, 8) == V{1, 262, 500});  // a slice alone exceeds 1 MiB
  CHECK(choose_chunk({5000}, 8) == V{5000});
}

TEST_CASE("a smaller chunk limit: sweep files' per-run variables in 64 KiB chunks") {
  CHECK(choose_chunk({1000000}, 8, 64 << 10) == V{8192});
  CHECK(choose_chunk({5000}, 8, 64 << 10) == V{5000});           // smaller than a chunk: whole
  CHECK(choose_chunk({1000000, 3}, 8, 64 << 10) == V{2730, 3});  // rows of 3 values
}

TEST_CASE("a zero-length axis means no chunking (contiguous)") {
  CHECK(choose_chunk({0}, 8).empty());
  CHECK(choose_chunk({4, 0, 3}, 8).empty());
}

TEST_CASE("chunk sizes land in 0.25-1 MiB for long runs") {
  for (hsize_t n : {5, 20, 50, 100, 300}) {
    const V c = choose_chunk({10000, n, n}, 8);
    const double bytes = static_cast<double>(c[0] * c[1] * c[2] * 8);
    CAPTURE(n);
    CHECK(bytes <= 1024.0 * 1024.0);
    CHECK(bytes >= 256.0 * 1024.0);
  }
}
