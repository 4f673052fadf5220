#include "calib/calibrate.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <sstream>

#include "calib/nelder_mead.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "core/version.hpp"
#include "output/calibration_store.hpp"
#include "scenario/load.hpp"
#include "study/sweep_exec.hpp"
#include "study/sweep_mpi.hpp"

namespace geosim::calib {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Kind = sweep::Distribution::Kind;

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// The random-key seed of batch b of generation g: every run of the calibration gets its own
/// numbers (key (batch seed, run id)), so no two particles share their noise.
std::uint64_t batch_seed(std::uint64_t seed, int g, int b) {
  return mix(seed ^ mix((static_cast<std::uint64_t>(g) << 32) | static_cast<std::uint64_t>(b)));
}

std::string batch_dir(const std::string& dir, int g, int b) {
  char name[48];
  std::snprintf(name, sizeof name, "gen_%03d/batch_%04d", g, b);
  return (fs::path(dir) / name).string();
}

std::string fixed(double x, int digits) {
  std::ostringstream o;
  o.setf(std::ios::fixed);
  o.precision(digits);
  o << x;
  return o.str();
}

std::string seconds_text(double s) {
  if (!std::isfinite(s)) return "?";
  if (s < 120) return fixed(s, 0) + " s";
  if (s < 7200) return fixed(s / 60, 1) + " min";
  return fixed(s / 3600, 1) + " h";
}

/// The median of a prior: the row a proposal that never fell inside the support stands in
/// with (it is counted as failed, never simulated into the posterior).
std::vector<double> prior_medians(const std::vector<SweepParameter>& ps) {
  std::vector<double> v;
  for (const auto& q : ps) v.push_back(q.distribution ? q.distribution->value(0.5) : 0.0);
  return v;
}

/// Is this the same quantity (variable and labels)?
bool same_quantity(const SweepOutput& a, const SweepOutput& b) {
  auto x = a.index, y = b.index;
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  return a.variable == b.variable && x == y && a.reduce == b.reduce;
}

}  // namespace

OutputInfo calibration_output_info(const CalibSetup& s, const CalibOptions& o) {
  OutputInfo info;
  const CalibSpec& c = s.spec;
  info.name = c.name;
  info.description = c.description;
  info.method = kCalibMethodNames[static_cast<int>(c.method.kind)];
  info.tolerance_target = c.method.tolerance;
  info.min_acceptance = c.method.min_acceptance;
  info.alpha = c.method.alpha;
  info.particles = c.method.particles;
  info.calibration_yaml = c.resolved_yaml;
  info.calibration_file = c.file;
  if (s.probe.scenario) {
    info.scenario_name = s.probe.scenario->name;
    info.scenario_yaml = s.probe.scenario->resolved_yaml;
    info.scenario_hash = fnv1a_hex(s.probe.scenario->resolved_yaml);
    info.scenario_file = fs::absolute(c.scenario).lexically_normal().string();
    info.scenario_sets = c.sets;
    info.scenario_version = s.probe.scenario->version;
  } else {
    info.scenario_name = kSweepModelNames[static_cast<int>(c.model)];
  }
  info.command_line = o.command_line;
  info.start_time = o.start_time;
  info.host = o.host;
  info.seed = c.seed;
  info.replicates = c.method.replicates;
  for (std::size_t k = 0; k < c.parameters.size(); ++k) {
    const auto& q = c.parameters[k];
    info.parameters.push_back(q.name);
    info.parameter_paths.push_back(q.path);
    info.parameter_units.push_back(
        s.probe.edits.empty() || s.probe.edits[k].unit().empty() ? "1" : s.probe.edits[k].unit());
    info.prior_kinds.emplace_back(sweep::to_string(q.distribution->kind()));
    info.prior_a.push_back(q.distribution->lo());
    info.prior_b.push_back(q.distribution->hi());
  }
  for (std::size_t i = 0; i < c.targets.size(); ++i) {
    const CalibTarget& t = c.targets[i];
    const MetricDef& m = s.probe.metrics[i];
    info.targets.push_back(t.output.name);
    info.target_variable.push_back(t.output.variable);
    info.target_units.push_back(m.units);
    info.target_use.emplace_back(t.fit ? "fit" : "holdout");
    info.target_source.push_back(t.source);
    info.target_period.push_back(t.output.period.empty() ? "whole run" : t.output.period);
    info.target_long_name.push_back(m.long_name);
    info.target_observed.push_back(t.observed);
    info.target_sd.push_back(t.sd);
    // Persistence: the latest fitted target of the same quantity that ends before this one.
    double naive = std::numeric_limits<double>::quiet_NaN();
    if (!t.fit) {
      int best_end = -1;
      for (std::size_t j = 0; j < c.targets.size(); ++j) {
        const MetricDef& mj = s.probe.metrics[j];
        if (!c.targets[j].fit || !same_quantity(c.targets[j].output, t.output)) continue;
        if (mj.to_turn < m.from_turn && mj.to_turn > best_end) {
          best_end = mj.to_turn;
          naive = c.targets[j].observed;
        }
      }
    }
    info.persistence.push_back(naive);
  }
  return info;
}

