#include "model/channel_defaults.hpp"

#include <limits>

namespace geosim {

namespace {

std::vector<ChannelSpec> version1_channels() {
  constexpr double inf = std::numeric_limits<double>::infinity();
  using K = ChannelKind;
  using D = Dimension;
  using E = ExposureBase;
  // name, description, kind, dimension, unit, half-life (months), omega (bandwidth weight),
  // nu (dependence weight), exposure base, exposure scale, gdp elasticity, reference,
  // sanctionable, FBIC sub-index.
  const std::vector<ChannelSpec> channels = {
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

std::vector<ChannelSpec> version2_channels() {
  std::vector<ChannelSpec> c = version1_channels();
  auto at = [&](const char* name) -> ChannelSpec& {
    for (auto& ch : c)
      if (ch.name == name) return ch;
    return c.front();
  };
  at("remittances").dependence_weight = 0.18;
  at("debt").dependence_weight = 0.08;
  at("basing").dependence_weight = 0.08;
  at("institutions").dependence_weight = 0.06;
  at("institutions").reference = 0.0;  // the total bloc weight (world.cpp)
  at("institutions").description =
      "shared bloc memberships (from blocs, not flow entries); dependence on each member by "
      "its weight in the blocs";
  return c;
}

}  // namespace

const std::vector<ChannelSpec>& default_channels(int version) {
  static const std::vector<ChannelSpec> v1 = version1_channels();
  static const std::vector<ChannelSpec> v2 = version2_channels();
  return version >= 2 ? v2 : v1;
}

}  // namespace geosim
