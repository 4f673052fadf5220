#pragma once
/// The one declaration of what a run file holds: the per-turn variables and the columns of the
/// events table, each with its dimensions, unit, meaning and where its values come from. The
/// writer loops over these tables; docs/output-format.md describes the same list (a test checks
/// that every name here appears there).
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "model/world.hpp"

namespace geosim {

/// The dimensions of a run file; `actor` and `target` carry the same labels (an N x N array
/// needs two distinct dimensions for netCDF and xarray).
enum class Dim { turn, actor, target, channel, pole, instrument, event };
inline constexpr std::array<std::string_view, 7> kDimNames = {
    "turn", "actor", "target", "channel", "pole", "instrument", "event"};

/// One per-turn float64 variable, stored over (turn, dims...).
struct RunVariable {
  std::string_view name;
  std::vector<Dim> dims;  ///< the axes after `turn`
  std::string_view units;
  std::string_view long_name;
  /// The values at the world's current turn, row-major over `dims`. For variables whose first
  /// axis is `channel`, the block of channel k over the remaining axes; otherwise k is 0.
  std::span<const double> (*values)(const World& w, int k);
};

/// Every per-turn variable, in file order.
const std::vector<RunVariable>& run_variables();

/// Copies variable v's values at the world's current turn into `slab` (row-major over v.dims;
/// a variable over `channel` block by block, `channels` blocks). std::logic_error naming
/// `writer` if the world's sizes do not fill the slab exactly.
void copy_turn(const RunVariable& v, const World& w, int channels, std::span<double> slab,
               std::string_view writer);

/// What the event columns need besides the event itself.
struct EventContext {
  const std::vector<std::string>& actor_codes;
  const std::vector<std::string>& bloc_codes;
  const std::vector<std::string>& policy_ids;
  Date start;
  int months_per_turn = 1;
};

/// One column of the events table (dimension `event`). Exactly one getter is set; it decides
/// the column's type (int32, float64 or vlen UTF-8 string).
struct EventColumn {
  std::string_view name;
  std::string_view units;  ///< "" for strings
  std::string_view long_name;
  std::int32_t (*as_int)(const LoggedEvent&, const EventContext&) = nullptr;
  double (*as_double)(const LoggedEvent&, const EventContext&) = nullptr;
  std::string (*as_string)(const LoggedEvent&, const EventContext&) = nullptr;
};

/// The events table, in file order.
const std::vector<EventColumn>& event_columns();

/// The root attribute spelling out the dyadic convention of every (actor, target) variable.
inline constexpr std::string_view kConventionNote =
    "M(a, b): a is the subject, b the object (flow a->b, a's influence over b, a's dependence "
    "on b)";

inline constexpr std::string_view kRunFormat = "geosim-run";
inline constexpr int kRunFormatVersion = 1;
/// The group of a checkpoint file that holds the run's whole state (output/world_state.hpp).
inline constexpr std::string_view kCheckpointGroup = "checkpoint";

}  // namespace geosim
