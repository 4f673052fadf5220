// `geosim compare`: paired runs of a base scenario and a what-if, and the table of effects.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <iostream>

#include <optional>
#include "app/cli_support.hpp"
#include "app/commands.hpp"

#include "core/error.hpp"
#include "core/text.hpp"
#include "study/replicates.hpp"
#include "study/run_pipeline.hpp"

namespace geosim::cli {

namespace po = boost::program_options;

namespace {

constexpr std::uint64_t kMaxId = 9223372036854775807ULL;  // stored as int64 in outputs
constexpr const char* kDefaultReplicates = "10";

const char* kCompareUsage =
    "Usage: geosim compare BASE WHATIF [WHATIF...] [-o OUT.h5] [--replicates R] [--seed N]\n"
    "                      [--run-id FIRST]\n"
    "                      [--set PATH=VALUE]... [--set-whatif PATH=VALUE]... [--posterior "
    "CALIB.h5]\n"
    "                      [--from CHECKPOINT.h5] [--jobs J] [--force]\n"
    "\n"
    "Runs BASE and each WHATIF (scenario files, typically what-if overlays that `extend` BASE)\n"
    "R times each with the same run ids FIRST .. FIRST+R-1 and the same seed: common random\n"
    "numbers, so the runs of a replicate differ only through the what-ifs' changes. Writes one\n"
    "HDF5 file (format geosim-comparison; default BASE_NAME_vs_WHATIF_NAME.h5, or\n"
    "BASE_NAME_vs_K_whatifs.h5 for K > 1 what-ifs) with every run variable over (scenario,\n"
    "replicate, turn, ...), scenario = base, then the what-if(s), its mean per scenario, the\n"
    "paired differences what-if - base per replicate, and their mean and 95% confidence\n"
    "interval per turn (docs/whatif.md; several what-ifs: a `whatif` dimension, labelled by\n"
    "their names, which must differ). Prints, per what-if, at the horizon (the last turn), for\n"
    "each client and each patron the influence share (base mean, what-if mean, mean paired\n"
    "difference, 95% CI = mean +- t(0.975, R-1) * sd / sqrt(R)), then each client's hedging\n"
    "index and re-exports. With R = 1 the interval cannot be estimated.\n"
    "\n"
    "--set changes BOTH scenarios (a shared assumption: the effect under another parameter);\n"
    "--set-whatif changes every what-if (after --set), e.g. an ad-hoc what-if of the base:\n"
    "  geosim compare B.yaml B.yaml --set-whatif \"timeline[us_tjk_security_aid].amount=120 USD "
    "m\"\n"
    "--seed sets every seed. The scenarios must have the same actors, channels, poles and\n"
    "turns (exit 2 otherwise); a what-if that changes metadata.seed is run, with a warning.\n"
    "--estimate runs nothing: it times one replicate of every scenario and prints the runs, the\n"
    "time, the file's size and the memory the comparison will take.\n"
    "--from CHECKPOINT.h5 (from `geosim run --checkpoint-at`): every run continues the\n"
    "checkpoint's state instead of starting again, so all scenarios and replicates share its\n"
    "history and differ only after its turn (the what-ifs may change only timeline events\n"
    "after it; run ids default to the checkpoint's own first).\n"
    "Exit codes as `geosim run`: 2 bad input, 3 the output exists (--force), 4 interrupted.\n";

}  // namespace

std::uint64_t replicate_count(const std::string& text, std::uint64_t first_run_id) {
  const std::uint64_t r = flag_number("--replicates", text, kMaxReplicates);
  if (r == 0)
    throw InputError(Location{"<command line>", 0, 0}, "--replicates",
                     "expected a whole number from 1 to " + std::to_string(kMaxReplicates) +
                         ", got '" + text + "'");
  if (r - 1 > kMaxId - first_run_id)
    throw InputError(Location{"<command line>", 0, 0}, "--replicates",
                     "the last run id, --run-id + R - 1, would exceed 2^63 - 1");
  return r;
}

int cmd_compare(const std::vector<std::string>& args, const std::vector<std::string>& all_args) {
  po::options_description opts("Options of `geosim compare`");
  opts.add_options()("help,h", "this help")("base", po::value<std::string>()->required(),
                                            "the base scenario YAML")(
      "whatif", po::value<std::vector<std::string>>()->required(), "the what-if scenario YAML(s)")(
      "output,o", po::value<std::string>(),
      "output HDF5 file (default: BASE_NAME_vs_WHATIF_NAME.h5, or BASE_NAME_vs_K_whatifs.h5, "
      "in the working folder)")(
      "replicates", po::value<std::string>()->default_value(kDefaultReplicates),
      "R: pairs of runs, run ids FIRST .. FIRST+R-1 (R >= 2 for confidence intervals)")(
      "seed", po::value<std::string>(),
      "root seed of both scenarios, 0 to 2^63-1 (default: each scenario's metadata.seed)")(
      "run-id", po::value<std::string>()->default_value("0"), "FIRST: the first run id")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "PATH=VALUE: change both scenarios (repeatable; applied in order)")(
      "set-whatif", po::value<std::vector<std::string>>()->composing(),
      "PATH=VALUE: change every what-if (not the base), after --set (repeatable)")(
      "posterior", po::value<std::string>(),
      "CALIB.h5: each pair of runs draws a particle of the calibration's posterior, so the "
      "effects' intervals include the parameters' uncertainty (docs/calibration.md)")(
      "from", po::value<std::string>(),
      "CHECKPOINT.h5: every run continues the checkpoint instead of starting again (the "
      "scenarios may differ from its scenario only in timeline events after its turn)")(
      "jobs,j", po::value<std::string>()->default_value("1"),
      "J threads: the file's chunks are deflated on J threads while the runs go on (most of "
      "a comparison's time), and from 96 actors each turn is split over J threads (at most "
      "the usable cores); the runs stay in order and the file is the same for every J")(
      "force", "replace the output file if it exists")("quiet,q", "no progress messages")(
      "estimate",
      "run nothing: time one replicate of every scenario here and print what the "
      "comparison will cost (runs, time, disk, memory)");
  po::positional_options_description pos;
  pos.add("base", 1).add("whatif", -1);
  po::variables_map vm;
  if (!parse(args, opts, pos, vm, kCompareUsage)) return kExitOk;
  std::uint64_t first = flag_number("--run-id", vm["run-id"].as<std::string>(), kMaxId);
  const std::uint64_t replicates = replicate_count(vm["replicates"].as<std::string>(), first);
  const Location cli_loc{"<command line>", 0, 0};
  if (vm.count("from") && vm.count("posterior"))
    throw InputError(cli_loc, "--posterior",
                     "the runs of --from share the checkpoint's history, which ran with its own "
                     "parameter values: drawing others for the turns after it would mix two; use "
                     "one of --from and --posterior");
  const auto jobs = static_cast<int>(flag_number("--jobs", vm["jobs"].as<std::string>(), 256));
  if (jobs < 1)
    throw InputError(
        Location{"<command line>", 0, 0}, "--jobs",
        "expected a whole number from 1 to 256, got '" + vm["jobs"].as<std::string>() + "'");
  std::vector<std::string> sets, whatif_sets;
  if (vm.count("set")) sets = vm["set"].as<std::vector<std::string>>();
  if (vm.count("seed"))
    sets.push_back("metadata.seed=" +
                   std::to_string(flag_number("--seed", vm["seed"].as<std::string>(), kMaxId)));
  whatif_sets = sets;
  if (vm.count("set-whatif")) {
    const auto& extra = vm["set-whatif"].as<std::vector<std::string>>();
    whatif_sets.insert(whatif_sets.end(), extra.begin(), extra.end());
  }
  const std::string base_path = vm["base"].as<std::string>();
  const auto whatif_paths = vm["whatif"].as<std::vector<std::string>>();
  // All loaded before failing, so every problem of every file is reported at once.
  std::vector<Diagnostic> problems;
  Scenario base;
  std::vector<Scenario> whatifs(whatif_paths.size());
  try {
    base = load(base_path, sets);
  } catch (const InputError& e) {
    problems = e.diagnostics();
  }
  for (std::size_t k = 0; k < whatif_paths.size(); ++k) {
    try {
      whatifs[k] = load(whatif_paths[k], whatif_sets);
    } catch (const InputError& e) {
      for (const auto& d : e.diagnostics()) {  // a --set error of several files only once
        const auto same = [&](const Diagnostic& x) { return x.str() == d.str(); };
        if (std::none_of(problems.begin(), problems.end(), same)) problems.push_back(d);
      }
    }
  }
  std::string from;
  CheckpointInfo ckpt;
  if (vm.count("from")) {
    from = vm["from"].as<std::string>();
    ckpt = read_checkpoint_info(from);
    // Every scenario must be able to continue it; all problems at once.
    auto fork_problems = [&](const Scenario& sc, const std::string& file) {
      try {
        check_fork(ckpt, sc, file, 0, false);
      } catch (const InputError& e) {
        for (const auto& d : e.diagnostics()) problems.push_back(d);
      }
    };
    if (problems.empty()) {
      fork_problems(base, base_path);
      for (std::size_t k = 0; k < whatifs.size(); ++k) fork_problems(whatifs[k], whatif_paths[k]);
    }
    if (vm["run-id"].defaulted()) {
      first = ckpt.run_id;
      if (replicates - 1 > kMaxId - first)
        throw InputError(cli_loc, "--replicates",
                         "the last run id, the checkpoint's run id + R - 1, would exceed 2^63 - 1");
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  std::vector<const Scenario*> whatif_ptrs;
  for (const Scenario& w : whatifs) whatif_ptrs.push_back(&w);
  // Checked before the output path is, so a clash is reported as bad input (exit 2).
  if (const auto clashes = whatif_label_clashes(whatif_ptrs); !clashes.empty()) {
    std::vector<Diagnostic> d;
    for (const auto& c : clashes)
      d.push_back({Location{"<command line>", 0, 0}, "metadata.name",
                   c + ": the what-ifs of one comparison need distinct names (set "
                       "metadata.name in the overlay, or --set-whatif metadata.name=...)"});
    throw InputError(std::move(d));
  }
  // Also before the output path: a what-if that does not fit is bad input (exit 2), and
  // --estimate of a comparison that cannot run says so.
  {
    std::vector<Diagnostic> d;
    for (std::size_t k = 0; k < whatifs.size(); ++k)
      for (const auto& p : comparison_mismatches(base, whatifs[k]))
        d.push_back({Location{whatif_paths[k], 0, 0}, "",
                     p + ": a comparison needs the same actors, channels, poles and turns"});
    if (!d.empty()) throw InputError(std::move(d));
  }
  const std::string default_name =
      whatifs.size() == 1 ? base.name + "_vs_" + whatifs.front().name
                          : base.name + "_vs_" + std::to_string(whatifs.size()) + "_whatifs";
  if (vm.count("estimate")) {
    std::cout << format_comparison_estimate(estimate_comparison(base, whatif_ptrs, first),
                                            whatifs.size(), replicates);
    return kExitOk;
  }
  const std::string out =
      vm.count("output") ? vm["output"].as<std::string>() : default_output(default_name);
  const bool force = vm.count("force") > 0;
  std::vector<Input> inputs = scenario_inputs(base);
  for (const Scenario& w : whatifs)
    for (Input& in : scenario_inputs(w, "what-if")) inputs.push_back(std::move(in));
  if (vm.count("posterior"))
    inputs.push_back({vm["posterior"].as<std::string>(), "the --posterior calibration file"});
  if (!from.empty()) inputs.push_back({from, "the --from checkpoint itself"});
  if (const int code = check_output(out, inputs, force); code >= 0) return code;
  const bool quiet = vm.count("quiet") > 0;
  for (const Scenario& w : whatifs)
    if (base.seed != w.seed)
      std::cerr << "geosim: warning: the seed of what-if '" << w.name << "' (" << w.seed
                << ") differs from the base's (" << base.seed
                << "): their runs do not share random numbers; pass --seed to align them\n";
  if (!quiet) {
    std::vector<std::string> names;
    for (const Scenario& w : whatifs) names.push_back("'" + w.name + "'");
    std::cerr << "geosim: comparing " << join_words(names) << " with '" << base.name
              << "': " << replicates << " replicate(s) of " << whatifs.size() + 1
              << " scenarios of " << base.turns << " turns, run ids " << first << ".."
              << first + replicates - 1 << "\n";
  }
  if (!quiet) note_turn_threads("--jobs", jobs, base.n_actors());
  ComparisonProvenance prov;
  prov.base.command_line = joined(all_args);
  prov.base.scenario_file = base_path;
  prov.whatif_files = whatif_paths;
  prov.base.start_time = now_iso();
  if (!from.empty()) {
    prov.base.forked_from = from;
    prov.base.forked_from_hash = ckpt.scenario_hash;
    prov.base.forked_at = ckpt.turn;
  }
  prov.base.host = hostname();
  const auto ids = consecutive_run_ids(first, replicates);
  std::optional<PosteriorDraws> posterior;
  if (vm.count("posterior")) {
    posterior = draw_posterior(vm["posterior"].as<std::string>(), base, ids);
    if (!quiet)
      std::cerr << "geosim: each pair draws its parameters from the posterior of "
                << posterior->file << " (" << posterior->paths.size() << " parameters)\n";
    for (const Scenario& w : whatifs)
      for (const auto& p : paths_the_whatif_sets(base, w, *posterior))
        std::cerr << "geosim: warning: what-if '" << w.name << "' sets " << p
                  << " itself: it keeps its own value; the base draws it from the posterior\n";
    if (!posterior->scenario_sets.empty())
      std::cerr << "geosim: warning: the calibration ran with set: changes ("
                << join_words(posterior->scenario_sets)
                << "); --posterior does not apply them: give them with --set if the compared "
                   "scenarios should have them\n";
  }
  ComparisonSummary summary;
  const int code = run_stoppable(out, quiet, [&] {
    summary = simulate_comparison(base, whatif_ptrs, ids, out, prov, &g_stop,
                                  posterior ? &*posterior : nullptr,
                                  EnsembleOptions{jobs, progress_style(quiet), from});
  });
  if (code == kExitOk) std::cout << format_comparison(summary);
  return code;
}

}  // namespace geosim::cli
