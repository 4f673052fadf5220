// core/progress.hpp: when a progress line is written, and what it says.
#include "core/progress.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using geosim::ProgressMeter;
using geosim::ProgressStyle;
using Clock = ProgressMeter::Clock;

namespace {

/// A meter on a fake clock that records its lines.
struct Recorded {
  Clock::time_point now{};
  std::vector<std::string> lines;
  ProgressMeter meter;
  Recorded(std::uint64_t total, ProgressStyle style)
      : meter(
            "runs", total, style, [this](const std::string& l) { lines.push_back(l); },
            [this] { return now; }) {}
  void at(double seconds) {
    now = Clock::time_point{} +
          std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  }
};

}  // namespace

TEST_CASE("off a terminal: a line every interval and one at the end, with rate and time left") {
  Recorded r(1000, ProgressStyle{true, false, 30.0});
  r.at(10);
  r.meter.update(100);  // before the interval: nothing
  CHECK(r.lines.empty());
  r.at(30);
  r.meter.update(250);
  REQUIRE(r.lines.size() == 1);
  // 250 of 1000 in 30 s: 8.33 runs/s, 750 left at that rate = 90 s = 1.5 min.
  const std::string& l = r.lines.front();
  CHECK(l.rfind("geosim: 250/1000 runs (25.0%), 8.33 runs/s, 30 s elapsed, about 2 min left", 0) ==
        0);
  CHECK(l.find('[') == std::string::npos);  // no bar in a log
  r.at(45);
  r.meter.update(400);  // 15 s after the last line: nothing
  CHECK(r.lines.size() == 1);
  r.at(46);
  r.meter.update(1000);  // complete: always a line, without time left
  REQUIRE(r.lines.size() == 2);
  CHECK(r.lines.back().rfind("geosim: 1000/1000 runs (100.0%)", 0) == 0);
  CHECK(r.lines.back().find("left") == std::string::npos);
}

TEST_CASE("on a terminal: a bar as full as the fraction done") {
  Recorded r(8, ProgressStyle{true, true, 0.0});
  r.at(1);
  r.meter.update(2);
  REQUIRE(r.lines.size() == 1);
  CHECK(r.lines.front().rfind("geosim: [######..................] 2/8 runs (25.0%)", 0) == 0);
}

TEST_CASE("quiet: nothing; long jobs: minutes and hours") {
  Recorded q(10, ProgressStyle{false, false, 0.0});
  q.at(5);
  q.meter.update(10);
  CHECK(q.lines.empty());
  Recorded r(100, ProgressStyle{true, false, 0.0});
  CHECK(r.meter.line(10, 7200).find("7.2e+03") == std::string::npos);
  CHECK(r.meter.line(10, 7200).find("2.0 h elapsed, about 18.0 h left") != std::string::npos);
  CHECK(r.meter.line(50, 600).find("10 min elapsed, about 10 min left") != std::string::npos);
}

TEST_CASE(
    "counts from several threads may come late: the line never goes back; past the total "
    "it stops at 100%") {
  Recorded r(100, ProgressStyle{true, false, 0.0});
  r.at(1);
  r.meter.update(60);
  r.meter.update(40);  // a thread's older count, after a newer one was shown
  REQUIRE(r.lines.size() == 1);
  CHECK(r.lines.front().rfind("geosim: 60/100 runs", 0) == 0);
  CHECK(r.meter.line(150, 1).rfind("geosim: 100/100 runs (100.0%)", 0) == 0);
  Recorded bar(4, ProgressStyle{true, true, 0.0});
  CHECK(bar.meter.line(9, 1).rfind("geosim: [########################] 4/4", 0) == 0);
}

TEST_CASE("a label names what is counted, before the count and after the bar") {
  Recorded log(4, ProgressStyle{true, false, 0.0});
  log.meter.set_label("merge");
  log.at(1);
  log.meter.update(1);
  REQUIRE(log.lines.size() == 1);
  CHECK(log.lines.front().rfind("geosim: merge: 1/4 runs (25.0%), 1 runs/s", 0) == 0);
  Recorded tty(4, ProgressStyle{true, true, 0.0});
  tty.meter.set_label("generation 2, batch 0");
  tty.at(1);
  tty.meter.update(2);
  REQUIRE(tty.lines.size() == 1);
  CHECK(tty.lines.front().rfind(
            "geosim: [############............] generation 2, batch 0: 2/4 runs (50.0%)", 0) == 0);
}
