#pragma once
/// Progress of a long command on stderr (replicates, compare, sweep run): on a terminal, one
/// line redrawn in place with a bar; elsewhere (a Slurm log, a pipe) a plain line every
/// `every` seconds, so a log of a long job shows how it goes. Each line: done/total, percent,
/// rate, time left and the clock time it should end.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>

namespace geosim {

struct ProgressStyle {
  bool on = true;         ///< false: nothing at all (-q)
  bool terminal = false;  ///< redraw one line with a bar (stderr is a terminal)
  double every = 30.0;    ///< seconds between lines off a terminal
};

/// The style for stderr: a terminal or not; `every` from GEOSIM_PROGRESS_SECONDS (a number of
/// seconds >= 0; default 30 off a terminal, 0.2 on one). A malformed value is ignored.
ProgressStyle progress_style(bool quiet);

/// A duration for people: "0.42 s", "42 s", "17 min", "2.5 h".
std::string duration_text(double seconds);
/// A size for people: "0.15 MB", "312 MB", "2.32 GB" (decimal units).
std::string bytes_text(double bytes);

class ProgressMeter {
 public:
  using Clock = std::chrono::steady_clock;
  /// `unit`: what is counted ("runs", "pairs"); `sink` receives each line without a newline
  /// (default: stderr, "\r" + line on a terminal, line + "\n" elsewhere); `now` the clock
  /// (tests pass a fake one).
  ProgressMeter(std::string unit, std::uint64_t total, ProgressStyle style,
                std::function<void(const std::string&)> sink = {},
                std::function<Clock::time_point()> now = {});
  /// `done` of the total are done: a line if the interval has passed (or the job is complete).
  /// Thread-safe; a count below one already shown is ignored (the line never goes back).
  void update(std::uint64_t done);
  /// What the count is of, before it on each line ("merge", "generation 2, batch 0"): "geosim:
  /// merge: 65536/140000 runs (46.8%), ...". Empty (the default): the count alone.
  void set_label(std::string label) { label_ = std::move(label); }
  /// The line for `done` after `seconds` (no bar off a terminal).
  std::string line(std::uint64_t done, double seconds) const;
  /// Ends the redrawn line on a terminal (a newline), so later messages start on their own.
  void finish();
  /// Ends the line too (an error or an interruption ends a job before finish()).
  ~ProgressMeter() { finish(); }
  ProgressMeter(const ProgressMeter&) = delete;
  ProgressMeter& operator=(const ProgressMeter&) = delete;

 private:
  std::string unit_, label_;
  std::uint64_t total_;
  ProgressStyle style_;
  std::function<void(const std::string&)> sink_;
  std::function<Clock::time_point()> now_;
  Clock::time_point t0_, last_;
  bool drawn_ = false;
  std::uint64_t shown_ = 0;  ///< the most done shown: counts from threads may come late
  std::mutex mutex_;
};

}  // namespace geosim
