#include "study/derived_metric.hpp"

#include <limits>

namespace geosim {

std::optional<Derived> derived_kind(std::string_view name) {
  for (int k = 1; k < 4; ++k)
    if (name == kDerivedNames[k]) return static_cast<Derived>(k);
  return std::nullopt;
}

double derived_value(const World& w, const DerivedDef& d) {
  const Matrix& f = w.flow[static_cast<std::size_t>(d.channel)];
  const auto a = static_cast<Eigen::Index>(d.actor);
  const auto p = static_cast<Eigen::Index>(d.partner);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  switch (d.kind) {
    case Derived::turnover_share: {
      const double total = f.row(a).sum() + f.col(a).sum() - 2.0 * f(a, a);
      return total > 0.0 ? (f(a, p) + f(p, a)) / total : nan;
    }
    case Derived::import_share: {
      const double total = f.col(a).sum();
      return total > 0.0 ? f(p, a) / total : nan;
    }
    case Derived::inflow_gdp: {
      const double in = p >= 0 ? f(p, a) : f.col(a).sum() - f(a, a);
      return in / (1000.0 * w.gdp[a]);
    }
    case Derived::none:
      break;
  }
  return nan;
}

}  // namespace geosim
