// geosim_alloc_check: checks that step() allocates nothing on the heap (world.hpp promises it).
//
// Replaces the global operator new/delete (all forms) and the C allocator (malloc, calloc,
// realloc, aligned_alloc, posix_memalign, memalign; glibc allows replacing them) with versions
// that count calls while counting is on, then forward to glibc's allocator (__libc_malloc and
// friends). Counting malloc matters: Eigen allocates its matrices and any expression
// temporaries with malloc, not operator new.
//
// Builds the baseline world (embedded central_asia_2022.yaml, 12 actors) and a synthetic world
// of 200 actors, runs 36 turns of each with counting on, prints the counts and exits 1 if any
// allocation happened inside the turn loop (0 otherwise, 2 on an error).
//
//   geosim_alloc_check                 the check
//   geosim_alloc_check --backtrace K   also print the call stack of the first K allocations
//                                      made inside the turn loop (to stderr)
// To stop in a debugger at an allocation in the turn loop: gdb --args geosim_alloc_check, then
// `break geosim_alloc_hit` and `run`.
#include <execinfo.h>
#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>

#include "baseline_scenario.hpp"
#include "core/rng.hpp"
#include "core/turn_pool.hpp"
#include "model/step.hpp"
#include "scenario/load.hpp"
#include "synthetic_world.hpp"

extern "C" {
void* __libc_malloc(std::size_t);
void __libc_free(void*);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
}

namespace {

std::atomic<bool> g_counting{false};
std::atomic<long> g_new_calls{0};     ///< operator new / new[]
std::atomic<long> g_malloc_calls{0};  ///< malloc, calloc, realloc, aligned forms
std::atomic<long> g_bytes{0};
int g_backtraces_wanted = 0;  ///< --backtrace K
int g_backtraces_left = 0;    ///< armed only around the turn loop
thread_local bool g_in_hook = false;

}  // namespace

/// Called on every counted allocation; a place for a debugger breakpoint.
extern "C" __attribute__((noinline)) void geosim_alloc_hit(const char* what, std::size_t bytes) {
  if (g_backtraces_left <= 0 || g_in_hook) return;
  g_in_hook = true;
  --g_backtraces_left;
  char line[96];
  const int len =
      std::snprintf(line, sizeof line, "--- allocation in the turn loop: %s(%zu)\n", what, bytes);
  if (len > 0) (void)!::write(2, line, static_cast<std::size_t>(len));
  void* frames[48];
  const int depth = backtrace(frames, 48);
  backtrace_symbols_fd(frames, depth, 2);  // does not allocate
  g_in_hook = false;
  asm volatile("" ::: "memory");
}

namespace {

inline void count(std::atomic<long>& calls, const char* what, std::size_t bytes) {
  if (!g_counting.load(std::memory_order_relaxed)) return;
  calls.fetch_add(1, std::memory_order_relaxed);
  g_bytes.fetch_add(static_cast<long>(bytes), std::memory_order_relaxed);
  geosim_alloc_hit(what, bytes);
}

void* new_impl(std::size_t n, const char* what) {
  count(g_new_calls, what, n);
  void* p = __libc_malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  return p;
}

void* new_aligned_impl(std::size_t n, std::align_val_t al, const char* what) {
  count(g_new_calls, what, n);
  void* p = __libc_memalign(static_cast<std::size_t>(al), n ? n : 1);
  if (!p) throw std::bad_alloc();
  return p;
}

}  // namespace

// ----------------------------------------------------------------- the C allocator
extern "C" {
void* malloc(std::size_t n) noexcept {
  count(g_malloc_calls, "malloc", n);
  return __libc_malloc(n);
}
void free(void* p) noexcept {
  __libc_free(p);
}
void* calloc(std::size_t k, std::size_t n) noexcept {
  count(g_malloc_calls, "calloc", k * n);
  return __libc_calloc(k, n);
}
void* realloc(void* p, std::size_t n) noexcept {
  count(g_malloc_calls, "realloc", n);
  return __libc_realloc(p, n);
}
void* memalign(std::size_t al, std::size_t n) noexcept {
  count(g_malloc_calls, "memalign", n);
  return __libc_memalign(al, n);
}
void* aligned_alloc(std::size_t al, std::size_t n) noexcept {
  count(g_malloc_calls, "aligned_alloc", n);
  return __libc_memalign(al, n);
}
int posix_memalign(void** out, std::size_t al, std::size_t n) noexcept {
  count(g_malloc_calls, "posix_memalign", n);
  void* p = __libc_memalign(al, n);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}
}

