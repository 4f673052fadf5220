// Benchmarks of the sweep machinery (Google Benchmark). See benchmarks/README.md, "Sweeps", for
// how to run them and the figures measured on the reference machine.
//
//   run/baseline_12          make_world + 36 turns of the baseline, no output: the same as
//                            geosim_bench_step's, here so that the ratio comes from one invocation
//   run_edited/baseline_12   the same on the sweep's edited scenarios (the scenario copies with
//                            each point's values are made beforehand, untimed): the simulation
//                            part of a sweep run, whose cost differs with the values; one pass
//                            over the sweep's 2 000 runs per repetition
//   sweep_run/baseline_12    evaluate_run(plan, r) for successive r on a plan made once: the
//                            per-run cost of a sweep including the Scenario copy, the
//                            ScenarioEdit applies and the metric extraction; one pass over
//                            the sweep's 2 000 runs per repetition (the runs run_edited makes)
//   paired/baseline_12       a plain run and then evaluate_run (successive sweep runs), timed
//                            one after the other in each iteration: counters run_ms,
//                            sweep_run_ms and their ratio (robust to the drift of a shared
//                            machine's speed)
//   scenario_edit/baseline_12  the Scenario copy + the 4 ScenarioEdit applies alone
//   sweep_plan/baseline_sobol  make_plan of scenarios/sweeps/baseline_sobol.sweep.yaml (loads
//                            and validates the scenario YAML: dominated by that)
//   sweep_plan/ishigami_1e5  make_plan of 10^5 ishigami runs: the design expansion and the hash
//   sweep_chunk_commit/32    SweepPackWriter::commit of 32 runs x 4 metrics: a record appended
//                            to the process's pack and fdatasync'ed
//   sweep_run/ishigami       evaluate_run of the Ishigami function (the machinery alone)
//
// The baseline sweep is benchmarks/sweep_files/baseline_2e3.sweep.yaml (2 000 Monte Carlo runs,
// 4 parameters, 4 summary metrics, no trajectories); sweep_run cycles through its runs.
// The sweep files are found in GEOSIM_BENCH_SWEEP_DIR (set by CMake to the source tree) or in
// the folder given by the environment variable GEOSIM_SWEEP_FILES.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "baseline_scenario.hpp"
#include "core/rng.hpp"
#include "model/step.hpp"
#include "output/sweep_store.hpp"
#include "scenario/load.hpp"
#include "study/run_eval.hpp"
#include "study/sweep_exec.hpp"
#include "study/sweep_plan.hpp"
#include "study/sweep_spec.hpp"

#ifndef GEOSIM_BENCH_SWEEP_DIR
#define GEOSIM_BENCH_SWEEP_DIR "benchmarks/sweep_files"
#endif
#ifndef GEOSIM_SOURCE_DIR
#define GEOSIM_SOURCE_DIR "."
#endif

