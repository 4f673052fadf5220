#include "app/commands.hpp"

#include <unistd.h>

#include <boost/program_options.hpp>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "app/cli_support.hpp"
#include "app/sweep_analyze.hpp"
#include "baseline_scenario.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "core/turn_pool.hpp"
#include "core/version.hpp"
#include "model/params.hpp"
#include "output/calibration_store.hpp"
#include "output/run_info.hpp"
#include "output/temp_file.hpp"
#include "scenario/history.hpp"
#include "scenario/load.hpp"
#include "scenario/schema.hpp"
#include "study/replicates.hpp"
#include "study/run_pipeline.hpp"

namespace geosim {

namespace po = boost::program_options;
namespace fs = std::filesystem;

// The helpers up to on_stop_signal are shared with cmd_compare.cpp (app/cli_support.hpp).
namespace cli {

const char* kUsage =
    "geosim: an agent-based simulator of geopolitical influence\n\n"
    "Usage: geosim COMMAND [OPTIONS]\n\n"
    "Commands:\n"
    "  run [SCENARIO]     simulate a scenario (the embedded 2022 Central Asia baseline if none)\n"
    "                     and write its HDF5 output (--replicates R: R runs in one file)\n"
    "  compare BASE WHATIF [WHATIF...]\n"
    "                     run a base and one or more what-ifs with the same run ids, write\n"
    "                     them and their differences, print each what-if's effects with 95%\n"
    "                     intervals\n"
    "  sweep COMMAND      parameter sweeps: plan, run (threads, Slurm arrays, MPI), status,\n"
    "                     merge, analyze (Sobol', Morris); `geosim sweep --help`\n"
    "  calibrate CALIB.yaml  fit parameters to observed targets (ABC-SMC, Nelder-Mead), resuming;\n"
    "                     `calibrate export` writes the fit as an overlay (docs/calibration.md)\n"
    "  validate SCENARIO  check a scenario and report every problem with its location\n"
    "  info FILE.h5       summarise any file geosim writes: run, checkpoint, replicates,\n"
    "                     comparison, sweep plan or merged sweep, calibration\n"
    "  params             list the model parameters: default, unit, meaning, source\n"
    "  format             the scenario format's reference: every item's fields, every action\n"
    "  policies           list the policies actors can follow, and the kinds of shocks\n\n"
    "Options:\n"
    "  -h, --help         this help; `geosim COMMAND --help` for a command's options\n"
    "  --version          print the version and the git commit\n\n"
    "Exit codes: 0 ok, 1 internal error, 2 bad input (scenario, command line, input file,\n"
    "output path), 3 the output file exists (use --force to replace it), 4 interrupted\n"
    "(SIGINT or SIGTERM; nothing written), 5 an output could not be written (disk full,\n"
    "I/O error; nothing written).\n";

std::string now_iso() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

std::string hostname() {
  char buf[256] = {0};
  return gethostname(buf, sizeof buf - 1) == 0 ? buf : "unknown";
}

std::string joined(const std::vector<std::string>& args) {
  std::string s = "geosim";
  for (const auto& a : args) s += " " + a;
  return s;
}

/// Parses a command's options; prints help and returns false when asked for it.
bool parse(const std::vector<std::string>& args, const po::options_description& visible,
           const po::positional_options_description& pos, po::variables_map& vm,
           const std::string& usage) {
  po::options_description all;
  all.add(visible);
  // Options are spelled out: Boost's default takes an unambiguous prefix ("--replicate" for
  // "--replicates"), so a command in a job script would change meaning, or stop parsing, the
  // day another option shares that prefix; and a mistyped flag would pass unnoticed.
  namespace cls = po::command_line_style;
  try {
    po::store(po::command_line_parser(args)
                  .options(all)
                  .positional(pos)
                  .style(cls::default_style & ~cls::allow_guessing)
                  .run(),
              vm);
  } catch (const po::unknown_option& e) {
    std::vector<std::string> names;
    for (const auto& o : all.options()) names.push_back("--" + o->long_name());
    throw po::error(e.what() + did_you_mean(e.get_option_name(), names));
  }
  if (vm.count("help")) {
    std::cout << usage << "\n" << visible << "\n";
    return false;
  }
  po::notify(vm);
  return true;
}

void print_warnings(const Scenario& sc) {
  for (const Diagnostic& d : sc.warnings) std::cerr << d.warning_str() << "\n";
}

Scenario load(const std::string& path, const std::vector<std::string>& sets) {
  Scenario sc = path.empty() ? load_scenario_text(std::string(baseline_scenario_text()),
                                                  std::string(kBaselineName), sets)
                             : load_scenario(path, sets);
  print_warnings(sc);
  return sc;
}

/// A whole number in [0, max] from a command-line flag, or an InputError naming the flag.
std::uint64_t flag_number(const std::string& flag, const std::string& text, std::uint64_t max) {
  std::uint64_t v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || text.empty() || v > max)
    throw InputError(
        Location{"<command line>", 0, 0}, flag,
        "expected a whole number from 0 to " + std::to_string(max) + ", got '" + text + "'");
  return v;
}

/// A file name made from a scenario name: its last path part, with anything but letters,
/// digits, '.', '-' and '_' replaced, so a name never writes outside the working folder.
std::string default_output(const std::string& name) {
  std::string s = fs::path(name).filename().string();
  for (char& ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '-' && ch != '_')
      ch = '_';
  if (s.empty() || s[0] == '.') s = "run" + s;
  return s + ".h5";
}

void note_turn_threads(const std::string& flag, int requested, int actors) {
  if (requested <= 1) return;
  const std::string head = "geosim: " + flag + " " + std::to_string(requested) + ": ";
  if (actors < kTurnPoolMinRows)
    std::cerr << head << "the chunks are deflated on " << requested << " threads; the turns of "
              << actors << " actors stay on one (they are split from " << kTurnPoolMinRows
              << " actors)\n";
  else if (const int used = turn_pool_threads(requested); used < requested)
    std::cerr << head << "each turn is split over " << used
              << " threads, the cores this process may run on; the chunks are deflated on "
              << requested << "\n";
}

int run_stoppable(const std::string& out, bool quiet, const std::function<void()>& work) {
  // Ctrl-C (SIGINT) and SIGTERM stop the run at the end of the current turn: the temp file is
  // removed and nothing is written under the final name.
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  const auto t0 = std::chrono::steady_clock::now();
  try {
    work();
  } catch (const Interrupted&) {
    std::cerr << "geosim: interrupted; nothing was written\n";
    return kExitInterrupted;
  }
  if (!quiet)
    std::cerr << "geosim: wrote " << out << " in "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()
              << " s\n";
  return kExitOk;
}

std::vector<Input> scenario_inputs(const Scenario& sc, const std::string& role) {
  std::vector<Input> in;
  for (std::size_t i = 0; i < sc.source_files.size(); ++i)
    in.push_back({sc.source_files[i],
                  i == 0 ? "the " + role + " file itself"
                         : "'" + sc.source_files[i] + "', a base the " + role + " extends"});
  return in;
}

namespace {

/// Whether `path` is `folder` or lies inside it (both made absolute and normalised, links in
/// their existing parts resolved).
bool inside(const fs::path& path, const fs::path& folder) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(path, ec);
  const fs::path f = fs::weakly_canonical(folder, ec);
  if (ec) return false;
  const fs::path rel = p.lexically_relative(f);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

/// Checks where the run will write before it runs, so that a bad -o costs nothing and never
/// touches a file the user has. Returns an exit code, or -1 when all is well.
int check_output(const std::string& out, const std::vector<Input>& inputs, bool force, bool probe) {
  auto fail = [](int code, const std::string& message) {
    std::cerr << "geosim: error: " << message << "\n";
    return code;
  };
  if (out.empty()) return fail(kExitBadInput, "-o needs a file name");
  std::error_code ec;
  for (const Input& in : inputs) {
    if (in.path.empty()) continue;
    if (in.folder
            ? inside(out, in.path)
            : fs::exists(out, ec) && fs::exists(in.path, ec) && fs::equivalent(out, in.path, ec))
      return fail(kExitBadInput,
                  "-o '" + out + "' is " + in.what +
                      (in.folder ? ", which geosim manages" : ", which this command reads") +
                      "; choose another -o");
  }
  if (fs::is_directory(out, ec)) return fail(kExitBadInput, "-o '" + out + "' is a folder");
  if (const auto dir = fs::path(out).parent_path(); !dir.empty() && !fs::is_directory(dir, ec))
    return fail(kExitBadInput, "the folder '" + dir.string() + "' of -o does not exist");
  if (!force && fs::exists(out, ec))
    return fail(kExitOutputExists, "output file '" + out +
                                       "' exists; choose another -o or pass --force to replace it");
  // A temporary file of a geosim that was killed (SIGKILL, power loss) while writing OUT.
  for (const auto& stale : remove_stale_temps(out))
    std::cerr << "geosim: removed '" << stale << "', left by a geosim that no longer runs\n";
  if (!probe) return -1;
  const std::string tmp = temp_name(out);
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    if (!file) return fail(kExitBadInput, "cannot create '" + tmp + "' for the output");
  }
  fs::remove(tmp, ec);
  return -1;
}

void check_work_folder(const std::string& dir, const std::string& flag) {
  std::error_code ec;
  if (dir.empty()) throw InputError(Location{"<command line>", 0, 0}, flag, "needs a folder name");
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw InputError(Location{"<command line>", 0, 0}, flag,
                     "'" + dir + "' is a file, not a folder");
}

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int) {
  g_stop = 1;
}

}  // namespace cli