namespace {

/// Simulated target means of each proposal of a committed batch; failed[i] if a replicate of
/// proposal i failed.
void read_batch(const SweepPlan& plan, const SweepLayout& layout, const std::string& dir,
                std::size_t proposals, std::size_t targets, std::vector<double>& mean,
                std::vector<char>& failed) {
  const int R = plan.spec.replicates;
  mean.assign(proposals * targets, 0.0);
  failed.assign(proposals, 0);
  const SweepChunks committed(dir, layout);
  for (std::uint64_t c = 0; c < layout.n_chunks(); ++c) {
    const auto records = committed.read(c);
    if (!records)
      throw std::runtime_error("chunk " + std::to_string(c) + " of '" + dir + "' is missing");
    for (const auto& r : *records) {
      const std::size_t i = r.run_id / static_cast<std::uint64_t>(R);
      if (!r.ok) {
        failed[i] = 1;
        continue;
      }
      for (std::size_t k = 0; k < targets; ++k) mean[i * targets + k] += r.metrics[k] / R;
    }
  }
}

}  // namespace

CalibSetup make_calibration_setup(const CalibSpec& spec) {
  CalibSetup s;
  s.spec = spec;
  SweepSpec& w = s.sweep;
  w.file = spec.file;
  w.name = spec.name;
  w.description = spec.description;
  w.model = spec.model;
  w.scenario = spec.scenario;
  w.sets = spec.sets;
  w.seed = spec.seed;
  w.replicates = spec.method.replicates;
  w.chunk = spec.method.chunk;
  w.design = DesignKind::list;
  w.parameters = spec.parameters;
  for (const auto& t : spec.targets) w.outputs.push_back(t.output);
  w.resolved_yaml = spec.identity_yaml;
  SweepSpec probe = w;
  probe.list_rows = prior_medians(spec.parameters);
  // The priors against the fields' ranges, reported with the plan's problems in one round.
  Diagnostics d;
  const auto check_priors = [&](const std::vector<ScenarioEdit>* edits) {
    for (std::size_t k = 0; k < spec.parameters.size(); ++k) {
      const SweepParameter& q = spec.parameters[k];
      const auto& dist = *q.distribution;
      double lo = -std::numeric_limits<double>::infinity(), hi = -lo;
      if (edits != nullptr) {
        if (k >= edits->size()) continue;  // a path that did not resolve: reported already
        lo = (*edits)[k].lo();
        hi = (*edits)[k].hi();
        if ((*edits)[k].integer())
          d.error(q.where, "parameters[" + q.name + "].path",
                  "'" + q.path + "' takes whole numbers; calibration fits continuous parameters");
      }
      const std::string range = "[" + format_number(lo) + ", " + format_number(hi) + "]";
      if ((dist.kind() == Kind::uniform || dist.kind() == Kind::loguniform) &&
          (dist.lo() < lo || dist.hi() > hi))
        d.error(q.where, "parameters[" + q.name + "]." + std::string(sweep::to_string(dist.kind())),
                "the prior [" + format_number(dist.lo()) + ", " + format_number(dist.hi()) +
                    "] reaches outside the values '" + q.path + "' takes, " + range);
      if (dist.kind() == Kind::normal && (dist.mean() < lo || dist.mean() > hi))
        d.error(q.where, "parameters[" + q.name + "].normal",
                "the prior's mean " + format_number(dist.mean()) + " is outside the values '" +
                    q.path + "' takes, " + range + " (a normal prior is truncated to that range)");
      s.prior.marginals.push_back(dist);
      s.prior.lo.push_back(lo);
      s.prior.hi.push_back(hi);
    }
  };
  try {
    s.probe = make_plan(probe);
  } catch (const InputError& e) {
    for (auto x : e.diagnostics()) {
      if (x.key_path.rfind("outputs[", 0) == 0) x.key_path = "targets[" + x.key_path.substr(8);
      d.error(x.where, x.key_path, x.message);
    }
    // The priors too, against the fields the scenario does have, before giving up.
    if (spec.model == SweepModel::scenario) {
      try {
        const Scenario sc = load_scenario(spec.scenario, spec.sets);
        std::vector<ScenarioEdit> edits;
        for (const auto& q : spec.parameters) {
          try {
            edits.push_back(ScenarioEdit::resolve(sc, q.path, q.where));
          } catch (const InputError&) {
            break;  // its error is among the plan's; later parameters are skipped
          }
        }
        check_priors(&edits);
      } catch (const InputError&) {
        // the scenario itself failed: its errors are among the plan's
      }
    }
    d.throw_if_any();
    throw;
  }
  check_priors(s.probe.edits.empty() ? nullptr : &s.probe.edits);
  for (std::size_t i = 0; i < spec.targets.size(); ++i) {
    if (spec.targets[i].fit) s.fit.push_back(i);
    const MetricDef& m = s.probe.metrics[i];
    if (m.reduce == Reduce::sum && m.units == "turns")
      d.error(spec.targets[i].output.where, "targets[" + spec.targets[i].output.name + "].reduce",
              "a sum over turns of a share has no observed counterpart; use mean or last");
  }
  d.throw_if_any();
  Fnv1a h;
  h.add(version()).add(" ").add(git_commit()).add("\n").add(s.probe.hash);
  s.key = h.hex();
  return s;
}

