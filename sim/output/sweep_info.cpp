#include "output/sweep_info.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>

#include "core/error.hpp"
#include "core/text.hpp"
#include "output/h5_helpers.hpp"
#include "output/info_reader.hpp"

namespace geosim {

namespace {

constexpr std::string_view kPlanKind = "geosim sweep plan";
constexpr std::string_view kMergedKind = "merged geosim sweep file";
constexpr std::string_view kPlanFormat = "geosim-sweep-plan";
constexpr std::string_view kMergedFormat = "geosim-sweep";
constexpr int kSweepVersion = 1;
/// Rows (design points or runs) read at a time.
constexpr hsize_t kBlock = 65536;
/// The most runs a sweep file may claim (the planner refuses more than 10^9).
constexpr std::int64_t kMaxRuns = 1'000'000'000;

/// The index tables of `sweep analyze`, in the order it writes them.
constexpr const char* kIndexTables[] = {"sobol_s1",  "sobol_s1_low",   "sobol_s1_high",
                                        "sobol_st",  "sobol_st_low",   "sobol_st_high",
                                        "morris_mu", "morris_mu_star", "morris_sigma"};

std::string short_number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", x + 0.0);  // + 0.0: -0 as 0
  return buf;
}

/// "name [unit]", or the name alone for a dimensionless or unknown unit.
std::string with_unit(const std::string& name, const std::string& unit) {
  return unit.empty() || unit == "1" ? name : name + " [" + unit + "]";
}

/// "sobol (n = 4)", "morris (n = 4, 4 levels)", "grid".
std::string design_text(const std::string& design, std::uint64_t n, int levels) {
  std::string out = design;
  if (n > 0 && (design == "sobol" || design == "morris" || design == "mc" || design == "lhs"))
    out += " (n = " + std::to_string(n) +
           (design == "morris" && levels > 0 ? ", " + std::to_string(levels) + " levels"
                                             : std::string()) +
           ")";
  return out;
}

std::string model_text(const std::string& model, const std::string& scenario,
                       const std::string& hash) {
  return model == "scenario" || model.empty() ? "scenario " + scenario + " (hash " + hash + ")"
                                              : model + " test function";
}

std::string trajectories_text(const std::vector<std::string>& names,
                              const std::vector<std::string>& dates) {
  std::string out = join_words(names) + " at " + count_of(dates.size(), "sampled turn");
  if (!dates.empty()) out += " (" + dates.front() + " .. " + dates.back() + ")";
  return out;
}

/// Which tables of `sweep analyze` the file holds.
std::string indices_text(const SweepFileInfo& info) {
  const auto& t = info.index_tables;
  const auto count = [&](std::string_view prefix) {
    return std::count_if(t.begin(), t.end(),
                         [&](const std::string& x) { return x.rfind(prefix, 0) == 0; });
  };
  if (t.empty()) return "none (`geosim sweep analyze " + info.path + "` adds them)";
  if (count("sobol_") == 6 && t.size() == 6)
    return "Sobol' S1 and ST (sobol_s1, sobol_st)" +
           (info.sobol_bootstrap > 0
                ? ", " + summary::fixed(100.0 * info.sobol_confidence, 0) + "% intervals from " +
                      std::to_string(info.sobol_bootstrap) + " bootstrap resamples (_low, _high)"
                : std::string(" with intervals (_low, _high)"));
  if (count("morris_") == 3 && t.size() == 3)
    return "Morris mu, mu* and sigma (morris_mu, morris_mu_star, morris_sigma)";
  return "incomplete: only " + join_words(t);
}

herr_t collect_trajectory(hid_t, const char* name, const H5L_info_t*, void* data) {
  constexpr std::string_view kSuffix = "_trajectory";
  const std::string_view n(name);
  if (n.size() > kSuffix.size() && n.substr(n.size() - kSuffix.size()) == kSuffix)
    static_cast<std::vector<std::string>*>(data)->emplace_back(
        n.substr(0, n.size() - kSuffix.size()));
  return 0;
}

}  // namespace

namespace summary {

SweepPlanInfo read_plan(const std::string& path) {
  SweepPlanInfo p;
  p.path = path;
  // The plan's description, checked as every sweep command checks it.
  p.layout = read_sweep_plan(path);
  return h5::read_file(path, kPlanKind, [&] {
    Reader r(path);
    r.open(kPlanKind);
    p.format_version = r.version({kSweepVersion});
    p.geosim_version = r.text("geosim_version");
    p.git_commit = r.text("git_commit");
    p.hdf5_version = r.text("hdf5_version");
    const SweepLayout& l = p.layout;
    const hsize_t np = l.parameters.size();
    const h5::Handle ds = r.dataset("point_values", {l.n_points, np},
                                    "(design_point, parameter): points x parameters");
    if (l.n_points * np > kMaxRangeValues || np == 0) return p;
    p.value_min.assign(np, std::numeric_limits<double>::infinity());
    p.value_max.assign(np, -std::numeric_limits<double>::infinity());
    const hsize_t rows = std::max<hsize_t>(1, kBlock / np);  // about kBlock values at a time
    for (hsize_t first = 0; first < l.n_points; first += rows) {
      const hsize_t count = std::min(rows, l.n_points - first);
      const std::vector<double> v = h5::read_block(ds.get(), {first, 0}, {count, np});
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (!std::isfinite(v[i])) r.fail("point_values", "a design value is not finite");
        p.value_min[i % np] = std::min(p.value_min[i % np], v[i]);
        p.value_max[i % np] = std::max(p.value_max[i % np], v[i]);
      }
    }
    return p;
  });
}

