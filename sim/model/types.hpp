#pragma once
#include <array>
#include <string_view>

namespace geosim {

/// rest_of_world: the aggregate of every partner a scenario does not list (format version 2);
/// never a patron, never decides, influences nobody.
enum class Role { patron, client, other, rest_of_world };
enum class ChannelKind { flow, stock };
enum class Dimension { economic, security, political };
/// What a channel's inflow is measured against when computing exposure (model.md, step 5).
enum class ExposureBase { gdp, budget, military, none };

/// Instruments a budget is given for (USD m per year).
enum class Instrument { economic_aid, security_aid, exercises, visits, loans, deployments };
inline constexpr int kInstrumentCount = 6;
inline constexpr std::array<std::string_view, kInstrumentCount> kInstrumentNames = {
    "economic_aid", "security_aid", "exercises", "visits", "loans", "deployments"};

inline constexpr std::array<std::string_view, 4> kRoleNames = {"patron", "client", "other",
                                                               "rest_of_world"};
inline constexpr std::array<std::string_view, 2> kKindNames = {"flow", "stock"};
inline constexpr std::array<std::string_view, 3> kDimensionNames = {"economic", "security",
                                                                    "political"};
inline constexpr std::array<std::string_view, 4> kExposureNames = {"gdp", "budget", "military",
                                                                   "none"};

}  // namespace geosim
