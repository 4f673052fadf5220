// Reading a calibration file (docs/calibration.md): located errors, every problem at once.
#include <cmath>
#include <filesystem>
#include <set>

#include "calib/calib_spec.hpp"
#include "scenario/reader.hpp"
#include "scenario/tree.hpp"
#include "study/sweep_items.hpp"

namespace geosim {

namespace {

namespace fs = std::filesystem;

/// 90% interval half-width in standard deviations of a normal.
constexpr double kZ90 = 1.6448536269514722;

void read_target(Reader& r, const Node& e, const std::string& p, CalibSpec& s,
                 std::set<std::string>& names) {
  std::vector<SweepOutput> one;
  if (!read_sweep_output(r, e, p, one, names, {"observed", "sd", "interval", "source", "use"})) {
    r.error(e, p,
            "expected a target (a map with name, variable, observed, sd...), got " + e.kind_name());
    return;
  }
  CalibTarget t;
  t.output = std::move(one.front());
  if (const Node* v = r.field(e, p, "observed", true))
    if (auto x = r.number(*v, p + ".observed", -1e300, 1e300)) t.observed = *x;
  const Node* sd = e.find("sd");
  const Node* interval = e.find("interval");
  if ((sd == nullptr) == (interval == nullptr))
    r.error(e, p,
            "give the observation's uncertainty: sd (a standard error) or interval: [lo, hi] "
            "(a 90% interval), one of them");
  else if (sd != nullptr) {
    if (auto x = r.number(*sd, p + ".sd", 0.0, 1e300)) {
      if (*x <= 0.0)
        r.error(*sd, p + ".sd", "expected a positive standard error, got " + sd->scalar);
      else
        t.sd = *x;
    }
  } else if (!interval->is_seq() || interval->seq.size() != 2) {
    r.error(*interval, p + ".interval", "expected [lo, hi], a 90% interval");
  } else {
    const auto lo = r.number(interval->seq[0], p + ".interval[0]", -1e300, 1e300);
    const auto hi = r.number(interval->seq[1], p + ".interval[1]", -1e300, 1e300);
    if (lo && hi) {
      if (!(*lo < *hi))
        r.error(*interval, p + ".interval",
                "expected lo < hi, got [" + interval->seq[0].scalar + ", " +
                    interval->seq[1].scalar + "]");
      else
        t.sd = (*hi - *lo) / (2.0 * kZ90);
    }
  }
  if (const Node* v = r.field(e, p, "source", true))
    if (auto x = r.string(*v, p + ".source")) t.source = *x;
  if (const Node* v = e.find("use"))
    if (auto c = r.choice(*v, p + ".use", {"fit", "holdout"}, "use")) t.fit = *c == 0;
  s.targets.push_back(std::move(t));
}

void read_targets(Reader& r, const Node& list, const std::string& path, CalibSpec& s,
                  std::set<std::string>& names) {
  if (!list.is_seq() || list.seq.empty()) {
    r.error(list, path, "expected a list of targets, got " + list.kind_name());
    return;
  }
  for (std::size_t i = 0; i < list.seq.size(); ++i)
    read_target(r, list.seq[i], item_name(path, list.seq[i], i), s, names);
}

void read_method(Reader& r, const Node& m, CalibSpec& s) {
  static const std::vector<std::string> keys = {
      "kind",      "particles",   "replicates", "batch",          "chunk",   "alpha",
      "tolerance", "generations", "budget",     "min_acceptance", "min_ess", "iterations"};
  if (!r.check_map(m, "method", keys)) return;
  s.method_where = m.loc;
  CalibMethodSpec& x = s.method;
  if (const Node* v = r.field(m, "method", "kind", true))
    if (auto c = r.choice(*v, "method.kind", {"abc-smc", "nelder-mead"}, "method"))
      x.kind = static_cast<CalibMethod>(*c);
  const auto integer = [&](const char* key, long long lo, long long hi, auto& out) {
    if (const Node* v = m.find(key))
      if (auto n = r.integer(*v, std::string("method.") + key, lo, hi))
        out = static_cast<std::remove_reference_t<decltype(out)>>(*n);
  };
  const auto real = [&](const char* key, double lo, double hi, double& out) {
    if (const Node* v = m.find(key))
      if (auto n = r.number(*v, std::string("method.") + key, lo, hi)) out = *n;
  };
  integer("particles", 4, 1000000, x.particles);
  integer("replicates", 1, 10000, x.replicates);
  integer("batch", 1, 10000000, x.batch);
  integer("chunk", 1, 1000000, x.chunk);
  integer("generations", 1, 1000, x.generations);
  integer("budget", 1, 1LL << 40, x.budget);
  integer("iterations", 1, 1000000, x.iterations);
  real("alpha", 0.01, 0.99, x.alpha);
  real("tolerance", 0.0, 1e300, x.tolerance);
  real("min_acceptance", 0.0, 0.99, x.min_acceptance);
  real("min_ess", 0.0, 1e12, x.min_ess);
  x.min_ess_default = m.find("min_ess") == nullptr;
  if (x.min_ess_default) x.min_ess = x.particles / 10.0;
  const std::uint64_t first = static_cast<std::uint64_t>(x.particles) * x.replicates;
  if (x.kind == CalibMethod::abc_smc && x.budget < first)
    r.error(m, "method.budget",
            "the budget (" + std::to_string(x.budget) +
                " runs) does not cover the first "
                "generation: particles x replicates = " +
                std::to_string(first) + " runs");
}

CalibSpec read(const Node& root, const std::string& file, const std::string& dir) {
  Diagnostics d;
  Reader r(d);
  CalibSpec s;
  s.file = file;
  const std::vector<std::string> top = {
      "geosim_calibration", "name",    "description",  "scenario", "model", "set", "seed", "method",
      "parameters",         "targets", "targets_files"};
  if (!r.check_map(root, "", top)) d.throw_if_any();
  if (const Node* v = r.field(root, "", "geosim_calibration", true))
    if (auto version = r.integer(*v, "geosim_calibration", 1, 1000); version && *version != 1)
      r.error(*v, "geosim_calibration",
              "calibration format version " + std::to_string(*version) +
                  " is not supported; this geosim reads version 1");
  if (const Node* v = r.field(root, "", "name", true))
    if (auto id = r.identifier(*v, "name")) s.name = *id;
  if (const Node* v = root.find("description"))
    if (auto x = r.string(*v, "description")) s.description = *x;
  if (const Node* v = root.find("model"))
    if (auto c = r.choice(*v, "model", {"scenario", "gaussian"}, "model"))
      s.model = *c == 0 ? SweepModel::scenario : SweepModel::gaussian;
  const Node* scenario = root.find("scenario");
  if (s.model == SweepModel::scenario) {
    if (scenario == nullptr)
      r.error(root, "scenario", "missing required key 'scenario' (the scenario file to fit)");
    else if (auto x = r.string(*scenario, "scenario")) {
      s.scenario = (fs::path(dir) / *x).lexically_normal().string();
      if (std::error_code ec; !fs::is_regular_file(s.scenario, ec))
        r.error(*scenario, "scenario", "scenario file '" + s.scenario + "' does not exist");
    }
  } else if (scenario != nullptr) {
    r.error(*scenario, "scenario", "model gaussian takes no scenario");
  }
  if (const Node* v = root.find("set")) {
    if (!v->is_seq())
      r.error(*v, "set", "expected a list of PATH=VALUE changes, got " + v->kind_name());
    else
      for (std::size_t i = 0; i < v->seq.size(); ++i)
        if (auto x = r.string(v->seq[i], "set[" + std::to_string(i) + "]")) s.sets.push_back(*x);
  }
  if (const Node* v = r.field(root, "", "seed", true))
    if (auto x = r.integer(*v, "seed", 0, 9223372036854775807LL))
      s.seed = static_cast<std::uint64_t>(*x);
  if (const Node* v = r.field(root, "", "method", true)) read_method(r, *v, s);

  std::set<std::string> names;
  if (const Node* v = r.field(root, "", "parameters", true)) {
    if (!v->is_seq() || v->seq.empty())
      r.error(*v, "parameters",
              "expected a non-empty list of parameters, got " +
                  (v->is_seq() ? std::string("an empty list") : v->kind_name()));
    else
      for (std::size_t i = 0; i < v->seq.size(); ++i) {
        const std::string p = item_name("parameters", v->seq[i], i);
        const std::size_t before = s.parameters.size();
        read_sweep_parameter(r, v->seq[i], p, s.parameters, names);
        if (s.parameters.size() == before) continue;
        const SweepParameter& q = s.parameters.back();
        if (!q.levels.empty())
          r.error_at(q.where, p + ".levels", "a calibration parameter takes a prior, not levels");
        if (!q.distribution)
          r.error_at(q.where, p,
                     "needs a prior: uniform: [lo, hi], loguniform: [lo, hi] or normal: "
                     "[mean, sd]");
        else if (q.distribution->kind() == sweep::Distribution::Kind::discrete)
          r.error_at(q.where, p + ".discrete",
                     "a discrete prior is not supported by calibration (the perturbation kernel "
                     "is continuous): use uniform, loguniform or normal");
      }
  }
  const Node* targets = root.find("targets");
  const Node* files = root.find("targets_files");
  if (targets == nullptr && files == nullptr)
    r.error(root, "targets", "missing required key 'targets' (or targets_files)");
  if (targets != nullptr) read_targets(r, *targets, "targets", s, names);
  std::string included;
  if (files != nullptr) {
    if (!files->is_seq())
      r.error(*files, "targets_files", "expected a list of YAML files, got " + files->kind_name());
    else
      for (std::size_t i = 0; i < files->seq.size(); ++i) {
        const std::string p = "targets_files[" + std::to_string(i) + "]";
        auto x = r.string(files->seq[i], p);
        if (!x) continue;
        const std::string path = (fs::path(dir) / *x).lexically_normal().string();
        if (std::error_code ec; !fs::is_regular_file(path, ec)) {
          r.error(files->seq[i], p, "targets file '" + path + "' does not exist");
          continue;
        }
        Node other;
        try {
          other = load_yaml_file(path);
        } catch (const InputError& e) {
          for (const auto& x2 : e.diagnostics()) d.error(x2.where, x2.key_path, x2.message);
          continue;
        }
        if (r.check_map(other, "", {"targets"}))
          if (const Node* list = r.field(other, "", "targets", true))
            read_targets(r, *list, "targets", s, names);
        included += "\n# targets from " + path + "\n" + emit_yaml(other);
      }
  }
  if (d.empty() && s.n_fit() == 0)
    r.error(targets ? *targets : root, "targets", "no target has use: fit: nothing to fit");
  d.throw_if_any();
  s.resolved_yaml = emit_yaml(root) + included;
  // What decides the generations' contents: all but the stopping rules (generations, budget,
  // the floors), so a calibration resumed with more generations or a larger budget continues the
  // same generations. The target tolerance stays in: it bounds the last generations' epsilon.
  Node identity = root;
  if (Node* m = identity.find("method"); m != nullptr && m->is_map())
    std::erase_if(m->map, [](const auto& kv) {
      return kv.first == "generations" || kv.first == "budget" || kv.first == "min_acceptance" ||
             kv.first == "min_ess";
    });
  s.identity_yaml = emit_yaml(identity) + included;
  return s;
}

}  // namespace

CalibSpec read_calibration_file(const std::string& path) {
  const Node root = load_yaml_file(path);
  return read(root, path, fs::path(path).parent_path().string());
}

CalibSpec read_calibration_text(const std::string& text, const std::string& name,
                                const std::string& dir) {
  return read(parse_yaml(text, name), name, dir);
}

}  // namespace geosim
