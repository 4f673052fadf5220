#include "study/replicates.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <stdexcept>

#include "calib/posterior_overlay.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/rng.hpp"
#include "core/turn_pool.hpp"
#include "model/step.hpp"
#include "model/world.hpp"
#include "output/calibration_store.hpp"
#include "output/checkpoint.hpp"
#include "output/run_schema.hpp"
#include "scenario/scenario_edit.hpp"
#include "study/run_pipeline.hpp"
#include "study/sweep_estimate.hpp"

namespace geosim {

namespace {

/// Runs one (scenario, run id) from `w` (the initial state or a checkpoint's) through the
/// scenario's remaining turns, handing each turn's world to `on_turn`; with a pool, each
/// turn's row loops run on its threads (the same bits).
template <class OnTurn>
World run_once(const Scenario& sc, World w, std::uint64_t run_id, OnTurn&& on_turn,
               const volatile std::sig_atomic_t* stop, TurnPool* pool) {
  const CounterRng rng(sc.seed, run_id);
  for (int t = w.turn + 1; t < sc.turns; ++t) {
    step(w, sc, rng, pool);
    on_turn(w);
    if (stop != nullptr && *stop != 0) throw Interrupted();  // the writer removes its temp file
  }
  return w;
}

/// The runs are one after the other, so from kTurnPoolMinRows actors their turns share the
/// threads too, up to the usable cores (the chunk writer deflates on as many meanwhile).
int turn_threads(const Scenario& sc, const EnsembleOptions& options) {
  return sc.n_actors() >= kTurnPoolMinRows ? turn_pool_threads(options.threads) : 1;
}

/// Where each run of a scenario starts: its initial state (made for each run, as a replicate's
/// scenario may differ by its particle), or the `--from` checkpoint's state, read once per
/// scenario. Copies the checkpoint's recorded turns into the run's slot of the file.
class StartState {
 public:
  StartState(const std::string& from, std::size_t scenarios) : from_(from), read_(scenarios) {}
  World operator()(std::size_t s, const Scenario& sc, EnsembleWriter& writer, std::size_t r) {
    if (from_.empty()) return make_world(sc);
    if (!read_[s]) read_[s] = read_checkpoint_world(from_, sc);
    writer.copy_turns(static_cast<int>(s), r, from_, read_[s]->turn + 1);
    return *read_[s];
  }

 private:
  const std::string& from_;
  std::vector<std::optional<World>> read_;
};

/// The scenario of replicate r: `sc` itself, or a copy with its particle's values.
class ReplicateScenario {
 public:
  /// `keep[k]`: path k keeps the scenario's own value (a what-if's own change).
  ReplicateScenario(const Scenario& sc, const PosteriorDraws* posterior,
                    std::vector<char> keep = {})
      : sc_(sc), post_(posterior), keep_(std::move(keep)) {
    if (post_ != nullptr)
      for (const auto& p : post_->paths)
        edits_.push_back(ScenarioEdit::resolve(sc, p, Location{post_->file, 0, 0}));
    keep_.resize(edits_.size(), 0);
  }
  const Scenario& operator()(std::size_t r) {
    if (post_ == nullptr) return sc_;
    copy_ = sc_;
    for (std::size_t k = 0; k < edits_.size(); ++k)
      if (!keep_[k]) edits_[k].apply(copy_, post_->values[r][k]);
    return copy_;
  }

