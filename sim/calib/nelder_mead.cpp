#include "calib/nelder_mead.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/text.hpp"
#include "output/calibration_store.hpp"
#include "study/run_eval.hpp"

namespace geosim::calib {

namespace {

struct Vertex {
  std::vector<double> u;          ///< quantile coordinates
  double f = 0.0;                 ///< distance
  std::vector<double> simulated;  ///< replicate means of every target
};

}  // namespace

CalibReport nelder_mead(const CalibSetup& s, const CalibOptions& o) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const std::size_t P = s.prior.size(), K = s.spec.targets.size();
  const int R = s.spec.method.replicates;
  CalibReport rep;
  std::uint64_t evaluations = 0, failed = 0;

  const auto values = [&](const std::vector<double>& u) {
    std::vector<double> x(P);
    for (std::size_t k = 0; k < P; ++k)
      x[k] = std::clamp(s.prior.marginals[k].value(std::clamp(u[k], 0.0, 1.0)), s.prior.lo[k],
                        s.prior.hi[k]);
    return x;
  };
  const auto evaluate = [&](std::vector<double> u) {
    for (double& x : u) x = std::clamp(x, 0.0, 1.0);
    Vertex v;
    v.simulated.assign(K, 0.0);
    const auto x = values(u);
    ++evaluations;
    bool ok = true;
    for (int r = 0; r < R && ok; ++r) {
      const RunOutcome out = evaluate_run(s.probe, static_cast<std::uint64_t>(r), x);
      ok = out.ok;
      for (std::size_t k = 0; k < K && ok; ++k) v.simulated[k] += out.metrics[k] / R;
    }
    rep.runs += static_cast<std::uint64_t>(R);
    if (!ok) {
      ++failed;
      v.f = std::numeric_limits<double>::infinity();
    } else {
      v.f = distance(s, v.simulated);
    }
    v.u = std::move(u);
    return v;
  };

  std::vector<Vertex> simplex;
  simplex.push_back(evaluate(std::vector<double>(P, 0.5)));
  for (std::size_t k = 0; k < P; ++k) {
    std::vector<double> u(P, 0.5);
    u[k] = 0.7;
    simplex.push_back(evaluate(u));
  }
  int it = 0;
  bool collapsed = false;
  for (; it < s.spec.method.iterations; ++it) {
    if (o.stop && *o.stop) {
      rep.interrupted = true;
      return rep;
    }
    std::stable_sort(simplex.begin(), simplex.end(),
                     [](const Vertex& a, const Vertex& b) { return a.f < b.f; });
    double spread_u = 0.0;
    for (const auto& v : simplex)
      for (std::size_t k = 0; k < P; ++k)
        spread_u = std::max(spread_u, std::abs(v.u[k] - simplex.front().u[k]));
    if (std::isfinite(simplex.back().f) && simplex.back().f - simplex.front().f < 1e-8 &&
        spread_u < 1e-6) {
      collapsed = true;
      break;
    }
    if (it % 20 == 0 && o.progress)
      o.progress("iteration " + std::to_string(it) + ": best distance " +
                 format_number(simplex.front().f) + ", worst " + format_number(simplex.back().f) +
                 ", " + std::to_string(evaluations) + " evaluations");
    std::vector<double> c(P, 0.0);
    for (std::size_t i = 0; i < P; ++i)
      for (std::size_t k = 0; k < P; ++k) c[k] += simplex[i].u[k] / static_cast<double>(P);
    const auto towards = [&](double t) {  // c + t (worst - c)
      std::vector<double> u(P);
      for (std::size_t k = 0; k < P; ++k) u[k] = c[k] + t * (simplex.back().u[k] - c[k]);
      return u;
    };
    Vertex r = evaluate(towards(-1.0));
    if (r.f < simplex.front().f) {
      Vertex e = evaluate(towards(-2.0));
      simplex.back() = e.f < r.f ? std::move(e) : std::move(r);
    } else if (r.f < simplex[P - 1].f) {
      simplex.back() = std::move(r);
    } else {
      Vertex k = r.f < simplex.back().f ? evaluate(towards(-0.5)) : evaluate(towards(0.5));
      if (k.f < std::min(r.f, simplex.back().f)) {
        simplex.back() = std::move(k);
      } else {  // shrink toward the best
        for (std::size_t i = 1; i <= P; ++i) {
          std::vector<double> u(P);
          for (std::size_t j = 0; j < P; ++j)
            u[j] = simplex.front().u[j] + 0.5 * (simplex[i].u[j] - simplex.front().u[j]);
          simplex[i] = evaluate(u);
        }
      }
    }
  }
  std::stable_sort(simplex.begin(), simplex.end(),
                   [](const Vertex& a, const Vertex& b) { return a.f < b.f; });
  Population pop;
  pop.n = P + 1;
  pop.p = P;
  pop.k = K;
  for (const auto& v : simplex) {
    const auto x = values(v.u);
    pop.theta.insert(pop.theta.end(), x.begin(), x.end());
    pop.simulated.insert(pop.simulated.end(), v.simulated.begin(), v.simulated.end());
    pop.distance.push_back(v.f);
    pop.weight.push_back(1.0 / static_cast<double>(pop.n));
  }
  pop.tolerance = simplex.back().f;
  pop.acceptance = std::numeric_limits<double>::quiet_NaN();  // no accept/reject step
  pop.proposals = evaluations;
  pop.failed = failed;
  rep.generations = 1;
  rep.runs_failed = failed * static_cast<std::uint64_t>(R);
  // A best point on the edge of the quantile coordinates wants values the prior does not
  // allow (or only its far tail): not a fit to report as converged.
  std::string edge;
  for (std::size_t k = 0; k < P; ++k)
    if (simplex.front().u[k] <= 1e-9 || simplex.front().u[k] >= 1.0 - 1e-9)
      edge += (edge.empty() ? "" : ", ") + s.spec.parameters[k].name;
  rep.converged = collapsed && edge.empty();
  rep.stop_reason = collapsed ? "the simplex collapsed after " + std::to_string(it) +
                                    " iterations (distances within 1e-8, quantiles within 1e-6)"
                              : "method.iterations (" + std::to_string(it) +
                                    ") ran out before the simplex collapsed";
  if (!edge.empty())
    rep.stop_reason += "; the best point is at the edge of the prior of " + edge +
                       ": the targets want values the prior does not allow";
  if (o.progress)
    o.progress("nelder-mead: best distance " + format_number(simplex.front().f) + " after " +
               std::to_string(evaluations) + " evaluations; " + rep.stop_reason);
  rep.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  OutputInfo info = calibration_output_info(s, o);
  info.converged = rep.converged;
  info.stop_reason = rep.stop_reason;
  info.runs = rep.runs;
  info.runs_failed = rep.runs_failed;
  info.wall_seconds = rep.seconds;
  write_calibration_output(o.out, info, std::vector<Population>{pop});
  return rep;
}

}  // namespace geosim::calib
