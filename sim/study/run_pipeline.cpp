#include "study/run_pipeline.hpp"

#include <chrono>
#include <optional>

#include "core/rng.hpp"
#include "core/turn_pool.hpp"
#include "model/step.hpp"
#include "output/checkpoint.hpp"
#include "output/run_writer.hpp"

namespace geosim {

World simulate(const Scenario& sc, std::uint64_t run_id, const std::string& out_path,
               Provenance prov, const volatile std::sig_atomic_t* stop, const RunSpan& span) {
  const auto t0 = std::chrono::steady_clock::now();
  const CounterRng rng(sc.seed, run_id);
  World w = span.from.empty() ? make_world(sc) : read_checkpoint_world(span.from, sc);
  const int last = span.checkpoint_at >= 0 ? span.checkpoint_at : sc.turns - 1;
  std::optional<RunWriter> writer;
  if (!out_path.empty()) {
    writer.emplace(out_path, sc, w, last + 1, span.threads);
    if (!span.from.empty()) writer->copy_turns(span.from, w.turn + 1);
  }
  // The turn's row loops share the threads from kTurnPoolMinRows actors (below, a pool would
  // only wait), up to the usable cores; the chunk writer's threads deflate meanwhile.
  std::optional<TurnPool> pool;
  if (const int threads = turn_pool_threads(span.threads); threads > 1 && w.n >= kTurnPoolMinRows)
    pool.emplace(threads);
  for (int t = w.turn + 1; t <= last; ++t) {
    step(w, sc, rng, pool ? &*pool : nullptr);
    if (writer) writer->record(w);
    if (stop != nullptr && *stop != 0) throw Interrupted();  // the writer removes its temp file
  }
  if (writer) {
    if (span.checkpoint_at >= 0) writer->add_checkpoint(w, sc, span.history_yaml);
    prov.run_id = run_id;
    prov.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    writer->finish(w, prov);
  }
  return w;
}

}  // namespace geosim
