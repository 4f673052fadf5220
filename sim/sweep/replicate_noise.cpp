// The replicates' noise of a sweep's output, and which Sobol' indices it can explain
// (sweep/sensitivity.hpp).
#include <cmath>
#include <limits>

#include "sweep/sensitivity.hpp"

namespace geosim::sweep {

double pooled_within_variance(std::span<const double> y, std::size_t replicates) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (replicates < 2) return kNaN;
  double sum = 0.0;
  std::size_t points = 0;
  for (std::size_t first = 0; first + replicates <= y.size(); first += replicates) {
    const auto reps = y.subspan(first, replicates);
    double mean = 0.0;
    bool finite = true;
    for (const double v : reps) {
      finite = finite && std::isfinite(v);
      mean += v;
    }
    if (!finite) continue;
    mean /= static_cast<double>(replicates);
    double ss = 0.0;
    for (const double v : reps) ss += (v - mean) * (v - mean);
    sum += ss / static_cast<double>(replicates - 1);
    ++points;
  }
  return points > 0 ? sum / static_cast<double>(points) : kNaN;
}

SobolNoise sobol_noise(const SobolResult& r, double within_variance, std::size_t replicates) {
  SobolNoise n;
  n.share = replicates > 0 && r.variance > 0.0
                ? within_variance / static_cast<double>(replicates) / r.variance
                : std::numeric_limits<double>::quiet_NaN();
  const double floor = std::isfinite(n.share) ? n.share : 0.0;
  n.s1.resize(r.s1.size());
  n.st.resize(r.st.size());
  // A NaN bound (a constant output) cannot be told from anything: flagged.
  for (std::size_t k = 0; k < r.s1.size(); ++k) {
    n.s1[k] = !(r.s1_low[k] > 0.0);
    n.st[k] = !(r.st_low[k] > floor);
  }
  return n;
}

}  // namespace geosim::sweep
