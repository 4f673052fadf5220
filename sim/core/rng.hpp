#pragma once
#include <Random123/philox.h>

#include <cstdint>

namespace geosim {

/// What a random number is for; part of the counter so streams never overlap.
enum class RngPurpose : std::uint64_t {
  detection = 1,    ///< whether non-compliance with a secondary sanction is detected
  shock = 2,        ///< scenario hazards (later issues)
  policy = 3,       ///< bounded-rational choices (later issues)
  design = 4,       ///< parameter-sweep designs and their bootstrap (sim/sweep/)
  calibration = 5,  ///< calibration proposals (sim/calib/)
};

/// Counter-based random numbers (Philox4x64-10, Random123). The key is (root seed, run id);
/// the counter is (turn, actor, purpose, draw). A number therefore depends only on what it is
/// for, never on how many numbers were drawn before it, nor on which process, rank, array task
/// or restart computes it: sweeps split any way give the same bits.
class CounterRng {
 public:
  CounterRng(std::uint64_t seed, std::uint64_t run_id) : key_{{seed, run_id}} {}

  /// Uniform in [0, 1), 53 bits.
  double uniform(std::uint64_t turn, std::uint64_t actor, RngPurpose purpose,
                 std::uint64_t draw = 0) const {
    r123::Philox4x64::ctr_type ctr{{turn, actor, static_cast<std::uint64_t>(purpose), draw}};
    const auto out = gen_(ctr, key_);
    return static_cast<double>(out.v[0] >> 11) * 0x1.0p-53;
  }

  std::uint64_t seed() const { return key_.v[0]; }
  std::uint64_t run_id() const { return key_.v[1]; }

 private:
  r123::Philox4x64 gen_;
  r123::Philox4x64::key_type key_;
};

}  // namespace geosim
