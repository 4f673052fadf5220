// `geosim sweep analyze`: sensitivity indices of every metric of a merged sweep file.
#include "app/sweep_analyze.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>

#include "app/cli_support.hpp"
#include "app/commands.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "output/sweep_store.hpp"
#include "sweep/design.hpp"
#include "sweep/sensitivity.hpp"

namespace geosim::cli {

namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

/// Per design point: the mean of the metric over its replicates; NaN if any replicate did
/// not succeed (the point is then incomplete).
std::vector<double> point_means(const SweepResults& s, std::size_t metric) {
  const std::size_t R = static_cast<std::size_t>(s.replicates);
  std::vector<double> y(s.n_points, 0.0);
  for (std::size_t p = 0; p < s.n_points; ++p)
    for (std::size_t r = 0; r < R; ++r) {
      const std::size_t run = p * R + r;
      y[p] += s.status[run] == 0 ? s.values[metric][run] / static_cast<double>(R)
                                 : std::numeric_limits<double>::quiet_NaN();
    }
  return y;
}

/// The metric of every run, in run order (R per design point), NaN where a run did not
/// succeed: what the replicates' noise is estimated from.
std::vector<double> run_values(const SweepResults& s, std::size_t metric) {
  std::vector<double> y(s.status.size());
  for (std::size_t run = 0; run < y.size(); ++run)
    y[run] = s.status[run] == 0 ? s.values[metric][run] : std::numeric_limits<double>::quiet_NaN();
  return y;
}

std::string fmt(double x) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(3) << std::setw(7) << x;
  return o.str();
}

/// Rows of cells, indented by 2: the first column left-aligned, the others right-aligned, each
/// as wide as its widest cell (values of any size stay in their columns).
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      const auto text = row[c].find_first_not_of(' ');
      const std::size_t len = text == std::string::npos ? 0 : row[c].size() - text;
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], len);
    }
  for (const auto& row : rows) {
    out << " ";
    for (std::size_t c = 0; c < row.size(); ++c) {
      const auto text = row[c].find_first_not_of(' ');
      const std::string cell = text == std::string::npos ? "" : row[c].substr(text);
      out << (c == 0 ? " " : "  ") << (c == 0 ? std::left : std::right)
          << std::setw(static_cast<int>(width[c])) << cell;
    }
    out << std::right << "\n";
  }
}

void export_salib(const SweepResults& s, const std::string& dir, bool sobol) {
  fs::create_directories(dir);
  const std::size_t np = s.parameters.size();
  // SALib's Saltelli order (calc_second_order=False) is A, AB_1..AB_d, B per base point; ours
  // is A, B, AB_1..AB_d. Morris rows are in the same order in both.
  std::vector<std::size_t> order;
  if (sobol) {
    for (std::size_t j = 0; j < s.n_points / (np + 2); ++j) {
      const std::size_t b = j * (np + 2);
      order.push_back(b);
      for (std::size_t i = 0; i < np; ++i) order.push_back(b + 2 + i);
      order.push_back(b + 1);
    }
  } else {
    for (std::size_t p = 0; p < s.n_points; ++p) order.push_back(p);
  }
  std::ofstream problem(fs::path(dir) / "problem.txt");
  for (std::size_t k = 0; k < np; ++k) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (std::size_t p = 0; p < s.n_points; ++p) {
      lo = std::min(lo, s.point_values[p * np + k]);
      hi = std::max(hi, s.point_values[p * np + k]);
    }
    problem << s.parameters[k] << " " << std::setprecision(17) << lo << " " << hi << "\n";
  }
  std::ofstream x(fs::path(dir) / "X.txt"), y(fs::path(dir) / "Y.txt");
  x << std::setprecision(17);
  y << std::setprecision(17);
  std::vector<std::vector<double>> means;
  for (std::size_t m = 0; m < s.metrics.size(); ++m) means.push_back(point_means(s, m));
  for (std::size_t p : order) {
    for (std::size_t k = 0; k < np; ++k) x << (k ? " " : "") << s.point_values[p * np + k];
    x << "\n";
    for (std::size_t m = 0; m < means.size(); ++m) y << (m ? " " : "") << means[m][p];
    y << "\n";
  }
  std::ofstream readme(fs::path(dir) / "README.txt");
  readme << "SALib export of the geosim sweep '" << s.name << "' (plan " << s.plan_hash << ").\n"
         << "problem.txt: one line per parameter, NAME LOWER UPPER (the range of the design's "
            "values).\nX.txt: the design points in SALib's row order; Y.txt: one column per "
            "metric (";
  for (std::size_t m = 0; m < s.metrics.size(); ++m) readme << (m ? ", " : "") << s.metrics[m];
  readme << "), the mean over the replicates.\n"
         << (sobol ? "salib analyze sobol -p problem.txt -Y Y.txt -c COLUMN --max-order 1\n"
                   : "salib analyze morris -p problem.txt -X X.txt -Y Y.txt -c COLUMN -l " +
                         std::to_string(s.morris_levels) + "\n")
         << "(Python: SALib.analyze.sobol.analyze(problem, Y[:, c], calc_second_order=False) or "
            "SALib.analyze.morris.analyze(problem, X, Y[:, c], num_levels=L).)\n";
}

}  // namespace

