#include "core/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>

namespace geosim {

ProgressStyle progress_style(bool quiet) {
  ProgressStyle s;
  s.on = !quiet;
  s.terminal = isatty(STDERR_FILENO) != 0;
  s.every = s.terminal ? 0.2 : 30.0;
  if (const char* env = std::getenv("GEOSIM_PROGRESS_SECONDS")) {
    char* end = nullptr;
    const double v = std::strtod(env, &end);
    if (end != env && *end == '\0' && std::isfinite(v) && v >= 0.0) s.every = v;
  }
  return s;
}

ProgressMeter::ProgressMeter(std::string unit, std::uint64_t total, ProgressStyle style,
                             std::function<void(const std::string&)> sink,
                             std::function<Clock::time_point()> now)
    : unit_(std::move(unit)),
      total_(total),
      style_(style),
      sink_(std::move(sink)),
      now_(now ? std::move(now) : [] { return Clock::now(); }) {
  if (!sink_) {
    const bool terminal = style_.terminal;
    sink_ = [terminal](const std::string& l) {
      std::fprintf(stderr, terminal ? "\r%s\x1b[K" : "%s\n", l.c_str());
      std::fflush(stderr);
    };
  }
  t0_ = last_ = now_();
}

std::string duration_text(double s) {
  char buf[32];
  if (s < 10)
    std::snprintf(buf, sizeof buf, "%.2g s", s);
  else if (s < 90)
    std::snprintf(buf, sizeof buf, "%.0f s", s);
  else if (s < 5400)
    std::snprintf(buf, sizeof buf, "%.0f min", s / 60);
  else
    std::snprintf(buf, sizeof buf, "%.1f h", s / 3600);
  return buf;
}

std::string ProgressMeter::line(std::uint64_t done, double seconds) const {
  done = std::min(done, total_);
  const double frac = total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  char buf[256];
  std::string out = "geosim: ";
  if (style_.terminal) {
    constexpr int kWidth = 24;
    const int full = static_cast<int>(std::lround(frac * kWidth));
    out += "[" + std::string(static_cast<std::size_t>(full), '#') +
           std::string(static_cast<std::size_t>(kWidth - full), '.') + "] ";
  }
  if (!label_.empty()) out += label_ + ": ";
  std::snprintf(buf, sizeof buf,
                rate >= 100 ? "%llu/%llu %s (%.1f%%), %.0f %s/s, %s elapsed"
                            : "%llu/%llu %s (%.1f%%), %.3g %s/s, %s elapsed",
                static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_),
                unit_.c_str(), 100.0 * frac, rate, unit_.c_str(), duration_text(seconds).c_str());
  out += buf;
  if (done < total_ && rate > 0) {
    const double left = static_cast<double>(total_ - done) / rate;
    out += ", about " + duration_text(left) + " left";
    // The wall-clock time it should end, for a log read later.
    const std::time_t end = std::time(nullptr) + static_cast<std::time_t>(left);
    std::tm tm{};
    if (localtime_r(&end, &tm) != nullptr && std::strftime(buf, sizeof buf, " (%H:%M)", &tm) > 0)
      out += buf;
  }
  return out;
}

void ProgressMeter::update(std::uint64_t done) {
  if (!style_.on) return;
  const std::lock_guard<std::mutex> lock(mutex_);
  if (done < shown_) return;
  const auto now = now_();
  const bool complete = done >= total_;
  if (!complete && std::chrono::duration<double>(now - last_).count() < style_.every) return;
  last_ = now;
  shown_ = done;
  sink_(line(done, std::chrono::duration<double>(now - t0_).count()));
  drawn_ = true;
}

void ProgressMeter::finish() {
  if (!style_.on) return;
  const std::lock_guard<std::mutex> lock(mutex_);
  if (style_.terminal && drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

std::string bytes_text(double bytes) {
  char buf[32];
  if (bytes >= 1e9)
    std::snprintf(buf, sizeof buf, "%.3g GB", bytes / 1e9);
  else
    std::snprintf(buf, sizeof buf, "%.3g MB", bytes / 1e6);
  return buf;
}

}  // namespace geosim
