// `geosim sweep plan | run | status | merge | analyze` (docs/sweeps.md).
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

#include "app/cli_support.hpp"
#include "app/commands.hpp"
#include "app/sweep_analyze.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/text.hpp"
#include "study/sweep_estimate.hpp"
#include "study/sweep_exec.hpp"
#include "study/sweep_mpi.hpp"

namespace geosim::cli {

namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

const Location kCli{"<command line>", 0, 0};

std::string default_dir(const SweepSpec& s) {
  return s.name + ".sweep";
}

/// "I/K" or the Slurm array variables: this task's share of the chunks.
std::pair<std::uint64_t, std::uint64_t> shard_of(const po::variables_map& vm) {
  std::string text;
  if (vm.count("shard")) {
    text = vm["shard"].as<std::string>();
    const auto slash = text.find('/');
    if (slash == std::string::npos)
      throw InputError(kCli, "--shard",
                       "expected I/K (shard I of K, 0 <= I < K), got '" + text + "'");
    const auto i = flag_number("--shard", text.substr(0, slash), 1u << 30);
    const auto k = flag_number("--shard", text.substr(slash + 1), 1u << 30);
    if (k == 0 || i >= k)
      throw InputError(kCli, "--shard", "expected I/K with 0 <= I < K, got '" + text + "'");
    return {i, k};
  }
  const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
  const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
  if (id == nullptr || count == nullptr) return {0, 1};
  const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
  const auto i = flag_number("SLURM_ARRAY_TASK_ID", id, 1u << 30);
  const auto lo = min ? flag_number("SLURM_ARRAY_TASK_MIN", min, 1u << 30) : 0;
  const auto k = flag_number("SLURM_ARRAY_TASK_COUNT", count, 1u << 30);
  if (k == 0 || i < lo || i - lo >= k)
    throw InputError(kCli, "SLURM_ARRAY_TASK_ID",
                     "task " + std::string(id) + " is outside the array (min " +
                         std::to_string(lo) + ", count " + std::string(count) + ")");
  return {i - lo, k};
}

void print_plan(const SweepPlan& p, const std::string& dir, std::size_t show) {
  const SweepSpec& s = p.spec;
  std::cout << "sweep '" << s.name << "': design " << kDesignNames[static_cast<int>(s.design)]
            << ", " << count_of(p.n_points, "point") << " x " << count_of(s.replicates, "replicate")
            << " = " << count_of(p.n_runs(), "run") << " in " << count_of(p.n_chunks(), "chunk")
            << " of " << s.chunk << "\n"
            << "  model:      "
            << (p.scenario
                    ? "scenario " + p.scenario->name + " (" + s.scenario + ")"
                    : std::string(kSweepModelNames[static_cast<int>(s.model)]) + " test function")
            << "\n  seed:       " << s.seed << " (run r uses the random key (seed, r))\n"
            << "  plan hash:  " << p.hash << "\n  folder:     " << dir << "\n  parameters:";
  for (std::size_t k = 0; k < s.parameters.size(); ++k)
    std::cout << (k ? ", " : " ") << s.parameters[k].name << " = " << s.parameters[k].path
              << (p.edits.empty() || p.edits[k].unit().empty() ? ""
                                                               : " [" + p.edits[k].unit() + "]");
  std::cout << "\n  outputs:   ";
  for (std::size_t m = 0; m < p.metrics.size(); ++m)
    std::cout << (m ? ", " : " ") << p.metrics[m].name;
  std::cout << "\n";
  if (show == 0) return;
  std::cout << "run  point  replicate";
  for (const auto& q : s.parameters) std::cout << "  " << q.name;
  std::cout << "\n";
  for (std::uint64_t r = 0; r < p.n_runs() && r < show; ++r) {
    std::cout << r << "  " << p.point_of(r) << "  " << p.replicate_of(r);
    for (const double x : p.point(p.point_of(r))) std::cout << "  " << std::setprecision(10) << x;
    std::cout << "\n";
  }
}

/// `sweep plan --estimate`'s lines: the sample's time per run scaled to the sweep, the disk and
/// memory it will take, and a Slurm array (`tasks` tasks of `jobs` threads; 0: about an hour
/// each).
std::string format_estimate(const SweepEstimate& e, const SweepLayout& l, int jobs,
                            std::uint64_t tasks) {
  std::ostringstream out;
  char buf[256];
  const double cpu = e.seconds_mean * static_cast<double>(l.n_runs);
  out << "estimate, from " << count_of(e.sample, "run") << " timed here (spread over the plan"
      << (e.sample_failed > 0 ? "; " + std::to_string(e.sample_failed) + " failed" : "")
      << "; another machine, or other parameter values, may be slower):\n";
  std::snprintf(buf, sizeof buf, "  time per run: %.3g ms on average, %.3g ms at most\n",
                1e3 * e.seconds_mean, 1e3 * e.seconds_max);
  out << buf;
  out << "  all " << l.n_runs << " runs: about " << duration_text(cpu) << " on one thread, "
      << duration_text(cpu / jobs) << " with --jobs " << jobs
      << " (threads share the cores: no faster than the cores allow)\n";
  out << "  disk:   the sweep folder's packs about "
      << bytes_text(static_cast<double>(e.pack_bytes)) << ", the merged file at most "
      << bytes_text(static_cast<double>(e.merged_bytes))
      << " (compressed: less); files: plan.h5, one pack per process, the merged file\n";
  std::snprintf(buf, sizeof buf,
                "  memory: about %.0f MB per process (the peak of this one over the sample), "
                "a little more per extra thread\n",
                e.peak_rss_mb);
  out << buf;
  // Slurm: tasks of about an hour unless given; never more tasks than chunks.
  const std::uint64_t chunks = l.n_chunks();
  std::uint64_t k = tasks;
  if (k == 0) k = static_cast<std::uint64_t>(std::ceil(cpu / jobs / 3600.0));
  k = std::clamp<std::uint64_t>(k, 1, std::max<std::uint64_t>(chunks, 1));
  const double per_task = cpu / jobs / static_cast<double>(k);
  const double limit = std::max(300.0, 1.5 * per_task);  // a margin, and at least 5 minutes
  const auto minutes = static_cast<long long>(std::ceil(limit / 60.0));
  std::snprintf(buf, sizeof buf,
                "  Slurm:  --array=0-%llu (%llu task%s of about %llu chunks each), "
                "--cpus-per-task=%d, each about %s: ask for --time=%02lld:%02lld:00 (1.5x, at "
                "least 5 min)\n",
                static_cast<unsigned long long>(k - 1), static_cast<unsigned long long>(k),
                k == 1 ? "" : "s", static_cast<unsigned long long>((chunks + k - 1) / k), jobs,
                duration_text(per_task).c_str(), minutes / 60, minutes % 60);
  out << buf;
  return out.str();
}

int cmd_plan(const std::vector<std::string>& args) {
  po::options_description opts("Options of `geosim sweep plan`");
  opts.add_options()("help,h", "this help")("sweep", po::value<std::string>()->required(),
                                            "sweep file (YAML, docs/sweeps.md)")(
      "dir,d", po::value<std::string>(), "sweep folder (default NAME.sweep)")(
      "show", po::value<std::string>()->default_value("0"),
      "print the first N rows of the run table")(
      "estimate",
      "time a sample of the sweep's runs here and print what the sweep will cost: "
      "time, disk, memory, and for Slurm the array size and time per task")(
      "sample", po::value<std::string>()->default_value("8"),
      "with --estimate: the runs to time (spread over the plan)")(
      "jobs,j", po::value<std::string>()->default_value("1"),
      "with --estimate: the threads each process will run (sweep run --jobs)")(
      "tasks", po::value<std::string>(),
      "with --estimate: the Slurm array tasks (default: tasks of about an hour)");
  po::positional_options_description pos;
  pos.add("sweep", 1);
  po::variables_map vm;
  if (!parse(args, opts, pos, vm,
             "Usage: geosim sweep plan SWEEP.yaml [-d DIR] [--show N] [--estimate [--sample N] "
             "[--jobs J] [--tasks K]]"))
    return kExitOk;
  for (const char* flag : {"sample", "jobs", "tasks"})
    if (vm.count(flag) && !vm[flag].defaulted() && !vm.count("estimate"))
      throw InputError(Location{"<command line>", 0, 0}, std::string("--") + flag,
                       "only with --estimate (sweep plan runs nothing otherwise)");
  const std::uint64_t sample = flag_number("--sample", vm["sample"].as<std::string>(), 100000);
  if (sample == 0)
    throw InputError(
        Location{"<command line>", 0, 0}, "--sample",
        "expected a whole number from 1 to 100000, got '" + vm["sample"].as<std::string>() + "'");
  const auto jobs = static_cast<int>(flag_number("--jobs", vm["jobs"].as<std::string>(), 256));
  if (jobs < 1)
    throw InputError(
        Location{"<command line>", 0, 0}, "--jobs",
        "expected a whole number from 1 to 256, got '" + vm["jobs"].as<std::string>() + "'");
  std::uint64_t tasks = 0;
  if (vm.count("tasks")) {
    tasks = flag_number("--tasks", vm["tasks"].as<std::string>(), 1000000);
    if (tasks == 0)
      throw InputError(
          Location{"<command line>", 0, 0}, "--tasks",
          "expected a whole number from 1 to 1000000, got '" + vm["tasks"].as<std::string>() + "'");
  }
  const SweepSpec spec = read_sweep_file(vm["sweep"].as<std::string>());
  const SweepPlan plan = make_plan(spec);
  if (plan.scenario) print_warnings(*plan.scenario);  // null for a test model (ishigami)
  const std::string dir = vm.count("dir") ? vm["dir"].as<std::string>() : default_dir(spec);
  check_work_folder(dir);
  const bool wrote = write_plan_file(plan, layout_of(plan), dir);
  print_plan(plan, dir, flag_number("--show", vm["show"].as<std::string>(), 1u << 30));
  std::cout << (wrote ? "wrote " : "kept the same plan in ") << dir << "/plan.h5\n";
  if (vm.count("estimate"))
    std::cout << format_estimate(estimate_sweep(plan, layout_of(plan), sample), layout_of(plan),
                                 jobs, tasks);
  return kExitOk;
}

/// What a sweep's merged file must not replace: the sweep folder (plan and chunks), the sweep
/// file, its design list and its scenario's files.
std::vector<Input> sweep_inputs(const std::string& dir, const SweepSpec* spec,
                                const Scenario* scenario) {
  std::vector<Input> in{{dir, "inside the sweep folder " + dir, true}};
  if (spec != nullptr) {
    in.push_back({spec->file, "the sweep file itself"});
    in.push_back({spec->list_file, "the design's list file"});
  }
  if (scenario != nullptr)
    for (Input& s : scenario_inputs(*scenario)) in.push_back(std::move(s));
  return in;
}

int merge_into(const std::string& dir, const SweepLayout& layout, const std::string& out,
               const std::vector<Input>& inputs, bool allow_missing, bool force, bool quiet) {
  if (const int code = check_output(out, inputs, force); code >= 0) return code;
  // A merge of many runs takes a while: a bar on a terminal, a line every 30 s in a log, but
  // no line for a merge done at once (the summary below says it).
  ProgressMeter meter("runs", layout.n_runs, progress_style(quiet));
  meter.set_label("merge");
  const MergeCounts c = merge_sweep(dir, layout, out, allow_missing,
                                    [&meter](std::uint64_t done, std::uint64_t total) {
                                      if (done < total) meter.update(done);
                                    });
  meter.finish();
  // With --allow-missing, torn or damaged records are merged as missing runs: say which (as
  // `run` and `status` do, every one).
  if (!quiet)
    for (const auto& note : c.notes) std::cerr << "geosim: warning: " << note << "\n";
  if (!quiet)
    std::cerr << "geosim: merged " << count_of(layout.n_runs, "run") << " into " << out << ": "
              << c.ok << " ok, " << c.failed << " failed, " << c.missing << " missing\n";
  return kExitOk;
}

int cmd_run(const std::vector<std::string>& args) {
  po::options_description opts("Options of `geosim sweep run`");
  opts.add_options()("help,h", "this help")("sweep", po::value<std::string>()->required(),
                                            "sweep file (YAML, docs/sweeps.md)")(
      "dir,d", po::value<std::string>(),
      "sweep folder: plan and committed chunks (default NAME.sweep)")(
      "output,o", po::value<std::string>(), "merged sweep file (default NAME_sweep.h5)")(
      "jobs,j", po::value<std::string>()->default_value("1"), "worker threads")(
      "shard", po::value<std::string>(),
      "I/K: run only chunks c with c % K == I (default: SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN "
      "/ SLURM_ARRAY_TASK_COUNT when set, else all); a shard does not merge")(
      "mpi", "run under mpirun: ranks share the chunks dynamically; rank 0 merges")(
      "no-merge", "do not merge at the end")("force", "replace the merged file if it exists")(
      "quiet,q", "no progress messages");
  po::positional_options_description pos;
  pos.add("sweep", 1);
  po::variables_map vm;
  if (!parse(args, opts, pos, vm,
             "Usage: geosim sweep run SWEEP.yaml [-d DIR] [-o OUT.h5] [--jobs J] [--shard I/K | "
             "--mpi] [--no-merge]"))
    return kExitOk;
  // First: a stop signal while the plan is made must stop cleanly too (exit 4).
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGUSR1, on_stop_signal);
  const bool quiet = vm.count("quiet") > 0;
  const int jobs = static_cast<int>(flag_number("--jobs", vm["jobs"].as<std::string>(), 1024));
  if (jobs < 1) throw InputError(kCli, "--jobs", "expected at least 1 worker thread");
  const SweepSpec spec = read_sweep_file(vm["sweep"].as<std::string>());
  const std::string dir = vm.count("dir") ? vm["dir"].as<std::string>() : default_dir(spec);
  const std::string out =
      vm.count("output") ? vm["output"].as<std::string>() : default_output(spec.name + "_sweep");
  const bool mpi = vm.count("mpi") > 0;
  if (mpi && vm.count("shard"))
    throw InputError(kCli, "--mpi", "use either --mpi or --shard, not both");
  const auto [shard, shards] = mpi ? std::pair<std::uint64_t, std::uint64_t>{0, 1} : shard_of(vm);
  const bool merge = vm.count("no-merge") == 0 && shards == 1;
  check_work_folder(dir);
  const SweepPlan plan = make_plan(spec);
  const std::vector<Input> inputs = sweep_inputs(dir, &spec, plan.scenario.get());
  // Before hours of work, not after (and again when merging).
  if (merge)
    if (const int code = check_output(out, inputs, vm.count("force") > 0, !mpi); code >= 0)
      return code;
  const SweepLayout layout = layout_of(plan);
  (void)write_plan_file(plan, layout, dir);
  if (g_stop != 0) {
    std::cerr << "geosim: interrupted before the first run; run the same command again\n";
    return kExitInterrupted;
  }

