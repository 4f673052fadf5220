#include "calib/calib_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "calib/abc_smc.hpp"
#include "study/sweep_exec.hpp"

namespace geosim::calib {

CalibEstimate estimate_calibration(const CalibSetup& setup, std::uint64_t sample) {
  const CalibMethodSpec& m = setup.spec.method;
  const auto n = static_cast<std::uint64_t>(std::max(m.particles, 1));
  const auto r = static_cast<std::uint64_t>(std::max(m.replicates, 1));
  sample = std::max<std::uint64_t>(sample, 1);
  // Points drawn from the prior, as generation 0 proposes them, under a seed of their own.
  const std::uint64_t seed = setup.spec.seed ^ 0x657374696d617465ULL;  // "estimate"
  std::vector<double> rows;
  for (std::uint64_t i = 0; rows.size() < sample * setup.prior.size() && i < 100 * sample; ++i)
    if (const auto x = propose(setup.prior, nullptr, nullptr, seed, 0, i))
      rows.insert(rows.end(), x->begin(), x->end());
  SweepSpec w = setup.sweep;
  w.seed = seed;
  w.replicates = 1;
  w.list_rows = std::move(rows);
  const SweepPlan plan = make_plan(w);
  const SweepLayout layout = layout_of(plan);
  CalibEstimate e;
  e.sample = estimate_sweep(plan, layout, sample);
  e.budget = m.budget;
  if (m.kind == CalibMethod::abc_smc) {
    // Generation 0 accepts every proposal that runs, in batches sized as calibrate.cpp sizes
    // them: method.batch, else one batch of ceil(1.2 N) proposals (at least min(N, 64)).
    const std::uint64_t batch =
        m.batch > 0 ? static_cast<std::uint64_t>(m.batch)
                    : std::max<std::uint64_t>(
                          static_cast<std::uint64_t>(std::ceil(1.2 * static_cast<double>(n))),
                          std::min<std::uint64_t>(n, 64));
    e.first_generation = (n + batch - 1) / batch * batch * r;
  } else {
    // Nelder-Mead: P + 1 vertices, then per iteration a reflection and an expansion or a
    // contraction, and P more evaluations when the simplex shrinks; R runs each, one after
    // the other.
    const auto p = static_cast<std::uint64_t>(setup.prior.size());
    const auto it = static_cast<std::uint64_t>(std::max(m.iterations, 0));
    e.first_generation = (p + 1) * r;         // the first simplex
    e.budget = ((p + 1) + it * (p + 2)) * r;  // at most
    e.typical = ((p + 1) + 2 * it) * r;       // without shrinks
  }
  e.pack_bytes_per_run = layout.n_runs > 0 ? e.sample.pack_bytes / layout.n_runs : 0;
  // Per generation: each particle's parameters, simulated targets, distance and weight as
  // float64, and the generation's scalars.
  const std::uint64_t per_particle = 8 * (setup.prior.size() + setup.spec.targets.size() + 2);
  e.output_bytes =
      m.kind == CalibMethod::abc_smc
          ? static_cast<std::uint64_t>(std::max(m.generations, 1)) * (n * per_particle + 64)
          : (setup.prior.size() + 1) * per_particle + 64;  // one generation: the last simplex
  return e;
}

}  // namespace geosim::calib
