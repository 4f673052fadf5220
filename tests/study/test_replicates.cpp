// Replicates and what-if comparisons: the statistics, the files written by
// simulate_replicates / simulate_comparison read back with the HDF5 C API and checked cell by
// cell against single runs and against means, quantiles and intervals computed here by hand.
#include <doctest/doctest.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numbers>

#include "core/error.hpp"
#include "output/h5_helpers.hpp"
#include "output/replicate_stats.hpp"
#include "output/replicate_writer.hpp"
#include "output/run_schema.hpp"
#include "output/temp_file.hpp"
#include "study/replicates.hpp"
#include "study/run_pipeline.hpp"
#include "support/model_fixtures.hpp"

namespace fs = std::filesystem;
using namespace geosim;
using geosim::h5::Handle;

namespace {

std::string scratch(const std::string& name) {
  const std::string p = std::string(GEOSIM_REPLICATES_TEST_DIR) + "/" + name;
  fs::remove(p);
  fs::remove(p + ".tmp");
  return p;
}

Provenance provenance() {
  Provenance p;
  p.command_line = "test_replicates";
  p.scenario_file = "test";
  p.start_time = "2024-01-01T00:00:00Z";
  p.host = "test";
  return p;
}

Handle open_file(const std::string& path) {
  return h5::check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open " + path);
}

/// A whole dataset and its shape.
struct Array {
  std::vector<hsize_t> shape;
  std::vector<double> v;
};
Array read_all(hid_t file, const std::string& name) {
  Handle ds = h5::check(H5Dopen2(file, name.c_str(), H5P_DEFAULT), "open " + name);
  Array a;
  a.shape = h5::shape(ds.get());
  a.v = h5::read_block(ds.get(), std::vector<hsize_t>(a.shape.size(), 0), a.shape);
  return a;
}

std::vector<std::string> dimension_names(hid_t file, const std::string& name) {
  Handle ds = h5::check(H5Dopen2(file, name.c_str(), H5P_DEFAULT), "open " + name);
  std::vector<std::string> names;
  const auto rank = h5::shape(ds.get()).size();
  for (unsigned axis = 0; axis < rank; ++axis) {
    std::string n;
    H5DSiterate_scales(
        ds.get(), axis, nullptr,
        [](hid_t, unsigned, hid_t scale, void* data) -> herr_t {
          char buf[64] = {0};
          H5DSget_scale_name(scale, buf, sizeof buf);
          *static_cast<std::string*>(data) = buf;
          return 1;
        },
        &n);
    names.push_back(n);
  }
  return names;
}

/// Equal, or both NaN.
bool same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}
bool close(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || std::fabs(a - b) <= 1e-12 * (1.0 + std::fabs(b));
}

/// The quantile by hand: (1 - g) x[j] + g x[j + 1] at h = (n - 1) q, j = floor(h), g = h - j.
double hand_quantile(std::vector<double> x, double q) {
  std::sort(x.begin(), x.end());
  const double h = static_cast<double>(x.size() - 1) * q;
  const auto j = static_cast<std::size_t>(h);
  const double g = h - static_cast<double>(j);
  if (j + 1 >= x.size()) return x.back();
  return (1.0 - g) * x[j] + g * x[j + 1];
}

bool any_nan(const std::vector<double>& x) {
  return std::any_of(x.begin(), x.end(), [](double v) { return std::isnan(v); });
}

}  // namespace

