#include "output/replicate_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace geosim::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool any_nan(std::span<const double> x) {
  return std::any_of(x.begin(), x.end(), [](double v) { return std::isnan(v); });
}

/// Continued fraction of the incomplete beta function (modified Lentz).
double beta_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEps = 1e-16;
  const double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 1000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < kEps) break;
  }
  return h;
}

/// The regularised incomplete beta function I_x(a, b), x in [0, 1].
double incomplete_beta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_fraction(a, b, x) / a;
  return 1.0 - front * beta_fraction(b, a, 1.0 - x) / b;
}

}  // namespace

double mean(std::span<const double> x) {
  if (x.empty() || any_nan(x)) return kNaN;
  const double x0 = x.front();
  double s = 0.0;
  for (double v : x) s += v - x0;
  return x0 + s / static_cast<double>(x.size());
}

double sample_sd(std::span<const double> x) {
  if (x.size() < 2 || any_nan(x)) return kNaN;
  const double m = mean(x);
  double ss = 0.0;
  for (double v : x) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(x.size() - 1));
}

double quantile_sorted(std::span<const double> sorted, double q) {
  if (sorted.empty()) return kNaN;
  const double h = static_cast<double>(sorted.size() - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  const double t = h - static_cast<double>(lo);
  const double a = sorted[lo], b = sorted[lo + 1];
  const double diff = b - a;
  // numpy's lerp: from the nearer end, so that t = 1 gives b exactly.
  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

void quantiles(std::vector<double>& x, std::span<const double> qs, std::span<double> out) {
  if (out.size() != qs.size()) throw std::logic_error("stats::quantiles: output size");
  if (x.empty() || any_nan(x)) {
    std::fill(out.begin(), out.end(), kNaN);
    return;
  }
  std::sort(x.begin(), x.end());
  for (std::size_t i = 0; i < qs.size(); ++i) out[i] = quantile_sorted(x, qs[i]);
}

double student_t_quantile(double p, double df) {
  if (!(p > 0.0 && p < 1.0) || !(df > 0.0)) return kNaN;
  if (p == 0.5) return 0.0;
  if (p < 0.5) return -student_t_quantile(1.0 - p, df);
  // For t > 0: P(T > t) = I_x(df / 2, 1 / 2) / 2 with x = df / (df + t^2), decreasing in t, so
  // solve I_x(df / 2, 1 / 2) = 2 (1 - p) for x by bisection (I_x increases with x).
  const double target = 2.0 * (1.0 - p);
  double lo = 0.0, hi = 1.0;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (incomplete_beta(0.5 * df, 0.5, mid) < target)
      lo = mid;
    else
      hi = mid;
  }
  const double x = 0.5 * (lo + hi);
  return std::sqrt(df * (1.0 - x) / x);
}

bool MeanInterval::estimable() const {
  return n >= 2 && !std::isnan(half_width);
}

bool MeanInterval::excludes(double value) const {
  return estimable() && (lower > value || upper < value);
}

MeanInterval mean_interval(std::span<const double> x, double level) {
  return mean_interval_with_t(
      x, x.size() >= 2 ? student_t_quantile(0.5 * (1.0 + level), static_cast<double>(x.size() - 1))
                       : kNaN);
}

MeanInterval mean_interval_with_t(std::span<const double> x, double t) {
  MeanInterval r;
  r.n = static_cast<int>(x.size());
  r.mean = mean(x);
  r.sd = sample_sd(x);
  r.t = x.size() >= 2 ? t : kNaN;
  r.half_width = r.t * r.sd / std::sqrt(static_cast<double>(x.size()));
  r.lower = r.mean - r.half_width;
  r.upper = r.mean + r.half_width;
  return r;
}

}  // namespace geosim::stats
