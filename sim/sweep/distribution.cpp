#include "sweep/distribution.hpp"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace geosim::sweep {
namespace {

std::string num(double v) {
  std::ostringstream os;
  os << std::setprecision(10) << v;
  return os.str();
}

/// Shared checks of the two-bound kinds; "" if fine.
std::string check_bounds(std::string_view kind, double lo, double hi) {
  const std::string what = std::string(kind) + "(" + num(lo) + ", " + num(hi) + ")";
  if (!std::isfinite(lo) || !std::isfinite(hi)) return what + ": bounds must be finite";
  if (!(lo < hi)) return what + ": lower bound must be less than upper bound";
  return {};
}

}  // namespace

std::string_view to_string(Distribution::Kind kind) {
  switch (kind) {
    case Distribution::Kind::uniform:
      return "uniform";
    case Distribution::Kind::loguniform:
      return "loguniform";
    case Distribution::Kind::normal:
      return "normal";
    case Distribution::Kind::discrete:
      return "discrete";
  }
  return "unknown";
}

Distribution Distribution::uniform(double lo, double hi) {
  return {Kind::uniform, lo, hi, {}, check_bounds("uniform", lo, hi)};
}

Distribution Distribution::loguniform(double lo, double hi) {
  std::string error = check_bounds("loguniform", lo, hi);
  if (error.empty() && !(lo > 0.0)) {
    error = "loguniform(" + num(lo) + ", " + num(hi) + "): lower bound must be positive";
  }
  return {Kind::loguniform, lo, hi, {}, std::move(error)};
}

Distribution Distribution::normal(double mean, double sd) {
  const std::string what = "normal(" + num(mean) + ", " + num(sd) + ")";
  std::string error;
  if (!std::isfinite(mean) || !std::isfinite(sd)) {
    error = what + ": mean and standard deviation must be finite";
  } else if (!(sd > 0.0)) {
    error = what + ": standard deviation must be positive";
  }
  return {Kind::normal, mean, sd, {}, std::move(error)};
}

Distribution Distribution::discrete(std::vector<double> values) {
  std::string error;
  if (values.empty()) {
    error = "discrete: at least one value is needed";
  } else {
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!std::isfinite(values[i])) {
        error = "discrete: value " + std::to_string(i) + " (" + num(values[i]) + ") must be finite";
        break;
      }
    }
  }
  return {Kind::discrete, 0.0, 0.0, std::move(values), std::move(error)};
}

double Distribution::value(double u) const {
  if (!error_.empty()) throw std::invalid_argument(error_);
  if (!(u >= 0.0 && u <= 1.0)) {
    throw std::invalid_argument(std::string(to_string(kind_)) + ": u = " + num(u) +
                                " is outside [0, 1]");
  }
  switch (kind_) {
    case Kind::uniform:
      return std::lerp(a_, b_, u);
    case Kind::loguniform:
      return std::clamp(std::exp(std::lerp(std::log(a_), std::log(b_), u)), a_, b_);
    case Kind::normal: {
      constexpr double kTiny = 0x1.0p-53;
      const double p = std::clamp(u, kTiny, 1.0 - kTiny);
      return boost::math::quantile(boost::math::normal_distribution<double>(a_, b_), p);
    }
    case Kind::discrete: {
      const std::size_t m = values_.size();
      const auto i = static_cast<std::size_t>(u * static_cast<double>(m));
      return values_[std::min(i, m - 1)];
    }
  }
  throw std::logic_error("Distribution::value: unknown kind");
}

}  // namespace geosim::sweep
