// Benchmarks of the turn loop (Google Benchmark). See benchmarks/README.md for how to run them
// and for the figures measured on the reference machine.
//
//   step/<world>        one turn, averaged over the scenario's 36 turns (the world is reset to
//                       its initial state, untimed, every 36 turns); Time is per turn
//   run/<world>         make_world + all 36 turns, no output; Time is per run, per_turn = Time/36
//   make_world/<world>  building the initial state alone
//   simulate_h5/<world>       simulate() writing the HDF5 run file to a temp folder (baseline_12
//                             and synthetic_200)
//   geosim_run/baseline_12    load the embedded baseline YAML + simulate() to HDF5: `geosim run`
//                             minus process start and argument parsing
//   load_yaml/<world>   YAML text -> validated Scenario (load_scenario_text)
//   deflate/<library>   deflating the chunks of a 200-actor run's arrays after 36 turns (chunks of
//                       3 N x N doubles, as the run file's): zlib's compress2 at level 1
//                       (before issue 15) against deflate_chunk (ISA-L's igzip when built with it)
//
// <world> is baseline_12 (scenarios/central_asia_2022.yaml, embedded in the binary: 12 actors)
// or synthetic_N (make_synthetic_world(N, 36, kSeed)).
#include <benchmark/benchmark.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "baseline_scenario.hpp"
#include "core/rng.hpp"
#include "core/turn_pool.hpp"
#include "model/step.hpp"
#include "output/chunk_writer.hpp"
#include "scenario/load.hpp"
#include "study/run_pipeline.hpp"
#include "synthetic_world.hpp"

namespace {

using namespace geosim;
namespace fs = std::filesystem;

constexpr int kTurns = 36;
constexpr std::uint64_t kSeed = 20240501;

Scenario load_baseline() {
  return load_scenario_text(std::string(baseline_scenario_text()), std::string(kBaselineName));
}

/// Scenarios are built once and kept at a fixed address (a World points into its Scenario).
const Scenario& baseline() {
  static const Scenario sc = load_baseline();
  return sc;
}

const Scenario& synthetic(int n) {
  static std::map<int, std::unique_ptr<const Scenario>> cache;
  auto& slot = cache[n];
  if (!slot) slot = std::make_unique<const Scenario>(make_synthetic_world(n, kTurns, kSeed));
  return *slot;
}

using ScenarioFn = const Scenario& (*)();
template <int N>
const Scenario& synthetic_n() {
  return synthetic(N);
}

fs::path temp_dir() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("geosim_bench_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

void set_common_counters(benchmark::State& st, const Scenario& sc) {
  st.counters["N"] = sc.n_actors();
  st.counters["turns"] = sc.turns;
}

/// Bytes of the world's actor x actor arrays (per-channel and single, scratch included): the
/// least a turn that touches each once moves (counter state_MB of step/).
double dense_state_bytes(const World& w) {
  double cells = 0.0;
  for (const auto* list : {&w.base, &w.pulse, &w.flow, &w.dep})
    for (const Matrix& m : *list) cells += static_cast<double>(m.size());
  for (const Matrix* m :
       {&w.D, &w.D_econ, &w.D_sec, &w.D_pol, &w.B, &w.I, &w.sanction, &w.penalty, &w.penalty_left,
        &w.reexports_to, &w.reexport_potential, &w.share, &w.war, &w.inst_dep, &w.preference,
        &w.tmp_nn, &w.tmp_nn2, &w.tmp_nn3, &w.tmp_nn4})
    cells += static_cast<double>(m->size());
  return cells * sizeof(double);
}

/// A STREAM-like triad, a(i) = b(i) + s c(i) over three arrays of 64 MiB (far beyond the last
/// cache level): the machine's sustainable memory bandwidth, in the same run as the turn
/// benchmarks (bytes_per_second counts 24 bytes per element, as STREAM does). On `threads`
/// threads, each takes a contiguous block of the arrays, as the turn's row blocks do.
void bm_triad(benchmark::State& st, int threads) {
  const std::size_t n = std::size_t{1} << 23;
  std::vector<double> a(n, 0.0), b(n, 1.0), c(n, 2.0);
  const double s = 3.0;
  TurnPool pool(threads, 1);
  auto part = [&](int p) {
    const std::size_t from = n * static_cast<std::size_t>(p) / static_cast<std::size_t>(threads);
    const std::size_t to = n * static_cast<std::size_t>(p + 1) / static_cast<std::size_t>(threads);
    double* __restrict pa = a.data();
    const double* __restrict pb = b.data();
    const double* __restrict pc = c.data();
    for (std::size_t i = from; i < to; ++i) pa[i] = pb[i] + s * pc[i];
  };
  for (auto _ : st) {
    pool.run(threads, part);
    benchmark::DoNotOptimize(a.data());
    benchmark::ClobberMemory();
  }
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations()) *
                       static_cast<std::int64_t>(3 * sizeof(double) * n));
}

