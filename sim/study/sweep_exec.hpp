#pragma once
/// Running a sweep's chunks: locally on `jobs` threads, or this process's share of them (a
/// Slurm array task, an MPI rank). A chunk is committed whole (a checksummed record appended to
/// the process's pack, output/sweep_pack.hpp) or not at all; a chunk already committed is skipped,
/// so a restart resumes where the last one stopped and gives the same bits.
#include <csignal>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "output/sweep_pack.hpp"
#include "output/sweep_store.hpp"
#include "study/sweep_plan.hpp"

namespace geosim {

/// What the sweep files record about a plan.
SweepLayout layout_of(const SweepPlan& plan);

/// Writes DIR/plan.h5 (see write_sweep_plan: false if the same plan is already there).
bool write_plan_file(const SweepPlan& plan, const SweepLayout& layout, const std::string& dir);

struct ExecOptions {
  int jobs = 1;                                      ///< worker threads
  std::vector<std::uint64_t> chunks;                 ///< the chunks this process runs, in order
  const volatile std::sig_atomic_t* stop = nullptr;  ///< set: stop after the current run
  std::function<void(const std::string&)> progress;  ///< status lines (null: quiet)
  /// After each committed chunk: runs done by this process of those it has to run (null:
  /// quiet). Called under a lock, one call at a time.
  std::function<void(std::uint64_t done, std::uint64_t total)> runs_done;
  /// Damaged or torn records found in the packs (their chunks run again); null: quiet.
  std::function<void(const std::string&)> warn;
  bool keep_mpi = false;  ///< MPI: leave MPI initialised (the caller ends it with mpi_finish)
};

struct ExecReport {
  std::uint64_t chunks_run = 0;      ///< committed by this process
  std::uint64_t chunks_skipped = 0;  ///< already committed before
  std::uint64_t runs = 0;            ///< runs this process evaluated
  std::uint64_t runs_failed = 0;
  bool interrupted = false;  ///< stopped by `stop`; the chunk in progress was not committed
  bool is_root = true;       ///< MPI: rank 0 (which merges and reports); always true otherwise
  double seconds = 0.0;
};

/// Runs the given chunks of the plan into `dir`.
ExecReport run_chunks(const SweepPlan& plan, const SweepLayout& layout, const std::string& dir,
                      const ExecOptions& options);

/// Evaluates and commits one chunk to `out`. Returns false, committing nothing, if `stop` was set
/// before its last run. `failed` counts the failed runs. `between_runs`, if given, is called
/// after each run (MPI rank 0 serves the other ranks' requests there). Thread-safe.
bool run_one_chunk(const SweepPlan& plan, const SweepLayout& layout, SweepPackWriter& out,
                   std::uint64_t chunk, const volatile std::sig_atomic_t* stop,
                   std::uint64_t& failed, const std::function<void()>& between_runs = {});

struct PendingChunks {
  std::vector<std::uint64_t> todo;  ///< not committed (or every copy damaged), in order
  std::uint64_t skipped = 0;        ///< committed and whole
};
/// Which of `chunks` still have to run in `dir`. Reads every pack's record headers and the
/// payloads of `chunks` only (to check their checksums); passes each damaged or torn record
/// found to `warn`. Throws InputError if a pack is another plan's.
PendingChunks pending_chunks(const SweepLayout& layout, const std::string& dir,
                             const std::vector<std::uint64_t>& chunks,
                             const std::function<void(const std::string&)>& warn);

}  // namespace geosim
