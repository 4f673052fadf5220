#pragma once
/// Files of several runs: the replicates of one scenario (`geosim run --replicates R`) and the
/// paired runs of two scenarios (`geosim compare`). Same variables, coordinates and storage as a
/// run file (run_schema.hpp, docs/output-format.md), with leading dimensions `replicate` (the
/// run ids) and, in a comparison, `scenario` ("base", "whatif"); plus summaries over the
/// replicates computed when the file is finished (layouts: docs/whatif.md).
///
/// Like RunWriter: everything goes to `path + ".tmp"`, renamed to `path` by finish(); if finish()
/// is never called (exception, interruption) the destructor removes the temp file. The overwrite
/// policy is the app's. Runs are streamed: record() writes one turn of one run, so memory does
/// not grow with the number of runs or turns; finish() reads the file back one turn at a time.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "model/world.hpp"
#include "output/provenance.hpp"

namespace geosim {

inline constexpr std::string_view kReplicatesFormat = "geosim-replicates";
inline constexpr std::string_view kComparisonFormat = "geosim-comparison";
inline constexpr int kReplicatesFormatVersion = 1;
inline constexpr int kComparisonFormatVersion = 1;

/// Labels of the `scenario` dimension of a comparison file.
inline constexpr std::string_view kScenarioLabels[2] = {"base", "whatif"};

/// Provenance of a comparison: `base` holds the shared fields (command line, start time, host,
/// wall seconds) and the base's scenario file; `whatif_file` the what-if's.
struct ComparisonProvenance {
  Provenance base;
  std::string whatif_file;
};

class EnsembleWriter {
 public:
  /// A replicates file of `sc`, one replicate per run id (coordinate `replicate`), with
  /// `<var>_mean(turn, ...)` and `<var>_quantile(quantile, turn, ...)` over the replicates.
  /// `threads` > 1: chunks are compressed on that many threads (the file does not depend on it).
  static EnsembleWriter replicates(std::string path, const Scenario& sc,
                                   std::vector<std::uint64_t> run_ids, int threads = 1);
  /// A comparison file of `base` and `whatif` run with the same run ids: `<var>(scenario,
  /// replicate, turn, ...)`, `<var>_mean(scenario, turn, ...)`, the paired differences
  /// `<var>_diff(replicate, turn, ...)` = whatif - base, and `<var>_diff_mean`,
  /// `<var>_diff_ci_lower`, `<var>_diff_ci_upper` (turn, ...). The two scenarios must have the
  /// same actors, channels, poles, turns and calendar (std::invalid_argument otherwise);
  /// labels (names, roles, units, dates) are the base's.
  static EnsembleWriter comparison(std::string path, const Scenario& base, const Scenario& whatif,
                                   std::vector<std::uint64_t> run_ids, int threads = 1);

  ~EnsembleWriter();
  EnsembleWriter(EnsembleWriter&&) noexcept;
  EnsembleWriter& operator=(EnsembleWriter&&) = delete;
  EnsembleWriter(const EnsembleWriter&) = delete;
  EnsembleWriter& operator=(const EnsembleWriter&) = delete;

  /// Writes the state at turn w.turn of run (scenario, replicate); `scenario` is 0 in a
  /// replicates file, 0 (base) or 1 (whatif) in a comparison. Each run's turns must come in
  /// order 0, 1, ... (std::logic_error otherwise); runs may come in any order.
  void record(int scenario, std::size_t replicate, const World& w);

  /// Ends run (scenario, replicate): all its turns recorded; keeps its events (w.log).
  void end_run(int scenario, std::size_t replicate, const World& w);

  /// Requires every run ended. Writes the events table and the summaries, closes the file and
  /// renames it to its final name.
  void finish(const ComparisonProvenance& prov);
  void finish(const Provenance& prov) { finish(ComparisonProvenance{prov, {}}); }

  const std::string& path() const;
  std::string temp_path() const;

  struct Impl;

 private:
  explicit EnsembleWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Why two scenarios cannot be compared run by run (different actors, channels, poles, turns or
/// calendar), one line per difference; empty if they can.
std::vector<std::string> comparison_mismatches(const Scenario& base, const Scenario& whatif);

}  // namespace geosim