// ----------------------------------------------------------------- operator new / delete
void* operator new(std::size_t n) {
  return new_impl(n, "operator new");
}
void* operator new[](std::size_t n) {
  return new_impl(n, "operator new[]");
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return new_impl(n, "operator new");
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return new_impl(n, "operator new[]");
  } catch (...) {
    return nullptr;
  }
}
void* operator new(std::size_t n, std::align_val_t al) {
  return new_aligned_impl(n, al, "operator new(align)");
}
void* operator new[](std::size_t n, std::align_val_t al) {
  return new_aligned_impl(n, al, "operator new[](align)");
}
void* operator new(std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
  try {
    return new_aligned_impl(n, al, "operator new(align)");
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
  try {
    return new_aligned_impl(n, al, "operator new[](align)");
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept {
  __libc_free(p);
}
void operator delete[](void* p) noexcept {
  __libc_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  __libc_free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  __libc_free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  __libc_free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  __libc_free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  __libc_free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  __libc_free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  __libc_free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  __libc_free(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  __libc_free(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  __libc_free(p);
}

// ----------------------------------------------------------------- the check
namespace {

using namespace geosim;

constexpr int kTurns = 36;
constexpr std::uint64_t kSeed = 20240501;

struct Counts {
  long new_calls = 0, malloc_calls = 0, bytes = 0;
  long total() const { return new_calls + malloc_calls; }
};

void start_counting() {
  g_new_calls = 0;
  g_malloc_calls = 0;
  g_bytes = 0;
  g_counting = true;
}

Counts stop_counting() {
  g_counting = false;
  return Counts{g_new_calls.load(), g_malloc_calls.load(), g_bytes.load()};
}

/// Runs `turns` turns of the scenario; returns the allocations made inside the turn loop and
/// prints them together with those of make_world (which may allocate). With a pool, the turns
/// run on its threads too (the pool is made before counting starts: starting threads allocates).
Counts check(const std::string& label, const Scenario& sc, int turns, TurnPool* pool = nullptr) {
  const CounterRng rng(sc.seed, 0);
  start_counting();
  World w = make_world(sc);
  const Counts setup = stop_counting();
  int first_turn = -1;
  long before = 0;
  g_backtraces_left = g_backtraces_wanted;
  start_counting();
  for (int t = 0; t < turns; ++t) {
    step(w, sc, rng, pool);
    const long now = g_new_calls.load() + g_malloc_calls.load();
    if (now > before && first_turn < 0) first_turn = t;
    before = now;
  }
  const Counts loop = stop_counting();
  g_backtraces_left = 0;
  std::printf("%-28s N=%4d  make_world: %6ld allocations (%ld bytes)\n", label.c_str(),
              sc.n_actors(), setup.total(), setup.bytes);
  std::printf(
      "%-28s N=%4d  %d turns of step(): %ld allocations (operator new %ld, malloc %ld; "
      "%ld bytes)%s\n",
      label.c_str(), sc.n_actors(), turns, loop.total(), loop.new_calls, loop.malloc_calls,
      loop.bytes, first_turn >= 0 ? (", first in turn " + std::to_string(first_turn)).c_str() : "");
  return loop;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--backtrace") == 0 && i + 1 < argc) {
      g_backtraces_wanted = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: %s [--backtrace K]\n", argv[0]);
      return 2;
    }
  }
  // backtrace() loads libgcc on first use, which allocates: do it before counting.
  void* frames[4];
  (void)backtrace(frames, 4);
  try {
    // Sanity check of the counters themselves (the compiler may not elide a replaced new).
    start_counting();
    void* volatile probe = std::malloc(16);
    std::free(probe);
    int* volatile probe2 = new int(1);
    delete probe2;
    const Counts self = stop_counting();
    if (self.malloc_calls < 1 || self.new_calls < 1) {
      std::fprintf(stderr, "geosim_alloc_check: the counting allocator is not in use\n");
      return 2;
    }
    const Scenario base =
        load_scenario_text(std::string(baseline_scenario_text()), std::string(kBaselineName));
    const Scenario synth = make_synthetic_world(200, kTurns, kSeed);
    long total = 0;
    total += check("baseline central_asia_2022", base, kTurns).total();
    total += check("synthetic", synth, kTurns).total();
    TurnPool pool(2);  // every loop of N = 200 is split (>= kTurnPoolMinRows)
    total += check("synthetic, 2 threads", synth, kTurns, &pool).total();
    if (total > 0) {
      std::printf("FAIL: step() allocated %ld times; rerun with --backtrace 5 to see where\n",
                  total);
      return 1;
    }
    std::printf("OK: no heap allocation in %d turns of step()\n", kTurns);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "geosim_alloc_check: error: %s\n", e.what());
    return 2;
  }
}
