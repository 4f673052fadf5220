#include "output/calibration_store.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/version.hpp"
#include "core/weighted_stats.hpp"
#include "output/h5_helpers.hpp"
#include "output/temp_file.hpp"

namespace geosim::calib {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPopulationFormat = "geosim-calibration-population";
constexpr std::string_view kOutputFormat = "geosim-calibration";
constexpr std::int32_t kFormatVersion = 1;

[[noreturn]] void bad_file(const std::string& path, const std::string& why) {
  throw FileError(path, why);
}

/// Importance weights: finite, not negative, summing to 1 (and at least one particle).
void check_weights(const std::string& path, const std::vector<double>& weight) {
  if (weight.empty()) bad_file(path, "a generation without particles");
  double total = 0.0;
  for (double w : weight) {
    if (!(w >= 0.0) || !std::isfinite(w)) bad_file(path, "a weight is negative or not finite");
    total += w;
  }
  if (!(std::abs(total - 1.0) < 1e-6)) bad_file(path, "the generation's weights do not sum to 1");
}

void write_matrix(hid_t f, const char* name, const std::vector<double>& v, hsize_t rows,
                  hsize_t cols) {
  h5::Handle ds = h5::create_dataset(f, name, H5T_IEEE_F64LE, {rows, cols}, false);
  if (rows * cols > 0) h5::write_block(ds.get(), {0, 0}, {rows, cols}, v);
}

std::vector<double> read_all(const std::string& path, hid_t f, const char* name,
                             const std::vector<hsize_t>& expect) {
  if (!h5::has_dataset(f, name)) bad_file(path, std::string("no dataset '") + name + "'");
  h5::Handle ds = h5::check(H5Dopen2(f, name, H5P_DEFAULT), name);
  if (h5::shape(ds.get()) != expect)
    bad_file(path, std::string("dataset '") + name + "' has the wrong shape");
  std::vector<hsize_t> start(expect.size(), 0);
  hsize_t n = 1;
  for (auto x : expect) n *= x;
  if (n == 0) return {};
  return h5::read_block(ds.get(), start, expect);
}

/// A dimension scale of integers 0 .. n-1.
h5::Handle index_scale(hid_t f, const char* name, std::size_t n) {
  std::vector<std::int32_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int32_t>(i);
  h5::Handle ds = h5::write_vector(f, name, v, false);
  h5::make_scale(ds.get(), name);
  return ds;
}

h5::Handle string_scale(hid_t f, const char* name, const std::vector<std::string>& v) {
  h5::Handle ds = h5::write_strings(f, name, v);
  h5::make_scale(ds.get(), name);
  return ds;
}

void describe(hid_t ds, std::string_view units, std::string_view long_name) {
  h5::write_attr(ds, "units", units);
  h5::write_attr(ds, "long_name", long_name);
}

/// Weighted median of column k.
double weighted_median(const Population& p, std::size_t k) {
  std::vector<double> x(p.n);
  for (std::size_t i = 0; i < p.n; ++i) x[i] = p.theta[i * p.p + k];
  return weighted_quantile(x, p.weight, 0.5);
}

}  // namespace

std::string population_path(const std::string& dir, int gen) {
  char name[32];
  std::snprintf(name, sizeof name, "gen_%03d", gen);
  return (fs::path(dir) / name / "population.h5").string();
}

void write_population(const std::string& path, const Population& pop, const std::string& key) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  (void)remove_stale_temps(path);
  const std::string tmp = temp_name(path);
  try {
    h5::Handle f = h5::create_file(tmp);
    h5::write_attr(f.get(), "format", kPopulationFormat);
    h5::write_attr(f.get(), "format_version", kFormatVersion);
    h5::write_attr(f.get(), "key", key);
    h5::write_attr(f.get(), "tolerance", pop.tolerance);
    h5::write_attr(f.get(), "acceptance", pop.acceptance);
    h5::write_attr(f.get(), "proposals", static_cast<std::int64_t>(pop.proposals));
    h5::write_attr(f.get(), "failed", static_cast<std::int64_t>(pop.failed));
    h5::write_attr(f.get(), "targets", static_cast<std::int64_t>(pop.k));
    write_matrix(f.get(), "theta", pop.theta, pop.n, pop.p);
    write_matrix(f.get(), "weight", pop.weight, pop.n, 1);
    write_matrix(f.get(), "distance", pop.distance, pop.n, 1);
    write_matrix(f.get(), "simulated", pop.simulated, pop.n, pop.k);
    h5::close_file(f, "closing '" + tmp + "'");
    h5::publish(tmp, path);
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
}