namespace {

using namespace cli;

int cmd_run(const std::vector<std::string>& args, const std::vector<std::string>& all_args) {
  static_assert(kTurnPoolMinRows == 96, "--threads' help names the smallest split turn");
  po::options_description opts("Options of `geosim run`");
  opts.add_options()("help,h", "this help")(
      "scenario", po::value<std::string>()->default_value(""),
      "scenario YAML (default: the embedded baseline central_asia_2022)")(
      "output,o", po::value<std::string>(),
      "output HDF5 file (default: SCENARIO_NAME.h5 in the working folder)")(
      "seed", po::value<std::string>(),
      "root seed, 0 to 2^63-1 (default: the scenario's metadata.seed)")(
      "run-id", po::value<std::string>()->default_value("0"),
      "run id, the second key of the random numbers, 0 to 2^63-1")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "PATH=VALUE: change the scenario, e.g. --set parameters.dependence_inertia=0.2 "
      "(repeatable; applied in order)")("force", "replace the output file if it exists")(
      "quiet,q", "no progress messages")(
      "replicates", po::value<std::string>()->default_value("1"),
      "R runs with run ids RUN_ID .. RUN_ID+R-1 (same seed) in one file, format "
      "geosim-replicates: every variable gains a leading `replicate` dimension, plus "
      "<var>_mean and <var>_quantile (0.05, 0.5, 0.95) over the replicates (default output "
      "NAME_replicates.h5; docs/whatif.md). R = 1 writes the ordinary run file")(
      "posterior", po::value<std::string>(),
      "CALIB.h5 (with --replicates R >= 2): each replicate draws a particle of the "
      "calibration's posterior, so the spread includes the parameters' uncertainty "
      "(docs/calibration.md)")(
      "checkpoint-at", po::value<std::string>(),
      "TURN or DATE (YYYY-MM): stop after that turn and write a checkpoint: the run so far "
      "plus its whole state (default output NAME_checkpoint.h5; docs/whatif.md)")(
      "from", po::value<std::string>(),
      "CHECKPOINT.h5: continue the checkpoint's run with SCENARIO instead of starting again; "
      "SCENARIO may differ from the checkpoint's only in timeline events after its turn. The "
      "output holds every turn and equals a run of SCENARIO from the start. With --replicates "
      "R: R continuations, run ids RUN_ID.. (default: the checkpoint's run id first), sharing "
      "the history up to the checkpoint")(
      "threads", po::value<std::string>()->default_value("1"),
      "N threads: above 1, the output's compressed chunks are deflated on N threads while "
      "the turns go on, and from 96 actors each turn is split over N threads (at most the "
      "usable cores; the results are the same bits; worth it from about 50 actors, or with "
      "--replicates)");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  if (!parse(
          args, opts, pos, vm,
          "Usage: geosim run [SCENARIO] [-o OUT.h5] [--seed N] "
          "[--set PATH=VALUE]... [--replicates R [--posterior CALIB.h5]] [--checkpoint-at TURN | "
          "--from CHECKPOINT.h5] [--threads N] [--force]"))
    return kExitOk;
  constexpr std::uint64_t kMax = 9223372036854775807ULL;  // stored as int64 in outputs
  const std::uint64_t run_id = flag_number("--run-id", vm["run-id"].as<std::string>(), kMax);
  const std::uint64_t replicates = replicate_count(vm["replicates"].as<std::string>(), run_id);
  std::vector<std::string> sets;
  if (vm.count("set")) sets = vm["set"].as<std::vector<std::string>>();
  if (vm.count("seed"))
    sets.push_back("metadata.seed=" +
                   std::to_string(flag_number("--seed", vm["seed"].as<std::string>(), kMax)));
  const std::string scenario_path = vm["scenario"].as<std::string>();
  const Scenario sc = load(scenario_path, sets);
  RunSpan span;
  span.threads = static_cast<int>(flag_number("--threads", vm["threads"].as<std::string>(), 256));
  if (span.threads < 1)
    throw InputError(
        Location{"<command line>", 0, 0}, "--threads",
        "expected a whole number from 1 to 256, got '" + vm["threads"].as<std::string>() + "'");
  Provenance prov;
  std::uint64_t first_run_id = run_id;
  const Location cli_loc{"<command line>", 0, 0};
  if (vm.count("checkpoint-at") && replicates > 1)
    throw InputError(cli_loc, "--checkpoint-at",
                     "a checkpoint holds one run: use it without --replicates");
  if (vm.count("from") && vm.count("posterior"))
    throw InputError(cli_loc, "--posterior",
                     "the runs of --from share the checkpoint's history, which ran with its own "
                     "parameter values: drawing others for the turns after it would mix two; use "
                     "one of --from and --posterior");
  if (vm.count("from")) {
    span.from = vm["from"].as<std::string>();
    const CheckpointInfo ckpt = read_checkpoint_info(span.from);
    // Replicates continue the checkpoint with run ids RUN_ID.. (default: the checkpoint's own
    // first, so replicate 0 is the checkpoint's run continued).
    check_fork(ckpt, sc, scenario_path.empty() ? std::string(kBaselineName) : scenario_path, run_id,
               replicates == 1 && !vm["run-id"].defaulted());
    first_run_id = vm["run-id"].defaulted() ? ckpt.run_id : run_id;
    if (replicates - 1 > kMax - first_run_id)
      throw InputError(cli_loc, "--replicates",
                       "the last run id, the checkpoint's run id + R - 1, would exceed 2^63 - 1");
    prov.forked_from = span.from;
    prov.forked_from_hash = ckpt.scenario_hash;
    prov.forked_at = ckpt.turn;
    if (vm.count("checkpoint-at")) {
      span.checkpoint_at = checkpoint_turn(vm["checkpoint-at"].as<std::string>(), sc);
      if (span.checkpoint_at <= ckpt.turn)
        throw InputError(
            cli_loc, "--checkpoint-at",
            "expected a turn after the --from checkpoint's turn " + std::to_string(ckpt.turn));
    }
  } else if (vm.count("checkpoint-at")) {
    span.checkpoint_at = checkpoint_turn(vm["checkpoint-at"].as<std::string>(), sc);
  }
  if (span.checkpoint_at >= 0) span.history_yaml = history_yaml(sc, span.checkpoint_at);
  std::optional<PosteriorDraws> posterior;
  if (vm.count("posterior")) {
    if (replicates < 2)
      throw InputError(cli_loc, "--posterior",
                       "draws one particle per replicate: give --replicates R with R >= 2");
    posterior = draw_posterior(vm["posterior"].as<std::string>(), sc,
                               consecutive_run_ids(first_run_id, replicates));
    if (!posterior->scenario_sets.empty())
      std::cerr << "geosim: warning: the calibration ran with set: changes ("
                << join_words(posterior->scenario_sets)
                << "); --posterior does not apply them: give them with --set if the scenario "
                   "should have them\n";
  }
  const std::string out = vm.count("output")
                              ? vm["output"].as<std::string>()
                              : default_output(replicates > 1            ? sc.name + "_replicates"
                                               : span.checkpoint_at >= 0 ? sc.name + "_checkpoint"
                                                                         : sc.name);
  std::vector<Input> inputs = scenario_inputs(sc);
  inputs.push_back({span.from, "the --from checkpoint itself"});
  if (vm.count("posterior"))
    inputs.push_back({vm["posterior"].as<std::string>(), "the --posterior calibration file"});
  if (const int code = check_output(out, inputs, vm.count("force") > 0); code >= 0) return code;
  const bool quiet = vm.count("quiet") > 0;
  if (!quiet)
    std::cerr << "geosim: running '" << sc.name << "': " << sc.n_actors() << " actors, " << sc.turns
              << " turns from " << sc.start.str() << ", seed " << sc.seed
              << (replicates > 1 ? ", " + std::to_string(replicates) + " replicates" : "")
              << (span.from.empty() ? "" : ", from the checkpoint " + span.from)
              << (span.checkpoint_at >= 0
                      ? ", to a checkpoint at turn " + std::to_string(span.checkpoint_at)
                      : "")
              << "\n";
  if (!quiet) note_turn_threads("--threads", span.threads, sc.n_actors());
  prov.command_line = joined(all_args);
  prov.scenario_file = scenario_path.empty() ? std::string(kBaselineName) : scenario_path;
  prov.start_time = now_iso();
  prov.host = hostname();
  return run_stoppable(out, quiet, [&] {
    if (replicates > 1)
      simulate_replicates(sc, consecutive_run_ids(first_run_id, replicates), out, prov, &g_stop,
                          posterior ? &*posterior : nullptr,
                          EnsembleOptions{span.threads, progress_style(quiet), span.from});
    else
      simulate(sc, first_run_id, out, prov, &g_stop, span);
  });
}

