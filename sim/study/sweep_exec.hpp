#pragma once
/// Running a sweep's chunks: locally on `jobs` threads, or this process's share of them (a
/// Slurm array task, an MPI rank). A chunk is committed whole (temp file + rename) or not at
/// all; a chunk already committed is skipped, so a restart resumes where the last one stopped
/// and gives the same bits.
#include <csignal>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

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

/// Evaluates and commits one chunk. Returns false, committing nothing, if `stop` was set
/// before its last run. `failed` counts the failed runs. `between_runs`, if given, is called
/// after each run (MPI rank 0 serves the other ranks' requests there). Thread-safe (HDF5 calls
/// serialised).
bool run_one_chunk(const SweepPlan& plan, const SweepLayout& layout, const std::string& dir,
                   std::uint64_t chunk, const volatile std::sig_atomic_t* stop,
                   std::uint64_t& failed, const std::function<void()>& between_runs = {});

/// True if chunk `c` is committed in `dir` (and is this plan's; throws InputError otherwise).
bool chunk_done(const SweepLayout& layout, const std::string& dir, std::uint64_t chunk);

}  // namespace geosim
