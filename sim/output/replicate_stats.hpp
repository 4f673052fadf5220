#pragma once
/// Statistics over replicates: means, quantiles and confidence intervals of paired differences.
/// Plain C++ (no HDF5): used by the replicate and comparison writers and by `geosim compare`'s
/// table, so the file and the table show the same numbers. Any NaN among the inputs makes the
/// result NaN (as numpy's mean and quantile do).
#include <span>
#include <vector>

namespace geosim::stats {

/// The quantiles every replicates file reports (coordinate `quantile`).
inline constexpr double kQuantiles[] = {0.05, 0.5, 0.95};
/// The confidence level of the intervals of `geosim compare`.
inline constexpr double kCiLevel = 0.95;

/// Arithmetic mean; NaN if empty or if any value is NaN. Computed as x0 + mean(x - x0), so
/// that R equal values give exactly that value.
double mean(std::span<const double> x);

/// Sample standard deviation (divisor n - 1); NaN if n < 2 or any value is NaN.
double sample_sd(std::span<const double> x);

/// Quantile q in [0, 1] of values already sorted ascending: linear interpolation between order
/// statistics at position (n - 1) q (Hyndman and Fan type 7, numpy's default "linear").
/// NaN if empty.
double quantile_sorted(std::span<const double> sorted, double q);

/// Sorts `x` (a scratch copy) and returns the quantiles `qs`; all NaN if any value is NaN.
void quantiles(std::vector<double>& x, std::span<const double> qs, std::span<double> out);

/// The p-quantile of Student's t distribution with `df` > 0 degrees of freedom, p in (0, 1),
/// e.g. student_t_quantile(0.975, 9) = 2.2622. Accurate to about 1e-12 (bisection on the
/// regularised incomplete beta function).
double student_t_quantile(double p, double df);

/// The mean of n values with its t interval: mean +- t_{(1 + level) / 2, n - 1} sd / sqrt(n).
/// With n < 2 (or a NaN among the values) sd, t, half_width, lower and upper are NaN: the
/// interval cannot be estimated.
struct MeanInterval {
  int n = 0;
  double mean = 0.0;
  double sd = 0.0;
  double t = 0.0;  ///< the t quantile used
  double half_width = 0.0;
  double lower = 0.0;
  double upper = 0.0;
  bool estimable() const;             ///< n >= 2 and no NaN
  bool excludes(double value) const;  ///< the interval lies strictly on one side of value
};
MeanInterval mean_interval(std::span<const double> x, double level = kCiLevel);
/// The same with the t quantile given (t_{(1 + level) / 2, n - 1}, computed once for many
/// intervals of the same n); NaN for n < 2 whatever t.
MeanInterval mean_interval_with_t(std::span<const double> x, double t);

}  // namespace geosim::stats
