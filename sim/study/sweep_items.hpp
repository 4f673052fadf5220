#pragma once
/// The items a sweep file and a calibration file share (docs/sweeps.md, docs/calibration.md):
/// a parameter with its distribution, and an output (a metric: a run variable's cell or a
/// derived quantity over a window of turns). Problems are reported to the Reader, located.
#include <set>
#include <string>
#include <vector>

#include "scenario/reader.hpp"
#include "scenario/tree.hpp"
#include "study/sweep_spec.hpp"

namespace geosim {

/// Reads parameters[i] (name, path, one distribution or levels) into `out`; `names` holds the
/// names taken so far (parameters and outputs share one namespace).
void read_sweep_parameter(Reader& r, const Node& e, const std::string& path,
                          std::vector<SweepParameter>& out, std::set<std::string>& names);

/// Reads an output (name, variable, labels, reduce, a window: from/to, year or month) into
/// `out`; `extra_keys` are further keys the caller reads itself (a calibration target's
/// observed value...). Returns false, reading nothing, if the node is not a map.
bool read_sweep_output(Reader& r, const Node& e, const std::string& path,
                       std::vector<SweepOutput>& out, std::set<std::string>& names,
                       const std::vector<std::string>& extra_keys = {});

/// "list[NAME]" for an item with a name, else "list[i]".
std::string item_name(const std::string& list, const Node& item, std::size_t index);

}  // namespace geosim
