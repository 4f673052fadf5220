#include "model/channel_defaults.hpp"

#include <limits>

namespace geosim {

const std::vector<ChannelSpec>& default_channels() {
  constexpr double inf = std::numeric_limits<double>::infinity();
  using K = ChannelKind;
  using D = Dimension;
  using E = ExposureBase;
  // name, description, kind, dimension, unit, half-life (months), omega (bandwidth weight),
  // nu (dependence weight), exposure base, exposure scale, gdp elasticity, reference,
  // sanctionable, FBIC sub-index.
  static const std::vector<ChannelSpec> channels = {
      {"trade", "exports of goods and services, from -> to", K::flow, D::economic, "USD m/yr", 6,
       0.20, 0.20, E::gdp, 1.5, 1.0, 0, true, "economic: trade"},
      {"remittances", "migrant workers' transfers, host -> home", K::flow, D::economic, "USD m/yr",
       6, 0.10, 0.20, E::gdp, 2.0, 1.0, 0, false, "economic: remittances (extension)"},
      {"economic_aid", "grants and development assistance", K::flow, D::economic, "USD m/yr", 12,
       0.08, 0.08, E::budget, 10.0, 0.0, 0, false, "economic: aid"},
      {"security_aid", "security-sector assistance and training", K::flow, D::security, "USD m/yr",
       12, 0.08, 0.10, E::military, 2.0, 0.0, 0, false, "security: military aid"},
      {"debt", "outstanding loans, lender -> borrower", K::stock, D::economic, "USD m", 120, 0.08,
       0.10, E::gdp, 2.0, 0.0, 0, false, "economic: finance"},
      {"energy", "oil, gas and power supplies", K::flow, D::economic, "USD m/yr", 6, 0.08, 0.08,
       E::gdp, 2.0, 1.0, 0, false, "economic: trade (energy)"},
      {"arms", "installed equipment base: spares, maintenance, training", K::stock, D::security,
       "USD m", 60, 0.08, 0.10, E::military, 0.5, 0.0, 0, false, "security: arms transfers"},
      {"exercises", "personnel in joint exercises", K::flow, D::security, "personnel", 3, 0.08,
       0.04, E::none, 1.0, 0.0, 5000, false, "security: military engagement"},
      {"basing", "foreign troops based on the partner's soil", K::stock, D::security, "personnel",
       inf, 0.08, 0.10, E::none, 1.0, 0.0, 10000, false, "security: military presence"},
      {"diplomacy", "official visits (level 1 envoy .. 3 head of state)", K::flow, D::political,
       "level", 3, 0.06, 0.00, E::none, 1.0, 0.0, 3, false, "political: diplomatic exchange"},
      {"institutions", "shared bloc memberships (from blocs, not flow entries)", K::stock,
       D::political, "membership", inf, 0.08, 0.00, E::none, 1.0, 0.0, 3, false,
       "political: shared organisations"},
  };
  return channels;
}

}  // namespace geosim