TEST_CASE("stats: mean, sd and quantiles as numpy computes them") {
  const std::vector<double> x = {3, 1, 4, 1, 5, 9, 2, 6};
  CHECK(stats::mean(x) == 3.875);
  CHECK(stats::sample_sd(x) == doctest::Approx(2.748376143938713).epsilon(1e-14));
  std::vector<double> scratch_copy = x;
  std::array<double, 3> q{};
  stats::quantiles(scratch_copy, stats::kQuantiles, q);
  // numpy.quantile(x, [0.05, 0.5, 0.95])
  CHECK(q[0] == 1.0);
  CHECK(q[1] == 3.5);
  CHECK(q[2] == doctest::Approx(7.949999999999998).epsilon(1e-15));
  // R equal values: the mean is that value exactly and the spread 0.
  const std::vector<double> same_values(10, 0.1);
  CHECK(stats::mean(same_values) == 0.1);
  CHECK(stats::sample_sd(same_values) == 0.0);
  // NaN anywhere gives NaN; fewer than 2 values have no sd.
  const std::vector<double> with_nan = {1.0, std::nan(""), 2.0};
  CHECK(std::isnan(stats::mean(with_nan)));
  std::vector<double> nan_copy = with_nan;
  stats::quantiles(nan_copy, stats::kQuantiles, q);
  CHECK(std::isnan(q[1]));
  CHECK(std::isnan(stats::sample_sd(std::vector<double>{1.0})));
  CHECK(std::isnan(stats::mean(std::vector<double>{})));
}

TEST_CASE("stats: Student t quantiles") {
  // Closed forms for df 1 and 2; tables (scipy.stats.t.ppf) for the others.
  const double pi = std::numbers::pi;
  CHECK(stats::student_t_quantile(0.975, 1) ==
        doctest::Approx(std::tan(pi * 0.475)).epsilon(1e-12));
  CHECK(stats::student_t_quantile(0.975, 2) ==
        doctest::Approx(0.95 / std::sqrt(2 * 0.975 * 0.025)).epsilon(1e-12));
  CHECK(stats::student_t_quantile(0.975, 3) == doctest::Approx(3.182446305284263).epsilon(1e-10));
  CHECK(stats::student_t_quantile(0.975, 4) == doctest::Approx(2.7764451051977987).epsilon(1e-10));
  CHECK(stats::student_t_quantile(0.975, 9) == doctest::Approx(2.2621571627409915).epsilon(1e-10));
  CHECK(stats::student_t_quantile(0.975, 29) == doctest::Approx(2.045229642132703).epsilon(1e-10));
  CHECK(stats::student_t_quantile(0.975, 1000) ==
        doctest::Approx(1.9623390808264074).epsilon(1e-10));
  CHECK(stats::student_t_quantile(0.9, 5) == doctest::Approx(1.4758840487820273).epsilon(1e-10));
  CHECK(stats::student_t_quantile(0.6, 2.5) == doctest::Approx(0.2814595125866358).epsilon(1e-9));
  CHECK(stats::student_t_quantile(0.025, 9) == -stats::student_t_quantile(0.975, 9));
  CHECK(stats::student_t_quantile(0.5, 9) == 0.0);
  CHECK(std::isnan(stats::student_t_quantile(1.0, 9)));
  CHECK(std::isnan(stats::student_t_quantile(0.975, 0)));
}

TEST_CASE("stats: the t interval of a mean") {
  const auto ci = stats::mean_interval(std::vector<double>{1, 2, 3, 4});
  CHECK(ci.n == 4);
  CHECK(ci.mean == 2.5);
  CHECK(ci.sd == doctest::Approx(1.2909944487358056).epsilon(1e-14));
  CHECK(ci.half_width == doctest::Approx(2.054260256760879).epsilon(1e-10));
  CHECK(ci.lower == doctest::Approx(2.5 - 2.054260256760879).epsilon(1e-10));
  CHECK(ci.estimable());
  CHECK(ci.excludes(0.0));
  CHECK_FALSE(ci.excludes(1.0));
  const auto one = stats::mean_interval(std::vector<double>{0.7});
  CHECK(one.mean == 0.7);
  CHECK_FALSE(one.estimable());
  CHECK_FALSE(one.excludes(0.0));
  CHECK(std::isnan(one.lower));
  const auto zeros = stats::mean_interval(std::vector<double>(5, 0.0));
  CHECK(zeros.lower == 0.0);
  CHECK(zeros.upper == 0.0);
  CHECK_FALSE(zeros.excludes(0.0));
}

