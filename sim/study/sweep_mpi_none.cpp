// Built when MPI is not available: --mpi is refused with a clear message.
#include "core/error.hpp"
#include "study/sweep_mpi.hpp"

namespace geosim {

bool mpi_available() {
  return false;
}

int mpi_rank() {
  return 0;
}

void mpi_finish() {}

ExecReport run_chunks_mpi(const SweepPlan&, const SweepLayout&, const std::string&,
                          const ExecOptions&) {
  throw InputError(Location{"<command line>", 0, 0}, "--mpi",
                   "this geosim was built without MPI (install libopenmpi-dev and rebuild; "
                   "docs/sweeps.md), or use --jobs and --shard");
}

}  // namespace geosim
