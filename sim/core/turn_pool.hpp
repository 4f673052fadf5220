#pragma once
#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

namespace geosim {

/// Rows below which a loop runs on the calling thread alone: waking a worker costs more than
/// the rows (measured: benchmarks/README.md, "Threads within a turn").
inline constexpr int kTurnPoolMinRows = 96;

/// Threads that share the row loops of one turn (`geosim run --threads N`). A loop is split
/// into one contiguous block of rows per thread, fixed by the number of rows and threads
/// alone; each block writes only its own rows and computes every cell as the one-thread loop
/// does, so the results are the same bits whatever the number of threads (model.md, "Threads
/// within a turn"). The calling thread runs block 0 and waits for the others. Dispatching
/// allocates nothing; the pool is used by one calling thread at a time.
class TurnPool {
 public:
  /// `threads` >= 1 (callers size it with turn_pool_threads); starts threads - 1 workers, which
  /// spin briefly between loops, then sleep. Loops over fewer than `min_rows` rows run on the
  /// calling thread alone (tests set 1 to split every loop).
  explicit TurnPool(int threads, int min_rows = kTurnPoolMinRows);
  ~TurnPool();
  TurnPool(const TurnPool&) = delete;
  TurnPool& operator=(const TurnPool&) = delete;

  int threads() const { return threads_; }
  int min_rows() const { return min_rows_; }

  /// Calls body(part) for part = 0 .. parts - 1, part 0 on this thread, each other part on a
  /// worker; returns when all are done. parts <= threads(). The body must not throw.
  template <class F>
  void run(int parts, F& body) {
    if (parts <= 1) {
      body(0);
      return;
    }
    dispatch(parts, &call<F>, &body);
  }

 private:
  template <class F>
  static void call(void* body, int part) {
    (*static_cast<F*>(body))(part);
  }
  void dispatch(int parts, void (*fn)(void*, int), void* body);
  void work(int part);

  int threads_ = 1;
  int min_rows_ = kTurnPoolMinRows;
  std::vector<std::thread> workers_;
  void (*fn_)(void*, int) = nullptr;
  void* body_ = nullptr;
  int parts_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<unsigned> epoch_{0};  ///< bumped for each loop (and to stop)
  std::atomic<int> pending_{0};     ///< workers still running the current loop
};

/// The threads a pool asked for `requested` threads should have: at most the cores this process
/// may run on (its CPU affinity: a Slurm allocation or `taskset`, not the whole node), because
/// the workers spin between loops and more threads than cores would only wait for each other.
/// The results do not depend on it.
int turn_pool_threads(int requested);

/// How many blocks a loop over n rows takes: 1 without a pool or below its min_rows().
inline int row_parts(const TurnPool* pool, int n) {
  return pool == nullptr || n < pool->min_rows() ? 1 : pool->threads();
}

/// Block `part` of `parts` of the rows [0, n): [n part / parts, n (part + 1) / parts).
inline int row_split(int n, int parts, int part) {
  return static_cast<int>(static_cast<long long>(n) * part / parts);
}

/// The same for loops over the upper triangle, where row i costs about n - i: the first row of
/// block `part` leaves part / parts of the n (n + 1) / 2 cells to the blocks before it.
inline int triangle_split(int n, int parts, int part) {
  if (part <= 0) return 0;
  if (part >= parts) return n;
  // Rows [0, r) hold n r - r (r - 1) / 2 cells; solve for the given fraction of the total.
  const double total = 0.5 * n * (n + 1.0);
  const double want = total * part / parts;
  const double r = (n + 0.5) - std::sqrt((n + 0.5) * (n + 0.5) - 2.0 * want);
  return std::clamp(static_cast<int>(std::lround(r)), 0, n);
}

/// Calls body(begin, end) on each block of rows [0, n), block p being [split(n, parts, p),
/// split(n, parts, p + 1)), on the pool's threads (on this one alone without a pool).
template <class F>
void for_blocks(TurnPool* pool, int n, int (*split)(int, int, int), F&& body) {
  const int parts = row_parts(pool, n);
  auto part = [&](int p) { body(split(n, parts, p), split(n, parts, p + 1)); };
  if (parts == 1)
    part(0);
  else
    pool->run(parts, part);
}

/// Blocks of equal numbers of rows (row_split).
template <class F>
void for_row_blocks(TurnPool* pool, int n, F&& body) {
  for_blocks(pool, n, row_split, body);
}

/// Blocks balanced for the upper triangle (triangle_split).
template <class F>
void for_triangle_blocks(TurnPool* pool, int n, F&& body) {
  for_blocks(pool, n, triangle_split, body);
}

}  // namespace geosim