 private:
  const Scenario& sc_;
  const PosteriorDraws* post_;
  std::vector<char> keep_;
  std::vector<ScenarioEdit> edits_;
  Scenario copy_;
};

const RunVariable& variable(std::string_view name) {
  for (const auto& v : run_variables())
    if (v.name == name) return v;
  throw std::logic_error("no run variable '" + std::string(name) + "'");
}

std::vector<double> values_of(const World& w, std::string_view name) {
  const auto s = variable(name).values(w, 0);
  return {s.begin(), s.end()};
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// What the table needs of one run's last turn.
struct Horizon {
  std::vector<double> share, hedging, reexports;
};

std::string run_id_range(const std::vector<std::uint64_t>& ids) {
  if (ids.empty()) return "none";
  if (ids.size() == 1) return std::to_string(ids.front());
  return std::to_string(ids.front()) + "-" + std::to_string(ids.back());
}

}  // namespace

PosteriorDraws draw_posterior(const std::string& file, const Scenario& sc,
                              const std::vector<std::uint64_t>& run_ids) {
  const calib::CalibrationResult c = calib::read_calibration_result(file);
  if (c.scenario_file.empty())
    throw InputError(Location{file, 0, 0}, "--posterior",
                     "a test-model calibration has no scenario parameters to draw");
  PosteriorDraws d;
  d.file = file;
  d.paths = c.parameter_paths;
  d.scenario_sets = c.scenario_sets;
  for (const auto& p : d.paths) (void)ScenarioEdit::resolve(sc, p, Location{file, 0, 0});
  const calib::Population& pop = c.last;
  for (std::uint64_t id : run_ids) {
    const double u = CounterRng(sc.seed, id).uniform(0, 0, RngPurpose::calibration, 0);
    double cum = 0.0;
    std::size_t j = 0;
    for (; j + 1 < pop.n; ++j) {
      cum += pop.weight[j];
      if (u < cum) break;
    }
    d.particle.push_back(static_cast<std::int64_t>(j));
    const auto x = pop.particle(j);
    d.values.emplace_back(x.begin(), x.end());
  }
  return d;
}

std::vector<std::string> paths_the_whatif_sets(const Scenario& base, const Scenario& whatif,
                                               const PosteriorDraws& posterior) {
  std::vector<std::string> out;
  for (const auto& p : posterior.paths)
    if (calib::yaml_value_at(base.resolved_yaml, p) !=
        calib::yaml_value_at(whatif.resolved_yaml, p))
      out.push_back(p);
  return out;
}

std::vector<std::uint64_t> consecutive_run_ids(std::uint64_t first, std::uint64_t count) {
  std::vector<std::uint64_t> ids;
  ids.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) ids.push_back(first + i);
  return ids;
}

void simulate_replicates(const Scenario& sc, const std::vector<std::uint64_t>& run_ids,
                         const std::string& out_path, Provenance prov,
                         const volatile std::sig_atomic_t* stop, const PosteriorDraws* posterior,
                         const EnsembleOptions& options) {
  ReplicateScenario scenario_of(sc, posterior);
  const auto t0 = std::chrono::steady_clock::now();
  EnsembleWriter writer = EnsembleWriter::replicates(out_path, sc, run_ids, options.threads);
  ProgressMeter progress("replicates", run_ids.size(), options.progress);
  std::optional<TurnPool> pool;
  if (const int threads = turn_threads(sc, options); threads > 1) pool.emplace(threads);
  StartState start(options.from, 1);
  for (std::size_t r = 0; r < run_ids.size(); ++r) {
    const Scenario& rsc = scenario_of(r);
    const World w = run_once(
        rsc, start(0, rsc, writer, r), run_ids[r], [&](const World& x) { writer.record(0, r, x); },
        stop, pool ? &*pool : nullptr);
    writer.end_run(0, r, w);
    progress.update(r + 1);
  }
  progress.finish();
  if (options.progress.on) std::fprintf(stderr, "geosim: writing the summaries\n");
  if (posterior != nullptr) {
    prov.posterior_file = posterior->file;
    prov.posterior_particle = posterior->particle;
  }
  prov.run_id = run_ids.front();
  prov.wall_seconds = seconds_since(t0);
  writer.finish(prov);
}

ComparisonSummary simulate_comparison(const Scenario& base,
                                      const std::vector<const Scenario*>& whatifs,
                                      const std::vector<std::uint64_t>& run_ids,
                                      const std::string& out_path, ComparisonProvenance prov,
                                      const volatile std::sig_atomic_t* stop,
                                      const PosteriorDraws* posterior,
                                      const EnsembleOptions& options) {
  {
    std::vector<Diagnostic> d;
    for (const Scenario* w : whatifs) {
      const std::string file = w->source_file.empty() ? "<what-if>" : w->source_file;
      for (const auto& p : comparison_mismatches(base, *w))
        d.push_back({Location{file, 0, 0}, "",
                     p + ": a comparison needs the same actors, channels, poles and turns"});
    }
    for (const auto& p : whatif_label_clashes(whatifs))
      d.push_back({Location{"<command line>", 0, 0}, "metadata.name",
                   p + ": the what-ifs of one comparison need distinct names (set metadata.name "
                       "in the overlay, or --set-whatif metadata.name=...)"});
    if (whatifs.empty())
      d.push_back({Location{"<command line>", 0, 0}, "", "a comparison needs a what-if"});
    if (!d.empty()) throw InputError(std::move(d));
  }
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<ReplicateScenario> scenarios{ReplicateScenario(base, posterior)};
  for (const Scenario* w : whatifs) {
    std::vector<char> keep;
    if (posterior != nullptr) {
      const auto own = paths_the_whatif_sets(base, *w, *posterior);
      for (const auto& p : posterior->paths)
        keep.push_back(std::find(own.begin(), own.end(), p) != own.end() ? 1 : 0);
    }
    scenarios.emplace_back(*w, posterior, std::move(keep));
  }
  std::vector<std::vector<Horizon>> horizon(scenarios.size());
  EnsembleWriter writer =
      EnsembleWriter::comparison(out_path, base, whatifs, run_ids, options.threads);
  ProgressMeter progress(whatifs.size() == 1 ? "pairs" : "replicate sets", run_ids.size(),
                         options.progress);
  std::optional<TurnPool> pool;
  if (const int threads = turn_threads(base, options); threads > 1) pool.emplace(threads);
  StartState start(options.from, scenarios.size());
  for (std::size_t r = 0; r < run_ids.size(); ++r) {
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
      const int si = static_cast<int>(s);
      const Scenario& rsc = scenarios[s](r);
      const World w = run_once(
          rsc, start(s, rsc, writer, r), run_ids[r],
          [&](const World& x) { writer.record(si, r, x); }, stop, pool ? &*pool : nullptr);
      writer.end_run(si, r, w);
      horizon[s].push_back({values_of(w, "influence_share"), values_of(w, "hedging_index"),
                            values_of(w, "reexports")});
    }
    progress.update(r + 1);
  }
  progress.finish();
  if (options.progress.on) std::fprintf(stderr, "geosim: writing the summaries\n");
  if (posterior != nullptr) {
    prov.base.posterior_file = posterior->file;
    prov.base.posterior_particle = posterior->particle;
  }
  prov.base.run_id = run_ids.front();
  prov.base.wall_seconds = seconds_since(t0);
  writer.finish(prov);

