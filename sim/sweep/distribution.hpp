#pragma once
// How a swept parameter's values are spread: maps a unit-cube value u (from a design) to the
// parameter's own units by the inverse CDF.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace geosim::sweep {

/// A parameter distribution, a small value type. Build it with the named constructors, which
/// never throw: a bad argument is recorded and reported by error(), and value() then throws.
class Distribution {
 public:
  enum class Kind { uniform, loguniform, normal, discrete };

  /// Uniform on [lo, hi]. Valid if both are finite and lo < hi.
  static Distribution uniform(double lo, double hi);
  /// Log-uniform on [lo, hi] (log x uniform). Valid if both are finite and 0 < lo < hi.
  static Distribution loguniform(double lo, double hi);
  /// Normal with mean and standard deviation sd (same units as the parameter). Valid if both
  /// are finite and sd > 0.
  static Distribution normal(double mean, double sd);
  /// One of m explicit values, each with probability 1/m. Valid if there is at least one value
  /// and all are finite.
  static Distribution discrete(std::vector<double> values);

  /// Why the arguments are bad, as a sentence naming the kind and the values; empty if valid.
  const std::string& error() const { return error_; }
  bool valid() const { return error_.empty(); }

  /// The parameter value at u, u in [0, 1] (both ends included, so Morris grid values work):
  ///  - uniform: lo + u (hi - lo), exactly lo at u = 0 and hi at u = 1 (std::lerp);
  ///  - loguniform: exp(log lo + u (log hi - log lo)), clamped into [lo, hi];
  ///  - normal: the normal quantile at u (Boost.Math), u first clamped into [2^-53, 1 - 2^-53]
  ///    so the ends give finite values about 8.2 sd from the mean;
  ///  - discrete: values[floor(u m)], u = 1 giving the last value.
  /// Throws std::invalid_argument if the distribution is invalid (message = error()) or u is
  /// outside [0, 1] or NaN.
  double value(double u) const;

  Kind kind() const { return kind_; }
  /// uniform/loguniform: lo; normal: mean; discrete: 0.
  double lo() const { return a_; }
  /// uniform/loguniform: hi; normal: sd; discrete: 0.
  double hi() const { return b_; }
  double mean() const { return a_; }
  double sd() const { return b_; }
  /// discrete: the values; otherwise empty.
  const std::vector<double>& values() const { return values_; }

 private:
  Distribution(Kind kind, double a, double b, std::vector<double> values, std::string error)
      : kind_(kind), a_(a), b_(b), values_(std::move(values)), error_(std::move(error)) {}

  Kind kind_;
  double a_, b_;
  std::vector<double> values_;
  std::string error_;
};

/// "uniform", "loguniform", "normal" or "discrete".
std::string_view to_string(Distribution::Kind kind);

}  // namespace geosim::sweep