TEST_CASE("replicates of the baseline: each replicate is its run; mean and quantiles by hand") {
  const Scenario sc = test::baseline();
  const std::vector<std::uint64_t> ids = {0, 1, 2, 3};
  const std::string path = scratch("baseline_replicates.h5");
  simulate_replicates(sc, ids, path, provenance());
  REQUIRE(fs::exists(path));
  CHECK_FALSE(fs::exists(path + ".tmp"));
  // Run files of two of the run ids, written by the ordinary pipeline.
  const std::string run0 = scratch("baseline_run0.h5"), run2 = scratch("baseline_run2.h5");
  simulate(sc, 0, run0, provenance());
  simulate(sc, 2, run2, provenance());

  Handle f = open_file(path);
  Handle f0 = open_file(run0), f2 = open_file(run2);
  CHECK(h5::read_string_attr(f.get(), "format") == "geosim-replicates");
  CHECK(h5::read_int_attr(f.get(), "format_version") == 1);
  CHECK(h5::read_int_attr(f.get(), "replicates") == 4);
  CHECK(h5::read_string_attr(f.get(), "scenario_name") == sc.name);
  CHECK(h5::read_int_attr(f.get(), "seed") == static_cast<std::int64_t>(sc.seed));
  CHECK(read_all(f.get(), "replicate").v == std::vector<double>{0, 1, 2, 3});
  CHECK(read_all(f.get(), "quantile").v == std::vector<double>{0.05, 0.5, 0.95});
  CHECK(dimension_names(f.get(), "influence") ==
        std::vector<std::string>{"replicate", "turn", "actor", "target"});
  CHECK(dimension_names(f.get(), "flow_quantile") ==
        std::vector<std::string>{"quantile", "turn", "channel", "actor", "target"});
  CHECK(dimension_names(f.get(), "gdp_mean") == std::vector<std::string>{"turn", "actor"});

  bool replicates_differ = false;
  for (const auto& var : run_variables()) {
    const std::string name(var.name);
    CAPTURE(name);
    const Array all = read_all(f.get(), name);
    const Array mean = read_all(f.get(), name + "_mean");
    const Array quant = read_all(f.get(), name + "_quantile");
    const std::size_t cells = mean.v.size();  // turn x ...
    REQUIRE(all.shape.front() == ids.size());
    REQUIRE(all.v.size() == ids.size() * cells);
    REQUIRE(quant.v.size() == 3 * cells);
    // Replicates 0 and 2 are exactly the run files of run ids 0 and 2.
    const Array a0 = read_all(f0.get(), name), a2 = read_all(f2.get(), name);
    REQUIRE(a0.v.size() == cells);
    bool equal0 = true, equal2 = true;
    for (std::size_t i = 0; i < cells; ++i) {
      equal0 = equal0 && same(all.v[i], a0.v[i]);
      equal2 = equal2 && same(all.v[2 * cells + i], a2.v[i]);
      replicates_differ = replicates_differ || !same(all.v[i], all.v[cells + i]);
    }
    CHECK(equal0);
    CHECK(equal2);
    // Mean and quantiles over the replicate axis, by hand, cell by cell.
    bool mean_ok = true, quant_ok = true;
    for (std::size_t i = 0; i < cells; ++i) {
      std::vector<double> x;
      double sum = 0.0;
      for (std::size_t r = 0; r < ids.size(); ++r) {
        x.push_back(all.v[r * cells + i]);
        sum += x.back();
      }
      const bool nan = any_nan(x);
      mean_ok = mean_ok && close(mean.v[i], nan ? std::nan("") : sum / 4.0);
      for (std::size_t k = 0; k < 3; ++k)
        quant_ok = quant_ok && close(quant.v[k * cells + i],
                                     nan ? std::nan("") : hand_quantile(x, stats::kQuantiles[k]));
    }
    CHECK(mean_ok);
    CHECK(quant_ok);
  }
  // The baseline draws random numbers (detections), so replicates differ: the test has spread.
  CHECK(replicates_differ);

  // Events: each replicate's rows, tagged with its run id, are those of its run file.
  const std::vector<std::string> actions = h5::read_strings(f.get(), "event_action");
  const std::vector<std::string> actions2 = h5::read_strings(f2.get(), "event_action");
  const Array rep = read_all(f.get(), "event_replicate");
  const Array turns = read_all(f.get(), "event_turn"), turns2 = read_all(f2.get(), "event_turn");
  REQUIRE(rep.v.size() == actions.size());
  std::vector<std::string> rows2;
  std::vector<double> turns_of2;
  for (std::size_t i = 0; i < rep.v.size(); ++i)
    if (rep.v[i] == 2.0) {
      rows2.push_back(actions[i]);
      turns_of2.push_back(turns.v[i]);
    }
  CHECK(rows2 == actions2);
  CHECK(turns_of2 == turns2.v);
  CHECK(std::is_sorted(rep.v.begin(), rep.v.end()));
}

