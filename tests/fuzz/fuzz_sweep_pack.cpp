// Harness: SweepChunks (output/sweep_pack.hpp), what `sweep run` (resuming), `status` and
// `merge` read from DIR/chunks/: the input is one pack of the seed sweep's plan
// (seeds_dir()/sweep_plan/plan.h5). Every record is looked up and read, as merge does; a torn
// or damaged record must come back as a note (the chunk not committed), a foreign pack as an
// InputError, never as values of the wrong size or a crash.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "fuzz_h5.hpp"
#include "fuzz_support.hpp"
#include "output/sweep_pack.hpp"
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
                   "fuzz_sweep_pack: needs the seed plan %s (tests/fuzz/make_seeds.sh): %s\n",
                   plan.c_str(), e.what());
      std::exit(2);
    }
  }();
  // A sweep folder of its own, whose chunks/ holds the input as its only pack.
  static const std::string dir = [] {
    const auto d =
        std::filesystem::path(fuzz::write_temp("sweep_pack.probe", "")).parent_path() / "sweep";
    std::filesystem::create_directories(d / "chunks");
    return d.string();
  }();
  {
    std::ofstream out(dir + "/chunks/seed.gspack", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  fuzz::expect_contract("SweepChunks", [&] {
    const SweepChunks chunks(dir, layout);
    for (std::uint64_t c = 0; c < layout.n_chunks(); ++c) {
      const auto records = chunks.read(c);
      if (records && records->size() != layout.chunk_count(c))
        fuzz::finding("SweepChunks", "chunk " + std::to_string(c) + " read with " +
                                         std::to_string(records->size()) + " runs");
    }
  });
  return 0;
}