  ComparisonSummary out;
  out.base_name = base.name;
  out.base_seed = base.seed;
  out.run_ids = run_ids;
  out.horizon = base.turns - 1;
  out.t_quantile = run_ids.size() >= 2
                       ? stats::student_t_quantile(0.5 * (1.0 + stats::kCiLevel),
                                                   static_cast<double>(run_ids.size() - 1))
                       : std::numeric_limits<double>::quiet_NaN();
  const std::vector<std::string> labels = scenario_labels(whatifs);
  for (std::size_t k = 0; k < whatifs.size(); ++k)
    out.whatifs.push_back({labels[k + 1], whatifs[k]->name, whatifs[k]->seed, {}});
  if (base.turns <= 0) return out;
  out.horizon_date = base.date_of_turn(out.horizon).str();
  const auto n = static_cast<std::size_t>(base.n_actors());
  for (std::size_t k = 0; k < whatifs.size(); ++k) {
    const std::vector<Horizon>& bh = horizon[0];
    const std::vector<Horizon>& wh = horizon[k + 1];
    std::vector<Effect>& effects = out.whatifs[k].effects;
    auto effect = [&](const std::string& client, std::string quantity, std::string units,
                      auto pick) {
      std::vector<double> b, w, d;
      for (std::size_t r = 0; r < run_ids.size(); ++r) {
        b.push_back(pick(bh[r]));
        w.push_back(pick(wh[r]));
        d.push_back(w.back() - b.back());
      }
      effects.push_back({client, std::move(quantity), std::move(units), stats::mean(b),
                         stats::mean(w), stats::mean_interval(d)});
    };
    for (std::size_t c = 0; c < n; ++c) {
      if (base.actors[c].role != Role::client) continue;
      const std::string& code = base.actors[c].code;
      for (std::size_t p = 0; p < n; ++p) {
        if (base.actors[p].role != Role::patron || p == c) continue;
        effect(code, "influence share of " + base.actors[p].code, "1",
               [&](const Horizon& h) { return h.share[p * n + c]; });
      }
      effect(code, "hedging index", "1", [&](const Horizon& h) { return h.hedging[c]; });
      effect(code, "re-exports", std::string(variable("reexports").units),
             [&](const Horizon& h) { return h.reexports[c]; });
    }
  }
  return out;
}

