#include "app/commands.hpp"

#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "app/run_pipeline.hpp"
#include "baseline_scenario.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "core/version.hpp"
#include "model/params.hpp"
#include "output/run_info.hpp"
#include "scenario/load.hpp"

namespace geosim {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

const char* kUsage =
    "geosim: an agent-based simulator of geopolitical influence\n\n"
    "Usage: geosim COMMAND [OPTIONS]\n\n"
    "Commands:\n"
    "  run [SCENARIO]     simulate a scenario (the embedded 2022 Central Asia baseline if none)\n"
    "                     and write its HDF5 output\n"
    "  validate SCENARIO  check a scenario and report every problem with its location\n"
    "  info OUT.h5        summarise a run file: actors, turns, provenance, influence shares\n"
    "  params             list the model parameters: default, unit, meaning, source\n\n"
    "Options:\n"
    "  -h, --help         this help; `geosim COMMAND --help` for a command's options\n"
    "  --version          print the version and the git commit\n\n"
    "Exit codes: 0 ok, 1 internal error, 2 bad input (scenario, command line, input file),\n"
    "3 the output file exists (use --force to replace it).\n";

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
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  if (vm.count("help")) {
    std::cout << usage << "\n" << visible << "\n";
    return false;
  }
  po::notify(vm);
  return true;
}

Scenario load(const std::string& path, const std::vector<std::string>& sets) {
  if (path.empty())
    return load_scenario_text(std::string(baseline_scenario_text()), std::string(kBaselineName),
                              sets);
  return load_scenario(path, sets);
}

int cmd_run(const std::vector<std::string>& args, const std::vector<std::string>& all_args) {
  po::options_description opts("Options of `geosim run`");
  opts.add_options()("help,h", "this help")(
      "scenario", po::value<std::string>()->default_value(""),
      "scenario YAML (default: the embedded baseline central_asia_2022)")(
      "output,o", po::value<std::string>(), "output HDF5 file (default: SCENARIO_NAME.h5)")(
      "seed", po::value<std::uint64_t>(), "root seed (default: the scenario's metadata.seed)")(
      "run-id", po::value<std::uint64_t>()->default_value(0), "run id, the second RNG key")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "PATH=VALUE: change the scenario, e.g. --set parameters.dependence_inertia=0.2 "
      "(repeatable; applied in order)")("force", "replace the output file if it exists")(
      "quiet,q", "no progress messages");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  if (!parse(args, opts, pos, vm,
             "Usage: geosim run [SCENARIO] [-o OUT.h5] [--seed N] "
             "[--set PATH=VALUE]... [--force]"))
    return kExitOk;
  std::vector<std::string> sets;
  if (vm.count("set")) sets = vm["set"].as<std::vector<std::string>>();
  if (vm.count("seed"))
    sets.push_back("metadata.seed=" + std::to_string(vm["seed"].as<std::uint64_t>()));
  const std::string scenario_path = vm["scenario"].as<std::string>();
  const Scenario sc = load(scenario_path, sets);
  const std::string out = vm.count("output") ? vm["output"].as<std::string>() : sc.name + ".h5";
  if (fs::exists(out) && !vm.count("force")) {
    std::cerr << "geosim: error: output file '" << out
              << "' exists; choose another -o or pass --force to replace it\n";
    return kExitOutputExists;
  }
  if (const auto dir = fs::path(out).parent_path(); !dir.empty() && !fs::is_directory(dir)) {
    std::cerr << "geosim: error: the folder '" << dir.string() << "' of -o does not exist\n";
    return kExitBadInput;
  }
  const bool quiet = vm.count("quiet") > 0;
  if (!quiet)
    std::cerr << "geosim: running '" << sc.name << "': " << sc.n_actors() << " actors, " << sc.turns
              << " turns from " << sc.start.str() << ", seed " << sc.seed << "\n";
  Provenance prov;
  prov.command_line = joined(all_args);
  prov.scenario_file = scenario_path.empty() ? std::string(kBaselineName) : scenario_path;
  prov.start_time = now_iso();
  prov.host = hostname();
  const auto t0 = std::chrono::steady_clock::now();
  simulate(sc, vm["run-id"].as<std::uint64_t>(), out, prov);
  if (!quiet)
    std::cerr << "geosim: wrote " << out << " in "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()
              << " s\n";
  return kExitOk;
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
  opts.add_options()("help,h", "this help")("file", po::value<std::string>()->required(),
                                            "a run file written by geosim run");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  if (!parse(args, opts, pos, vm, "Usage: geosim info OUT.h5")) return kExitOk;
  std::cout << format_run_info(read_run_info(vm["file"].as<std::string>()));
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
    if (md)
      std::cout << "| `" << p.name << "` | " << v.str() << " | " << p.unit << " | " << p.meaning
                << " | " << p.source << " |\n";
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
    std::cerr << "geosim: error: unknown command '" << args[0] << "'"
              << did_you_mean(args[0], {"run", "validate", "info", "params"})
              << "; see `geosim --help`\n";
    return kExitBadInput;
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    const auto n = e.diagnostics().size();
    std::cerr << "geosim: " << n << (n == 1 ? " error" : " errors") << "; nothing was written\n";
    return kExitBadInput;
  } catch (const po::error& e) {
    std::cerr << "geosim: error: " << e.what() << "; see `geosim " << args[0] << " --help`\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "geosim: internal error: " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace geosim