  ExecOptions o;
  o.jobs = jobs;
  o.stop = &g_stop;
  // Runs done: a bar redrawn on a terminal, a line every 30 s in a log (core/progress.hpp).
  std::optional<ProgressMeter> meter;
  if (!quiet) {
    // MPI ranks report each chunk through `progress`: in a log that is a line per chunk, so
    // there only on a terminal.
    if (!mpi || isatty(STDERR_FILENO))
      o.progress = [](const std::string& line) { std::cerr << "geosim: " << line << "\n"; };
    o.runs_done = [&meter, style = progress_style(quiet)](std::uint64_t done, std::uint64_t total) {
      if (!meter) meter.emplace("runs", total, style);
      meter->update(done);
    };
  }
  if (!quiet)
    o.warn = [](const std::string& note) {
      std::cerr << "geosim: warning: " << note << "; a chunk not found whole runs again\n";
    };
  for (std::uint64_t c = shard; c < plan.n_chunks(); c += shards) o.chunks.push_back(c);
  if (!quiet && shard == 0 && plan.scenario) print_warnings(*plan.scenario);
  if (!quiet)
    std::cerr << "geosim: sweep '" << spec.name << "': " << count_of(plan.n_runs(), "run") << " in "
              << count_of(plan.n_chunks(), "chunk")
              << (shards > 1 ? ", shard " + std::to_string(shard) + "/" + std::to_string(shards) +
                                   ": " + count_of(o.chunks.size(), "chunk")
                             : "")
              << (mpi ? ", MPI ranks" : ", " + count_of(static_cast<std::uint64_t>(jobs), "thread"))
              << ", folder " << dir << "\n";
  const ExecReport rep =
      mpi ? run_chunks_mpi(plan, layout, dir, o) : run_chunks(plan, layout, dir, o);
  if (meter) meter->finish();
  if (!rep.is_root) return rep.interrupted ? kExitInterrupted : kExitOk;
  if (!quiet)
    std::cerr << "geosim: " << count_of(rep.chunks_run, "chunk") << " run ("
              << count_of(rep.runs, "run") << ", " << rep.runs_failed << " failed) in "
              << std::fixed << std::setprecision(1) << rep.seconds << " s; " << rep.chunks_skipped
              << (rep.chunks_skipped == 1 ? " was" : " were") << " already done\n";
  if (rep.interrupted) {
    std::cerr << "geosim: interrupted; committed chunks are kept: run the same command again to "
                 "resume\n";
    return kExitInterrupted;
  }
  if (!merge) {
    if (!quiet)
      std::cerr << "geosim: when every shard is done: geosim sweep merge " << dir << " -o " << out
                << "\n";
    return kExitOk;
  }
  return merge_into(dir, layout, out, inputs, false, vm.count("force") > 0, quiet);
}