ComparisonEstimate estimate_comparison(const Scenario& base,
                                       const std::vector<const Scenario*>& whatifs,
                                       std::uint64_t run_id) {
  ComparisonEstimate e;
  std::vector<const Scenario*> all{&base};
  all.insert(all.end(), whatifs.begin(), whatifs.end());
  (void)run_once(
      base, make_world(base), run_id, [](const World&) {}, nullptr, nullptr);  // warm
  const auto t0 = std::chrono::steady_clock::now();
  for (const Scenario* sc : all)
    (void)run_once(
        *sc, make_world(*sc), run_id, [](const World&) {}, nullptr, nullptr);
  e.seconds_per_replicate = seconds_since(t0);
  const auto n = static_cast<std::uint64_t>(base.n_actors());
  for (const auto& v : run_variables()) {
    std::uint64_t cells = static_cast<std::uint64_t>(std::max(base.turns, 0));
    for (Dim d : v.dims)
      cells *= d == Dim::actor || d == Dim::target ? n
               : d == Dim::channel                 ? static_cast<std::uint64_t>(base.n_channels())
               : d == Dim::pole                    ? static_cast<std::uint64_t>(base.n_poles())
               : d == Dim::instrument              ? kInstrumentCount
                                                   : 1;
    e.bytes_per_run += 8 * cells;
    if (base.turns > 0)
      e.max_turn_bytes =
          std::max(e.max_turn_bytes, 8 * cells / static_cast<std::uint64_t>(base.turns));
  }
  e.peak_rss_mb = peak_rss_mb();
  return e;
}

std::string format_comparison_estimate(const ComparisonEstimate& e, std::size_t whatifs,
                                       std::uint64_t replicates) {
  const std::uint64_t runs = replicates * (whatifs + 1);
  const double seconds = e.seconds_per_replicate * static_cast<double>(replicates);
  // Every run's variables, their means per scenario and the differences with their means and
  // intervals per what-if: (K + 1) R + (K + 1) + K R + 3 K runs' worth, uncompressed.
  const double bytes =
      static_cast<double>(e.bytes_per_run) *
      static_cast<double>(runs + (whatifs + 1) + whatifs * replicates + 3 * whatifs);
  // The summaries read a few turns of every run at a time: about 32 MB, but never less than one
  // turn of the largest variable of every run, twice (the values and the differences).
  const double summaries =
      2.0 * std::max(32e6, static_cast<double>(runs) * static_cast<double>(e.max_turn_bytes));
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "estimate, from one replicate of the %zu scenarios timed here (another machine "
                "may be slower):\n"
                "  runs:   %llu (%llu replicates x %zu scenarios), about %s of simulation, plus "
                "writing the file (a large share of a comparison's time: --jobs J deflates on J "
                "threads)\n"
                "  disk:   the file at most %s before compression (deflate shrinks it, often 10 "
                "times or more)\n"
                "  memory: about %.0f MB for the runs (the peak of this process over the "
                "sample), plus about %s for the summaries\n",
                whatifs + 1, static_cast<unsigned long long>(runs),
                static_cast<unsigned long long>(replicates), whatifs + 1,
                duration_text(seconds).c_str(), bytes_text(bytes).c_str(), e.peak_rss_mb,
                bytes_text(summaries).c_str());
  return buf;
}

