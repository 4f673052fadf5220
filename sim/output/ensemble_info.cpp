#include "output/ensemble_info.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.hpp"
#include "core/text.hpp"
#include "output/h5_helpers.hpp"
#include "output/info_reader.hpp"
#include "output/replicate_writer.hpp"

namespace geosim {

namespace {

constexpr std::string_view kEnsembleKind = "geosim replicates or comparison file";
constexpr std::size_t kTopEffects = 3;
/// More replicates than any file holds: a larger count is damage, refused before it sizes a read.
constexpr std::int64_t kMaxReplicates = std::int64_t{1} << 31;

/// The what-ifs' largest mean paired differences of influence_share at the last turn.
std::vector<std::vector<ShareEffect>> top_effects(const summary::Reader& r,
                                                  const summary::Coordinates& c, bool study,
                                                  std::size_t whatifs) {
  const auto n = static_cast<hsize_t>(c.actors.size());
  const auto turns = static_cast<hsize_t>(c.turns);
  const auto k = static_cast<hsize_t>(whatifs);
  // Version 2 has a leading `whatif` axis; version 1 (one what-if) none.
  const std::vector<hsize_t> shape =
      study ? std::vector<hsize_t>{k, turns, n, n} : std::vector<hsize_t>{turns, n, n};
  const std::string what = study ? "(whatif, turn, actor, target)" : "(turn, actor, target)";
  std::vector<std::vector<double>> v;  // mean, lower, upper: [what-if][actor][target]
  for (const char* name : {"influence_share_diff_mean", "influence_share_diff_ci_lower",
                           "influence_share_diff_ci_upper"}) {
    const h5::Handle ds = r.dataset(name, shape, what);
    if (turns == 0) return std::vector<std::vector<ShareEffect>>(whatifs);
    v.push_back(study ? h5::read_block(ds.get(), {0, turns - 1, 0, 0}, {k, 1, n, n})
                      : h5::read_block(ds.get(), {turns - 1, 0, 0}, {1, n, n}));
  }
  std::vector<std::vector<ShareEffect>> out(whatifs);
  for (std::size_t w = 0; w < whatifs; ++w) {
    auto& top = out[w];
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t t = 0; t < n; ++t) {
        const std::size_t i = (w * n + a) * n + t;
        if (!std::isfinite(v[0][i]) || v[0][i] == 0.0) continue;
        top.push_back({c.actors[a], c.actors[t], v[0][i], v[1][i], v[2][i]});
      }
    std::stable_sort(top.begin(), top.end(), [](const ShareEffect& x, const ShareEffect& y) {
      return std::abs(x.mean) > std::abs(y.mean);
    });
    if (top.size() > kTopEffects) top.resize(kTopEffects);
  }
  return out;
}

/// A difference of shares in percentage points, with enough decimals for two significant
/// digits of the mean (at least 2): "+1.12", "-0.0052".
int pp_decimals(double mean_pp) {
  if (!std::isfinite(mean_pp) || mean_pp == 0.0) return 2;
  const int d = 1 - static_cast<int>(std::floor(std::log10(std::abs(mean_pp))));
  return std::clamp(d, 2, 6);
}

std::string signed_fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.*f", digits, v);
  return buf;
}

std::string scenario_head(const EnsembleScenario& s) {
  return s.name + " (hash " + s.hash + ", seed " + std::to_string(s.seed) + ")";
}

}  // namespace

