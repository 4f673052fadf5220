#include <algorithm>
#include <limits>

#include "model/mechanisms.hpp"

namespace geosim {

/// share(a, c) = I(a, c) / sum over patrons q of I(q, c), for patrons a (0 for others);
/// hedging(c) = 1 - max_a share(a, c): 0 when one patron holds all influence over c.
void update_metrics(World& w, const Scenario& sc) {
  (void)sc;
  w.share.setZero();
  for (int c = 0; c < w.n; ++c) {
    double total = 0.0;
    for (int a = 0; a < w.n; ++a)
      if (a != c && w.patron[a]) total += w.I(a, c);
    double top = 0.0;
    if (total > 0.0)
      for (int a = 0; a < w.n; ++a)
        if (a != c && w.patron[a]) {
          w.share(a, c) = w.I(a, c) / total;
          top = std::max(top, w.share(a, c));
        }
    w.hedging(c) = total > 0.0 ? 1.0 - top : std::numeric_limits<double>::quiet_NaN();
  }
}

}  // namespace geosim
