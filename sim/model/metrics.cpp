#include <algorithm>
#include <limits>

#include "model/mechanisms.hpp"

namespace geosim {

/// share(a, c) = I(a, c) / sum over patrons q of I(q, c), for patrons a (0 for others);
/// hedging(c) = 1 - max_a share(a, c): 0 when one patron holds all influence over c.
void update_metrics(World& w, const Scenario& sc, TurnPool* pool) {
  (void)sc;
  Vector& total = w.tmp_n;
  // Blocks of columns c; each reads the rows a in order (the piece of row a in the block), so
  // every total adds its terms in the order of a, as a loop down the column would.
  for_row_blocks(pool, w.n, [&](int c0, int c1) {
    for (int c = c0; c < c1; ++c) total(c) = 0.0;
    for (int a = 0; a < w.n; ++a) {
      if (!w.patron[a]) continue;
      const double* from = &w.I(a, 0);
      for (int c = c0; c < c1; ++c)
        if (c != a) total(c) += from[c];
    }
    Vector& top = w.hedging;  // the largest share so far, then the hedging index
    for (int c = c0; c < c1; ++c) top(c) = 0.0;
    for (int a = 0; a < w.n; ++a) {
      const double* from = &w.I(a, 0);
      double* out = &w.share(a, 0);
      for (int c = c0; c < c1; ++c) {
        const double v = w.patron[a] && a != c && total(c) > 0.0 ? from[c] / total(c) : 0.0;
        out[c] = v;
        top(c) = std::max(top(c), v);
      }
    }
    for (int c = c0; c < c1; ++c)
      w.hedging(c) = total(c) > 0.0 ? 1.0 - top(c) : std::numeric_limits<double>::quiet_NaN();
  });
}

}  // namespace geosim