int cmd_sweep_analyze(const std::vector<std::string>& args) {
  po::options_description opts("Options of `geosim sweep analyze`");
  opts.add_options()("help,h", "this help")("file", po::value<std::string>()->required(),
                                            "merged sweep file")(
      "bootstrap", po::value<std::string>()->default_value("1000"),
      "bootstrap resamples for the Sobol' intervals")(
      "confidence", po::value<double>()->default_value(0.95, "0.95"), "interval level")(
      "drop-incomplete",
      "analyse the complete Saltelli blocks / Morris trajectories only (default: refuse a "
      "sweep with failed or missing runs)")(
      "salib", po::value<std::string>(), "also export problem.txt, X.txt, Y.txt for SALib to DIR")(
      "quiet,q", "print nothing");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  if (!parse(args, opts, pos, vm,
             "Usage: geosim sweep analyze SWEEP.h5 [--bootstrap B] [--confidence C] "
             "[--drop-incomplete] [--salib DIR]"))
    return kExitOk;
  const std::string path = vm["file"].as<std::string>();
  const SweepResults s = read_sweep_results(path);
  const double conf = vm["confidence"].as<double>();
  if (!(conf > 0.0 && conf < 1.0))
    throw InputError(Location{"<command line>", 0, 0}, "--confidence",
                     "expected a level between 0 and 1, e.g. 0.95");
  const int boot =
      static_cast<int>(flag_number("--bootstrap", vm["bootstrap"].as<std::string>(), 1000000));
  if (boot < 10)  // fewer resamples make no percentile interval (0 made NaN or garbage)
    throw InputError(
        Location{"<command line>", 0, 0}, "--bootstrap",
        "expected at least 10 resamples (1000 is the default), got " + std::to_string(boot));
  const auto policy =
      vm.count("drop-incomplete") ? sweep::IncompletePolicy::drop : sweep::IncompletePolicy::refuse;
  const std::size_t np = s.parameters.size(), nm = s.metrics.size();
  const bool sobol = s.design == "sobol", morris = s.design == "morris";
  if (!sobol && !morris)
    throw InputError(Location{path, 0, 0}, "design",
                     "design " + s.design +
                         " has no sensitivity indices; use design sobol (Sobol' indices) or "
                         "morris (elementary effects)");
  const bool quiet = vm.count("quiet") > 0;
  std::vector<IndexTable> tables;
  std::vector<std::pair<std::string, AttributeValue>> attrs;
  std::ostringstream out;
  if (sobol) {
    const sweep::SaltelliLayout layout{s.design_n, np};
    if (layout.n_rows() != s.n_points)
      throw InputError(Location{path, 0, 0}, "design",
                       "the design's points do not form a Saltelli design");
    const char* names[] = {"sobol_s1", "sobol_s1_low", "sobol_s1_high",
                           "sobol_st", "sobol_st_low", "sobol_st_high"};
    const char* long_names[] = {"first-order Sobol' index", "S1, lower bound", "S1, upper bound",
                                "total Sobol' index",       "ST, lower bound", "ST, upper bound"};
    for (int t = 0; t < 6; ++t) tables.push_back({names[t], long_names[t], {}});
    tables.push_back(
        {"sobol_s1_noise",
         "1: S1 cannot be told from noise (its interval reaches 0: the estimate's sampling "
         "error, or the replicates' noise)",
         {}});
    tables.push_back(
        {"sobol_st_noise",
         "1: ST cannot be told from noise (its interval reaches sobol_noise_share, the "
         "bias the replicates' noise adds to every ST, or 0 when that is unknown)",
         {}});
    tables.push_back({"sobol_noise_share",
                      "share of the variance of the replicate means due to the replicates' "
                      "noise (NaN with one replicate)",
                      {},
                      true});
    std::uint64_t dropped = 0;
    bool any_noise = false;
    for (std::size_t m = 0; m < nm; ++m) {
      sweep::SobolResult r;
      try {
        r = sweep::sobol_indices(layout, point_means(s, m), boot, conf, s.seed, policy);
      } catch (const std::invalid_argument& e) {
        throw InputError(Location{path, 0, 0}, s.metrics[m],
                         std::string(e.what()) +
                             " (pass --drop-incomplete to use the complete "
                             "blocks only)");
      }
      dropped = std::max<std::uint64_t>(dropped, r.blocks_dropped);
      const std::vector<double>* cols[] = {&r.s1, &r.s1_low, &r.s1_high,
                                           &r.st, &r.st_low, &r.st_high};
      for (int t = 0; t < 6; ++t)
        tables[static_cast<std::size_t>(t)].values.insert(
            tables[static_cast<std::size_t>(t)].values.end(), cols[t]->begin(), cols[t]->end());
      const auto R = static_cast<std::size_t>(s.replicates);
      const sweep::SobolNoise noise =
          sweep::sobol_noise(r, sweep::pooled_within_variance(run_values(s, m), R), R);
      for (std::size_t k = 0; k < np; ++k) {
        tables[6].values.push_back(noise.s1[k]);
        tables[7].values.push_back(noise.st[k]);
      }
      tables[8].values.push_back(noise.share);
      std::ostringstream share;
      share << std::setprecision(3) << 100.0 * noise.share;
      out << s.metrics[m] << " (" << r.blocks_used << " blocks"
          << (r.blocks_dropped ? ", " + std::to_string(r.blocks_dropped) + " dropped" : "")
          << (r.constant_output ? ", constant output: no indices" : "")
          << (noise.share >= 1.0
                  ? "; replicate noise: all of the variance of the means (estimated " +
                        share.str() + "%): no parameter's effect shows"
              : std::isfinite(noise.share)
                  ? "; replicate noise: " + share.str() + "% of the variance of the means"
              : R < 2 ? "; one replicate: the noise is unknown"
                      : "")
          << ")\n";
      // An index the noise can explain reads "noise" instead of a small (maybe negative) value.
      const auto value = [](double x, bool noisy) { return noisy ? std::string("noise") : fmt(x); };
      std::vector<std::vector<std::string>> rows{
          {"parameter", "S1", "[" + format_number(conf * 100) + "% interval]", "ST", "[interval]"}};
      for (std::size_t k = 0; k < np; ++k)
        rows.push_back({s.parameters[k], value(r.s1[k], noise.s1[k] != 0),
                        "[" + fmt(r.s1_low[k]) + ", " + fmt(r.s1_high[k]) + "]",
                        value(r.st[k], noise.st[k] != 0),
                        "[" + fmt(r.st_low[k]) + ", " + fmt(r.st_high[k]) + "]"});
      print_table(out, rows);
      any_noise = any_noise ||
                  std::any_of(noise.s1.begin(), noise.s1.end(), [](char c) { return c; }) ||
                  std::any_of(noise.st.begin(), noise.st.end(), [](char c) { return c; });
    }
    if (any_noise)
      out << "noise: the index cannot be told from noise, the estimate's sampling error or the "
             "replicates' noise (S1: its interval reaches 0; ST: its interval reaches the "
             "replicates' noise share, which that noise adds to every ST, or 0 with one "
             "replicate)\n";
    attrs = {{"sobol_bootstrap", std::int32_t{boot}},
             {"sobol_confidence", conf},
             {"sobol_note",
              std::string("S1: Saltelli (2010), ST: Jansen (1999), over replicate means per "
                          "design point; intervals: bootstrap percentiles over base points")}};
  } else {
    const auto design = sweep::morris(s.design_n, np, s.seed, s.morris_levels);
    if (design.layout.rows.size() != s.n_points)
      throw InputError(Location{path, 0, 0}, "design",
                       "the design's points do not form a Morris design");
    tables = {{"morris_mu", "mean elementary effect (unit-cube steps)", {}},
              {"morris_mu_star", "mean absolute elementary effect (unit-cube steps)", {}},
              {"morris_sigma", "standard deviation of the elementary effects", {}}};
    for (std::size_t m = 0; m < nm; ++m) {
      sweep::MorrisResult r;
      try {
        r = sweep::morris_indices(design.layout, point_means(s, m), policy);
      } catch (const std::invalid_argument& e) {
        throw InputError(Location{path, 0, 0}, s.metrics[m],
                         std::string(e.what()) +
                             " (pass --drop-incomplete to use the complete "
                             "trajectories only)");
      }
      tables[0].values.insert(tables[0].values.end(), r.mu.begin(), r.mu.end());
      tables[1].values.insert(tables[1].values.end(), r.mu_star.begin(), r.mu_star.end());
      tables[2].values.insert(tables[2].values.end(), r.sigma.begin(), r.sigma.end());
      out << s.metrics[m] << " (" << r.trajectories_used << " trajectories"
          << (r.trajectories_dropped ? ", " + std::to_string(r.trajectories_dropped) + " dropped"
                                     : "")
          << "), ranked by mu*\n";
      std::vector<std::vector<std::string>> rows{{"parameter", "mu*", "mu", "sigma"}};
      for (std::size_t k : r.ranking())
        rows.push_back({s.parameters[k], fmt(r.mu_star[k]), fmt(r.mu[k]), fmt(r.sigma[k])});
      print_table(out, rows);
    }
    attrs = {{"morris_note", std::string("elementary effects per unit-cube step of each "
                                         "parameter, over replicate means per design point")}};
  }
  write_sweep_analysis(path, tables, attrs);
  if (vm.count("salib")) export_salib(s, vm["salib"].as<std::string>(), sobol);
  if (!quiet) std::cout << out.str() << "wrote the indices into " << path << "\n";
  return kExitOk;
}

}  // namespace geosim::cli
