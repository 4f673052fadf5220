#pragma once
#include <array>
#include <string_view>

namespace geosim {

enum class Role { patron, client, other };
enum class ChannelKind { flow, stock };
enum class Dimension { economic, security, political };
/// What a channel's inflow is measured against when computing exposure (model.md, step 5).
enum class ExposureBase { gdp, budget, military, none };

/// Instruments a budget is given for (USD m per year).
enum class Instrument { economic_aid, security_aid, exercises, visits, loans };
inline constexpr int kInstrumentCount = 5;
inline constexpr std::array<std::string_view, kInstrumentCount> kInstrumentNames = {
    "economic_aid", "security_aid", "exercises", "visits", "loans"};

inline constexpr std::array<std::string_view, 3> kRoleNames = {"patron", "client", "other"};
inline constexpr std::array<std::string_view, 2> kKindNames = {"flow", "stock"};
inline constexpr std::array<std::string_view, 3> kDimensionNames = {"economic", "security",
                                                                    "political"};
inline constexpr std::array<std::string_view, 4> kExposureNames = {"gdp", "budget", "military",
                                                                   "none"};

}  // namespace geosim