int cmd_validate(const std::vector<std::string>& args) {
  po::options_description opts("Options of `geosim validate`");
  opts.add_options()("help,h", "this help")("scenario", po::value<std::string>()->required(),
                                            "scenario YAML")(
      "set", po::value<std::vector<std::string>>()->composing(), "PATH=VALUE (repeatable)");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  if (!parse(args, opts, pos, vm, "Usage: geosim validate SCENARIO [--set PATH=VALUE]..."))
    return kExitOk;
  std::vector<std::string> sets;
  if (vm.count("set")) sets = vm["set"].as<std::vector<std::string>>();
  const Scenario sc = load(vm["scenario"].as<std::string>(), sets);
  std::cout << vm["scenario"].as<std::string>() << ": ok: '" << sc.name << "', " << sc.n_actors()
            << " actors, " << sc.n_poles() << " poles, " << sc.n_channels() << " channels, "
            << sc.flows.size() << " flow entries, " << sc.timeline.size() << " events, " << sc.turns
            << " turns from " << sc.start.str() << ", hash " << fnv1a_hex(sc.resolved_yaml) << "\n";
  return kExitOk;
}

int cmd_info(const std::vector<std::string>& args) {
  po::options_description opts("Options of `geosim info`");
  opts.add_options()("help,h", "this help")(
      "file", po::value<std::string>()->required(),
      "any file geosim writes: a run or checkpoint (geosim run), replicates (run --replicates), "
      "a comparison or what-if study (geosim compare), a sweep plan (DIR/plan.h5) or merged "
      "sweep file, a calibration file");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  if (!parse(args, opts, pos, vm, "Usage: geosim info FILE.h5")) return kExitOk;
  std::cout << format_file_info(vm["file"].as<std::string>());
  return kExitOk;
}

