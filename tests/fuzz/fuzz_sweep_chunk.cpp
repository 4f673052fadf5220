// Harness: read_sweep_chunk (output/sweep_store.hpp), what `sweep run` (resuming), `status` and
// `merge` read from DIR/chunks/. The layout is the seed sweep's plan
// (seeds_dir()/sweep_plan/plan.h5); the plan hash and chunk number the reader is given are the
// input's own attributes when it has them, as they would be for a chunk of that plan, so mutated
// files reach the datasets.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_h5.hpp"
#include "fuzz_support.hpp"
#include "output/sweep_store.hpp"

using namespace geosim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const SweepLayout layout = [] {
    fuzz::quiet_hdf5();
    const std::string plan = fuzz::seeds_dir() + "/sweep_plan/plan.h5";
    try {
      return read_sweep_plan(plan);
    } catch (const std::exception& e) {
      std::fprintf(stderr,
                   "fuzz_sweep_chunk: needs the seed plan %s (tests/fuzz/make_seeds.sh): %s\n",
                   plan.c_str(), e.what());
      std::exit(2);
    }
  }();
  const std::string path = fuzz::write_temp("chunk.h5", fuzz::as_text(data, size));
  SweepLayout l = layout;
  l.plan_hash = fuzz::h5_string_attr(path, "plan_hash").value_or(layout.plan_hash);
  std::uint64_t chunk = 0;
  if (const auto c = fuzz::h5_int_attr(path, "chunk"); c && *c >= 0)
    chunk = static_cast<std::uint64_t>(*c) % l.n_chunks();
  fuzz::expect_contract("read_sweep_chunk", [&] { (void)read_sweep_chunk(path, l, chunk); });
  return 0;
}
