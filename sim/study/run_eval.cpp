#include "study/run_eval.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/rng.hpp"
#include "model/step.hpp"
#include "output/run_schema.hpp"

namespace geosim {

double ishigami(double x1, double x2, double x3) {
  const double s2 = std::sin(x2);
  return std::sin(x1) + 7.0 * s2 * s2 + 0.1 * std::pow(x3, 4) * std::sin(x1);
}

double gaussian_noise(std::uint64_t seed, std::uint64_t run_id) {
  // Box-Muller on two uniforms of the run's own stream; 1 - u keeps the logarithm finite.
  const CounterRng rng(seed, run_id);
  const double u1 = 1.0 - rng.uniform(0, 0, RngPurpose::shock, 0);
  const double u2 = rng.uniform(0, 0, RngPurpose::shock, 1);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

namespace {

std::size_t trajectory_size(const SweepPlan& plan) {
  std::size_t n = 0;
  for (const auto& t : plan.trajectories) n += t.cells * plan.trajectory_turns.size();
  return n;
}

void simulate_point(const SweepPlan& plan, std::uint64_t run_id, std::span<const double> point,
                    RunOutcome& out) {
  Scenario sc = *plan.scenario;
  for (std::size_t k = 0; k < plan.n_parameters(); ++k) plan.edits[k].apply(sc, point[k]);
  const CounterRng rng(plan.spec.seed, run_id);
  World w = make_world(sc);
  const auto& vars = run_variables();
  std::vector<double> acc(plan.metrics.size(), 0.0);
  for (std::size_t m = 0; m < plan.metrics.size(); ++m) {
    const Reduce r = plan.metrics[m].reduce;
    acc[m] = r == Reduce::min   ? std::numeric_limits<double>::infinity()
             : r == Reduce::max ? -std::numeric_limits<double>::infinity()
                                : 0.0;
  }
  std::size_t next_sample = 0;
  out.trajectory.assign(trajectory_size(plan), 0.0);
  for (int t = 0; t < sc.turns; ++t) {
    step(w, sc, rng);
    for (std::size_t m = 0; m < plan.metrics.size(); ++m) {
      const MetricDef& d = plan.metrics[m];
      if (t < d.from_turn || t > d.to_turn) continue;
      const double x =
          d.derived.kind != Derived::none
              ? derived_value(w, d.derived)
              : vars[static_cast<std::size_t>(d.variable)].values(w, d.block)[d.offset];
      switch (d.reduce) {
        case Reduce::last:
          acc[m] = x;
          break;
        case Reduce::mean:
          acc[m] += x / static_cast<double>(d.to_turn - d.from_turn + 1);
          break;
        case Reduce::sum:
          acc[m] += x;
          break;
        case Reduce::min:
          acc[m] = std::min(acc[m], x);
          break;
        case Reduce::max:
          acc[m] = std::max(acc[m], x);
          break;
      }
    }
    if (next_sample < plan.trajectory_turns.size() && plan.trajectory_turns[next_sample] == t) {
      // Variable-major: variable v's block is (sampled turn, cells...), as the files store it.
      std::size_t at = 0;
      for (const auto& tr : plan.trajectories) {
        const RunVariable& v = vars[static_cast<std::size_t>(tr.variable)];
        const bool by_channel = !v.dims.empty() && v.dims.front() == Dim::channel;
        const int blocks = by_channel ? static_cast<int>(tr.dim_labels.front().size()) : 1;
        auto dst = out.trajectory.begin() + static_cast<long>(at + next_sample * tr.cells);
        for (int k = 0; k < blocks; ++k) {
          const auto block = v.values(w, k);
          dst = std::copy(block.begin(), block.end(), dst);
        }
        at += tr.cells * plan.trajectory_turns.size();
      }
      ++next_sample;
    }
  }
  out.metrics = acc;
}

}  // namespace

RunOutcome evaluate_run(const SweepPlan& plan, std::uint64_t run_id) {
  return evaluate_run(plan, run_id, plan.point(plan.point_of(run_id)));
}

RunOutcome evaluate_run(const SweepPlan& plan, std::uint64_t run_id,
                        std::span<const double> point) {
  RunOutcome out;
  out.run_id = run_id;
  try {
    if (point.size() != plan.n_parameters())
      throw std::invalid_argument("evaluate_run: the point has " + std::to_string(point.size()) +
                                  " values for " + std::to_string(plan.n_parameters()) +
                                  " parameters");
    if (plan.spec.model == SweepModel::gaussian) {
      double mu = 0.0;
      for (std::size_t k = 0; k < point.size(); ++k)
        if (plan.spec.parameters[k].path == "mu") mu = point[k];
      out.metrics.assign(plan.metrics.size(), mu + gaussian_noise(plan.spec.seed, run_id));
    } else if (plan.spec.model == SweepModel::ishigami) {
      double x[9] = {};
      for (std::size_t k = 0; k < point.size(); ++k)
        x[plan.spec.parameters[k].path[1] - '1'] = point[k];
      out.metrics.assign(plan.metrics.size(), ishigami(x[0], x[1], x[2]));
    } else {
      simulate_point(plan, run_id, point, out);
    }
    for (std::size_t m = 0; m < out.metrics.size(); ++m)
      if (!std::isfinite(out.metrics[m]))
        throw std::runtime_error("metric '" + plan.metrics[m].name + "' is not finite");
  } catch (const std::exception& e) {
    out.ok = false;
    out.message = e.what();
  }
  if (!out.ok) {
    out.metrics.assign(plan.metrics.size(), std::numeric_limits<double>::quiet_NaN());
    out.trajectory.assign(trajectory_size(plan), std::numeric_limits<double>::quiet_NaN());
  }
  return out;
}

}  // namespace geosim