TEST_CASE("comparison of the baseline with itself: differences exactly 0, intervals cover 0") {
  const Scenario sc = test::baseline();
  const std::string path = scratch("self_comparison.h5");
  ComparisonProvenance prov{provenance(), {"test"}};
  const ComparisonSummary s = simulate_comparison(sc, {&sc}, {0, 1, 2}, path, prov);
  REQUIRE(fs::exists(path));
  REQUIRE(s.whatifs.size() == 1);
  const auto& effects = s.whatifs.front().effects;
  REQUIRE_FALSE(effects.empty());
  CHECK(s.horizon == sc.turns - 1);
  CHECK(s.t_quantile == doctest::Approx(4.302652729911275).epsilon(1e-10));
  for (const auto& e : effects) {
    CAPTURE(e.client);
    CAPTURE(e.quantity);
    CHECK(e.diff.mean == 0.0);
    CHECK(e.diff.lower <= 0.0);
    CHECK(e.diff.upper >= 0.0);
    CHECK(e.base_mean == e.whatif_mean);
  }
  const std::string table = format_comparison(s);
  CHECK(table.find(" *\n") == std::string::npos);  // no row marked: no interval excludes 0
  CHECK_FALSE(std::any_of(effects.begin(), effects.end(),
                          [](const Effect& e) { return e.diff.excludes(0.0); }));

  Handle f = open_file(path);
  CHECK(h5::read_string_attr(f.get(), "format") == "geosim-comparison");
  CHECK(h5::read_int_attr(f.get(), "format_version") == 1);
  CHECK(h5::read_strings(f.get(), "scenario") == std::vector<std::string>{"base", "whatif"});
  CHECK(dimension_names(f.get(), "influence_share") ==
        std::vector<std::string>{"scenario", "replicate", "turn", "actor", "target"});
  CHECK(dimension_names(f.get(), "influence_share_diff") ==
        std::vector<std::string>{"replicate", "turn", "actor", "target"});
  CHECK(dimension_names(f.get(), "influence_share_diff_ci_lower") ==
        std::vector<std::string>{"turn", "actor", "target"});
  for (const auto& var : run_variables()) {
    const std::string name(var.name);
    CAPTURE(name);
    const Array all = read_all(f.get(), name);
    const Array diff = read_all(f.get(), name + "_diff");
    const Array lo = read_all(f.get(), name + "_diff_ci_lower");
    const Array hi = read_all(f.get(), name + "_diff_ci_upper");
    const Array dmean = read_all(f.get(), name + "_diff_mean");
    bool zero = true, covers = true;
    for (std::size_t i = 0; i < diff.v.size(); ++i)
      zero = zero && (diff.v[i] == 0.0 || (std::isnan(diff.v[i]) && std::isnan(all.v[i])));
    for (std::size_t i = 0; i < dmean.v.size(); ++i) {
      if (std::isnan(dmean.v[i])) continue;  // NaN values (a hedging index without patrons)
      covers = covers && dmean.v[i] == 0.0 && lo.v[i] <= 0.0 && hi.v[i] >= 0.0;
    }
    CHECK(zero);
    CHECK(covers);
  }
}

