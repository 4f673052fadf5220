#pragma once
#include <string>
#include <vector>

namespace geosim {

/// Exit codes of the `geosim` command (README.md, `geosim --help`).
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,       ///< an internal error: a bug
  kExitBadInput = 2,      ///< bad scenario, bad command line, unreadable or foreign input file
  kExitOutputExists = 3,  ///< the output file (or its temp file) exists; no --force
  kExitInterrupted = 4,   ///< SIGINT or SIGTERM: stopped at the end of a turn, nothing written
  kExitWriteFailed = 5,   ///< an output could not be written (disk full, I/O error): nothing kept
};

/// Runs `geosim ARGS...`; returns the exit code. Logs go to stderr, data to files, reports of
/// `info` and `validate` to stdout.
int run_cli(const std::vector<std::string>& args);

/// `geosim policies` (cmd_policies.cpp).
int cmd_policies(const std::vector<std::string>& args);

}  // namespace geosim