std::string format_comparison(const ComparisonSummary& s) {
  std::string out;
  char buf[512];
  auto line = [&](const char* fmt, auto... args) {
    std::snprintf(buf, sizeof buf, fmt, args...);
    out += buf;
  };
  const std::size_t reps = s.run_ids.size();
  const bool estimable = reps >= 2;
  bool zero_width = false;
  for (std::size_t k = 0; k < s.whatifs.size(); ++k) {
    const WhatifEffects& wi = s.whatifs[k];
    if (k > 0) out += "\n";
    out += "What-if '" + wi.name + "' minus base '" + s.base_name + "'";
    if (s.horizon < 0) {
      out += ": the scenarios have no turns\n";
      continue;
    }
    line(" at the horizon, turn %d (%s)\n", s.horizon, s.horizon_date.c_str());
    line("%zu paired replicate%s (run id%s %s), ", reps, reps == 1 ? "" : "s", reps == 1 ? "" : "s",
         run_id_range(s.run_ids).c_str());
    if (s.base_seed == wi.seed)
      out += "seed " + std::to_string(s.base_seed) + ": common random numbers\n";
    else
      out += "seeds differ (base " + std::to_string(s.base_seed) + ", what-if " +
             std::to_string(wi.seed) + "): NOT common random numbers\n";
    if (estimable)
      line(
          "95%% CI of the mean paired difference: mean +- t(0.975, %zu) * sd / sqrt(%zu), "
          "t = %.3f; * = the interval excludes 0\n",
          reps - 1, reps, s.t_quantile);
    else
      out +=
          "One replicate: the confidence interval cannot be estimated (pass --replicates R "
          "with R >= 2)\n";
    out += "\n";
    line("%-6s  %-24s  %11s  %11s  %13s  %s\n", "client", "quantity", "base", "what-if",
         "difference", "95% CI of the difference");
    std::string previous;
    for (const auto& e : wi.effects) {
      // Shares (unit 1) in percent and their differences in percentage points; money in its
      // unit. Differences with 3 significant digits, so a small but clear effect does not
      // print as [-0.00, -0.00].
      const bool money = e.units != "1";
      const std::string quantity = money ? e.quantity + " (" + e.units + ")" : e.quantity;
      const double scale = money ? 1.0 : 100.0;
      const char* unit = money ? "" : " pp";
      line("%-6s  %-24s  ", e.client == previous ? "" : e.client.c_str(), quantity.c_str());
      previous = e.client;
      if (money)
        line("%11.1f  %11.1f  ", e.base_mean, e.whatif_mean);
      else
        line("%10.2f%%  %10.2f%%  ", 100.0 * e.base_mean, 100.0 * e.whatif_mean);
      char diff[48];
      std::snprintf(diff, sizeof diff, "%+.3g%s", scale * e.diff.mean, unit);
      line("%13s  ", diff);
      if (!e.diff.estimable()) {
        out += estimable ? "n/a (NaN values)" : "n/a (R = 1)";
      } else {
        line("[%+.3g, %+.3g]%s", scale * e.diff.lower, scale * e.diff.upper, unit);
        if (e.diff.excludes(0.0)) out += " *";
        if (e.diff.sd == 0.0 && e.diff.mean != 0.0) zero_width = true;
      }
      out += "\n";
    }
  }
  if (zero_width)
    out +=
        "\nA zero-width interval: that difference was the same in every replicate (no "
        "random draw\nchanged it).\n";
  return out;
}

}  // namespace geosim