/// `sweep status`'s lines on time: the share done, the last commit (the newest pack's time),
/// the average rate since the plan file was written and the time left at that rate, and the
/// temporary files a killed process may have left.
std::string status_timing(const std::string& dir, const SweepChunks& committed,
                          std::uint64_t n_runs, std::uint64_t done) {
  using FileClock = fs::file_time_type::clock;
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << "  done:   "
      << (n_runs > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(n_runs) : 100.0)
      << "% of the runs\n";
  std::error_code ec;
  const auto plan_time = fs::last_write_time(fs::path(dir) / "plan.h5", ec);
  std::optional<fs::file_time_type> last;
  for (const auto& p : committed.pack_paths()) {
    const auto t = fs::last_write_time(p, ec);
    if (!ec && (!last || t > *last)) last = t;
  }
  const auto now = FileClock::now();
  const auto clock_text = [&](fs::file_time_type t) {
    const auto sys = std::chrono::system_clock::now() +
                     std::chrono::duration_cast<std::chrono::system_clock::duration>(t - now);
    const std::time_t tt = std::chrono::system_clock::to_time_t(sys);
    std::tm tm{};
    char buf[32] = "?";
    if (localtime_r(&tt, &tm) != nullptr) std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return std::string(buf);
  };
  const auto seconds = [](fs::file_time_type::duration d) {
    return std::chrono::duration<double>(d).count();
  };
  if (last && done > 0) {
    out << "  last commit: " << clock_text(*last) << " (" << duration_text(seconds(now - *last))
        << " ago)\n";
    const double span = seconds(*last - plan_time);
    if (span > 0) {
      const double rate = static_cast<double>(done) / span;
      out << std::setprecision(3) << std::defaultfloat << "  rate:   " << rate
          << " runs/s on average since the plan was written (" << clock_text(plan_time)
          << "; pauses count)";
      if (done < n_runs)
        out << "; " << n_runs - done << " runs to go: about "
            << duration_text(static_cast<double>(n_runs - done) / rate) << " at that rate";
      out << "\n";
    }
  } else {
    out << "  last commit: none yet\n";
  }
  // Temporary files: a process writing them was killed (or is still writing).
  std::vector<std::string> temps;
  for (auto it =
           fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::end(it); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const bool temp = name.find(".tmp.") != std::string::npos ||
                      (name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0);
    if (temp && it->is_regular_file(ec)) temps.push_back(it->path().string());
  }
  if (!temps.empty()) {
    std::sort(temps.begin(), temps.end());
    out << "  temporary files: " << temps.size()
        << " (left by a process that was killed, or being written now; safe to remove when "
           "no geosim runs on this folder):";
    for (std::size_t i = 0; i < std::min<std::size_t>(3, temps.size()); ++i) out << " " << temps[i];
    out << (temps.size() > 3 ? " ...\n" : "\n");
  }
  return out.str();
}

