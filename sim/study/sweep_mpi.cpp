// Dynamic self-scheduling of chunks over MPI ranks. Messages (tag kRequest, one int64): a
// rank's state, 0 = ready for a chunk, 1 = stopped by a signal. Replies (tag kChunk, one
// int64): the chunk to run, or -1 = no more. Rank 0 serves requests between its own chunks.
#include <mpi.h>

#include <chrono>
#include <deque>

#include "study/sweep_mpi.hpp"

namespace geosim {

namespace {

constexpr int kRequest = 1, kChunk = 2;

}  // namespace

bool mpi_available() {
  return true;
}

int mpi_rank() {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised) MPI_Init(nullptr, nullptr);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

void mpi_finish() {
  int initialised = 0, finalised = 0;
  MPI_Initialized(&initialised);
  MPI_Finalized(&finalised);
  if (initialised && !finalised) MPI_Finalize();
}

ExecReport run_chunks_mpi(const SweepPlan& plan, const SweepLayout& layout, const std::string& dir,
                          const ExecOptions& o) {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised) MPI_Init(nullptr, nullptr);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const auto t0 = std::chrono::steady_clock::now();
  ExecReport mine;
  std::uint64_t failed = 0;
  bool stopped = false;
  SweepPackWriter pack(dir, layout);  // one pack per rank
  const auto run = [&](std::uint64_t c, const std::function<void()>& between) {
    if (!run_one_chunk(plan, layout, pack, c, o.stop, failed, between)) {
      stopped = true;
      return;
    }
    ++mine.chunks_run;
    mine.runs += layout.chunk_count(c);
    if (o.progress && rank == 0) o.progress("rank 0: chunk " + std::to_string(c) + " done");
  };
  if (rank == 0) {
    PendingChunks pending = pending_chunks(layout, dir, o.chunks, o.warn);
    std::deque<std::uint64_t> todo(pending.todo.begin(), pending.todo.end());
    mine.chunks_skipped = pending.skipped;
    int active = size - 1;  // workers that have not been told to finish
    bool any_stopped = false;
    const auto serve = [&](bool block) {
      for (;;) {
        int flag = 0;
        MPI_Status st;
        if (block)
          MPI_Probe(MPI_ANY_SOURCE, kRequest, MPI_COMM_WORLD, &st), flag = 1;
        else
          MPI_Iprobe(MPI_ANY_SOURCE, kRequest, MPI_COMM_WORLD, &flag, &st);
        if (!flag) return;
        std::int64_t state = 0;
        MPI_Recv(&state, 1, MPI_INT64_T, st.MPI_SOURCE, kRequest, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        if (state != 0) any_stopped = true;
        std::int64_t reply = -1;
        if (state == 0 && !any_stopped && !stopped && !(o.stop && *o.stop) && !todo.empty()) {
          reply = static_cast<std::int64_t>(todo.front());
          todo.pop_front();
        }
        MPI_Send(&reply, 1, MPI_INT64_T, st.MPI_SOURCE, kChunk, MPI_COMM_WORLD);
        if (reply < 0) --active;
        if (block) return;
      }
    };
    while (!todo.empty() && !stopped && !any_stopped) {
      serve(false);
      if (todo.empty()) break;
      const std::uint64_t c = todo.front();
      todo.pop_front();
      // Serve requests after every run, not only between chunks: a rank waiting for its next
      // chunk would otherwise idle for up to a whole chunk of rank 0's work.
      run(c, [&] { serve(false); });
    }
    while (active > 0) serve(true);
    mine.interrupted = stopped || any_stopped;
  } else {
    for (;;) {
      std::int64_t state = stopped ? 1 : 0, chunk = -1;
      MPI_Send(&state, 1, MPI_INT64_T, 0, kRequest, MPI_COMM_WORLD);
      MPI_Recv(&chunk, 1, MPI_INT64_T, 0, kChunk, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (chunk < 0) break;
      run(static_cast<std::uint64_t>(chunk), {});
    }
  }
  // Totals on rank 0; whether any rank stopped, everywhere.
  std::uint64_t local[4] = {mine.chunks_run, mine.runs, failed, stopped ? 1u : 0u};
  std::uint64_t total[4] = {0, 0, 0, 0};
  MPI_Reduce(local, total, 4, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  ExecReport rep = mine;
  if (rank == 0) {
    rep.chunks_run = total[0];
    rep.runs = total[1];
    rep.runs_failed = total[2];
    rep.interrupted = mine.interrupted || total[3] > 0;
  } else {
    rep.runs_failed = failed;
    rep.interrupted = stopped;
  }
  rep.is_root = rank == 0;
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  int interrupted = rep.interrupted ? 1 : 0;
  MPI_Bcast(&interrupted, 1, MPI_INT, 0, MPI_COMM_WORLD);
  rep.interrupted = interrupted != 0;
  if (!o.keep_mpi) MPI_Finalize();
  return rep;
}

}  // namespace geosim