namespace {

using namespace geosim;
namespace fs = std::filesystem;

std::string sweep_file(const std::string& name) {
  const char* env = std::getenv("GEOSIM_SWEEP_FILES");
  return (fs::path(env != nullptr ? env : GEOSIM_BENCH_SWEEP_DIR) / name).string();
}

/// Plans are made once and kept (evaluate_run takes the plan by reference).
const SweepPlan& baseline_plan() {
  static const SweepPlan p = make_plan(read_sweep_file(sweep_file("baseline_2e3.sweep.yaml")));
  return p;
}

const SweepPlan& ishigami_plan() {
  static const SweepPlan p = make_plan(read_sweep_file(sweep_file("ishigami_1e3.sweep.yaml")));
  return p;
}

const Scenario& baseline() {
  static const Scenario sc =
      load_scenario_text(std::string(baseline_scenario_text()), std::string(kBaselineName));
  return sc;
}

/// Runs per untimed batch of prepared scenarios in run_edited.
constexpr std::size_t kBatch = 256;

fs::path temp_dir() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("geosim_bench_sweep_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

/// A whole run without output: make_world + all turns (as in bench_step.cpp).
void bm_run(benchmark::State& st) {
  const Scenario& sc = baseline();
  const CounterRng rng(sc.seed, 0);
  for (auto _ : st) {
    World w = make_world(sc);
    for (int t = 0; t < sc.turns; ++t) step(w, sc, rng);
    benchmark::DoNotOptimize(w.x.data());
  }
  st.counters["per_turn"] = benchmark::Counter(
      sc.turns, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

/// The same runs a sweep makes (its points' values and random keys), on scenario copies made
/// beforehand (untimed, kBatch at a time): the simulation alone, without the copy, the edits
/// or the metric extraction. One pass over all the plan's runs per repetition.
void bm_run_edited(benchmark::State& st) {
  const SweepPlan& plan = baseline_plan();
  const std::size_t np = plan.n_parameters();
  std::vector<Scenario> scs;
  std::size_t r = 0;
  for (auto _ : st) {
    if (r % kBatch == 0) {
      st.PauseTiming();
      scs.clear();
      for (std::size_t i = r; i < std::min<std::size_t>(r + kBatch, plan.n_runs()); ++i) {
        Scenario sc = *plan.scenario;
        const std::vector<double> x = plan.point(plan.point_of(i));
        for (std::size_t k = 0; k < np; ++k) plan.edits[k].apply(sc, x[k]);
        scs.push_back(std::move(sc));
      }
      st.ResumeTiming();
    }
    const Scenario& sc = scs[r % kBatch];
    const CounterRng rng(plan.spec.seed, r);
    World w = make_world(sc);
    for (int t = 0; t < sc.turns; ++t) step(w, sc, rng);
    benchmark::DoNotOptimize(w.x.data());
    r = (r + 1) % plan.n_runs();
  }
}

/// The per-run cost of a sweep: evaluate_run for successive runs of a plan made once, cycling
/// through all its runs (registered with one pass over them per repetition).
void bm_sweep_run(benchmark::State& st, const SweepPlan& (*get)()) {
  const SweepPlan& plan = get();
  const std::uint64_t n = plan.n_runs();
  std::uint64_t r = 0, failed = 0;
  for (auto _ : st) {
    RunOutcome out = evaluate_run(plan, r);
    if (!out.ok) ++failed;
    benchmark::DoNotOptimize(out.metrics.data());
    r = (r + 1) % n;
  }
  if (failed > 0) st.SkipWithError("some runs failed");
  st.SetItemsProcessed(st.iterations());  // items = runs
}

/// Paired: each iteration times a plain run (as run/baseline_12) and then evaluate_run of the
/// next sweep run, so that both see the same machine state (on a shared machine the speed of
/// a core drifts by up to 30% between benchmarks a few seconds apart). Counters: the mean time
/// of each (ms) and their ratio; Time is the pair.
void bm_paired(benchmark::State& st) {
  using clock = std::chrono::steady_clock;
  const Scenario& sc = baseline();
  const SweepPlan& plan = baseline_plan();
  const CounterRng rng(sc.seed, 0);
  const std::uint64_t n = plan.n_runs();
  std::uint64_t r = 0;
  double t_run = 0.0, t_sweep = 0.0;
  for (auto _ : st) {
    const auto t0 = clock::now();
    World w = make_world(sc);
    for (int t = 0; t < sc.turns; ++t) step(w, sc, rng);
    benchmark::DoNotOptimize(w.x.data());
    const auto t1 = clock::now();
    RunOutcome out = evaluate_run(plan, r);
    benchmark::DoNotOptimize(out.metrics.data());
    const auto t2 = clock::now();
    t_run += std::chrono::duration<double>(t1 - t0).count();
    t_sweep += std::chrono::duration<double>(t2 - t1).count();
    r = (r + 1) % n;
  }
  const auto it = static_cast<double>(st.iterations());
  st.counters["run_ms"] = 1e3 * t_run / it;
  st.counters["sweep_run_ms"] = 1e3 * t_sweep / it;
  st.counters["ratio"] = t_sweep / t_run;
}

/// The Scenario copy, the point's values and the ScenarioEdit applies of one run, alone.
void bm_scenario_edit(benchmark::State& st) {
  const SweepPlan& plan = baseline_plan();
  const std::size_t np = plan.n_parameters();
  const std::uint64_t n = plan.n_runs();
  std::uint64_t r = 0;
  for (auto _ : st) {
    Scenario sc = *plan.scenario;
    const std::vector<double> x = plan.point(plan.point_of(r));
    for (std::size_t k = 0; k < np; ++k) plan.edits[k].apply(sc, x[k]);
    benchmark::DoNotOptimize(sc.actors.data());
    r = (r + 1) % n;
  }
}

void bm_sweep_plan(benchmark::State& st, std::string path) {
  const SweepSpec spec = read_sweep_file(path);
  std::uint64_t runs = 0;
  for (auto _ : st) {
    SweepPlan p = make_plan(spec);
    runs = p.n_runs();
    benchmark::DoNotOptimize(p.hash.data());
  }
  st.counters["runs"] = static_cast<double>(runs);
}

/// Committing one chunk of 32 runs (4 metrics): a record appended to this process's pack and
/// fdatasync'ed (the pack grows by about 2 KB per iteration).
void bm_chunk_commit(benchmark::State& st) {
  const SweepPlan& plan = baseline_plan();
  const SweepLayout layout = layout_of(plan);
  std::vector<SweepRunRecord> records;
  for (std::uint64_t r = 0; r < layout.chunk_count(0); ++r)
    records.push_back(evaluate_run(plan, r));
  SweepPackWriter pack((temp_dir() / "commit").string(), layout);
  for (auto _ : st) pack.commit(0, records);
  st.counters["runs"] = static_cast<double>(records.size());
}

void register_all() {
  const auto ms = benchmark::kMillisecond;
  const auto us = benchmark::kMicrosecond;
  benchmark::RegisterBenchmark("run/baseline_12", bm_run)->Unit(ms);
  // One pass over the 2 000 runs of the sweep per repetition: the runs `geosim sweep run` makes.
  const auto runs = static_cast<benchmark::IterationCount>(baseline_plan().n_runs());
  benchmark::RegisterBenchmark("run_edited/baseline_12", bm_run_edited)->Unit(ms)->Iterations(runs);
  benchmark::RegisterBenchmark("sweep_run/baseline_12", bm_sweep_run, &baseline_plan)
      ->Unit(ms)
      ->Iterations(runs);
  benchmark::RegisterBenchmark("paired/baseline_12", bm_paired)->Unit(ms);
  benchmark::RegisterBenchmark("scenario_edit/baseline_12", bm_scenario_edit)->Unit(us);
  benchmark::RegisterBenchmark(
      "sweep_plan/baseline_sobol", bm_sweep_plan,
      std::string(GEOSIM_SOURCE_DIR) + "/scenarios/sweeps/baseline_sobol.sweep.yaml")
      ->Unit(ms);
  benchmark::RegisterBenchmark("sweep_plan/ishigami_1e5", bm_sweep_plan,
                               sweep_file("ishigami_1e5.sweep.yaml"))
      ->Unit(ms);
  benchmark::RegisterBenchmark("sweep_chunk_commit/32", bm_chunk_commit)->Unit(ms);
  benchmark::RegisterBenchmark("sweep_run/ishigami", bm_sweep_run, &ishigami_plan)->Unit(us);
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  fs::remove_all(temp_dir(), ec);
  return 0;
}
