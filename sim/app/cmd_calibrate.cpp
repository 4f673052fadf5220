// `geosim calibrate CALIB.yaml` and `geosim calibrate export CALIB.h5` (docs/calibration.md).
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "app/cli_support.hpp"
#include "app/commands.hpp"
#include "calib/calib_estimate.hpp"
#include "calib/calib_spec.hpp"
#include "calib/calibrate.hpp"
#include "calib/posterior_overlay.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/text.hpp"
#include "output/calibration_store.hpp"
#include "output/temp_file.hpp"
#include "scenario/load.hpp"
#include "study/sweep_mpi.hpp"

namespace geosim::cli {

namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

const Location kCli{"<command line>", 0, 0};

/// `calibrate --estimate`'s lines: the sample's time per run scaled to generation 0 and to the
/// budget (which bounds the later generations, whose runs no sample can tell), disk, memory,
/// and the time a Slurm job should ask for.
std::string format_calibration_estimate(const calib::CalibEstimate& e,
                                        const calib::CalibSetup& setup, int jobs) {
  const auto& m = setup.spec.method;
  const auto& s = e.sample;
  std::ostringstream out;
  char buf[320];
  const auto cost = [&](std::uint64_t runs) {
    const double cpu = s.seconds_mean * static_cast<double>(runs);
    return "about " + duration_text(cpu) + " on one thread, " + duration_text(cpu / jobs) +
           " with --jobs " + std::to_string(jobs);
  };
  out << "estimate, from " << count_of(s.sample, "run") << " timed here at parameter values drawn "
      << "from the prior"
      << (s.sample_failed > 0 ? " (" + std::to_string(s.sample_failed) + " failed)" : "")
      << " (another machine, or the values later generations propose, may be slower):\n";
  std::snprintf(buf, sizeof buf, "  time per run: %.3g ms on average, %.3g ms at most\n",
                1e3 * s.seconds_mean, 1e3 * s.seconds_max);
  out << buf;
  if (m.kind == CalibMethod::nelder_mead) {
    // One evaluation at a time in this process: no threads, no work folder.
    const auto serial = [&](std::uint64_t runs) {
      return "about " + duration_text(s.seconds_mean * static_cast<double>(runs));
    };
    out << "  nelder-mead: " << count_of(e.first_generation, "run") << " for the first simplex; "
        << "then about " << count_of(e.typical, "run") << " in all without shrinks ("
        << serial(e.typical) << "), at most " << count_of(e.budget, "run") << " (method.iterations "
        << m.iterations << ", " << serial(e.budget)
        << "); one evaluation at a time (--jobs does not apply)\n";
    out << "  disk:   no work folder; the output file about "
        << bytes_text(static_cast<double>(e.output_bytes)) << "\n";
    std::snprintf(buf, sizeof buf,
                  "  memory: about %.0f MB (the peak of this process over the sample)\n",
                  s.peak_rss_mb);
    out << buf;
    return out.str();
  }
  const std::string batch_text =
      m.batch > 0 ? "batches of method.batch " + std::to_string(m.batch) + " proposals"
                  : "one batch of about 1.2 x " + std::to_string(m.particles) + " particles";
  out << "  generation 0: " << count_of(e.first_generation, "run") << " (" << batch_text << ", "
      << count_of(static_cast<std::uint64_t>(m.replicates), "replicate") << " each), "
      << cost(e.first_generation) << "\n";
  if (e.first_generation > e.budget)
    out << "  WARNING: the budget, " << count_of(e.budget, "run")
        << ", does not cover generation 0: the calibration would stop before finishing it "
           "(raise method.budget or --budget)\n";
  out << "  later generations: their runs depend on how fast the acceptance rate falls, which "
         "no sample tells;\n    the budget bounds them all: "
      << count_of(e.budget, "run") << ", " << cost(e.budget) << "\n";
  out << "  disk:   the work folder's packs at most "
      << bytes_text(static_cast<double>(e.pack_bytes_per_run * e.budget))
      << " (the budget's runs), the output file at most "
      << bytes_text(static_cast<double>(e.output_bytes)) << "\n";
  std::snprintf(buf, sizeof buf,
                "  memory: about %.0f MB per process (the peak of this one over the sample), "
                "a little more per extra thread\n",
                s.peak_rss_mb);
  out << buf;
  const double budget_wall = s.seconds_mean * static_cast<double>(e.budget) / jobs;
  const double limit = std::max(300.0, 1.5 * budget_wall);
  const auto minutes = static_cast<long long>(std::ceil(limit / 60.0));
  std::snprintf(buf, sizeof buf,
                "  Slurm:  --cpus-per-task=%d; the whole budget would take about %s: ask for "
                "--time=%02lld:%02lld:00 (1.5x, at least 5 min), or less: "
                "tools/slurm/calibrate.sbatch requeues itself and resumes\n",
                jobs, duration_text(budget_wall).c_str(), minutes / 60, minutes % 60);
  out << buf;
  return out.str();
}

int cmd_fit(const std::vector<std::string>& args, const std::vector<std::string>& all_args) {
  po::options_description opts("Options of `geosim calibrate`");
  opts.add_options()("help,h", "this help")("calibration", po::value<std::string>()->required(),
                                            "calibration file (YAML, docs/calibration.md)")(
      "dir,d", po::value<std::string>(),
      "work folder: each generation's batches of runs, committed chunk by chunk, and its "
      "population (default NAME.calib); resumed if it exists")(
      "output,o", po::value<std::string>(),
      "calibration file to write (default NAME_calibration.h5)")(
      "jobs,j", po::value<std::string>()->default_value("1"), "worker threads")(
      "mpi", "run under mpirun: the ranks share each batch's chunks; rank 0 writes the output")(
      "particles", po::value<std::string>(), "override method.particles (a new calibration)")(
      "generations", po::value<std::string>(),
      "override method.generations (raising it continues a calibration that stopped)")(
      "budget", po::value<std::string>(), "override method.budget (runs)")(
      "force", "replace the output file if it exists")("quiet,q", "no progress messages")(
      "estimate",
      "run nothing: time a few runs at prior draws and print what the calibration will cost "
      "(runs, time, disk, memory, and for Slurm the time to ask for)")(
      "sample", po::value<std::string>()->default_value("8"), "with --estimate: the runs to time");
  po::positional_options_description pos;
  pos.add("calibration", 1);
  po::variables_map vm;
  if (!parse(
          args, opts, pos, vm,
          "Usage: geosim calibrate CALIB.yaml [-d DIR] [-o OUT.h5] [--jobs J | --mpi] [--force]\n"
          "       geosim calibrate CALIB.yaml --estimate [--sample N] [--jobs J]\n"
          "       geosim calibrate export CALIB.h5 [--best] -o OVERLAY.yaml"))
    return kExitOk;
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGUSR1, on_stop_signal);
  const bool mpi = vm.count("mpi") > 0;
  const int jobs = static_cast<int>(flag_number("--jobs", vm["jobs"].as<std::string>(), 1024));
  if (jobs < 1) throw InputError(kCli, "--jobs", "expected at least 1 worker thread");
  CalibSpec spec = geosim::read_calibration_file(vm["calibration"].as<std::string>());
  // Command-line overrides of the method. --particles changes what the generations hold, so it
  // is part of the work folder's identity; the stopping rules are not.
  if (vm.count("particles")) {
    spec.method.particles =
        static_cast<int>(flag_number("--particles", vm["particles"].as<std::string>(), 1000000));
    if (spec.method.particles < 4) throw InputError(kCli, "--particles", "expected at least 4");
    const std::string note = "\n# --particles " + std::to_string(spec.method.particles) + "\n";
    spec.identity_yaml += note;
    spec.resolved_yaml += note;
    if (spec.method.min_ess_default) spec.method.min_ess = spec.method.particles / 10.0;
  }
  if (vm.count("generations")) {
    spec.method.generations =
        static_cast<int>(flag_number("--generations", vm["generations"].as<std::string>(), 1000));
    if (spec.method.generations < 1) throw InputError(kCli, "--generations", "expected at least 1");
    spec.resolved_yaml += "\n# --generations " + std::to_string(spec.method.generations) + "\n";
  }
  if (vm.count("budget")) {
    spec.method.budget = flag_number("--budget", vm["budget"].as<std::string>(), 1ULL << 40);
    spec.resolved_yaml += "\n# --budget " + std::to_string(spec.method.budget) + "\n";
  }
  if (spec.method.kind == CalibMethod::abc_smc && (vm.count("budget") || vm.count("particles"))) {
    const auto first = static_cast<std::uint64_t>(spec.method.particles) *
                       static_cast<std::uint64_t>(spec.method.replicates);
    if (spec.method.budget < first)
      throw InputError(kCli, vm.count("budget") ? "--budget" : "--particles",
                       "the budget (" + std::to_string(spec.method.budget) +
                           " runs) does not cover the first generation: particles x replicates "
                           "= " +
                           std::to_string(first) + " runs");
  }
  if (!vm["sample"].defaulted() && !vm.count("estimate"))
    throw InputError(kCli, "--sample", "only with --estimate (the runs it times)");
  const std::uint64_t sample = flag_number("--sample", vm["sample"].as<std::string>(), 100000);
  if (sample == 0)
    throw InputError(
        kCli, "--sample",
        "expected a whole number from 1 to 100000, got '" + vm["sample"].as<std::string>() + "'");
  if (vm.count("estimate") && mpi)
    throw InputError(kCli, "--estimate",
                     "times runs in this one process: run it without mpirun and --mpi (--jobs J "
                     "scales the estimate to J threads)");
  const calib::CalibSetup setup = calib::make_calibration_setup(spec);
  if (vm.count("estimate")) {
    if (setup.probe.scenario) print_warnings(*setup.probe.scenario);
    std::cout << format_calibration_estimate(calib::estimate_calibration(setup, sample), setup,
                                             jobs);
    return kExitOk;
  }
  const std::string name = setup.spec.name;
  calib::CalibOptions o;
  o.dir = vm.count("dir") ? vm["dir"].as<std::string>() : name + ".calib";
  o.out =
      vm.count("output") ? vm["output"].as<std::string>() : default_output(name + "_calibration");
  o.jobs = jobs;
  o.mpi = mpi;
  o.stop = &g_stop;
  o.command_line = joined(all_args);
  o.start_time = now_iso();
  o.host = hostname();
  if (mpi && setup.spec.method.kind == CalibMethod::nelder_mead)
    throw InputError(kCli, "--mpi",
                     "nelder-mead evaluates one point at a time: use --jobs 1 (it runs in seconds) "
                     "or method abc-smc");
  // Every check before MPI starts, the same on every rank (so no rank waits for one that left).
  // Under MPI the output is checked without check_output's probe file, which ranks would race
  // for.
  const bool force = vm.count("force") > 0;
  check_work_folder(o.dir);
  std::vector<Input> inputs{{setup.spec.file, "the calibration file itself"},
                            {o.dir, "inside the work folder " + o.dir + " (-d)", true}};
  if (setup.probe.scenario)
    for (Input& in : scenario_inputs(*setup.probe.scenario)) inputs.push_back(std::move(in));
  if (const int code = check_output(o.out, inputs, force, !mpi); code >= 0) return code;
  // Under mpirun only rank 0 talks.
  const bool quiet = vm.count("quiet") > 0 || (mpi && mpi_rank() != 0);
  if (!quiet) {
    o.progress = [](const std::string& line) { std::cerr << "geosim: " << line << "\n"; };
    o.meter = progress_style(false);
    if (setup.probe.scenario) print_warnings(*setup.probe.scenario);
    const auto& m = setup.spec.method;
    std::cerr << "geosim: calibration '" << name
              << "': " << kCalibMethodNames[static_cast<int>(m.kind)] << ", "
              << count_of(setup.spec.parameters.size(), "parameter") << ", " << setup.fit.size()
              << " fitted and " << setup.spec.targets.size() - setup.fit.size()
              << " holdout targets, "
              << (m.kind == CalibMethod::abc_smc
                      ? count_of(static_cast<std::uint64_t>(m.particles), "particle") + " x " +
                            count_of(static_cast<std::uint64_t>(m.replicates), "replicate") +
                            ", budget " + count_of(m.budget, "run") + ", folder " + o.dir
                      : count_of(static_cast<std::uint64_t>(m.replicates), "replicate") +
                            " per evaluation")
              << "\n";
  }
  o.warn = [](const std::string& line) { std::cerr << "geosim: warning: " << line << "\n"; };
  const calib::CalibReport rep = calib::calibrate(setup, o);
  if (!rep.is_root) return rep.interrupted ? kExitInterrupted : kExitOk;
  if (rep.interrupted) {
    std::cerr << "geosim: interrupted; "
              << (setup.spec.method.kind == CalibMethod::abc_smc
                      ? "committed chunks and generations are kept in " + o.dir +
                            ": run the same command again to resume"
                      : "nothing was written (nelder-mead starts again)")
              << "\n";
    return kExitInterrupted;
  }
  if (!quiet)
    std::cerr << "geosim: " << (rep.converged ? "converged" : "NOT converged") << ": "
              << rep.stop_reason << "; "
              << count_of(static_cast<std::uint64_t>(rep.generations), "generation") << ", "
              << count_of(rep.runs, "run") << " (" << rep.runs_failed << " failed) in "
              << std::fixed << std::setprecision(1) << rep.seconds << " s; wrote " << o.out << "\n";
  return kExitOk;
}