int cmd_status(const std::vector<std::string>& args) {
  po::options_description opts("Options of `geosim sweep status`");
  opts.add_options()("help,h", "this help")("dir", po::value<std::string>()->required(),
                                            "sweep folder");
  po::positional_options_description pos;
  pos.add("dir", 1);
  po::variables_map vm;
  if (!parse(args, opts, pos, vm, "Usage: geosim sweep status DIR")) return kExitOk;
  const std::string dir = vm["dir"].as<std::string>();
  const SweepLayout l = read_sweep_plan((fs::path(dir) / "plan.h5").string());
  const auto R = static_cast<std::uint64_t>(l.replicates);
  std::uint64_t chunks_done = 0, ok = 0, failed = 0;
  // Per point, counted as the runs come: a point's runs are consecutive and the chunks are
  // read in order, so one point is open at a time (no table as large as the sweep).
  std::uint64_t complete = 0, complete_failing = 0, partial = 0;
  std::uint64_t open_point = 0, open_runs = 0, open_failed = 0;
  const auto close_point = [&] {
    if (open_runs == R)
      ++(open_failed > 0 ? complete_failing : complete);
    else if (open_runs > 0)
      ++partial;
    open_runs = open_failed = 0;
  };
  std::vector<std::string> first_errors;
  const SweepChunks committed(dir, l);
  for (std::uint64_t c = 0; c < l.n_chunks(); ++c) {
    const auto rec = committed.read(c);
    if (!rec) continue;
    ++chunks_done;
    for (const auto& x : *rec) {
      if (x.run_id / R != open_point) {
        close_point();
        open_point = x.run_id / R;
      }
      ++open_runs;
      if (x.ok) {
        ++ok;
      } else {
        ++failed;
        ++open_failed;
        if (first_errors.size() < 5)
          first_errors.push_back("run " + std::to_string(x.run_id) + ": " + x.message);
      }
    }
  }
  close_point();
  const std::uint64_t untouched = l.n_points - complete - complete_failing - partial;
  const std::uint64_t missing = l.n_runs - ok - failed;
  std::cout << "sweep '" << l.name << "' (plan " << l.plan_hash << ") in " << dir << "\n"
            << "  runs:   " << l.n_runs << " in all: " << ok << " done, " << failed << " failed, "
            << missing << " missing\n"
            << "  chunks: " << chunks_done << " of " << l.n_chunks() << " committed, in "
            << count_of(committed.packs(), "pack file") << "\n"
            << "  points: " << l.n_points << " in all: " << complete << " complete, "
            << complete_failing << " complete with failed runs, " << partial << " partly run, "
            << untouched << " not yet\n";
  std::cout << status_timing(dir, committed, l.n_runs, ok + failed);
  for (const auto& e : first_errors) std::cout << "  failed " << e << "\n";
  // Damaged or torn records: their chunks count as not committed, and run again.
  for (const auto& n : committed.notes()) std::cout << "  note: " << n << "\n";
  return kExitOk;
}

