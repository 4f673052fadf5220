#pragma once
/// One run of a sweep: the scenario with the point's values, simulated under its own random key,
/// reduced to the summary metrics (and trajectories) the plan asks for.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "output/sweep_store.hpp"
#include "study/sweep_plan.hpp"

namespace geosim {

/// One run's results (the record a chunk file stores).
using RunOutcome = SweepRunRecord;

/// Evaluates run `run_id` of the plan, whose point has the parameter values `point` (from
/// plan.points(): a chunk computes its points' values once). Never throws for a bad run: a
/// value outside a field's range, a model error, or a metric that is not finite makes a failed
/// outcome with its message. The result depends on (plan, run_id) only.
RunOutcome evaluate_run(const SweepPlan& plan, std::uint64_t run_id, std::span<const double> point);
/// The same, computing the point's values itself (which throws std::out_of_range for a run id
/// past the plan's last run).
RunOutcome evaluate_run(const SweepPlan& plan, std::uint64_t run_id);

/// A standard normal number of run `run_id`'s stream (the gaussian test model's noise).
double gaussian_noise(std::uint64_t seed, std::uint64_t run_id);

/// The Ishigami function sin x1 + a sin^2 x2 + b x3^4 sin x1 (a = 7, b = 0.1).
double ishigami(double x1, double x2, double x3);

}  // namespace geosim
