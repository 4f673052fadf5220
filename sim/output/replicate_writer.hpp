#pragma once
/// Files of several runs: the replicates of one scenario (`geosim run --replicates R`) and the
/// paired runs of a base scenario and one or more what-ifs (`geosim compare`). Same variables,
/// coordinates and storage as a run file (run_schema.hpp, docs/output-format.md), with leading
/// dimensions `replicate` (the run ids) and, in a comparison, `scenario` (the base, then each
/// what-if) and, with several what-ifs, `whatif` on the paired differences; plus summaries over
/// the replicates computed when the file is finished (layouts: docs/whatif.md).
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
/// A comparison of a base and one what-if: version 1 (its layout has not changed). With
/// several what-ifs (a what-if study), version 2: the paired differences gain a leading
/// `whatif` dimension, the what-ifs are labelled by their names, and each scenario's metadata
/// are variables over `scenario` (docs/whatif.md, "File layouts").
inline constexpr int kComparisonFormatVersion = 1;
inline constexpr int kStudyFormatVersion = 2;

/// The labels of the `scenario` dimension of a comparison of `base` with `whatifs`: "base", then
/// "whatif" for a single what-if (version 1), or each what-if's name (version 2).
std::vector<std::string> scenario_labels(const std::vector<const Scenario*>& whatifs);

/// Why `whatifs` cannot be labelled apart in one file (two with the same name, or one named
/// "base"), one line per problem naming the what-ifs by position (1-based); empty if they can.
std::vector<std::string> whatif_label_clashes(const std::vector<const Scenario*>& whatifs);

/// Provenance of a comparison: `base` holds the shared fields (command line, start time, host,
/// wall seconds) and the base's scenario file; `whatif_files` the what-ifs', in order.
struct ComparisonProvenance {
  Provenance base;
  std::vector<std::string> whatif_files;
};

class EnsembleWriter {
 public:
  /// A replicates file of `sc`, one replicate per run id (coordinate `replicate`), with
  /// `<var>_mean(turn, ...)` and `<var>_quantile(quantile, turn, ...)` over the replicates.
  /// `threads` > 1: chunks are compressed on that many threads (the file does not depend on it).
  static EnsembleWriter replicates(std::string path, const Scenario& sc,
                                   std::vector<std::uint64_t> run_ids, int threads = 1);
  /// A comparison file of `base` and `whatifs` run with the same run ids: `<var>(scenario,
  /// replicate, turn, ...)`, `<var>_mean(scenario, turn, ...)`, the paired differences
  /// `<var>_diff([whatif,] replicate, turn, ...)` = what-if - base, and `<var>_diff_mean`,
  /// `<var>_diff_ci_lower`, `<var>_diff_ci_upper` ([whatif,] turn, ...); the `whatif` axis only
  /// with several what-ifs. The scenarios must have the same actors, channels, poles, turns and
  /// calendar, and the what-ifs distinct labels (std::invalid_argument otherwise); labels
  /// (names, roles, units, dates) are the base's.
  static EnsembleWriter comparison(std::string path, const Scenario& base,
                                   std::vector<const Scenario*> whatifs,
                                   std::vector<std::uint64_t> run_ids, int threads = 1);
  static EnsembleWriter comparison(std::string path, const Scenario& base, const Scenario& whatif,
                                   std::vector<std::uint64_t> run_ids, int threads = 1) {
    return comparison(std::move(path), base, std::vector<const Scenario*>{&whatif},
                      std::move(run_ids), threads);
  }

  ~EnsembleWriter();
  EnsembleWriter(EnsembleWriter&&) noexcept;
  EnsembleWriter& operator=(EnsembleWriter&&) = delete;
  EnsembleWriter(const EnsembleWriter&) = delete;
  EnsembleWriter& operator=(const EnsembleWriter&) = delete;

  /// Writes the state at turn w.turn of run (scenario, replicate); `scenario` is 0 in a
  /// replicates file, 0 (base) or 1 + the what-if's index in a comparison. Each run's turns must
  /// come in order 0, 1, ... (std::logic_error otherwise); runs may come in any order.
  void record(int scenario, std::size_t replicate, const World& w);

  /// Writes turns 0 .. turns - 1 of run (scenario, replicate) from `checkpoint`'s recorded
  /// turns (a run that continues a checkpoint: `--from`); only before the run's first record.
  /// A damaged or ill-shaped checkpoint is an InputError naming it.
  void copy_turns(int scenario, std::size_t replicate, const std::string& checkpoint, int turns);

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