TEST_CASE("comparison: the US doubling its security aid to TJK raises its share of TJK") {
  const Scenario base = test::baseline();
  const std::string overlay = GEOSIM_SCENARIOS_DIR "/whatif/us_doubles_security_aid.yaml";
  const Scenario whatif = fs::exists(overlay)
                              ? load_scenario(overlay)
                              : test::baseline({"timeline[us_tjk_security_aid].amount=120 USD m",
                                                "metadata.name=whatif_us_doubles_security_aid"});
  const std::string path = scratch("us_doubles.h5");
  const std::vector<std::uint64_t> ids = {0, 1, 2};
  const ComparisonSummary s =
      simulate_comparison(base, {&whatif}, ids, path, {provenance(), {"w"}});
  REQUIRE(s.whatifs.size() == 1);
  const auto& effects = s.whatifs.front().effects;
  const auto it = std::find_if(effects.begin(), effects.end(), [](const Effect& e) {
    return e.client == "TJK" && e.quantity == "influence share of USA";
  });
  REQUIRE(it != effects.end());
  CHECK(it->whatif_mean > it->base_mean);
  CHECK(it->diff.mean > 0.0);
  CHECK(it->diff.lower > 0.0);  // the interval excludes 0
  CHECK(it->diff.excludes(0.0));
  CHECK(format_comparison(s).find("influence share of USA") != std::string::npos);

  // The file's paired differences, means and intervals recomputed by hand.
  Handle f = open_file(path);
  const double t = h5::read_double_attr(f.get(), "t_quantile");
  CHECK(t == doctest::Approx(4.302652729911275).epsilon(1e-10));
  for (const std::string name : {"influence_share", "hedging_index", "reexports", "flow"}) {
    CAPTURE(name);
    const Array all = read_all(f.get(), name);  // (scenario, replicate, turn, ...)
    const Array mean = read_all(f.get(), name + "_mean");
    const Array diff = read_all(f.get(), name + "_diff");
    const Array dmean = read_all(f.get(), name + "_diff_mean");
    const Array lo = read_all(f.get(), name + "_diff_ci_lower");
    const Array hi = read_all(f.get(), name + "_diff_ci_upper");
    const std::size_t cells = dmean.v.size(), reps = ids.size();
    REQUIRE(all.v.size() == 2 * reps * cells);
    bool ok = true;
    for (std::size_t i = 0; i < cells; ++i) {
      std::vector<double> d;
      double sb = 0, sw = 0;
      for (std::size_t r = 0; r < reps; ++r) {
        const double b = all.v[r * cells + i], w = all.v[(reps + r) * cells + i];
        sb += b;
        sw += w;
        d.push_back(w - b);
        ok = ok && same(diff.v[r * cells + i], w - b);
      }
      double m = 0;
      for (double x : d) m += x;
      m /= static_cast<double>(reps);
      double ss = 0;
      for (double x : d) ss += (x - m) * (x - m);
      const double hw =
          t * std::sqrt(ss / static_cast<double>(reps - 1)) / std::sqrt(static_cast<double>(reps));
      ok = ok && close(mean.v[i], sb / 3.0) && close(mean.v[cells + i], sw / 3.0);
      ok = ok && close(dmean.v[i], m) && close(lo.v[i], m - hw) && close(hi.v[i], m + hw);
    }
    CHECK(ok);
  }
}