std::optional<Population> read_population(const std::string& path, const std::string& key) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  return h5::read_file(path, "geosim calibration population file", [&] {
    h5::Handle f = h5::open_file(path, "geosim calibration population file");
    if (h5::format_of(f.get()) != kPopulationFormat)
      bad_file(path, "not a calibration population file");
    h5::check_version(f.get(), path, kFormatVersion);
    if (h5::read_string_attr(f.get(), "key") != key)
      bad_file(path,
               "this folder holds another calibration's generations (the calibration file, its "
               "scenario or the geosim build differ); use another folder, or remove this one to "
               "start again");
    Population p;
    h5::Handle th = h5::check(H5Dopen2(f.get(), "theta", H5P_DEFAULT), "theta");
    const auto shape = h5::shape(th.get());
    if (shape.size() != 2) bad_file(path, "dataset 'theta' is not 2-D");
    p.n = shape[0];
    p.p = shape[1];
    p.k = static_cast<std::size_t>(h5::read_int_attr(f.get(), "targets"));
    p.theta = read_all(path, f.get(), "theta", {p.n, p.p});
    p.weight = read_all(path, f.get(), "weight", {p.n, 1});
    p.distance = read_all(path, f.get(), "distance", {p.n, 1});
    p.simulated = read_all(path, f.get(), "simulated", {p.n, p.k});
    p.tolerance = h5::read_double_attr(f.get(), "tolerance");
    p.acceptance = h5::read_double_attr(f.get(), "acceptance");
    p.proposals = static_cast<std::uint64_t>(h5::read_int_attr(f.get(), "proposals"));
    p.failed = static_cast<std::uint64_t>(h5::read_int_attr(f.get(), "failed"));
    check_weights(path, p.weight);
    for (double x : p.theta)
      if (!std::isfinite(x)) bad_file(path, "a particle value is not finite");
    for (double d : p.distance)
      if (!(d >= 0.0) || !std::isfinite(d)) bad_file(path, "a distance is negative or not finite");
    return std::optional<Population>(std::move(p));
  });
}