int cmd_format(const std::vector<std::string>& args) {
  po::options_description opts("Options of `geosim format`");
  opts.add_options()("help,h", "this help")(
      "markdown", "print the tables (docs/scenario-format.md holds the same)");
  po::positional_options_description pos;
  po::variables_map vm;
  if (!parse(args, opts, pos, vm, "Usage: geosim format [--markdown]")) return kExitOk;
  std::cout << (vm.count("markdown") ? format_reference_markdown() : format_reference_text());
  return kExitOk;
}

int cmd_params(const std::vector<std::string>& args) {
  po::options_description opts("Options of `geosim params`");
  opts.add_options()("help,h", "this help")("markdown", "print a Markdown table (docs/model.md)");
  po::positional_options_description pos;
  po::variables_map vm;
  if (!parse(args, opts, pos, vm, "Usage: geosim params [--markdown]")) return kExitOk;
  const ModelParams defaults;
  const bool md = vm.count("markdown") > 0;
  if (md) std::cout << "| parameter | default | unit | meaning | source |\n|---|---|---|---|---|\n";
  for (const auto& p : param_specs()) {
    std::ostringstream v;
    v << defaults.*(p.field);
    const std::string since = p.since > 1 ? " (version 2)" : "";
    if (md)
      std::cout << "| `" << p.name << "` | " << v.str() << " | " << p.unit << " | " << p.meaning
                << since << " | " << p.source << " |\n";
    else
      std::cout << p.name << " = " << v.str() << " [" << p.unit << "]\n    " << p.meaning
                << "\n    source: " << p.source << "\n";
  }
  return kExitOk;
}

}  // namespace