TEST_CASE("a what-if study: several what-ifs in one file, each as in its own comparison") {
  const Scenario base = test::baseline();
  const Scenario up = test::baseline(
      {"timeline[us_tjk_security_aid].amount=120 USD m", "metadata.name=us_doubles"});
  const Scenario down =
      test::baseline({"timeline[us_tjk_security_aid].amount=30 USD m", "metadata.name=us_halves"});
  const Scenario same_as_base = test::baseline({"metadata.name=unchanged"});
  const std::vector<const Scenario*> whatifs{&up, &down, &same_as_base};
  const std::vector<std::uint64_t> ids = {3, 4, 5};
  const std::string path = scratch("study.h5");
  const ComparisonSummary s =
      simulate_comparison(base, whatifs, ids, path, {provenance(), {"a.yaml", "b.yaml", "c"}});
  REQUIRE(s.whatifs.size() == 3);
  CHECK(s.whatifs[0].label == "us_doubles");
  CHECK(s.whatifs[1].label == "us_halves");
  CHECK(s.whatifs[2].name == "unchanged");
  const std::string table = format_comparison(s);
  CHECK(table.find("What-if 'us_doubles'") < table.find("What-if 'us_halves'"));
  CHECK(table.find("What-if 'us_halves'") < table.find("What-if 'unchanged'"));

  Handle f = open_file(path);
  CHECK(h5::read_int_attr(f.get(), "format_version") == 2);
  const std::vector<std::string> labels{"base", "us_doubles", "us_halves", "unchanged"};
  CHECK(h5::read_strings(f.get(), "scenario") == labels);
  CHECK(h5::read_strings(f.get(), "whatif") ==
        std::vector<std::string>(labels.begin() + 1, labels.end()));
  CHECK(h5::read_strings(f.get(), "scenario_file") ==
        std::vector<std::string>{"test", "a.yaml", "b.yaml", "c"});
  CHECK(h5::read_strings(f.get(), "scenario_yaml").at(1) == up.resolved_yaml);
  CHECK(dimension_names(f.get(), "influence_share_diff") ==
        std::vector<std::string>{"whatif", "replicate", "turn", "actor", "target"});
  CHECK(dimension_names(f.get(), "gdp_diff_ci_upper") ==
        std::vector<std::string>{"whatif", "turn", "actor"});
  CHECK(dimension_names(f.get(), "seed") == std::vector<std::string>{"scenario"});
  const std::vector<std::string> ev = h5::read_strings(f.get(), "event_scenario");
  for (const auto& label : labels) CHECK(std::count(ev.begin(), ev.end(), label) > 0);

  // Each what-if's slice of the study is, bit for bit, its own two-scenario comparison: the
  // same runs (common random numbers) and the same summaries.
  for (std::size_t k = 0; k < whatifs.size(); ++k) {
    CAPTURE(k);
    const std::string one = scratch("study_part.h5");
    const ComparisonSummary alone =
        simulate_comparison(base, {whatifs[k]}, ids, one, {provenance(), {"x"}});
    REQUIRE(alone.whatifs.front().effects.size() == s.whatifs[k].effects.size());
    for (std::size_t e = 0; e < alone.whatifs.front().effects.size(); ++e) {
      const Effect& a = alone.whatifs.front().effects[e];
      const Effect& b = s.whatifs[k].effects[e];
      CHECK((a.quantity == b.quantity && same(a.diff.mean, b.diff.mean) &&
             same(a.diff.lower, b.diff.lower) && same(a.whatif_mean, b.whatif_mean)));
    }
    Handle g = open_file(one);
    bool ok = true;
    for (const auto& var : run_variables()) {
      const std::string name(var.name);
      const Array all = read_all(f.get(), name), all1 = read_all(g.get(), name);
      const Array mean = read_all(f.get(), name + "_mean");
      const Array mean1 = read_all(g.get(), name + "_mean");
      const std::size_t run_cells = all1.v.size() / 2, cells = mean1.v.size() / 2;
      for (std::size_t i = 0; i < run_cells; ++i)
        ok = ok && same(all.v[i], all1.v[i]) &&
             same(all.v[(k + 1) * run_cells + i], all1.v[run_cells + i]);
      for (std::size_t i = 0; i < cells; ++i)
        ok = ok && same(mean.v[i], mean1.v[i]) &&
             same(mean.v[(k + 1) * cells + i], mean1.v[cells + i]);
      for (const char* suffix : {"_diff", "_diff_mean", "_diff_ci_lower", "_diff_ci_upper"}) {
        const Array d = read_all(f.get(), name + suffix), d1 = read_all(g.get(), name + suffix);
        ok = ok && d.v.size() == 3 * d1.v.size();
        for (std::size_t i = 0; ok && i < d1.v.size(); ++i)
          ok = ok && same(d.v[k * d1.v.size() + i], d1.v[i]);
      }
      if (!ok) {
        FAIL_CHECK("what-if " << k << " differs from its own comparison in " << name);
        break;
      }
    }
    CHECK(ok);
  }
  // The what-if that changes nothing: every difference 0 (or NaN where the values are NaN).
  const Array d = read_all(f.get(), "influence_share_diff");
  const std::size_t part = d.v.size() / 3;
  CHECK(std::all_of(d.v.begin() + 2 * static_cast<std::ptrdiff_t>(part), d.v.end(),
                    [](double x) { return x == 0.0 || std::isnan(x); }));
}

