#pragma once
/// What a calibration will cost, before it runs (`geosim calibrate --estimate`): runs timed
/// here at parameter values drawn from the prior, the runs of generation 0 and the budget
/// that bounds the rest, and the disk and memory they take.
#include <cstdint>

#include "calib/calibrate.hpp"
#include "study/sweep_estimate.hpp"

namespace geosim::calib {

struct CalibEstimate {
  SweepEstimate sample;  ///< runs timed at prior draws (one replicate each)
  /// abc-smc: runs of generation 0 (all proposals are accepted); nelder-mead: of the first
  /// simplex.
  std::uint64_t first_generation = 0;
  std::uint64_t budget = 0;   ///< most runs in all: method.budget; nelder-mead's worst case
  std::uint64_t typical = 0;  ///< nelder-mead: runs without a shrink of the simplex
  std::uint64_t pack_bytes_per_run = 0;  ///< committed results of one run (the work folder)
  std::uint64_t output_bytes = 0;        ///< the output file's populations, at most
};

/// Times `sample` runs at prior draws (the proposals of generation 0 under another seed: the
/// calibration's own numbers stay unused), after one untimed run.
CalibEstimate estimate_calibration(const CalibSetup& setup, std::uint64_t sample);

}  // namespace geosim::calib
