// Sweep files: every bad input is reported with file:line:column, key path and what was
// expected; a good one resolves into a deterministic plan.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "model/step.hpp"
#include "study/run_eval.hpp"
#include "study/sweep_plan.hpp"
#include "test_paths.hpp"

using namespace geosim;

namespace {

const std::string kHead =
    "geosim_sweep: 1\n"
    "name: t\n"
    "scenario: central_asia_2022.yaml\n"
    "seed: 1\n";

const std::string kBody =
    "design: {kind: mc, n: 4}\n"
    "parameters:\n"
    "  - {name: inertia, path: parameters.influence_inertia, uniform: [0.05, 0.3]}\n"
    "outputs:\n"
    "  - {name: us_tjk, variable: influence_share, actor: USA, target: TJK}\n";

std::vector<Diagnostic> errors_of(const std::string& text, bool plan = false) {
  try {
    const SweepSpec s = read_sweep_text(text, "bad.sweep.yaml", GEOSIM_SCENARIOS_DIR);
    if (plan) (void)make_plan(s);
  } catch (const InputError& e) {
    return e.diagnostics();
  }
  return {};
}

std::vector<double> all_points(const SweepPlan& p) {
  std::vector<double> v(p.n_points * p.n_parameters());
  p.points(0, p.n_points, v);
  return v;
}

/// The Ishigami function on a grid of 32 levels for x1 .. x9: 32^9 = 2^45 points.
std::string ishigami_grid() {
  std::string t =
      "geosim_sweep: 1\nname: t\nmodel: ishigami\nseed: 1\ndesign: {kind: grid}\n"
      "parameters:\n";
  for (int k = 1; k <= 9; ++k) {
    t += "  - {name: x" + std::to_string(k) + ", path: x" + std::to_string(k) + ", levels: [";
    for (int l = 0; l < 32; ++l) t += (l ? ", " : "") + std::to_string(l);
    t += "]}\n";
  }
  return t + "outputs:\n  - {name: y, variable: y}\n";
}

struct Bad {
  const char* what;
  std::string text;
  bool plan;
  const char* key_path;
  int line;
  const char* message;
};

}  // namespace

TEST_CASE("a valid sweep file reads and plans") {
  REQUIRE(errors_of(kHead + kBody, true).empty());
  const SweepSpec s = read_sweep_text(kHead + kBody, "ok.sweep.yaml", GEOSIM_SCENARIOS_DIR);
  const SweepPlan a = make_plan(s), b = make_plan(s);
  CHECK(a.n_points == 4);
  CHECK(a.n_runs() == 4);
  CHECK(all_points(a) == all_points(b));  // deterministic
  CHECK(a.hash == b.hash);
  for (double v : all_points(a)) {
    CHECK(v >= 0.05);
    CHECK(v <= 0.3);
  }
  // Another seed, another design and hash.
  SweepSpec s2 = s;
  s2.seed = 2;
  s2.resolved_yaml += "#";
  CHECK(all_points(make_plan(s2)) != all_points(a));
  CHECK(make_plan(s2).hash != a.hash);
}