namespace summary {

EnsembleInfo read_ensemble(const Reader& r) {
  EnsembleInfo e;
  e.path = r.path();
  const std::string format = r.required_text("format");
  if (format == kReplicatesFormat) {
    e.format_version = r.version({kReplicatesFormatVersion});
  } else if (format == kComparisonFormat) {
    e.comparison = true;
    e.format_version = r.version({kComparisonFormatVersion, kStudyFormatVersion});
  } else {
    r.fail("format", "not a geosim replicates or comparison file: format is '" + format + "'");
  }
  const bool study = e.comparison && e.format_version == kStudyFormatVersion;
  e.geosim_version = r.text("geosim_version");
  e.git_commit = r.text("git_commit");
  e.hdf5_version = r.text("hdf5_version");
  e.start_time = r.text("start_time");
  e.host = r.text("host");
  e.command_line = r.text("command_line");
  e.wall_seconds = r.real("wall_seconds");
  if (r.has_attr("forked_from")) {
    e.forked_from = r.text("forked_from");
    e.forked_at_turn = static_cast<int>(r.integer("forked_at_turn"));
  }
  e.posterior_file = r.text("posterior_file");

  FileCoordinates& c = e;
  c = read_coordinates(r);

  const std::int64_t replicates = r.required_integer("replicates");
  if (replicates < 1 || replicates > kMaxReplicates)
    r.fail("replicates", "replicates " + std::to_string(replicates) + " is not a count of runs");
  // The run ids are consecutive: the first and the last say them all.
  e.replicates = static_cast<std::size_t>(replicates);
  e.first_run_id = static_cast<std::uint64_t>(r.integer_at("replicate", e.replicates, 0));
  e.last_run_id =
      static_cast<std::uint64_t>(r.integer_at("replicate", e.replicates, e.replicates - 1));
  const std::vector<hsize_t> events = r.shape("event");
  if (events.size() != 1) r.fail("event", "dataset 'event' is not one-dimensional");
  e.events = static_cast<std::size_t>(events[0]);

  if (!e.comparison) {
    e.scenarios.push_back({"", r.text("scenario_name"), r.text("scenario_description"),
                           r.text("scenario_hash"), r.text("scenario_file"),
                           static_cast<std::uint64_t>(r.integer("seed"))});
    e.clients = summarise_clients(r, c, "influence_share_mean", "hedging_index_mean");
    return e;
  }

  e.ci_level = r.real("ci_level");
  e.t_quantile = r.real("t_quantile");
  const std::vector<std::string> labels = r.labels("scenario");
  if (labels.size() < 2 || (!study && labels.size() != 2) || (study && labels.size() < 3))
    r.fail("scenario",
           "dataset 'scenario' has " + std::to_string(labels.size()) + " labels (format version " +
               std::to_string(e.format_version) +
               (study ? " has the base and two what-ifs or more)" : " has two: base and whatif)"));
  const std::size_t n = labels.size();
  const std::vector<std::string> names = r.labels_of("scenario_name", n);
  if (study) {
    // Version 2: each scenario's metadata are variables over `scenario`.
    const std::vector<std::string> whatifs = r.labels_of("whatif", n - 1);
    if (!std::equal(whatifs.begin(), whatifs.end(), labels.begin() + 1))
      r.fail("whatif", "the labels of 'whatif' are not those of 'scenario' after 'base'");
    const auto descriptions = r.labels_of("scenario_description", n);
    const auto hashes = r.labels_of("scenario_hash", n);
    const auto files = r.labels_of("scenario_file", n);
    const auto seeds = r.integers("seed", n);
    for (std::size_t s = 0; s < n; ++s)
      e.scenarios.push_back({labels[s], names[s], descriptions[s], hashes[s], files[s],
                             static_cast<std::uint64_t>(seeds[s])});
  } else {
    // Version 1: the base's and the what-if's root attributes.
    for (const std::string prefix : {"base_", "whatif_"})
      e.scenarios.push_back({labels[e.scenarios.size()], r.text(prefix + "scenario_name"),
                             r.text(prefix + "scenario_description"),
                             r.text(prefix + "scenario_hash"), r.text(prefix + "scenario_file"),
                             static_cast<std::uint64_t>(r.integer(prefix + "seed"))});
  }
  e.top_effects = top_effects(r, c, study, n - 1);
  return e;
}

}  // namespace summary

EnsembleInfo read_ensemble_info(const std::string& path) {
  return h5::read_file(path, kEnsembleKind, [&] {
    summary::Reader r(path);
    r.open(kEnsembleKind);
    return summary::read_ensemble(r);
  });
}