int run_cli(const std::vector<std::string>& args) {
  try {
    if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
      (args.empty() ? std::cerr : std::cout) << kUsage;
      return args.empty() ? kExitBadInput : kExitOk;
    }
    if (args[0] == "--version") {
      std::cout << "geosim " << version() << " (commit " << git_commit() << ")\n";
      return kExitOk;
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "run") return cmd_run(rest, args);
    if (args[0] == "validate") return cmd_validate(rest);
    if (args[0] == "info") return cmd_info(rest);
    if (args[0] == "params") return cmd_params(rest);
    if (args[0] == "format") return cmd_format(rest);
    if (args[0] == "policies") return cmd_policies(rest);
    if (args[0] == "compare") return cmd_compare(rest, args);
    if (args[0] == "sweep") return cmd_sweep(rest);
    if (args[0] == "calibrate") return cmd_calibrate(rest, args);
    std::cerr << "geosim: error: unknown command '" << args[0] << "'"
              << did_you_mean(args[0], {"run", "validate", "info", "params", "format", "policies",
                                        "compare", "sweep", "calibrate"})
              << "; see `geosim --help`\n";
    return kExitBadInput;
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    const auto n = e.diagnostics().size();
    std::cerr << "geosim: " << n << (n == 1 ? " error" : " errors") << "; nothing was written\n";
    return kExitBadInput;
  } catch (const FileError& e) {
    std::cerr << "geosim: error: " << one_line(e.what()) << "\n";
    return kExitBadInput;
  } catch (const WriteError& e) {
    std::cerr << "geosim: error: " << one_line(e.what()) << "; nothing was written\n";
    return kExitWriteFailed;
  } catch (const fs::filesystem_error& e) {
    // A full disk, a quota, an I/O error or a read-only file system while writing: exit 5.
    const int code = e.code().value();
    const bool write_failed = e.code().category() == std::generic_category() &&
                              (code == ENOSPC || code == EDQUOT || code == EIO || code == EROFS);
    std::cerr << "geosim: error: " << e.what() << (write_failed ? "; nothing was written" : "")
              << "\n";
    return write_failed ? kExitWriteFailed : kExitBadInput;
  } catch (const po::error& e) {
    // The help of the subcommand itself: `geosim sweep plan --help`, `geosim calibrate export
    // --help`.
    std::string command = args[0];
    if (args.size() > 1 && ((args[0] == "sweep" && !args[1].starts_with("-")) ||
                            (args[0] == "calibrate" && args[1] == "export")))
      command += " " + args[1];
    std::cerr << "geosim: error: " << e.what() << "; see `geosim " << command << " --help`\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "geosim: internal error: " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace geosim