SweepFileInfo read_merged_sweep(const Reader& r) {
  SweepFileInfo s;
  s.path = r.path();
  if (r.required_text("format") != kMergedFormat)
    r.fail("format", "not a merged geosim sweep file (`geosim sweep merge` writes one)");
  s.format_version = r.version({kSweepVersion});
  s.geosim_version = r.text("geosim_version");
  s.git_commit = r.text("git_commit");
  s.hdf5_version = r.text("hdf5_version");
  s.name = r.required_text("name");
  s.description = r.text("description");
  s.plan_hash = r.text("plan_hash");
  s.model = r.text("model");
  s.design = r.required_text("design");
  s.scenario_name = r.text("scenario_name");
  s.scenario_hash = r.text("scenario_hash");
  s.design_n = static_cast<std::uint64_t>(r.integer("design_n"));
  s.morris_levels = static_cast<int>(r.integer("morris_levels"));
  s.seed = static_cast<std::uint64_t>(r.integer("seed"));
  const std::int64_t runs = r.required_integer("runs");
  const std::int64_t points = r.required_integer("points");
  const std::int64_t replicates = r.required_integer("replicates");
  if (runs < 0 || runs > kMaxRuns || replicates < 1 || points < 0 || points * replicates != runs)
    r.fail("runs", "inconsistent counts: " + std::to_string(runs) + " runs for " +
                       std::to_string(points) + " points x " + std::to_string(replicates) +
                       " replicates");
  s.runs = static_cast<std::uint64_t>(runs);
  s.points = static_cast<std::uint64_t>(points);
  s.replicates = static_cast<int>(replicates);
  s.parameters = r.labels("parameter");
  s.parameter_units = r.labels_of("parameter_unit", s.parameters.size());
  s.metrics = r.labels("metric");
  for (const auto& m : s.metrics) {
    const h5::Handle ds = r.dataset(m, {s.runs}, "(run): one value per run");
    s.metric_units.push_back(
        h5::has_attr(ds.get(), "units") ? h5::read_string_attr(ds.get(), "units") : std::string());
  }

  // Every run's status, a block at a time; beyond kMaxCountedRuns the merge's own counts (the
  // root attributes runs_ok, runs_failed, runs_missing): counting would take seconds.
  const h5::Handle status = r.dataset("status", {s.runs}, "(run): one value per run");
  if (s.runs > kMaxCountedRuns) {
    s.statuses_counted = false;
    s.ok = static_cast<std::uint64_t>(r.required_integer("runs_ok"));
    s.failed = static_cast<std::uint64_t>(r.required_integer("runs_failed"));
    s.missing = static_cast<std::uint64_t>(r.required_integer("runs_missing"));
    if (s.ok > s.runs || s.failed > s.runs || s.missing > s.runs ||
        s.ok + s.failed + s.missing != s.runs)
      r.fail("runs_ok", "runs_ok, runs_failed and runs_missing do not add up to the runs");
  }
  for (hsize_t first = 0; s.statuses_counted && first < s.runs; first += kBlock) {
    const hsize_t count = std::min<hsize_t>(kBlock, s.runs - first);
    for (const double x : h5::read_block(status.get(), {first}, {count})) {
      if (x == 0)
        ++s.ok;
      else if (x == 1)
        ++s.failed;
      else if (x == 2)
        ++s.missing;
      else
        r.fail("status", "a run status is not 0 (ok), 1 (failed) or 2 (missing)");
    }
  }

  if (r.has_dataset("sample_date")) {
    s.sample_dates = r.labels("sample_date");
    hsize_t index = 0;
    h5::check_status(H5Literate(r.root(), H5_INDEX_NAME, H5_ITER_NATIVE, &index, collect_trajectory,
                                &s.trajectories),
                     "listing the trajectories");
  }
  const std::vector<hsize_t> table{s.metrics.size(), s.parameters.size()};
  for (const char* name : kIndexTables) {
    if (!r.has_dataset(name)) continue;
    if (r.shape(name) != table)
      r.fail(name, std::string("dataset '") + name + "' is not a (metric, parameter) table");
    s.index_tables.push_back(name);
  }
  s.sobol_bootstrap = r.integer("sobol_bootstrap");
  s.sobol_confidence = r.real("sobol_confidence");
  return s;
}

}  // namespace summary