TEST_CASE("a what-if study refuses what-ifs it cannot tell apart") {
  const Scenario base = test::small();
  Scenario a = base, b = base, named_base = base;
  a.name = b.name = "twin";
  named_base.name = "base";
  const std::string path = scratch("clash.h5");
  CHECK(whatif_label_clashes({&a, &b}).size() == 1);
  CHECK(whatif_label_clashes({&a, &named_base}).size() == 1);
  CHECK(whatif_label_clashes({&named_base}).empty());  // one what-if is labelled "whatif"
  CHECK_THROWS_AS(simulate_comparison(base, {&a, &b}, {0}, path, {provenance(), {"x", "y"}}),
                  InputError);
  CHECK_THROWS_AS(EnsembleWriter::comparison(path, base, {&a, &named_base}, {0}),
                  std::invalid_argument);
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(temp_name(path)));
}

TEST_CASE("comparison: scenarios of different shapes are refused before anything is written") {
  const Scenario base = test::baseline();
  const Scenario other = test::small();
  const auto problems = comparison_mismatches(base, other);
  CHECK_FALSE(problems.empty());
  CHECK(comparison_mismatches(base, base).empty());
  Scenario shorter = base;
  shorter.turns = 12;
  const auto turns = comparison_mismatches(base, shorter);
  REQUIRE(turns.size() == 1);
  CHECK(turns.front().find("turns differ") != std::string::npos);
  const std::string path = scratch("mismatch.h5");
  CHECK_THROWS_AS(simulate_comparison(base, {&other}, {0}, path, {provenance(), {"x"}}),
                  InputError);
  // One what-if of several that does not fit refuses the whole study.
  CHECK_THROWS_AS(simulate_comparison(base, {&base, &other}, {0}, path, {provenance(), {"x", "y"}}),
                  InputError);
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(path + ".tmp"));
}

TEST_CASE("one replicate: the table says the interval cannot be estimated") {
  const Scenario sc = test::small();
  const std::string path = scratch("one_pair.h5");
  const ComparisonSummary s = simulate_comparison(sc, {&sc}, {5}, path, {provenance(), {"x"}});
  CHECK(std::isnan(s.t_quantile));
  const std::string table = format_comparison(s);
  CHECK(table.find("cannot be estimated") != std::string::npos);
  CHECK(table.find("n/a (R = 1)") != std::string::npos);
  Handle f = open_file(path);
  CHECK(std::isnan(h5::read_double_attr(f.get(), "t_quantile")));
  const Array lo = read_all(f.get(), "influence_share_diff_ci_lower");
  CHECK(std::all_of(lo.v.begin(), lo.v.end(), [](double v) { return std::isnan(v); }));
  CHECK(read_all(f.get(), "replicate").v == std::vector<double>{5});
}

TEST_CASE("the writer: turns in order, every run ended, temp file removed if unfinished") {
  const Scenario sc = test::small();
  const std::string path = scratch("unfinished.h5");
  {
    EnsembleWriter w = EnsembleWriter::replicates(path, sc, {0, 1});
    CHECK(fs::exists(temp_name(path)));
    World world = make_world(sc);
    const CounterRng rng(sc.seed, 0);
    step(world, sc, rng);
    w.record(0, 0, world);
    CHECK_THROWS_AS(w.record(0, 0, world), std::logic_error);   // turn 0 again
    CHECK_THROWS_AS(w.record(0, 2, world), std::logic_error);   // no replicate 2
    CHECK_THROWS_AS(w.record(1, 0, world), std::logic_error);   // no scenario 1
    CHECK_THROWS_AS(w.end_run(0, 0, world), std::logic_error);  // turns missing
    CHECK_THROWS_AS(w.finish(provenance()), std::logic_error);  // runs not ended
  }
  CHECK_FALSE(fs::exists(path + ".tmp"));
  CHECK_FALSE(fs::exists(path));
  CHECK_THROWS_AS(EnsembleWriter::comparison(path, sc, test::baseline(), {0}),
                  std::invalid_argument);
  CHECK_FALSE(fs::exists(path + ".tmp"));
}