namespace {

/// The output file, written generation by generation through `next(g)`.
template <class Next>
void write_output(const std::string& out, const OutputInfo& info, int generations, std::size_t n,
                  Next next) {
  std::error_code ec;
  if (const auto parent = fs::path(out).parent_path(); !parent.empty())
    fs::create_directories(parent, ec);
  (void)remove_stale_temps(out);
  const std::string tmp = temp_name(out);
  try {
    h5::Handle f = h5::create_file(tmp);
    const hid_t r = f.get();
    h5::write_attr(r, "format", kOutputFormat);
    h5::write_attr(r, "format_version", kFormatVersion);
    h5::write_attr(r, "name", info.name);
    h5::write_attr(r, "description", info.description);
    h5::write_attr(r, "method", info.method);
    h5::write_attr(r, "tolerance_target", info.tolerance_target);
    h5::write_attr(r, "min_acceptance", info.min_acceptance);
    h5::write_attr(r, "alpha", info.alpha);
    h5::write_attr(r, "particles", static_cast<std::int32_t>(info.particles));
    h5::write_attr(r, "converged", static_cast<std::int32_t>(info.converged ? 1 : 0));
    h5::write_attr(r, "stop_reason", info.stop_reason);
    h5::write_attr(r, "seed", static_cast<std::int64_t>(info.seed));
    h5::write_attr(r, "replicates", static_cast<std::int32_t>(info.replicates));
    h5::write_attr(r, "runs", static_cast<std::int64_t>(info.runs));
    h5::write_attr(r, "runs_failed", static_cast<std::int64_t>(info.runs_failed));
    h5::write_attr(r, "calibration_file", info.calibration_file);
    h5::write_attr(r, "calibration_yaml", info.calibration_yaml);
    h5::write_attr(r, "scenario_name", info.scenario_name);
    h5::write_attr(r, "scenario_hash", info.scenario_hash);
    h5::write_attr(r, "scenario_yaml", info.scenario_yaml);
    h5::write_attr(r, "scenario_file", info.scenario_file);
    h5::write_attr(r, "scenario_version", static_cast<std::int32_t>(info.scenario_version));
    {
      std::string sets;
      for (const auto& x : info.scenario_sets) sets += x + "\n";
      h5::write_attr(r, "scenario_sets", sets);
    }
    h5::write_attr(r, "geosim_version", version());
    h5::write_attr(r, "git_commit", git_commit());
    h5::write_attr(r, "hdf5_version", h5::library_version());
    h5::write_attr(r, "command_line", info.command_line);
    h5::write_attr(r, "start_time", info.start_time);
    h5::write_attr(r, "host", info.host);
    h5::write_attr(r, "wall_seconds", info.wall_seconds);

    const std::size_t np = info.parameters.size(), nk = info.targets.size();
    const auto G = static_cast<hsize_t>(generations);
    h5::Handle s_gen = index_scale(r, "generation", static_cast<std::size_t>(generations));
    h5::Handle s_part = index_scale(r, "particle", n);
    h5::Handle s_par = string_scale(r, "parameter", info.parameters);
    h5::Handle s_tgt = string_scale(r, "target", info.targets);
    const auto strings = [&](const char* name, const std::vector<std::string>& v, hid_t scale,
                             std::string_view long_name) {
      h5::Handle ds = h5::write_strings(r, name, v);
      h5::attach_scales(ds.get(), {scale});
      h5::write_attr(ds.get(), "long_name", long_name);
    };
    const auto numbers = [&](const char* name, const std::vector<double>& v, hid_t scale,
                             std::string_view units, std::string_view long_name) {
      h5::Handle ds = h5::write_vector(r, name, v, false);
      h5::attach_scales(ds.get(), {scale});
      describe(ds.get(), units, long_name);
    };
    strings("parameter_path", info.parameter_paths, s_par.get(), "the --set path of the parameter");
    strings("parameter_units", info.parameter_units, s_par.get(), "the parameter's unit");
    strings("prior_kind", info.prior_kinds, s_par.get(), "prior distribution");
    numbers("prior_a", info.prior_a, s_par.get(), "mixed",
            "prior: lo (uniform, loguniform) or mean (normal)");
    numbers("prior_b", info.prior_b, s_par.get(), "mixed",
            "prior: hi (uniform, loguniform) or sd (normal)");
    strings("target_variable", info.target_variable, s_tgt.get(),
            "the run variable or derived quantity compared (turnover_share, gdp, ...)");
    strings("target_units", info.target_units, s_tgt.get(), "unit of the target's quantity");
    strings("target_use", info.target_use, s_tgt.get(), "fit or holdout");
    strings("target_source", info.target_source, s_tgt.get(), "source of the observed value");
    strings("target_period", info.target_period, s_tgt.get(), "period the target refers to");
    strings("target_long_name", info.target_long_name, s_tgt.get(),
            "the simulated quantity compared");
    numbers("target_observed", info.target_observed, s_tgt.get(), "mixed: see target_units",
            "observed value");
    numbers("target_sd", info.target_sd, s_tgt.get(), "mixed: see target_units",
            "standard error of the observed value");
    numbers("persistence", info.persistence, s_tgt.get(), "mixed: see target_units",
            "holdout targets: the naive forecast (latest fitted value of the same quantity carried "
            "forward)");

    h5::Handle particles = h5::create_dataset(r, "particles", H5T_IEEE_F64LE, {G, n, np}, true);
    h5::attach_scales(particles.get(), {s_gen.get(), s_part.get(), s_par.get()});
    describe(particles.get(), "mixed: see parameter_units",
             "accepted particles (parameter values)");
    h5::Handle weight = h5::create_dataset(r, "weight", H5T_IEEE_F64LE, {G, n}, true);
    h5::attach_scales(weight.get(), {s_gen.get(), s_part.get()});
    describe(weight.get(), "1", "normalised importance weight");
    h5::Handle distance = h5::create_dataset(r, "distance", H5T_IEEE_F64LE, {G, n}, true);
    h5::attach_scales(distance.get(), {s_gen.get(), s_part.get()});
    describe(distance.get(), "1",
             "distance: RMS over fitted targets of (simulated - observed) / sd");
    std::vector<double> tol, ess, acc;
    std::vector<std::int64_t> props, failed;
    Population last;
    for (int g = 0; g < generations; ++g) {
      Population p = next(g);
      if (p.n != n || p.p != np || p.k != nk)
        throw std::runtime_error("generation " + std::to_string(g) + " has another shape");
      const auto gg = static_cast<hsize_t>(g);
      if (n * np > 0) h5::write_block(particles.get(), {gg, 0, 0}, {1, n, np}, p.theta);
      h5::write_block(weight.get(), {gg, 0}, {1, n}, p.weight);
      h5::write_block(distance.get(), {gg, 0}, {1, n}, p.distance);
      tol.push_back(p.tolerance);
      ess.push_back(effective_sample_size(p.weight));
      acc.push_back(p.acceptance);
      props.push_back(static_cast<std::int64_t>(p.proposals));
      failed.push_back(static_cast<std::int64_t>(p.failed));
      if (g == generations - 1) last = std::move(p);
    }
    numbers("tolerance", tol, s_gen.get(), "1", "tolerance (epsilon) of the generation");
    numbers("ess", ess, s_gen.get(), "1", "effective sample size 1 / sum w^2");
    numbers("acceptance", acc, s_gen.get(), "1", "accepted / simulated proposals");
    {
      h5::Handle ds = h5::write_vector(r, "proposals", props, false);
      h5::attach_scales(ds.get(), {s_gen.get()});
      describe(ds.get(), "1", "proposals simulated");
      h5::Handle fd = h5::write_vector(r, "failed", failed, false);
      h5::attach_scales(fd.get(), {s_gen.get()});
      describe(fd.get(), "1", "proposals whose run failed (rejected)");
    }
    std::vector<double> median(np), best(np);
    std::size_t b = 0;
    for (std::size_t i = 1; i < last.n; ++i)
      if (last.distance[i] < last.distance[b]) b = i;
    for (std::size_t k = 0; k < np; ++k) {
      median[k] = last.n ? weighted_median(last, k) : NAN;
      best[k] = last.n ? last.theta[b * np + k] : NAN;
    }
    numbers("posterior_median", median, s_par.get(), "mixed: see parameter_units",
            "weighted median of the last generation");
    numbers("best", best, s_par.get(), "mixed: see parameter_units",
            "the last generation's particle of smallest distance");
    h5::Handle pred = h5::create_dataset(r, "predicted", H5T_IEEE_F64LE, {n, nk}, true);
    h5::attach_scales(pred.get(), {s_part.get(), s_tgt.get()});
    describe(pred.get(), "mixed: see target_units",
             "the last generation's simulated value per particle (mean over replicates)");
    if (n * nk > 0) h5::write_block(pred.get(), {0, 0}, {n, nk}, last.simulated);
    h5::close_file(f, "closing '" + tmp + "'");
    h5::publish(tmp, out);
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
}

}  // namespace

void write_calibration_output(const std::string& out, const OutputInfo& info,
                              const std::string& dir, int generations, const std::string& key) {
  const auto first = read_population(population_path(dir, 0), key);
  if (!first) throw std::runtime_error("no finished generation in '" + dir + "'");
  write_output(out, info, generations, first->n, [&](int g) {
    auto p = read_population(population_path(dir, g), key);
    if (!p) throw std::runtime_error("generation " + std::to_string(g) + " is missing");
    return std::move(*p);
  });
}

void write_calibration_output(const std::string& out, const OutputInfo& info,
                              const std::vector<Population>& generations) {
  write_output(out, info, static_cast<int>(generations.size()),
               generations.empty() ? 0 : generations.front().n,
               [&](int g) { return generations[static_cast<std::size_t>(g)]; });
}

CalibrationResult read_calibration_result(const std::string& path) {
  return h5::read_file(path, "geosim calibration file", [&] {
    h5::Handle f = h5::open_file(path, "geosim calibration file");
    if (h5::format_of(f.get()) != kOutputFormat)
      bad_file(path, "not a calibration file (format '" + printable(h5::format_of(f.get())) +
                         "'; geosim calibrate writes format geosim-calibration)");
    h5::check_version(f.get(), path, kFormatVersion);
    CalibrationResult c;
    c.path = path;
    c.method = h5::read_string_attr(f.get(), "method");
    c.stop_reason = h5::read_string_attr(f.get(), "stop_reason");
    c.converged = h5::read_int_attr(f.get(), "converged") != 0;
    c.scenario_name = h5::read_string_attr(f.get(), "scenario_name");
    c.scenario_hash = h5::read_string_attr(f.get(), "scenario_hash");
    c.scenario_file = h5::read_string_attr(f.get(), "scenario_file");
    c.scenario_yaml = h5::read_string_attr(f.get(), "scenario_yaml");
    c.scenario_version = static_cast<int>(h5::read_int_attr(f.get(), "scenario_version"));
    {
      const std::string sets = h5::read_string_attr(f.get(), "scenario_sets");
      std::size_t at = 0;
      for (std::size_t nl; (nl = sets.find('\n', at)) != std::string::npos; at = nl + 1)
        c.scenario_sets.push_back(sets.substr(at, nl - at));
    }
    c.runs = static_cast<std::uint64_t>(h5::read_int_attr(f.get(), "runs"));
    c.runs_failed = static_cast<std::uint64_t>(h5::read_int_attr(f.get(), "runs_failed"));
    c.parameters = h5::read_strings(f.get(), "parameter");
    c.parameter_paths = h5::read_strings(f.get(), "parameter_path");
    c.parameter_units = h5::read_strings(f.get(), "parameter_units");
    c.targets = h5::read_strings(f.get(), "target");
    c.target_use = h5::read_strings(f.get(), "target_use");
    c.target_period = h5::read_strings(f.get(), "target_period");
    const std::size_t np = c.parameters.size(), nk = c.targets.size();
    if (c.parameter_paths.size() != np || c.parameter_units.size() != np)
      bad_file(path, "parameter_path or parameter_units do not match parameter");
    h5::Handle ps = h5::check(H5Dopen2(f.get(), "particles", H5P_DEFAULT), "particles");
    const auto shape = h5::shape(ps.get());
    if (shape.size() != 3 || shape[2] != np || shape[0] == 0)
      bad_file(path, "dataset 'particles' has the wrong shape");
    const hsize_t G = shape[0], n = shape[1];
    c.generations = static_cast<int>(G);
    c.last.n = n;
    c.last.p = np;
    c.last.k = nk;
    c.last.theta =
        n * np > 0 ? h5::read_block(ps.get(), {G - 1, 0, 0}, {1, n, np}) : std::vector<double>{};
    const auto row = [&](const char* name) {
      h5::Handle ds = h5::check(H5Dopen2(f.get(), name, H5P_DEFAULT), name);
      if (h5::shape(ds.get()) != std::vector<hsize_t>{G, n})
        bad_file(path, std::string("dataset '") + name + "' has the wrong shape");
      return h5::read_block(ds.get(), {G - 1, 0}, {1, n});
    };
    // Every generation, not only the last: a file with garbage in any is damaged.
    {
      const std::vector<double> all = read_all(path, f.get(), "weight", {G, n});
      for (hsize_t g = 0; g < G; ++g)
        check_weights(path, std::vector<double>(all.begin() + static_cast<long>(g * n),
                                                all.begin() + static_cast<long>((g + 1) * n)));
      for (double x : read_all(path, f.get(), "particles", {G, n, np}))
        if (!std::isfinite(x)) bad_file(path, "a particle value is not finite");
    }
    c.last.weight = row("weight");
    c.last.distance = row("distance");
    c.last.simulated = read_all(path, f.get(), "predicted", {n, nk});
    c.target_observed = read_all(path, f.get(), "target_observed", {nk});
    c.target_sd = read_all(path, f.get(), "target_sd", {nk});
    if (c.target_use.size() != nk || c.target_period.size() != nk)
      bad_file(path, "target_use or target_period do not match target");
    c.posterior_median = read_all(path, f.get(), "posterior_median", {np});
    c.best = read_all(path, f.get(), "best", {np});
    c.tolerance = read_all(path, f.get(), "tolerance", {G});
    c.ess = read_all(path, f.get(), "ess", {G});
    c.acceptance = read_all(path, f.get(), "acceptance", {G});
    for (double x : read_all(path, f.get(), "proposals", {G}))
      c.proposals.push_back(static_cast<std::int64_t>(x));
    if (G != c.tolerance.size() || c.proposals.size() != G) bad_file(path, "inconsistent lengths");
    check_weights(path, c.last.weight);
    for (double x : c.last.theta)
      if (!std::isfinite(x)) bad_file(path, "a particle value is not finite");
    for (const auto* v : {&c.posterior_median, &c.best})
      for (double x : *v)
        if (!std::isfinite(x)) bad_file(path, "posterior_median or best is not finite");
    return c;
  });
}

bool is_calibration_file(const std::string& path) {
  try {
    h5::QuietErrors quiet;
    h5::Handle f = h5::open_file(path, "geosim calibration file");
    return h5::format_of(f.get()) == kOutputFormat;
  } catch (...) {
    return false;
  }
}

std::string format_calibration_info(const CalibrationResult& c) {
  std::ostringstream o;
  const auto num = [](double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", x);
    return std::string(buf);
  };
  o << c.path << ": geosim calibration of scenario '" << c.scenario_name << "' (" << c.method
    << ")\n  " << (c.converged ? "converged" : "NOT converged") << ": " << c.stop_reason << "\n  "
    << c.generations << " generation(s), " << c.runs << " runs (" << c.runs_failed
    << " failed); last generation: " << c.last.n << " particles, tolerance "
    << num(c.tolerance.back()) << ", ESS " << num(c.ess.back()) << "\n\n  parameter"
    << std::string(26, ' ') << "median      5%          95%        best\n";
  for (std::size_t k = 0; k < c.parameters.size(); ++k) {
    std::vector<double> x(c.last.n);
    for (std::size_t i = 0; i < c.last.n; ++i) x[i] = c.last.theta[i * c.last.p + k];
    char line[256];
    std::snprintf(line, sizeof line, "  %-34s %-11s %-11s %-11s %s\n", c.parameters[k].c_str(),
                  num(c.posterior_median[k]).c_str(),
                  num(weighted_quantile(x, c.last.weight, 0.05)).c_str(),
                  num(weighted_quantile(x, c.last.weight, 0.95)).c_str(), num(c.best[k]).c_str());
    o << line;
  }
  o << "\n  target" << std::string(29, ' ')
    << "use      period     observed    sd          "
       "simulated median [5%, 95%]\n";
  for (std::size_t k = 0; k < c.targets.size(); ++k) {
    std::vector<double> x(c.last.n);
    for (std::size_t i = 0; i < c.last.n; ++i) x[i] = c.last.simulated[i * c.last.k + k];
    char line[320];
    std::snprintf(line, sizeof line, "  %-34s %-8s %-10s %-11s %-11s %s [%s, %s]\n",
                  c.targets[k].c_str(), c.target_use[k].c_str(), c.target_period[k].c_str(),
                  num(c.target_observed[k]).c_str(), num(c.target_sd[k]).c_str(),
                  num(weighted_quantile(x, c.last.weight, 0.5)).c_str(),
                  num(weighted_quantile(x, c.last.weight, 0.05)).c_str(),
                  num(weighted_quantile(x, c.last.weight, 0.95)).c_str());
    o << line;
  }
  return o.str();
}

}  // namespace geosim::calib
