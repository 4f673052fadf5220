#pragma once
/// What a sweep will cost, from a short timed sample of its own runs (`geosim sweep plan
/// --estimate`): time per run, the bytes it will write, and the memory of one worker.
#include <cstdint>

#include "output/sweep_store.hpp"
#include "study/sweep_plan.hpp"

namespace geosim {

struct SweepEstimate {
  std::uint64_t sample = 0;         ///< runs timed
  std::uint64_t sample_failed = 0;  ///< of those, failed runs (a failure may be fast)
  double seconds_mean = 0.0;        ///< per run
  double seconds_max = 0.0;
  std::uint64_t pack_bytes = 0;    ///< the committed chunks of every run (the sweep folder)
  std::uint64_t merged_bytes = 0;  ///< the merged file's values, uncompressed (an upper bound)
  double peak_rss_mb = 0.0;        ///< this process's peak resident memory after the sample
};

/// Times `sample` runs spread evenly over the plan's run ids (the cost may depend on the
/// parameters), one after the other on this thread, after one untimed run (warm caches); the
/// bytes follow from the layout.
SweepEstimate estimate_sweep(const SweepPlan& plan, const SweepLayout& layout,
                             std::uint64_t sample);

/// Peak resident memory of this process in MB (VmHWM), 0 if unknown.
double peak_rss_mb();

}  // namespace geosim
