#include "core/turn_pool.hpp"

#include <sched.h>

#include <stdexcept>

namespace geosim {

namespace {

/// Spins this long for the next loop or for the workers before sleeping on the atomic: a turn's
/// loops follow each other within microseconds, and waking a sleeping thread takes tens of
/// microseconds (measured: benchmarks/README.md, "Threads within a turn").
constexpr int kSpins = 4000;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#else
  std::this_thread::yield();
#endif
}

/// Waits until `value` differs from `old`: spins first, then sleeps.
template <class T>
T wait_change(const std::atomic<T>& value, T old) {
  for (int i = 0; i < kSpins; ++i) {
    const T now = value.load(std::memory_order_acquire);
    if (now != old) return now;
    cpu_relax();
  }
  for (;;) {
    value.wait(old, std::memory_order_acquire);
    const T now = value.load(std::memory_order_acquire);
    if (now != old) return now;
  }
}

}  // namespace

int turn_pool_threads(int requested) {
  int cores = static_cast<int>(std::thread::hardware_concurrency());
#if defined(__linux__)
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) cores = CPU_COUNT(&set);
#endif
  return std::max(1, std::min(requested, cores > 0 ? cores : requested));
}

TurnPool::TurnPool(int threads, int min_rows) : threads_(threads), min_rows_(min_rows) {
  if (threads < 1) throw std::invalid_argument("TurnPool: threads must be >= 1");
  workers_.reserve(static_cast<std::size_t>(threads - 1));
  for (int part = 1; part < threads; ++part) workers_.emplace_back([this, part] { work(part); });
}

TurnPool::~TurnPool() {
  stop_.store(true, std::memory_order_relaxed);  // published by the epoch below
  epoch_.fetch_add(1, std::memory_order_release);
  epoch_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void TurnPool::dispatch(int parts, void (*fn)(void*, int), void* body) {
  parts = std::min(parts, threads_);
  fn_ = fn;
  body_ = body;
  parts_ = parts;
  pending_.store(threads_ - 1, std::memory_order_relaxed);
  epoch_.fetch_add(1, std::memory_order_release);  // publishes fn_, body_, parts_
  epoch_.notify_all();
  fn(body, 0);
  for (int left = pending_.load(std::memory_order_acquire); left != 0;)
    left = wait_change(pending_, left);
}

void TurnPool::work(int part) {
  unsigned seen = 0;
  for (;;) {
    seen = wait_change(epoch_, seen);
    if (stop_.load(std::memory_order_relaxed)) return;
    if (part < parts_) fn_(body_, part);  // a worker without a block only reports
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_one();
  }
}

}  // namespace geosim