/// Per-turn cost: each batch runs all the scenario's turns from the initial state, so the
/// average covers the same mix of turns as a run (before and after the sanctions, etc.).
/// With threads > 1, the turns run on a pool of that many threads that splits loops from
/// `min_rows` rows (kTurnPoolMinRows as in geosim; 1 splits every loop, to measure below it).
void bm_step(benchmark::State& st, ScenarioFn get, int threads, int min_rows) {
  const Scenario& sc = get();
  const CounterRng rng(sc.seed, 0);
  std::optional<TurnPool> pool;
  if (threads > 1) pool.emplace(threads, min_rows);
  const World w0 = make_world(sc);
  World w = w0;
  while (st.KeepRunningBatch(sc.turns)) {
    st.PauseTiming();
    w = w0;
    st.ResumeTiming();
    for (int t = 0; t < sc.turns; ++t) {
      step(w, sc, rng, pool ? &*pool : nullptr);
      benchmark::ClobberMemory();
    }
    benchmark::DoNotOptimize(w.x.data());
  }
  set_common_counters(st, sc);
  st.counters["state_MB"] = dense_state_bytes(w) / 1e6;
  st.SetItemsProcessed(st.iterations());  // items = turns
  st.counters["actor_turns/s"] = benchmark::Counter(
      static_cast<double>(st.iterations()) * sc.n_actors(), benchmark::Counter::kIsRate);
}

