#pragma once
#include <cmath>

namespace geosim {

/// x^e for x >= 0, with the exponents the model's defaults use computed without pow(): 0.5 and
/// -0.5 by sqrt, 0, 1 and 2 by arithmetic. The results agree with std::pow to within one unit
/// in the last place (sqrt is correctly rounded, pow nearly so); pow costs about 20 ns, sqrt 1.
inline double power(double x, double e) {
  if (e == 0.5) return std::sqrt(x);
  if (e == 1.0) return x;
  if (e == 0.0) return 1.0;
  if (e == -0.5) return 1.0 / std::sqrt(x);
  if (e == 2.0) return x * x;
  return std::pow(x, e);
}

}  // namespace geosim