TEST_CASE("every bad sweep file is refused with its location, key path and rule") {
  const std::vector<Bad> cases = {
      {"unknown top-level key", kHead + "replicate: 2\n" + kBody, false, "replicate", 5,
       "did you mean 'replicates'"},
      {"missing seed", "geosim_sweep: 1\nname: t\nscenario: central_asia_2022.yaml\n" + kBody,
       false, "seed", 1, "missing required key 'seed'"},
      {"format version",
       "geosim_sweep: 2\nname: t\nscenario: central_asia_2022.yaml\nseed: 1\n" + kBody, false,
       "geosim_sweep", 1, "version 2 is not supported"},
      {"missing scenario file", "geosim_sweep: 1\nname: t\nscenario: nope.yaml\nseed: 1\n" + kBody,
       false, "scenario", 3, "does not exist"},
      {"unknown design",
       kHead + "design: {kind: sobolx, n: 4}\n" + kBody.substr(kBody.find("parameters")), false,
       "design.kind", 5, "did you mean 'sobol'"},
      {"sobol n not a power of two",
       kHead +
           "design: {kind: sobol, n: 12}\nparameters:\n"
           "  - {name: a, path: parameters.influence_inertia, uniform: [0.05, 0.3]}\n"
           "  - {name: b, path: parameters.dependence_inertia, uniform: [0.05, 0.3]}\n" +
           kBody.substr(kBody.find("outputs")),
       false, "design.n", 5, "power of two"},
      {"sobol with one parameter",
       kHead + "design: {kind: sobol, n: 8}\n" + kBody.substr(kBody.find("parameters")), false,
       "design.kind", 5, "at least 2 parameters"},
      {"morris odd levels",
       kHead + "design: {kind: morris, n: 4, levels: 3}\n" + kBody.substr(kBody.find("parameters")),
       false, "design.levels", 5, "even number"},
      {"no distribution",
       kHead +
           "design: {kind: lhs, n: 4}\nparameters:\n  - {name: a, path: "
           "parameters.influence_inertia}\n" +
           kBody.substr(kBody.find("outputs")),
       false, "parameters[a]", 7, "needs a distribution"},
      {"bad uniform",
       kHead +
           "design: {kind: mc, n: 4}\nparameters:\n  - {name: a, path: "
           "parameters.influence_inertia, uniform: [0.3, 0.05]}\n" +
           kBody.substr(kBody.find("outputs")),
       false, "parameters[a].uniform", 7, "uniform"},
      {"two distributions",
       kHead +
           "design: {kind: mc, n: 4}\nparameters:\n  - {name: a, path: "
           "parameters.influence_inertia, uniform: [0.05, 0.3], normal: [0.1, 0.01]}\n" +
           kBody.substr(kBody.find("outputs")),
       false, "parameters[a]", 7, "give one distribution"},
      {"grid of more than 2^40 points", ishigami_grid(), true, "design", 5,
       "more than 2^40 points"},
      {"a design of 10^12 runs",
       "geosim_sweep: 1\nname: t\nmodel: ishigami\nseed: 1\nreplicates: 1000\n"
       "design: {kind: mc, n: 1000000000}\nparameters:\n"
       "  - {name: x1, path: x1, uniform: [-3, 3]}\n  - {name: x2, path: x2, uniform: [-3, 3]}\n"
       "  - {name: x3, path: x3, uniform: [-3, 3]}\noutputs:\n  - {name: y, variable: y}\n",
       true, "design", 6, "1000000000 points x 1000 replicates = 1e+12 runs"},
      {"grid without levels",
       kHead + "design: {kind: grid}\n" + kBody.substr(kBody.find("parameters")), false,
       "parameters[inertia]", 7, "needs levels"},
      {"reserved name",
       kHead +
           "design: {kind: mc, n: 4}\nparameters:\n  - {name: status, path: "
           "parameters.influence_inertia, uniform: [0.05, 0.3]}\n" +
           kBody.substr(kBody.find("outputs")),
       false, "parameters[status].name", 7, "uses itself"},
      {"duplicate name",
       kHead +
           "design: {kind: mc, n: 4}\nparameters:\n  - {name: us_tjk, path: "
           "parameters.influence_inertia, uniform: [0.05, 0.3]}\n" +
           kBody.substr(kBody.find("outputs")),
       false, "outputs[us_tjk].name", 9, "duplicate name 'us_tjk'"},
      {"unknown reduce",
       kHead + kBody.substr(0, kBody.find("outputs")) +
           "outputs:\n  - {name: x, variable: gdp, actor: TJK, reduce: average}\n",
       false, "outputs[x].reduce", 9, "expected one of: last, mean, sum, min, max"},
      {"unknown path",
       kHead +
           "design: {kind: mc, n: 4}\nparameters:\n  - {name: a, path: "
           "parameters.influence_inertai, uniform: [0.05, 0.3]}\n" +
           kBody.substr(kBody.find("outputs")),
       true, "parameters[a].path", 7, "influence_inertia"},
      {"unknown actor in a path",
       kHead +
           "design: {kind: mc, n: 4}\nparameters:\n  - {name: a, path: \"actors[TJX].gdp\", "
           "uniform: [5, 10]}\n" +
           kBody.substr(kBody.find("outputs")),
       true, "parameters[a].path", 7, "TJK"},
      {"unknown variable",
       kHead + kBody.substr(0, kBody.find("outputs")) +
           "outputs:\n  - {name: x, variable: influense, actor: USA, target: TJK}\n",
       true, "outputs[x].variable", 9, "did you mean 'influence'"},
      {"missing axis label",
       kHead + kBody.substr(0, kBody.find("outputs")) +
           "outputs:\n  - {name: x, variable: influence, actor: USA}\n",
       true, "outputs[x].target", 9, "needs target"},
      {"unknown actor label",
       kHead + kBody.substr(0, kBody.find("outputs")) +
           "outputs:\n  - {name: x, variable: gdp, actor: TJX}\n",
       true, "outputs[x].actor", 9, "did you mean 'TJK'"},
      {"axis the variable lacks",
       kHead + kBody.substr(0, kBody.find("outputs")) +
           "outputs:\n  - {name: x, variable: gdp, actor: TJK, target: USA}\n",
       true, "outputs[x].target", 9, "has no target axis"},
      {"window outside the run",
       kHead + kBody.substr(0, kBody.find("outputs")) +
           "outputs:\n  - {name: x, variable: gdp, actor: TJK, reduce: mean, from: 2030-01}\n",
       true, "outputs[x].from", 9, "expected a turn from 0 to 35"},
      {"unknown trajectory variable",
       kHead + kBody + "trajectories: {every: 3, variables: [gdpp]}\n", true,
       "trajectories.variables", 10, "did you mean 'gdp'"},
      {"ishigami path",
       "geosim_sweep: 1\nname: t\nmodel: ishigami\nseed: 1\ndesign: {kind: mc, n: 4}\n"
       "parameters:\n  - {name: a, path: x1, uniform: [-3, 3]}\n"
       "  - {name: b, path: x2, uniform: [-3, 3]}\n  - {name: c, path: y3, uniform: [-3, 3]}\n"
       "outputs:\n  - {name: y, variable: y}\n",
       true, "parameters[c].path", 9, "x1, x2, x3"},
  };
  for (const Bad& b : cases) {
    INFO(std::string(b.what));
    const auto ds = errors_of(b.text, b.plan);
    REQUIRE(!ds.empty());
    bool found = false;
    for (const auto& d : ds)
      if (d.key_path == b.key_path && d.message.find(b.message) != std::string::npos) {
        found = true;
        CHECK(d.where.file == "bad.sweep.yaml");
        CHECK(d.where.line == b.line);
        CHECK(d.where.column > 0);
      }
    if (!found)
      for (const auto& d : ds) MESSAGE(d.str());
    CHECK(found);
  }
}

