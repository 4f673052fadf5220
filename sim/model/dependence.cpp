#include <algorithm>

#include "model/mechanisms.hpp"

namespace geosim {

/// What channel k's inflow into actor i is compared with, in the channel's unit (USD m for
/// money). Channels measured in personnel, levels or memberships (exposure `none`) compare
/// with their bandwidth reference, so that a faded exercise pulse no longer counts as full
/// dependence on its only sponsor. <= 0: exposure is 1 whenever there is an inflow.
double exposure_denominator(const World& w, const Scenario& sc, int k, int i) {
  switch (sc.channels[k].exposure) {
    case ExposureBase::gdp:
      return 1000.0 * w.gdp(i);
    case ExposureBase::budget:
      return 1000.0 * sc.actors[i].budget * w.gdp(i) / w.gdp0(i);
    case ExposureBase::military:
      return 1000.0 * sc.actors[i].military;
    case ExposureBase::none:
      return w.ref[k];
  }
  return 0.0;
}

/// dep_k(i, j) = F_k(j, i) / sum_l F_k(l, i) * min(1, exposure_k(i)),
/// exposure_k(i) = sum_l F_k(l, i) / denominator_k(i) * scale_k.
void update_dependence(World& w, const Scenario& sc, double blend) {
  Matrix& target = w.tmp_nn;
  Matrix& econ = w.tmp_nn2;
  target.setZero();
  econ.setZero();
  double nu_econ = 0.0, nu_sec = 0.0, nu_pol = 0.0;
  const int row = sc.rest_of_world;
  for (int k = 0; k < w.k; ++k) {
    const ChannelSpec& c = sc.channels[k];
    // Version 2: institutions make each member depend on the others by their weight in the
    // blocs (inst_dep), not on every member equally (the shared count, which bandwidth uses).
    const bool institutions = sc.version >= 2 && k == w.ch.institutions;
    const Matrix& F = institutions ? w.inst_dep : w.flow[k];
    Matrix& dep = w.dep[k];
    for (int i = 0; i < w.n; ++i) {
      const double inflow = F.col(i).sum() - F(i, i);
      if (inflow <= 0.0 || i == row) {  // the rest of the world depends on nobody
        dep.row(i).setZero();
        continue;
      }
      const double denom = exposure_denominator(w, sc, k, i);
      const double exposure = denom > 0.0 ? inflow / denom * c.exposure_scale : 1.0;
      const double factor = std::min(1.0, exposure) / inflow;
      for (int j = 0; j < w.n; ++j) dep(i, j) = j == i ? 0.0 : F(j, i) * factor;
    }
    target += c.dependence_weight * dep;
    switch (c.dimension) {
      case Dimension::economic:
        nu_econ += c.dependence_weight;
        break;
      case Dimension::security:
        nu_sec += c.dependence_weight;
        break;
      case Dimension::political:
        nu_pol += c.dependence_weight;
        break;
    }
  }
  w.D = (1.0 - blend) * w.D + blend * target;
  // Sub-indices: the same sum over one dimension's channels, normalised by its weights so each
  // lies in [0, 1]. Computed one dimension at a time into the scratch matrix.
  auto sub_index = [&](Dimension dim, double nu, Matrix& out) {
    econ.setZero();
    if (nu > 0.0)
      for (int k = 0; k < w.k; ++k)
        if (sc.channels[k].dimension == dim)
          econ += (sc.channels[k].dependence_weight / nu) * w.dep[k];
    out = (1.0 - blend) * out + blend * econ;
  };
  sub_index(Dimension::economic, nu_econ, w.D_econ);
  sub_index(Dimension::security, nu_sec, w.D_sec);
  sub_index(Dimension::political, nu_pol, w.D_pol);
}

}  // namespace geosim
