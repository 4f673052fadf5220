#include <doctest/doctest.h>

#include "model/mechanisms.hpp"
#include "support/model_fixtures.hpp"

using namespace geosim;
using doctest::Approx;

TEST_CASE("dependence on a channel is the partner's share of inflow times capped exposure") {
  const Scenario sc = test::small();
  const World w = make_world(sc);
  const int pb = sc.actor_index("PB"), c1 = sc.actor_index("C1"), pa = sc.actor_index("PA");
  // Remittances PB -> C1: 3 USD bn/yr, C1's only remittance inflow; exposure against gdp
  // (20 USD bn) with scale 2: 3/20*2 = 0.3.
  CHECK(w.dep[w.ch.remittances](c1, pb) == Approx(0.3));
  // Trade into C1: 2000 from PB, 500 from PA, 250 from C2 (USD m/yr). Exposure 2750/20000*1.5.
  const double exposure = 2750.0 / 20000.0 * 1.5;
  CHECK(w.dep[w.ch.trade](c1, pb) == Approx(2000.0 / 2750.0 * exposure));
  CHECK(w.dep[w.ch.trade](c1, pa) == Approx(500.0 / 2750.0 * exposure));
  // Basing is measured against its bandwidth reference (10,000 personnel): PB's 1,000 troops,
  // the only ones, give 1000 / 10000.
  CHECK(w.dep[w.ch.basing](c1, pb) == Approx(0.1));
  // Nobody depends on itself.
  for (int k = 0; k < w.k; ++k) CHECK((w.dep[k].matrix().diagonal().array() == 0.0).all());
}

TEST_CASE("total dependence is the weighted sum of channels, set to its target at the start") {
  const Scenario sc = test::small();
  const World w = make_world(sc);
  Matrix expected = Matrix::Zero(w.n, w.n);
  for (int k = 0; k < w.k; ++k) expected += sc.channels[k].dependence_weight * w.dep[k];
  CHECK((w.D - expected).abs().maxCoeff() < 1e-12);
  // Rows add up to at most 1 (weights sum to 1, each channel's row to at most 1).
  CHECK((w.D.rowwise().sum() <= 1.0 + 1e-12).all());
  for (const Matrix* m : {&w.D_econ, &w.D_sec, &w.D_pol}) {
    CHECK(m->minCoeff() >= 0.0);
    CHECK((m->rowwise().sum() <= 1.0 + 1e-12).all());
  }
}

TEST_CASE("dependence moves toward its target by the inertia each turn") {
  const Scenario sc = test::small();
  World w = make_world(sc);
  const int c1 = sc.actor_index("C1"), pb = sc.actor_index("PB");
  const double before = w.D(c1, pb);
  // Double every flow's weight in the target by doubling remittances: recompute directly.
  w.flow[w.ch.remittances](pb, c1) *= 2.0;
  update_dependence(w, sc, sc.params.dependence_inertia);
  const double target_change = 0.3 * sc.channels[w.ch.remittances].dependence_weight;
  CHECK(w.D(c1, pb) - before == Approx(sc.params.dependence_inertia * target_change));
}