std::string format_ensemble_info(const EnsembleInfo& info) {
  summary::Lines s;
  const bool study = info.comparison && info.format_version == kStudyFormatVersion;
  s.raw(info.path + " (geosim " + (info.comparison ? "comparison" : "replicates") +
        " file, format version " + std::to_string(info.format_version) +
        (!info.comparison ? ""
         : study ? ": a what-if study, " + std::to_string(info.scenarios.size() - 1) + " what-ifs"
                 : ": a base and one what-if") +
        ")\n");
  const std::size_t r_count = info.replicates;
  const std::string ids = r_count == 1 ? "run id " + std::to_string(info.first_run_id)
                                       : "run ids " + std::to_string(info.first_run_id) + " .. " +
                                             std::to_string(info.last_run_id);
  if (!info.comparison) {
    const EnsembleScenario& sc = info.scenarios.front();
    s.line("scenario", sc.name + " (hash " + sc.hash + ")");
    if (!sc.description.empty()) s.line("description", summary::wrap(sc.description));
    if (!sc.file.empty()) s.line("file", sc.file);
    s.line("replicates", std::to_string(r_count) + ", " + ids);
  } else {
    for (std::size_t k = 0; k < info.scenarios.size(); ++k) {
      const EnsembleScenario& sc = info.scenarios[k];
      s.line(k == 0  ? std::string("base")
             : study ? "what-if " + std::to_string(k)
                     : std::string("what-if"),
             scenario_head(sc));
      if (!sc.description.empty()) s.more(summary::first_line(sc.description));
      if (!sc.file.empty()) s.more("file " + sc.file);
    }
    s.line("replicates",
           std::to_string(r_count) + " per scenario, " + ids + " (the same in every scenario)");
    s.line("intervals",
           std::isfinite(info.t_quantile)
               ? summary::fixed(100.0 * info.ci_level, 0) +
                     "%, t = " + summary::fixed(info.t_quantile, 3) + " (Student's t, " +
                     std::to_string(r_count > 0 ? r_count - 1 : 0) + " degrees of freedom)"
               : std::string("none (one replicate)"));
  }
  summary::coordinate_lines(
      s, summary::Coordinates{info.turns, info.first_date, info.last_date, info.actors,
                              info.actor_names, info.actor_roles, info.poles, info.channels});
  s.line("events", std::to_string(info.events) + " (all runs)");
  if (!info.comparison) s.line("seed", std::to_string(info.scenarios.front().seed));
  s.line("geosim",
         info.geosim_version + " (commit " + info.git_commit + "), HDF5 " + info.hdf5_version);
  s.line("started", summary::or_unknown(info.start_time) + " on " + summary::or_unknown(info.host) +
                        ", ran " + summary::fixed(info.wall_seconds, 2) + " s");
  if (!info.command_line.empty()) s.line("command", info.command_line);
  if (!info.forked_from.empty())
    s.line("forked from", info.forked_from + " (its state after turn " +
                              std::to_string(info.forked_at_turn) + ")");
  if (!info.posterior_file.empty())
    s.line("posterior",
           info.posterior_file + " (each replicate ran with a particle of its last generation)");
  if (!info.comparison) {
    summary::client_lines(s, info.clients,
                          "Mean influence shares over clients at the final turn (" +
                              info.last_date + "), over " + std::to_string(r_count) +
                              " replicates");
    return s.str();
  }
  if (info.turns == 0) return s.str();
  s.raw("Largest mean effects on influence shares at the final turn (" + info.last_date +
        "), what-if - base [95% interval]:\n");
  for (std::size_t k = 0; k < info.top_effects.size(); ++k) {
    const auto& top = info.top_effects[k];
    s.raw("  " + info.scenarios[k + 1].name + "\n");
    if (top.empty()) s.raw("    (no difference)\n");
    std::size_t width = 0;
    for (const auto& e : top) width = std::max(width, e.actor.size() + e.target.size() + 10);
    for (const auto& e : top) {
      const std::string label = e.actor + " share of " + e.target;
      const int d = pp_decimals(100.0 * e.mean);
      std::string text = "    " + label + std::string(width - label.size() + 2, ' ') +
                         signed_fixed(100.0 * e.mean, d) + " pp";
      if (std::isfinite(e.lower) && std::isfinite(e.upper))
        text +=
            " [" + signed_fixed(100.0 * e.lower, d) + ", " + signed_fixed(100.0 * e.upper, d) + "]";
      s.raw(text + "\n");
    }
  }
  return s.str();
}

}  // namespace geosim