SweepPlanInfo read_sweep_plan_info(const std::string& path) {
  return summary::read_plan(path);
}

SweepFileInfo read_sweep_file_info(const std::string& path) {
  return h5::read_file(path, kMergedKind, [&] {
    summary::Reader r(path);
    r.open(kMergedKind);
    return summary::read_merged_sweep(r);
  });
}

std::string format_sweep_plan_info(const SweepPlanInfo& info) {
  const SweepLayout& l = info.layout;
  summary::Lines s;
  s.raw(info.path + " (geosim sweep plan, format version " + std::to_string(info.format_version) +
        ")\n");
  s.line("sweep", l.name + " (plan " + l.plan_hash + ")");
  if (!l.description.empty()) s.line("description", summary::wrap(l.description));
  s.line("model", model_text(l.model, l.scenario_name, l.scenario_hash));
  s.line("design", design_text(l.design, l.design_n, l.morris_levels) + ": " +
                       count_of(l.n_points, "point") + " x " +
                       count_of(static_cast<std::uint64_t>(l.replicates), "replicate") + " = " +
                       count_of(l.n_runs, "run") + ", in " + count_of(l.n_chunks(), "chunk") +
                       " of " + std::to_string(l.chunk));
  s.line("seed", std::to_string(l.seed) + " (run r uses the random key (seed, r))");
  s.line("parameters", std::to_string(l.parameters.size()) +
                           (info.value_min.empty() && l.n_points > 0
                                ? " (the design is too large to read its ranges here)"
                                : std::string()));
  std::size_t width = 0;
  for (const auto& p : l.parameters) width = std::max(width, p.size());
  for (std::size_t k = 0; k < l.parameters.size(); ++k) {
    std::string text = l.parameters[k] + std::string(width - l.parameters[k].size() + 2, ' ') +
                       with_unit(l.parameter_paths[k], l.parameter_units[k]);
    if (k < info.value_min.size())
      text +=
          ", values " + short_number(info.value_min[k]) + " .. " + short_number(info.value_max[k]);
    s.more(text);
  }
  std::vector<std::string> metrics;
  for (std::size_t m = 0; m < l.metrics.size(); ++m)
    metrics.push_back(with_unit(l.metrics[m], l.metric_units[m]));
  s.line("metrics", std::to_string(metrics.size()) + ": " + join_words(metrics));
  if (!l.trajectories.empty()) {
    std::vector<std::string> names;
    for (const auto& t : l.trajectories) names.push_back(t.name);
    s.line("trajectories", trajectories_text(names, l.trajectory_dates));
  }
  s.line("geosim",
         info.geosim_version + " (commit " + info.git_commit + "), HDF5 " + info.hdf5_version);
  const std::string dir = std::filesystem::path(info.path).parent_path().string();
  s.line("progress", "`geosim sweep status " + (dir.empty() ? std::string(".") : dir) +
                         "` (the runs committed in its folder)");
  return s.str();
}

std::string format_sweep_file_info(const SweepFileInfo& info) {
  summary::Lines s;
  s.raw(info.path + " (merged geosim sweep file, format version " +
        std::to_string(info.format_version) + ")\n");
  s.line("sweep", info.name + " (plan " + info.plan_hash + ")");
  if (!info.description.empty()) s.line("description", summary::wrap(info.description));
  s.line("model", model_text(info.model, info.scenario_name, info.scenario_hash));
  s.line("design", design_text(info.design, info.design_n, info.morris_levels) + ": " +
                       count_of(info.points, "point") + " x " +
                       count_of(static_cast<std::uint64_t>(info.replicates), "replicate") + " = " +
                       count_of(info.runs, "run"));
  s.line("seed", std::to_string(info.seed) + " (run r uses the random key (seed, r))");
  s.line("runs", std::to_string(info.runs) + ": " + std::to_string(info.ok) + " ok, " +
                     std::to_string(info.failed) + " failed, " + std::to_string(info.missing) +
                     " not run (`status` 0, 1, 2" +
                     (info.failed > 0 ? "; `message` says why a run failed" : "") +
                     (info.statuses_counted ? ")" : "; as merged: too many runs to count here)"));
  std::vector<std::string> params, metrics;
  for (std::size_t k = 0; k < info.parameters.size(); ++k)
    params.push_back(with_unit(info.parameters[k], info.parameter_units[k]));
  for (std::size_t m = 0; m < info.metrics.size(); ++m)
    metrics.push_back(with_unit(info.metrics[m], info.metric_units[m]));
  s.line("parameters", std::to_string(params.size()) + ": " + join_words(params));
  s.line("metrics", std::to_string(metrics.size()) + ": " + join_words(metrics));
  if (!info.sample_dates.empty() || !info.trajectories.empty())
    s.line("trajectories", trajectories_text(info.trajectories, info.sample_dates));
  s.line("indices", indices_text(info));
  s.line("geosim",
         info.geosim_version + " (commit " + info.git_commit + "), HDF5 " + info.hdf5_version);
  return s.str();
}

}  // namespace geosim