int cmd_export(const std::vector<std::string>& args) {
  po::options_description opts("Options of `geosim calibrate export`");
  opts.add_options()("help,h", "this help")("file", po::value<std::string>()->required(),
                                            "calibration output file")(
      "best", "the particle of smallest distance instead of the posterior median")(
      "output,o", po::value<std::string>()->required(), "the overlay to write (YAML)")(
      "force", "replace the overlay if it exists");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  if (!parse(args, opts, pos, vm,
             "Usage: geosim calibrate export CALIB.h5 [--best] -o OVERLAY.yaml [--force]"))
    return kExitOk;
  const std::string file = vm["file"].as<std::string>();
  const std::string out = vm["output"].as<std::string>();
  const calib::CalibrationResult c = calib::read_calibration_result(file);
  const std::vector<Input> inputs{
      {file, "the calibration file being exported"},
      {c.scenario_file, "the scenario the calibration ran (the overlay extends it)"}};
  if (const int code = check_output(out, inputs, vm.count("force") > 0); code >= 0) return code;
  // The scenario the calibration ran: its file, --set changes and resolved YAML are recorded.
  if (c.scenario_file.empty())
    throw InputError(Location{file, 0, 0}, "export",
                     "a test-model calibration has no scenario to export to");
  const bool best = vm.count("best") > 0;
  const auto& values = best ? c.best : c.posterior_median;
  std::vector<std::pair<std::string, std::string>> changes;
  for (const auto& s : c.scenario_sets) {
    const auto eq = s.find('=');
    changes.emplace_back(s.substr(0, eq), eq == std::string::npos ? "" : s.substr(eq + 1));
  }
  for (std::size_t k = 0; k < c.parameters.size(); ++k) {
    const std::string& unit = c.parameter_units[k];
    const std::string& path = c.parameter_paths[k];
    const bool plain = unit.empty() || unit == "1" || path.rfind("flows[", 0) == 0;
    changes.emplace_back(path, format_number(values[k]) + (plain ? "" : " " + unit));
  }
  const fs::path here = fs::absolute(out).parent_path();
  const std::string extends = fs::relative(c.scenario_file, here).string();
  const std::string header = "Calibrated parameters (" +
                             std::string(best ? "the best particle" : "posterior medians") +
                             ") of " + file + "\nmethod " + c.method + ", " +
                             (c.converged ? "converged" : "NOT converged") + ": " + c.stop_reason +
                             "\nWritten by geosim calibrate export; docs/calibration.md.";
  const std::string text = parse_stored(c.path, "scenario", [&] {
    return calib::overlay_yaml(extends, c.scenario_yaml, c.scenario_name + "_calibrated",
                               c.scenario_version, changes, header);
  });
  // A name of this process's own, so no file of the user's is touched.
  (void)remove_stale_temps(out);
  const std::string tmp = temp_name(out);
  {
    errno = 0;
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << text;
    f.close();
    if (!f) {
      const int e = errno;
      std::error_code ec;
      fs::remove(tmp, ec);
      throw WriteError(tmp, e != 0 ? std::strerror(e) : "a write failed");
    }
  }
  // Check it before it takes its name: the overlay must load (its base must still be there).
  try {
    (void)load_scenario(tmp);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  fs::rename(tmp, out);
  std::cerr << "geosim: wrote " << out << " (" << count_of(c.parameters.size(), "parameter")
            << ", extends " << extends << ")\n";
  return kExitOk;
}

}  // namespace

int cmd_calibrate(const std::vector<std::string>& args, const std::vector<std::string>& all_args) {
  if (args.empty() || args[0] == "-h" || args[0] == "--help") {
    (args.empty() ? std::cerr : std::cout)
        << "Usage: geosim calibrate CALIB.yaml [-d DIR] [-o OUT.h5] [--jobs J | --mpi] [--force]\n"
           "       geosim calibrate export CALIB.h5 [--best] -o OVERLAY.yaml\n\n"
           "Fits the scenario's free parameters to observed targets (ABC-SMC or Nelder-Mead),\n"
           "resuming from DIR; export writes the posterior median (or --best particle) as an\n"
           "overlay. Exit codes: 0 ok, 1 internal error, 2 bad input, 3 the output exists\n"
           "(--force), 4 interrupted (run again to resume), 5 an output could not be written.\n"
           "See docs/calibration.md.\n";
    return args.empty() ? kExitBadInput : kExitOk;
  }
  if (args[0] == "export") return cmd_export({args.begin() + 1, args.end()});
  return cmd_fit(args, all_args);
}

}  // namespace geosim::cli
