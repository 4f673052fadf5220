#include "study/sweep_estimate.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>

#include "study/run_eval.hpp"

namespace geosim {

double peak_rss_mb() {
  std::ifstream in("/proc/self/status");
  std::string key;
  while (in >> key) {
    if (key == "VmHWM:") {
      double kb = 0;
      in >> kb;
      return kb / 1024.0;
    }
    std::string rest;
    std::getline(in, rest);
  }
  return 0.0;
}

SweepEstimate estimate_sweep(const SweepPlan& plan, const SweepLayout& layout,
                             std::uint64_t sample) {
  SweepEstimate e;
  const std::uint64_t n = layout.n_runs;
  e.sample = std::min(sample, n);
  double total = 0.0;
  // One run first, not timed: the first run of a process pays for its caches and allocations.
  if (e.sample > 0) (void)evaluate_run(plan, 0);
  for (std::uint64_t i = 0; i < e.sample; ++i) {
    const std::uint64_t run = i * n / e.sample;  // spread over the design's points
    const auto t0 = std::chrono::steady_clock::now();
    const RunOutcome r = evaluate_run(plan, run);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    total += s;
    e.seconds_max = std::max(e.seconds_max, s);
    if (!r.ok) ++e.sample_failed;
  }
  e.seconds_mean = e.sample > 0 ? total / static_cast<double>(e.sample) : 0.0;
  // A 64-byte header per pack file (one per process; counted once), a 32-byte header per
  // chunk's record, then per run a status byte, a message length and its values
  // (output/sweep_pack.cpp); messages of failed runs are left out.
  const std::uint64_t values = layout.metrics.size() + layout.trajectory_size();
  e.pack_bytes = 64 + layout.n_chunks() * 32 + n * (1 + 4 + 8 * values);
  // The merged file: metrics and trajectories as float64, the status and the design values.
  e.merged_bytes = n * (8 * values + 1) + layout.n_points * 8 * layout.parameters.size();
  e.peak_rss_mb = peak_rss_mb();
  return e;
}

}  // namespace geosim
