#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace geosim {

/// A patron's share of all patrons' influence over one client.
struct PatronShare {
  std::string patron;  ///< actor code
  double share = 0.0;
};

/// A client at the final turn: its largest patrons and how much it hedges.
struct ClientSummary {
  std::string code;
  std::string name;
  std::vector<PatronShare> top;  ///< up to 3, largest first, zero shares left out
  double hedging = 0.0;          ///< 1 - the largest share
};

/// The summary of a run file shown by `geosim info`.
/// What a file's coordinates say, shared by the summaries of runs and of several runs.
struct FileCoordinates {
  int turns = 0;
  std::string first_date, last_date;  ///< "" if no turns
  std::vector<std::string> actors, actor_names, actor_roles;
  std::vector<std::string> poles, channels;
};

struct RunInfo : FileCoordinates {
  std::string path;
  int format_version = 0;
  std::string geosim_version, git_commit, hdf5_version;
  std::string scenario_name, scenario_description, scenario_hash, scenario_file;
  std::uint64_t seed = 0;
  std::uint64_t run_id = 0;
  std::string start_time, host, command_line;
  double wall_seconds = 0.0;
  int checkpoint_turn = -1;  ///< a checkpoint file: the turn its state is after (-1: none)
  std::string checkpoint_date;
  std::string forked_from;  ///< a run continued from a checkpoint: that file ("": none)
  int forked_at_turn = -1;

  std::size_t events = 0;
  std::vector<ClientSummary> clients;  ///< actors with role "client", in file order
};

/// Reads the summary of a run file. Throws InputError (core/error.hpp) if the file is missing,
/// is not HDF5, is not a geosim run file (root attribute `format` != "geosim-run"), has an
/// unsupported `format_version`, or lacks a dataset the summary needs.
RunInfo read_run_info(const std::string& path);

/// A readable multi-line description (ends with a newline).
std::string format_run_info(const RunInfo& info);

/// What `geosim info FILE` prints: the summary of any file geosim writes, by its root attribute
/// `format`: a run or checkpoint (format_run_info), replicates or a comparison
/// (output/ensemble_info.hpp), a sweep plan or merged sweep file (output/sweep_info.hpp), a
/// calibration (output/calibration_store.hpp). Throws FileError naming the file (and the key)
/// if it is missing, not HDF5, damaged, of an unknown format or format_version, or lacks what
/// the summary needs; a work file (a sweep's pack or old chunk, a calibration's population) and
/// a sweep or calibration folder are refused the same way, saying which command reads them.
std::string format_file_info(const std::string& path);

}  // namespace geosim