TEST_CASE("a run outside a field's range fails with its message; the others do not") {
  const std::string text =
      kHead +
      "design: {kind: grid}\nparameters:\n"
      "  - {name: susc, path: \"actors[TJK].susceptibility\", levels: [0.5, 1.5]}\n" +
      kBody.substr(kBody.find("outputs"));
  const SweepPlan p = make_plan(read_sweep_text(text, "f.sweep.yaml", GEOSIM_SCENARIOS_DIR));
  REQUIRE(p.n_runs() == 2);
  const RunOutcome ok = evaluate_run(p, 0), bad = evaluate_run(p, 1);
  CHECK(ok.ok);
  CHECK(std::isfinite(ok.metrics[0]));
  CHECK_FALSE(bad.ok);
  CHECK(bad.message.find("susceptibility") != std::string::npos);
  CHECK(std::isnan(bad.metrics[0]));
}

TEST_CASE("a run's metrics are the run file's values, reduced as asked") {
  // reduce: last of influence_share equals what `geosim run` records at the last turn; the
  // plan's seed and run id key the random numbers.
  const std::string text =
      kHead +
      "design: {kind: grid}\nparameters:\n"
      "  - {name: inertia, path: parameters.influence_inertia, levels: [0.15]}\n"
      "outputs:\n"
      "  - {name: last, variable: influence_share, actor: USA, target: TJK}\n"
      "  - {name: mean, variable: gdp, actor: RUS, reduce: mean, from: 2, to: 4}\n"
      "  - {name: sum, variable: gdp, actor: RUS, reduce: sum, from: 2, to: 4}\n"
      "  - {name: max, variable: reexports, actor: TJK, reduce: max}\n";
  const SweepPlan p = make_plan(read_sweep_text(text, "m.sweep.yaml", GEOSIM_SCENARIOS_DIR));
  const RunOutcome r = evaluate_run(p, 0);
  REQUIRE(r.ok);
  // By hand: the same scenario (inertia 0.15 is the default), seed 1, run id 0.
  Scenario sc = *p.scenario;
  const CounterRng rng(1, 0);
  World w = make_world(sc);
  const int usa = sc.actor_index("USA"), tjk = sc.actor_index("TJK"), rus = sc.actor_index("RUS");
  double sum = 0.0, mx = -1.0;
  for (int t = 0; t < sc.turns; ++t) {
    step(w, sc, rng);
    if (t >= 2 && t <= 4) sum += w.gdp(rus);
    mx = std::max(mx, w.reexports(tjk));
  }
  CHECK(r.metrics[0] == w.share(usa, tjk));
  CHECK(r.metrics[1] == doctest::Approx(sum / 3.0).epsilon(1e-14));
  CHECK(r.metrics[2] == doctest::Approx(sum).epsilon(1e-14));
  CHECK(r.metrics[3] == mx);
}
