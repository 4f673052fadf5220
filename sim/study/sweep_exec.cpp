#include "study/sweep_exec.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>

#include "core/text.hpp"
#include "output/run_schema.hpp"
#include "output/temp_file.hpp"
#include "study/run_eval.hpp"

namespace geosim {

SweepLayout layout_of(const SweepPlan& plan) {
  SweepLayout l;
  const SweepSpec& s = plan.spec;
  l.name = s.name;
  l.description = s.description;
  l.plan_hash = plan.hash;
  l.sweep_yaml = s.resolved_yaml;
  l.model = kSweepModelNames[static_cast<int>(s.model)];
  l.design = kDesignNames[static_cast<int>(s.design)];
  if (plan.scenario) {
    l.scenario_name = plan.scenario->name;
    l.scenario_hash = fnv1a_hex(plan.scenario->resolved_yaml);
    l.scenario_yaml = plan.scenario->resolved_yaml;
  }
  l.seed = s.seed;
  l.n_runs = plan.n_runs();
  l.n_points = plan.n_points;
  l.design_n = s.n;
  l.replicates = s.replicates;
  l.chunk = s.chunk;
  l.morris_levels = s.design == DesignKind::morris ? s.morris_levels : 0;
  for (std::size_t k = 0; k < s.parameters.size(); ++k) {
    l.parameters.push_back(s.parameters[k].name);
    l.parameter_paths.push_back(s.parameters[k].path);
    // A dimensionless field has no unit in the scenario; CF and udunits spell it "1".
    const std::string unit = plan.edits.empty() ? "" : plan.edits[k].unit();
    l.parameter_units.push_back(unit.empty() ? "1" : unit);
  }
  for (const auto& m : plan.metrics) {
    l.metrics.push_back(m.name);
    l.metric_units.push_back(m.units);
    l.metric_long_names.push_back(m.long_name);
  }
  for (const auto& t : plan.trajectories)
    l.trajectories.push_back({t.name, t.units, t.long_name, t.dim_names, t.dim_labels, t.cells});
  l.trajectory_turns = plan.trajectory_turns;
  for (int t : plan.trajectory_turns)
    l.trajectory_dates.push_back(plan.scenario->date_of_turn(t).str());
  if (!plan.trajectories.empty())
    for (const auto& a : plan.scenario->actors) l.actor_names.push_back(a.name);
  return l;
}

bool write_plan_file(const SweepPlan& plan, const SweepLayout& layout, const std::string& dir) {
  // Temporary files of processes of this host that were killed while writing the plan: nothing
  // will rename them any more.
  (void)remove_stale_temps((std::filesystem::path(dir) / "").string());
  return write_sweep_plan((std::filesystem::path(dir) / "plan.h5").string(), layout,
                          [&plan](std::uint64_t first, std::size_t count, std::span<double> out) {
                            plan.points(static_cast<std::size_t>(first), count, out);
                          });
}

PendingChunks pending_chunks(const SweepLayout& layout, const std::string& dir,
                             const std::vector<std::uint64_t>& chunks,
                             const std::function<void(const std::string&)>& warn) {
  const SweepChunks committed(dir, layout);
  PendingChunks p;
  for (std::uint64_t c : chunks) {
    // Only this process's chunks are read whole (to check them): the others' headers suffice.
    if (committed.has(c) && committed.verify(c))
      ++p.skipped;
    else
      p.todo.push_back(c);
  }
  if (warn)
    for (const auto& note : committed.notes()) warn(note);
  return p;
}

bool run_one_chunk(const SweepPlan& plan, const SweepLayout& layout, SweepPackWriter& out,
                   std::uint64_t chunk, const volatile std::sig_atomic_t* stop,
                   std::uint64_t& failed, const std::function<void()>& between_runs) {
  const std::uint64_t first = layout.chunk_first(chunk), count = layout.chunk_count(chunk);
  if (count == 0) throw std::out_of_range("run_one_chunk: chunk " + std::to_string(chunk));
  // The values of the chunk's points, computed once (the plan holds no design values).
  const std::size_t np = plan.n_parameters(), p0 = plan.point_of(first);
  std::vector<double> values((plan.point_of(first + count - 1) - p0 + 1) * np);
  plan.points(p0, values.size() / std::max<std::size_t>(np, 1), values);
  std::vector<SweepRunRecord> records;
  records.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    if (stop != nullptr && *stop != 0) return false;
    const std::size_t p = plan.point_of(first + i) - p0;
    records.push_back(
        evaluate_run(plan, first + i, std::span<const double>(values).subspan(p * np, np)));
    if (!records.back().ok) ++failed;
    if (between_runs) between_runs();
  }
  out.commit(chunk, records);
  return true;
}

ExecReport run_chunks(const SweepPlan& plan, const SweepLayout& layout, const std::string& dir,
                      const ExecOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  ExecReport report;
  PendingChunks pending = pending_chunks(layout, dir, o.chunks, o.warn);
  const std::vector<std::uint64_t>& todo = pending.todo;
  report.chunks_skipped = pending.skipped;
  SweepPackWriter pack(dir, layout);
  std::uint64_t total_runs = 0;
  for (std::uint64_t c : todo) total_runs += layout.chunk_count(c);
  if (o.progress && report.chunks_skipped > 0)
    o.progress(count_of(report.chunks_skipped, "chunk") + " already done, " +
               std::to_string(todo.size()) + " to run");
  if (o.runs_done) o.runs_done(0, total_runs);  // the clock of the rate starts here
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> done_runs{0}, failed{0}, chunks_run{0};
  std::atomic<bool> interrupted{false};
  std::mutex progress_lock;
  std::exception_ptr error;
  const auto worker = [&] {
    try {
      for (std::size_t i = next++; i < todo.size() && !interrupted; i = next++) {
        std::uint64_t f = 0;
        if (!run_one_chunk(plan, layout, pack, todo[i], o.stop, f)) {
          interrupted = true;
          break;
        }
        failed += f;
        ++chunks_run;
        const std::uint64_t runs = done_runs += layout.chunk_count(todo[i]);
        if (o.runs_done) {
          const std::lock_guard<std::mutex> lock(progress_lock);
          o.runs_done(runs, total_runs);
        }
      }
    } catch (...) {
      const std::lock_guard<std::mutex> lock(progress_lock);
      if (!error) error = std::current_exception();
      interrupted = true;
    }
  };
  const int jobs =
      std::max(1, std::min<int>(o.jobs, static_cast<int>(std::max<std::size_t>(1, todo.size()))));
  std::vector<std::thread> pool;
  for (int j = 1; j < jobs; ++j) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  report.chunks_run = chunks_run;
  report.runs = done_runs;
  report.runs_failed = failed;
  report.interrupted = interrupted;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return report;
}

}  // namespace geosim