int cmd_merge(const std::vector<std::string>& args) {
  po::options_description opts("Options of `geosim sweep merge`");
  opts.add_options()("help,h", "this help")("dir", po::value<std::string>()->required(),
                                            "sweep folder")(
      "output,o", po::value<std::string>(), "merged sweep file (default NAME_sweep.h5)")(
      "allow-missing", "merge a sweep that is not finished: missing runs get status 2, NaN")(
      "force", "replace the merged file if it exists")("quiet,q", "no messages");
  po::positional_options_description pos;
  pos.add("dir", 1);
  po::variables_map vm;
  if (!parse(args, opts, pos, vm,
             "Usage: geosim sweep merge DIR [-o OUT.h5] [--allow-missing] [--force]"))
    return kExitOk;
  const std::string dir = vm["dir"].as<std::string>();
  const SweepLayout l = read_sweep_plan((fs::path(dir) / "plan.h5").string());
  const std::string out =
      vm.count("output") ? vm["output"].as<std::string>() : default_output(l.name + "_sweep");
  return merge_into(dir, l, out, sweep_inputs(dir, nullptr, nullptr), vm.count("allow-missing") > 0,
                    vm.count("force") > 0, vm.count("quiet") > 0);
}

}  // namespace

int cmd_sweep(const std::vector<std::string>& args) {
  const std::vector<std::string> subs = {"plan", "run", "status", "merge", "analyze"};
  if (args.empty() || args[0] == "-h" || args[0] == "--help") {
    (args.empty() ? std::cerr : std::cout)
        << "Usage: geosim sweep COMMAND ...\n\n"
           "  plan SWEEP.yaml      expand the sweep into its run table (DIR/plan.h5)\n"
           "  run SWEEP.yaml       run it (threads, a Slurm array shard, or MPI ranks), "
           "resuming\n"
           "  status DIR           done, failed and missing runs, per point\n"
           "  merge DIR            one sweep file from the committed chunks\n"
           "  analyze OUT.h5       Sobol' or Morris indices of every metric\n\n"
           "Exit codes: 0 ok, 1 internal error, 2 bad input, 3 the output exists (--force), 4 "
           "interrupted\n(SIGINT, SIGTERM, SIGUSR1: committed chunks are kept; run again to "
           "resume), 5 an output could not be written (disk full). See docs/sweeps.md.\n";
    return args.empty() ? kExitBadInput : kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "plan") return cmd_plan(rest);
  if (args[0] == "run") return cmd_run(rest);
  if (args[0] == "status") return cmd_status(rest);
  if (args[0] == "merge") return cmd_merge(rest);
  if (args[0] == "analyze") return cmd_sweep_analyze(rest);
  std::cerr << "geosim: error: unknown sweep command '" << args[0] << "'"
            << did_you_mean(args[0], subs) << "; see `geosim sweep --help`\n";
  return kExitBadInput;
}

}  // namespace geosim::cli
