#include <doctest/doctest.h>

#include <cmath>

#include "model/mechanisms.hpp"
#include "support/model_fixtures.hpp"

using namespace geosim;
using doctest::Approx;

TEST_CASE("bandwidth is symmetric, in [0, 1], and zero without ties") {
  const Scenario sc = test::small();
  const World w = make_world(sc);
  CHECK((w.B - w.B.transpose()).abs().maxCoeff() == 0.0);
  CHECK(w.B.minCoeff() >= 0.0);
  CHECK(w.B.maxCoeff() <= 1.0);
  CHECK((w.B.matrix().diagonal().array() == 0.0).all());
}

TEST_CASE("bandwidth does not depend on the unit a channel is written in") {
  const Scenario sc = test::small();
  World w = make_world(sc);
  const Matrix before = w.B;
  // The same trade in USD k: values and the derived reference scale together.
  w.flow[w.ch.trade] *= 1000.0;
  w.ref[w.ch.trade] *= 1000.0;
  update_bandwidth(w, sc);
  CHECK((w.B - before).abs().maxCoeff() < 1e-12);
}

TEST_CASE("one channel's bandwidth follows log(1 + s V / ref) / log(1 + s)") {
  const Scenario sc = test::small();
  World w = make_world(sc);
  for (auto& f : w.flow) f.setZero();
  const int pa = sc.actor_index("PA"), c2 = sc.actor_index("C2");
  w.flow[w.ch.trade](pa, c2) = 30.0;
  w.flow[w.ch.trade](c2, pa) = 20.0;
  w.ref[w.ch.trade] = 100.0;
  update_bandwidth(w, sc);
  const double s = sc.params.bandwidth_log_scale;
  const double expected =
      sc.channels[w.ch.trade].bandwidth_weight * std::log1p(s * 0.5) / std::log1p(s);
  CHECK(w.B(pa, c2) == Approx(expected));
  CHECK(w.B(c2, pa) == Approx(expected));
}

TEST_CASE("influence needs both ties and dependence: I* = B^alpha D(b, a)^beta") {
  const Scenario sc = test::small();
  World w = make_world(sc);
  const int pb = sc.actor_index("PB"), c1 = sc.actor_index("C1");
  const double alpha = sc.params.bandwidth_exponent, beta = sc.params.dependence_exponent;
  CHECK(w.I(pb, c1) == Approx(std::pow(w.B(pb, c1), alpha) * std::pow(w.D(c1, pb), beta)));
  w.D.setZero();
  update_influence(w, sc, 1.0);
  CHECK(w.I.abs().maxCoeff() == 0.0);
  w = make_world(sc);
  w.B.setZero();
  update_influence(w, sc, 1.0);
  CHECK(w.I.abs().maxCoeff() == 0.0);
}
