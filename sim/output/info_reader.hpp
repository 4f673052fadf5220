#pragma once
/// What the readers behind `geosim info` share (run_info.cpp, ensemble_info.cpp,
/// sweep_info.cpp): reading a geosim file's root attributes, labels and small blocks with every
/// failure an InputError naming the file and the key, and the summaries' line layout. Internal
/// to sim/output (names HDF5 types).
#include <hdf5.h>

#include <cstdint>
#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "output/h5_helpers.hpp"
#include "output/run_info.hpp"

namespace geosim {
struct EnsembleInfo;
struct SweepPlanInfo;
struct SweepFileInfo;
}  // namespace geosim

namespace geosim::summary {

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(std::string key, std::string message) const;

  /// Opens the file read-only (h5::open_file: FileError if it is missing, not HDF5, damaged).
  void open(std::string_view kind) { file_ = h5::open_file(path_, kind); }

  hid_t root() const { return file_.get(); }
  const std::string& path() const { return path_; }

  /// The root attribute `format_version`: a whole number among `versions` (fails otherwise).
  int version(std::initializer_list<int> versions) const;

  bool has_attr(std::string_view name) const { return h5::has_attr(root(), name); }
  /// A root attribute, or "" / 0 when it is missing.
  std::string text(std::string_view name) const;
  std::int64_t integer(std::string_view name) const;
  double real(std::string_view name) const;
  /// A root attribute that must be there.
  std::string required_text(std::string_view name) const;
  std::int64_t required_integer(std::string_view name) const;

  bool has_dataset(std::string_view name) const { return h5::has_dataset(root(), name); }
  /// A 1-D string dataset; {} when it is missing and not required.
  std::vector<std::string> labels(std::string_view name, bool required = true) const;
  /// The same, with `n` entries (fails otherwise).
  std::vector<std::string> labels_of(std::string_view name, std::size_t n) const;
  /// A 1-D integer dataset of `n` entries, read as int64 (seeds: no rounding).
  std::vector<std::int64_t> integers(std::string_view name, std::size_t n) const;
  /// Entry `i` of such a dataset of `n` entries (without reading the others).
  std::int64_t integer_at(std::string_view name, std::size_t n, std::size_t i) const;
  /// The shape of a dataset (fails if it is missing).
  std::vector<hsize_t> shape(std::string_view name) const;
  /// Opens a dataset that must have `expected_shape`; `what` says what that shape is ("(turn,
  /// actor, ...)") when it does not.
  h5::Handle dataset(std::string_view name, const std::vector<hsize_t>& expected_shape,
                     std::string_view what = "(turn, actor, ...)") const;

 private:
  std::string path_;
  h5::Handle file_;
};

/// The labels a run, replicates or comparison file shares (run file layout): turns and dates,
/// actors with their names and roles, poles, channels.
using Coordinates = FileCoordinates;
Coordinates read_coordinates(const Reader& r);

/// Each client's three largest patrons and its hedging index at the last turn, from
/// `share_name` (turn, actor, target) and `hedging_name` (turn, actor).
std::vector<ClientSummary> summarise_clients(const Reader& r, const Coordinates& c,
                                             std::string_view share_name,
                                             std::string_view hedging_name);

/// The summaries' layout: "  label:<blanks>value" with the value at column 16.
class Lines {
 public:
  void line(std::string_view label, const std::string& value);
  /// A continuation of the value above, at the value column.
  void more(const std::string& value);
  void raw(const std::string& text) { s_ << text; }
  std::string str() const { return s_.str(); }

 private:
  std::ostringstream s_;
};

/// The coordinates as format_run_info prints them: turns, actors, poles, channels.
void coordinate_lines(Lines& out, const Coordinates& c);
/// The clients' patrons as format_run_info prints them, under `heading`.
void client_lines(Lines& out, const std::vector<ClientSummary>& clients,
                  const std::string& heading);

std::string fixed(double v, int digits);
/// Word-wraps `text` to lines of about 80 characters, continuation lines indented to the value
/// column.
std::string wrap(const std::string& text);
/// The first line of `text`, cut at a word to at most `width` characters ("..." if cut).
std::string first_line(const std::string& text, std::size_t width = 64);
inline std::string or_unknown(const std::string& v) {
  return v.empty() ? std::string("?") : v;
}

// The readers of format_file_info (run_info.cpp), on a file it has opened: each checks the
// format and its version itself.
EnsembleInfo read_ensemble(const Reader& r);       // ensemble_info.cpp
SweepFileInfo read_merged_sweep(const Reader& r);  // sweep_info.cpp
/// The plan's reader opens the file itself (read_sweep_plan, as every sweep command reads it).
SweepPlanInfo read_plan(const std::string& path);  // sweep_info.cpp

}  // namespace geosim::summary