void per_turn_counters(benchmark::State& st, const Scenario& sc) {
  set_common_counters(st, sc);
  st.SetItemsProcessed(st.iterations() * sc.turns);  // items = turns
  st.counters["per_turn"] = benchmark::Counter(
      sc.turns, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

/// A whole run without output: make_world + all turns.
void bm_run(benchmark::State& st, ScenarioFn get) {
  const Scenario& sc = get();
  const CounterRng rng(sc.seed, 0);
  for (auto _ : st) {
    World w = make_world(sc);
    for (int t = 0; t < sc.turns; ++t) step(w, sc, rng);
    benchmark::DoNotOptimize(w.x.data());
  }
  per_turn_counters(st, sc);
}

void bm_make_world(benchmark::State& st, ScenarioFn get) {
  const Scenario& sc = get();
  for (auto _ : st) {
    World w = make_world(sc);
    benchmark::DoNotOptimize(w.I.data());
  }
  set_common_counters(st, sc);
}

Provenance bench_provenance() {
  Provenance prov;
  prov.command_line = "geosim_bench_step";
  prov.scenario_file = std::string(kBaselineName);
  prov.start_time = "2024-01-01T00:00:00Z";
  prov.host = "bench";
  return prov;
}

/// simulate() with output: make_world, all turns, each recorded to HDF5, the file finished
/// (events, provenance, fsync) and renamed. The file is removed, untimed, after each run.
/// `threads`: the run's threads (RunSpan::threads, `geosim run --threads`).
void bm_simulate_h5(benchmark::State& st, ScenarioFn get, int threads) {
  const Scenario& sc = get();
  const std::string out = (temp_dir() / "simulate.h5").string();
  RunSpan span;
  span.threads = threads;
  for (auto _ : st) {
    World w = simulate(sc, 0, out, bench_provenance(), nullptr, span);
    benchmark::DoNotOptimize(w.x.data());
    st.PauseTiming();
    fs::remove(out);
    st.ResumeTiming();
  }
  per_turn_counters(st, sc);
}

/// `geosim run` minus process start and option parsing: load and validate the embedded
/// baseline YAML, then simulate() to HDF5.
void bm_geosim_run(benchmark::State& st) {
  const std::string out = (temp_dir() / "geosim_run.h5").string();
  int turns = 0, n = 0;
  for (auto _ : st) {
    const Scenario sc = load_baseline();
    World w = simulate(sc, 0, out, bench_provenance());
    benchmark::DoNotOptimize(w.x.data());
    turns = sc.turns;
    n = sc.n_actors();
    st.PauseTiming();
    fs::remove(out);
    st.ResumeTiming();
  }
  st.counters["N"] = n;
  st.counters["turns"] = turns;
}

void bm_load_baseline_yaml(benchmark::State& st) {
  const std::string text(baseline_scenario_text());
  for (auto _ : st) {
    Scenario sc = load_scenario_text(text, std::string(kBaselineName));
    benchmark::DoNotOptimize(sc.flows.data());
  }
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(text.size()));
}

/// True if two scenarios give bit-identical runs (checks that scenario_to_yaml round-trips).
bool same_run(const Scenario& a, const Scenario& b) {
  if (a.n_actors() != b.n_actors() || a.flows.size() != b.flows.size() ||
      a.timeline.size() != b.timeline.size() || a.turns != b.turns)
    return false;
  const CounterRng ra(a.seed, 0), rb(b.seed, 0);
  World wa = make_world(a), wb = make_world(b);
  for (int t = 0; t < a.turns; ++t) {
    step(wa, a, ra);
    step(wb, b, rb);
  }
  return (wa.x == wb.x).all() && (wa.I == wb.I).all() && (wa.D == wb.D).all() &&
         (wa.gdp == wb.gdp).all() && wa.log.size() == wb.log.size();
}

void bm_load_synthetic_yaml(benchmark::State& st, int n) {
  const Scenario& direct = synthetic(n);
  const std::string text = scenario_to_yaml(direct);
  if (!same_run(direct, load_scenario_text(text, "synthetic.yaml"))) {
    st.SkipWithError("scenario_to_yaml does not round-trip: the YAML gives another run");
    return;
  }
  for (auto _ : st) {
    Scenario sc = load_scenario_text(text, "synthetic.yaml");
    benchmark::DoNotOptimize(sc.flows.data());
  }
  st.SetBytesProcessed(st.iterations() * static_cast<std::int64_t>(text.size()));
  st.counters["N"] = n;
  st.counters["flows"] = static_cast<double>(direct.flows.size());
  st.counters["events"] = static_cast<double>(direct.timeline.size());
}

/// Chunks of 3 N x N doubles from the arrays of synthetic_200 after its 36 turns: every channel's
/// flow, influence, dependence and bandwidth (what most of a run file's bytes are).
const std::vector<std::vector<unsigned char>>& run_chunks() {
  static const std::vector<std::vector<unsigned char>> chunks = [] {
    const Scenario& sc = synthetic(200);
    const CounterRng rng(sc.seed, 0);
    World w = make_world(sc);
    for (int t = 0; t < sc.turns; ++t) step(w, sc, rng);
    std::vector<const Matrix*> arrays;
    for (const Matrix& f : w.flow) arrays.push_back(&f);
    for (const Matrix* m : {&w.I, &w.D, &w.B}) arrays.push_back(m);
    std::vector<std::vector<unsigned char>> out;
    for (std::size_t i = 0; i < arrays.size(); i += 3) {
      std::vector<unsigned char>& c = out.emplace_back();
      for (std::size_t j = i; j < std::min(i + 3, arrays.size()); ++j) {
        const auto* p = reinterpret_cast<const unsigned char*>(arrays[j]->data());
        c.insert(c.end(), p, p + arrays[j]->size() * sizeof(double));
      }
    }
    return out;
  }();
  return chunks;
}

void bm_deflate(benchmark::State& st, bool zlib) {
  const auto& chunks = run_chunks();
  std::int64_t raw = 0, packed = 0;
  for (auto _ : st) {
    raw = packed = 0;
    for (const auto& c : chunks) {
      raw += static_cast<std::int64_t>(c.size());
      if (zlib) {
        uLongf size = compressBound(static_cast<uLong>(c.size()));
        std::vector<unsigned char> out(size);
        compress2(out.data(), &size, c.data(), static_cast<uLong>(c.size()), 1);
        packed += static_cast<std::int64_t>(size);
      } else {
        packed += static_cast<std::int64_t>(h5::deflate_chunk(c, 1).size());
      }
    }
  }
  st.SetBytesProcessed(st.iterations() * raw);
  st.counters["ratio"] = static_cast<double>(raw) / static_cast<double>(packed);
}

template <typename F>
void each_world(const char* group, F f, benchmark::TimeUnit unit) {
  const std::pair<std::string, ScenarioFn> worlds[] = {
      {"baseline_12", &baseline},
      {"synthetic_50", &synthetic_n<50>},
      {"synthetic_200", &synthetic_n<200>},
      {"synthetic_800", &synthetic_n<800>},
  };
  for (const auto& [name, get] : worlds)
    benchmark::RegisterBenchmark((std::string(group) + "/" + name).c_str(), f, get)->Unit(unit);
}

void register_all() {
  benchmark::RegisterBenchmark("memory/triad", bm_triad, 1)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("memory/triad/threads:2", bm_triad, 2)
      ->Unit(benchmark::kMillisecond);
  each_world(
      "step", [](benchmark::State& st, ScenarioFn get) { bm_step(st, get, 1, kTurnPoolMinRows); },
      benchmark::kMicrosecond);
  // Threads within a turn as geosim runs them (loops of kTurnPoolMinRows rows or more split),
  // and at N = 50 with every loop split, below that threshold (benchmarks/README.md).
  struct Split {
    const char* name;
    ScenarioFn get;
    int threads, min_rows;
  };
  for (const Split& c :
       {Split{"step/synthetic_50/threads:2,min_rows:1", &synthetic_n<50>, 2, 1},
        Split{"step/synthetic_100", &synthetic_n<100>, 1, kTurnPoolMinRows},
        Split{"step/synthetic_100/threads:2", &synthetic_n<100>, 2, kTurnPoolMinRows},
        Split{"step/synthetic_200/threads:2", &synthetic_n<200>, 2, kTurnPoolMinRows},
        Split{"step/synthetic_800/threads:2", &synthetic_n<800>, 2, kTurnPoolMinRows}})
    benchmark::RegisterBenchmark(c.name, bm_step, c.get, c.threads, c.min_rows)
        ->Unit(benchmark::kMicrosecond);
  each_world("run", bm_run, benchmark::kMillisecond);
  each_world("make_world", bm_make_world, benchmark::kMillisecond);
  benchmark::RegisterBenchmark("simulate_h5/baseline_12", bm_simulate_h5, &baseline, 1)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("simulate_h5/synthetic_200", bm_simulate_h5, &synthetic_n<200>, 1)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("simulate_h5/synthetic_200/threads:2", bm_simulate_h5,
                               &synthetic_n<200>, 2)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("geosim_run/baseline_12", bm_geosim_run)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("load_yaml/baseline_12", bm_load_baseline_yaml)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("load_yaml/synthetic_200", bm_load_synthetic_yaml, 200)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("deflate/zlib_1", bm_deflate, true)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("deflate/geosim_1", bm_deflate, false)
      ->Unit(benchmark::kMillisecond);
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  fs::remove_all(fs::temp_directory_path() / ("geosim_bench_" + std::to_string(::getpid())), ec);
  return 0;
}
