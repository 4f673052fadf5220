// Calibration end to end through calibrate() on the gaussian test model (y = mu + N(0, 1) per
// run), whose posterior is known: prior N(0, 1), one observation y = 1 with sd 1 gives the
// posterior N(1/2, 1/2). Also the distance on a setup with a holdout target.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <numeric>
#include <string>
#include <vector>

#include "calib/calib_spec.hpp"
#include "calib/calibrate.hpp"
#include "core/weighted_stats.hpp"
#include "output/calibration_store.hpp"

namespace {

namespace fs = std::filesystem;

/// A fresh folder under the test's binary folder.
std::string fresh_dir(const std::string& name) {
  const fs::path d = fs::path(GEOSIM_CALIB_TEST_DIR) / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d.string();
}

const char* kGaussian = R"(geosim_calibration: 1
name: gauss
model: gaussian
seed: 7
method:
  kind: abc-smc
  particles: 1000
  replicates: 1
  tolerance: 0.05
  generations: 20
  budget: 2000000
  chunk: 256
parameters:
  - {name: mu, path: mu, normal: [0, 1]}
targets:
  - {name: y, variable: y, observed: 1.0, sd: 1.0, source: "test"}
)";

}  // namespace

TEST_CASE("distance: RMS z-score over the fitted targets only") {
  const std::string text = R"(geosim_calibration: 1
name: two
model: gaussian
seed: 1
method: {kind: abc-smc, particles: 10, budget: 100}
parameters:
  - {name: mu, path: mu, uniform: [-1, 1]}
targets:
  - {name: a, variable: y, observed: 1.0, sd: 0.5, source: "x"}
  - {name: b, variable: y, observed: -2.0, interval: [-3.0, -1.0], source: "x"}
  - {name: c, variable: y, observed: 100.0, sd: 1.0, source: "x", use: holdout}
)";
  const auto setup = geosim::calib::make_calibration_setup(
      geosim::read_calibration_text(text, "<two>", GEOSIM_CALIB_TEST_DIR));
  REQUIRE(setup.fit.size() == 2);
  const double sd_b = 2.0 / (2.0 * 1.6448536269514722);  // 90% interval half-width / z_0.95
  CHECK(setup.spec.targets[1].sd == doctest::Approx(sd_b).epsilon(1e-12));
  const std::vector<double> s = {2.0, 0.0, -7.0};  // z = 2, 2 / sd_b; the holdout ignored
  const double za = 2.0, zb = 2.0 / sd_b;
  CHECK(geosim::calib::distance(setup, s) ==
        doctest::Approx(std::sqrt((za * za + zb * zb) / 2.0)).epsilon(1e-12));
  const std::vector<double> exact = {1.0, -2.0, 12345.0};
  CHECK(geosim::calib::distance(setup, exact) == 0.0);
}

TEST_CASE("ABC-SMC recovers the known gaussian posterior N(1/2, 1/2)") {
  const std::string dir = fresh_dir("known_posterior");
  const auto spec = geosim::read_calibration_text(kGaussian, dir + "/gauss.calib.yaml", dir);
  const auto setup = geosim::calib::make_calibration_setup(spec);
  geosim::calib::CalibOptions o;
  o.dir = dir + "/work";
  o.out = dir + "/gauss.h5";
  o.jobs = 2;
  const auto rep = geosim::calib::calibrate(setup, o);
  CHECK(rep.converged);
  CHECK_FALSE(rep.interrupted);
  CHECK(rep.generations >= 2);
  REQUIRE(fs::exists(o.out));

  const auto r = geosim::calib::read_calibration_result(o.out);
  CHECK(r.method == "abc-smc");
  CHECK(r.converged);
  CHECK(r.generations == rep.generations);
  REQUIRE(r.parameters == std::vector<std::string>{"mu"});
  REQUIRE(r.last.n == 1000);
  REQUIRE(r.last.p == 1);
  REQUIRE(r.tolerance.size() == static_cast<std::size_t>(r.generations));
  CHECK(r.tolerance.back() <= 0.05);
  for (std::size_t g = 1; g < r.tolerance.size(); ++g) CHECK(r.tolerance[g] <= r.tolerance[g - 1]);
  for (double d : r.last.distance) CHECK(d <= r.tolerance.back());
  const auto& w = r.last.weight;
  CHECK(std::accumulate(w.begin(), w.end(), 0.0) == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(r.ess.back() == doctest::Approx(geosim::effective_sample_size(w)).epsilon(1e-12));

  double mean = 0.0;
  for (std::size_t i = 0; i < r.last.n; ++i) mean += w[i] * r.last.theta[i];
  double var = 0.0;
  for (std::size_t i = 0; i < r.last.n; ++i)
    var += w[i] * (r.last.theta[i] - mean) * (r.last.theta[i] - mean);
  const double sd = std::sqrt(var);
  MESSAGE("posterior mean " << mean << " (0.5), sd " << sd << " (" << std::sqrt(0.5) << "), ESS "
                            << r.ess.back() << ", " << r.generations << " generations, " << r.runs
                            << " runs");
  CHECK(std::abs(mean - 0.5) <= 0.05);
  CHECK(std::abs(sd - std::sqrt(0.5)) <= 0.1 * std::sqrt(0.5));
  // The recorded median is the weighted median of the last generation.
  REQUIRE(r.posterior_median.size() == 1);
  CHECK(r.posterior_median[0] == geosim::weighted_quantile(r.last.theta, w, 0.5));
  CHECK(std::abs(r.posterior_median[0] - 0.5) <= 0.1);
  // best: the last generation's particle of smallest distance
  std::size_t best = 0;
  for (std::size_t i = 1; i < r.last.n; ++i)
    if (r.last.distance[i] < r.last.distance[best]) best = i;
  CHECK(r.best[0] == r.last.theta[best]);
  // Rerunning on the kept folder resumes every generation and writes the same particles.
  geosim::calib::CalibOptions again = o;
  again.out = dir + "/gauss_again.h5";
  const auto rep2 = geosim::calib::calibrate(setup, again);
  CHECK(rep2.generations == rep.generations);
  CHECK(rep2.runs == rep.runs);
  const auto r2 = geosim::calib::read_calibration_result(again.out);
  CHECK(r2.last.theta == r.last.theta);
  CHECK(r2.last.weight == r.last.weight);
}
