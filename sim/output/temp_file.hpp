#pragma once
/// Every output is written under a temporary name of its own process, then renamed to its final
/// name when complete (docs/output-format.md, "Writing safely"). The name carries the host and
/// the process id, so two processes never write one file, and a temporary file whose process is
/// gone (SIGKILL, a crash, power loss) is recognised as stale and removed by the next command
/// that writes there.
#include <string>
#include <vector>

namespace geosim {

/// This machine's host name ("" if it has none).
std::string host_name();

/// "FINAL.tmp.HOST.PID" for this process.
std::string temp_name(const std::string& final_name);

/// Removes the files "PREFIX.tmp.HOST.PID" in `prefix`'s folder (every temporary file of the
/// folder when `prefix` names a folder, ending in '/') left by a process of this host that no
/// longer runs. Files of other hosts (a shared file system) and of live processes are kept.
/// Returns the paths removed.
std::vector<std::string> remove_stale_temps(const std::string& prefix);

}  // namespace geosim
