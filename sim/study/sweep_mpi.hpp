#pragma once
/// Running a sweep's chunks under mpirun (docs/sweeps.md, "MPI"): dynamic self-scheduling of
/// chunks, each rank committing its own chunk files; rank 0 also hands out the chunks between
/// its own. Optional at build time (OpenMPI, plain C API).
#include "study/sweep_exec.hpp"

namespace geosim {

/// True if this geosim was built with MPI.
bool mpi_available();

/// This process's rank in MPI_COMM_WORLD (initialising MPI if needed); 0 without MPI.
int mpi_rank();
/// Ends MPI if it was initialised and not yet finalised (after keep_mpi runs); no-op otherwise.
void mpi_finish();

/// Runs `options.chunks` across the ranks of MPI_COMM_WORLD (initialising and finalising MPI).
/// The report's totals are the sum over the ranks; is_root is true on rank 0 only. A stop
/// signal on any rank ends the sweep after the chunks in progress (not committed). Throws
/// InputError if built without MPI.
ExecReport run_chunks_mpi(const SweepPlan& plan, const SweepLayout& layout, const std::string& dir,
                          const ExecOptions& options);

}  // namespace geosim
