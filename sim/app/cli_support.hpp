#pragma once
/// What the commands of `geosim` share (defined in commands.cpp unless noted): option parsing,
/// scenario loading, the output-path checks and the stop flag set by SIGINT and SIGTERM.
/// Internal to sim/app (it names Boost.Program_options types).
#include <boost/program_options.hpp>
#include <csignal>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "output/checkpoint.hpp"

namespace geosim::cli {

/// Current UTC time, ISO 8601.
std::string now_iso();
std::string hostname();
/// "geosim ARGS..." as typed.
std::string joined(const std::vector<std::string>& args);

/// Parses a command's options; prints `usage` and the options and returns false on --help.
bool parse(const std::vector<std::string>& args,
           const boost::program_options::options_description& visible,
           const boost::program_options::positional_options_description& pos,
           boost::program_options::variables_map& vm, const std::string& usage);

/// Loads a scenario file with --set changes ("" is the embedded baseline) and prints its
/// warnings on stderr.
Scenario load(const std::string& path, const std::vector<std::string>& sets);
/// Prints a scenario's warnings on stderr, one per line.
void print_warnings(const Scenario& sc);

/// A whole number in [0, max] from a command-line flag, or an InputError naming the flag.
std::uint64_t flag_number(const std::string& flag, const std::string& text, std::uint64_t max);

/// NAME.h5 in the working folder, NAME made safe for a file name.
std::string default_output(const std::string& name);

/// What a command reads or manages, which its -o must not replace: a file, or a work folder
/// that -o must not lie in.
struct Input {
  std::string path;
  std::string what;     ///< named in the error: "-o 'OUT' is WHAT ..."
  bool folder = false;  ///< a work folder (-d): -o may not be it or lie anywhere inside it
};
/// The files a loaded scenario came from: the file given ("the ROLE file itself"), then each
/// base of its extends chain.
std::vector<Input> scenario_inputs(const Scenario& sc, const std::string& role = "scenario");

/// Checks the output path before anything runs: a file name, in a folder that exists, not a
/// folder, none of `inputs` (not even with --force: nothing the command reads is replaced),
/// no overwrite without --force; then removes stale temp files of dead geosims and, if
/// `probe`, creates and removes OUT's temp file. Returns an exit code, or -1 when all is well.
int check_output(const std::string& out, const std::vector<Input>& inputs, bool force,
                 bool probe = true);

/// A work folder given with -d: it may not exist yet (it is made), but if it does it must be a
/// folder. Throws InputError naming the flag otherwise.
void check_work_folder(const std::string& dir, const std::string& flag = "-d");

/// Says on stderr how `flag` N (above 1) is used for a scenario of `actors` actors when it is
/// not simply N threads per turn: below kTurnPoolMinRows actors the turns are not split, and
/// beyond the usable cores they are split over the cores only (the chunks are deflated on N).
void note_turn_threads(const std::string& flag, int requested, int actors);

/// Set to 1 by on_stop_signal (SIGINT, SIGTERM): runs stop at the end of the current turn.
extern volatile std::sig_atomic_t g_stop;
extern "C" void on_stop_signal(int);

/// Runs `work` (which writes `out`) so that Ctrl-C (SIGINT) and SIGTERM stop it at the end of a
/// turn with nothing written; reports the time taken unless quiet. Returns kExitOk, or
/// kExitInterrupted.
int run_stoppable(const std::string& out, bool quiet, const std::function<void()>& work);

// --- fork.cpp -----------------------------------------------------------------------------

/// The --checkpoint-at value: a turn number or a date (YYYY-MM or YYYY-MM-DD, its turn) from
/// the first turn to the last but one; an InputError naming the flag otherwise.
int checkpoint_turn(const std::string& text, const Scenario& sc);

/// Checks that `sc` (loaded from `scenario_file`) may continue from the checkpoint: same
/// history up to its turn (scenario/history.hpp), same seed, same run id if one was given, and
/// turns left to run. Throws InputError listing every difference.
void check_fork(const CheckpointInfo& ckpt, const Scenario& sc, const std::string& scenario_file,
                std::uint64_t run_id, bool run_id_given);

// --- cmd_compare.cpp ----------------------------------------------------------------------

/// The --replicates value: a whole number from 1 to kMaxReplicates such that the last run id,
/// first_run_id + R - 1, stays below 2^63; an InputError naming --replicates otherwise.
inline constexpr std::uint64_t kMaxReplicates = 1000000;
std::uint64_t replicate_count(const std::string& text, std::uint64_t first_run_id);

/// `geosim compare BASE WHATIF ...`; `all_args` is the whole command line (provenance).
int cmd_compare(const std::vector<std::string>& args, const std::vector<std::string>& all_args);

// --- cmd_calibrate.cpp --------------------------------------------------------------------

/// `geosim calibrate CALIB.yaml | export CALIB.h5`; `all_args` as for compare.
int cmd_calibrate(const std::vector<std::string>& args, const std::vector<std::string>& all_args);

}  // namespace geosim::cli