double distance(const CalibSetup& setup, std::span<const double> simulated) {
  double sum = 0.0;
  for (std::size_t i : setup.fit) {
    const CalibTarget& t = setup.spec.targets[i];
    const double z = (simulated[i] - t.observed) / t.sd;
    sum += z * z;
  }
  return std::sqrt(sum / static_cast<double>(setup.fit.size()));
}

CalibReport calibrate(const CalibSetup& setup, const CalibOptions& o) {
  if (setup.spec.method.kind == CalibMethod::nelder_mead) return nelder_mead(setup, o);
  const auto t0 = Clock::now();
  const CalibMethodSpec& m = setup.spec.method;
  const std::size_t N = static_cast<std::size_t>(m.particles);
  const std::size_t P = setup.prior.size();
  const std::size_t K = setup.spec.targets.size();
  const auto R = static_cast<std::uint64_t>(m.replicates);
  const bool root = !o.mpi || mpi_rank() == 0;
  const auto say = [&](const std::string& line) {
    if (root && o.progress) o.progress(line);
  };
  const auto warn = [&](const std::string& line) {
    if (root && o.warn) o.warn(line);
  };

  CalibReport rep;
  rep.is_root = root;
  std::optional<Population> prev;
  double prev_tol = std::numeric_limits<double>::infinity();
  double gen_seconds = 0.0;
  std::uint64_t gen_runs = 0;
  const std::vector<double> fallback = prior_medians(setup.spec.parameters);

  for (int g = 0; g < m.generations; ++g) {
    const auto tg = Clock::now();
    std::optional<Population> cur = read_population(population_path(o.dir, g), setup.key);
    if (cur && (cur->n != N || cur->p != P || cur->k != K))
      throw FileError(population_path(o.dir, g),
                      "holds " + std::to_string(cur->n) + " particles of " +
                          std::to_string(cur->p) + " parameters and " + std::to_string(cur->k) +
                          " targets; this calibration has " + std::to_string(N) + ", " +
                          std::to_string(P) + " and " + std::to_string(K) +
                          " (a damaged file? remove it to run the generation again)");
    const bool resumed = cur.has_value();
    if (!cur) {
      const double eps =
          g == 0 ? std::numeric_limits<double>::infinity()
                 : std::max(m.tolerance, weighted_quantile(prev->distance, prev->weight, m.alpha));
      std::unique_ptr<Kernel> kernel;
      if (prev) kernel = std::make_unique<Kernel>(*prev, setup.prior);
      Population next;
      next.p = P;
      next.k = K;
      std::uint64_t accepted_all = 0;
      bool out_of_budget = false;
      std::uint64_t first = 0;  // index of the batch's first proposal in the generation
      for (int b = 0; next.n < N; ++b) {
        // The batch's size follows from committed state only (the acceptance so far in this
        // generation, else the previous generation's), so it is the same however the runs
        // were split or resumed; a fixed method.batch overrides it.
        std::size_t B = static_cast<std::size_t>(m.batch);
        if (B == 0) {
          const double est = next.proposals > 0 ? (static_cast<double>(accepted_all) + 1.0) /
                                                      (static_cast<double>(next.proposals) + 1.0)
                                                : (prev ? prev->acceptance : 1.0);
          const double want = 1.2 * static_cast<double>(N - next.n) / std::max(est, 1e-3);
          B = static_cast<std::size_t>(std::clamp(std::ceil(want),
                                                  static_cast<double>(std::min<std::size_t>(N, 64)),
                                                  20.0 * static_cast<double>(N)));
        }
        // A batch that would pass the budget is not started (never shortened: the budget
        // decides where the calibration stops, never what a generation holds).
        if (rep.runs + B * R > m.budget) {
          out_of_budget = true;
          break;
        }
        std::vector<double> rows;
        rows.reserve(B * P);
        std::vector<char> inside(B, 1);
        for (std::size_t i = 0; i < B; ++i) {
          const auto x = propose(setup.prior, prev ? &*prev : nullptr, kernel.get(),
                                 setup.spec.seed, static_cast<std::uint64_t>(g), first + i);
          inside[i] = x.has_value();
          const auto& row = x ? *x : fallback;
          rows.insert(rows.end(), row.begin(), row.end());
        }
        SweepSpec w = setup.sweep;
        w.seed = batch_seed(setup.spec.seed, g, b);
        w.list_rows = std::move(rows);
        const SweepPlan plan = make_plan(w);
        const SweepLayout layout = layout_of(plan);
        const std::string bdir = batch_dir(o.dir, g, b);
        (void)write_plan_file(plan, layout, bdir);  // every rank: a foreign plan stops them all
        ExecOptions eo;
        eo.jobs = o.jobs;
        eo.stop = o.stop;
        eo.keep_mpi = true;
        for (std::uint64_t c = 0; c < plan.n_chunks(); ++c) eo.chunks.push_back(c);
        // A batch can take long: its runs on a bar or a line every 30 s (the batch's own line
        // follows it, so not at 100%).
        ProgressMeter meter("runs", B * R, o.mpi ? ProgressStyle{.on = false} : o.meter);
        meter.set_label("generation " + std::to_string(g) + ", batch " + std::to_string(b));
        eo.runs_done = [&meter](std::uint64_t done, std::uint64_t total) {
          if (done < total) meter.update(done);
        };
        const ExecReport er =
            o.mpi ? run_chunks_mpi(plan, layout, bdir, eo) : run_chunks(plan, layout, bdir, eo);
        meter.finish();
        if (er.interrupted) {
          rep.interrupted = true;
          rep.generations = g;
          rep.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
          if (o.mpi) mpi_finish();
          return rep;
        }
        rep.runs += B * R;
        first += B;
        std::vector<double> mean;
        std::vector<char> failed;
        read_batch(plan, layout, bdir, B, K, mean, failed);
        for (std::size_t i = 0; i < B; ++i) {
          ++next.proposals;
          if (!inside[i] || failed[i]) {
            ++next.failed;
            continue;
          }
          const std::span<const double> s(mean.data() + i * K, K);
          const double d = distance(setup, s);
          if (!(d <= eps)) continue;
          ++accepted_all;
          if (next.n == N) continue;
          const auto x = std::span<const double>(plan.list_values).subspan(i * P, P);
          next.theta.insert(next.theta.end(), x.begin(), x.end());
          next.simulated.insert(next.simulated.end(), s.begin(), s.end());
          next.distance.push_back(d);
          ++next.n;
        }
        if (next.n < N)
          say("generation " + std::to_string(g) + ", batch " + std::to_string(b) + ": " +
              std::to_string(next.n) + " of " + std::to_string(N) + " particles accepted");
      }
      if (out_of_budget) {
        rep.stop_reason = "the budget of " + std::to_string(m.budget) +
                          " runs ran out during generation " + std::to_string(g) +
                          " (its proposals are discarded); the tolerance " +
                          format_number(m.tolerance) + " was not reached";
        break;
      }
      next.tolerance = g == 0 ? *std::max_element(next.distance.begin(), next.distance.end()) : eps;
      next.acceptance = static_cast<double>(accepted_all) / static_cast<double>(next.proposals);
      next.weight =
          importance_weights(setup.prior, prev ? &*prev : nullptr, kernel.get(), next.theta, P);
      if (root) write_population(population_path(o.dir, g), next, setup.key);
      cur = std::move(next);
    } else {
      rep.runs += cur->proposals * R;
    }
    rep.runs_failed += cur->failed * R;
    rep.generations = g + 1;
    const double ess = effective_sample_size(cur->weight);
    const double took = std::chrono::duration<double>(Clock::now() - tg).count();
    if (!resumed) {
      gen_seconds = took;
      gen_runs = cur->proposals * R;
    }
    // ETA: generations still needed at the last shrink rate, at most the budget.
    std::string eta;
    if (!resumed && cur->tolerance > m.tolerance && gen_runs > 0) {
      double left = m.generations - g - 1;
      const double ratio = cur->tolerance / prev_tol;
      if (g > 0 && ratio < 1.0 && ratio > 0.0)
        left = std::min(left, std::ceil(std::log(m.tolerance / cur->tolerance) / std::log(ratio)));
      const double runs_left =
          std::min(left * static_cast<double>(gen_runs), static_cast<double>(m.budget - rep.runs));
      eta = ", ETA " + seconds_text(runs_left * gen_seconds / static_cast<double>(gen_runs));
    }
    say("generation " + std::to_string(g) + (resumed ? " (resumed)" : "") + ": tolerance " +
        fixed(cur->tolerance, 4) + ", acceptance " + fixed(100.0 * cur->acceptance, 1) + "% of " +
        std::to_string(cur->proposals) + " proposals (" + std::to_string(cur->failed) +
        " failed; the first " + std::to_string(cur->n) + " accepted kept), ESS " + fixed(ess, 1) +
        ", " + std::to_string(rep.runs) + " runs, " + seconds_text(took) + eta);
    if (ess < m.min_ess)
      warn("generation " + std::to_string(g) + ": effective sample size " + fixed(ess, 1) +
           " is below the floor " + fixed(m.min_ess, 1) +
           " (method.min_ess): a few particles carry the posterior; use more particles or a "
           "larger alpha");
    if (cur->acceptance < 2.0 * m.min_acceptance && cur->acceptance >= m.min_acceptance)
      warn("generation " + std::to_string(g) + ": acceptance " + fixed(100.0 * cur->acceptance, 2) +
           "% is near the floor " + fixed(100.0 * m.min_acceptance, 2) +
           "% (method.min_acceptance)");
    prev_tol = cur->tolerance;
    prev = std::move(cur);
    if (prev->tolerance <= m.tolerance) {
      rep.converged = true;
      rep.stop_reason = "the tolerance reached " + format_number(m.tolerance);
      break;
    }
    if (prev->acceptance < m.min_acceptance) {
      rep.stop_reason = "the acceptance rate " + fixed(100.0 * prev->acceptance, 2) +
                        "% fell below method.min_acceptance " + fixed(100.0 * m.min_acceptance, 2) +
                        "% before the tolerance reached " + format_number(m.tolerance);
      break;
    }
    if (g + 1 == m.generations)
      rep.stop_reason = "the last of method.generations (" + std::to_string(m.generations) +
                        ") ended before the tolerance reached " + format_number(m.tolerance);
  }
  rep.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  if (rep.generations == 0) {
    if (o.mpi) mpi_finish();
    throw InputError(Location{setup.spec.file, 0, 0}, "method.budget",
                     "the budget ran out before the first generation had " + std::to_string(N) +
                         " particles (too many failed runs?): nothing written");
  }
  if (root) {
    OutputInfo info = calibration_output_info(setup, o);
    info.converged = rep.converged;
    info.stop_reason = rep.stop_reason;
    info.runs = rep.runs;
    info.runs_failed = rep.runs_failed;
    info.wall_seconds = rep.seconds;
    write_calibration_output(o.out, info, o.dir, rep.generations, setup.key);
  }
  if (o.mpi) mpi_finish();
  return rep;
}

}  // namespace geosim::calib
