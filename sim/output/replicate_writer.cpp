#include "output/replicate_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <type_traits>

#include "core/text.hpp"
#include "core/version.hpp"
#include "output/chunk_writer.hpp"
#include "output/h5_helpers.hpp"
#include "output/replicate_stats.hpp"
#include "output/run_schema.hpp"
#include "output/temp_file.hpp"

namespace geosim {

namespace {

constexpr std::size_t kNumQuantiles = std::size(stats::kQuantiles);
constexpr hsize_t kMaxReadCache = hsize_t{64} << 20;  // 64 MiB
/// What the summaries hold of the runs at a time (all runs' values over a few turns), and so
/// what one turn-group of every run's chunks may take: chunks of a per-run variable span
/// kSummaryBytes / (runs x turn's bytes) turns (1 to all), at most kChunkBytes.
constexpr hsize_t kSummaryBytes = hsize_t{32} << 20;  // 32 MiB
constexpr hsize_t kMinChunkBytes = hsize_t{8} << 10;

hsize_t product(const std::vector<hsize_t>& v) {
  hsize_t n = 1;
  for (hsize_t x : v) n *= x;
  return n;
}

/// Opens `name` for reading or writing one turn at a time over all its other axes: a chunk
/// cache that holds every chunk such a slab touches (capped at kMaxReadCache), so each chunk is
/// compressed or decompressed once. `turn_axis` is the index of the turn axis.
h5::Handle open_for_slabs(hid_t loc, const std::string& name, std::size_t turn_axis) {
  h5::Handle ds = h5::check(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), "opening '" + name + "'");
  const std::vector<hsize_t> dims = h5::shape(ds.get());
  h5::Handle dcpl = h5::check(H5Dget_create_plist(ds.get()), "reading a creation property list");
  if (H5Pget_layout(dcpl.get()) != H5D_CHUNKED) return ds;
  std::vector<hsize_t> chunk(dims.size());
  if (H5Pget_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()) < 0)
    h5::fail("reading the chunks of '" + name + "'");
  hsize_t chunks = 1;
  for (std::size_t a = 0; a < dims.size(); ++a)
    if (a != turn_axis) chunks *= (dims[a] + chunk[a] - 1) / chunk[a];
  const hsize_t bytes = std::min(chunks * product(chunk) * sizeof(double), kMaxReadCache);
  ds.reset();
  h5::Handle dapl = h5::check(H5Pcreate(H5P_DATASET_ACCESS), "creating a property list");
  h5::check_status(H5Pset_chunk_cache(dapl.get(), 100003, bytes + (hsize_t{1} << 20), 1.0),
                   "sizing the chunk cache");
  return h5::check(H5Dopen2(loc, name.c_str(), dapl.get()), "opening '" + name + "'");
}

/// Buffered values of one event column over every run.
struct ColumnBuffer {
  std::vector<std::int32_t> ints;
  std::vector<double> reals;
  std::vector<std::string> strings;
};

}  // namespace

std::vector<std::string> scenario_labels(const std::vector<const Scenario*>& whatifs) {
  std::vector<std::string> labels{"base"};
  if (whatifs.size() == 1) {
    labels.emplace_back("whatif");
  } else {
    for (const Scenario* w : whatifs) labels.push_back(w->name);
  }
  return labels;
}

std::vector<std::string> whatif_label_clashes(const std::vector<const Scenario*>& whatifs) {
  std::vector<std::string> out;
  if (whatifs.size() < 2) return out;
  for (std::size_t i = 0; i < whatifs.size(); ++i) {
    const std::string& name = whatifs[i]->name;
    if (name == "base")
      out.push_back("what-if " + std::to_string(i + 1) +
                    " is named 'base', the label of the base scenario");
    for (std::size_t j = 0; j < i; ++j)
      if (whatifs[j]->name == name) {
        out.push_back("what-ifs " + std::to_string(j + 1) + " and " + std::to_string(i + 1) +
                      " have the same name '" + name + "'");
        break;
      }
  }
  return out;
}

std::vector<std::string> comparison_mismatches(const Scenario& base, const Scenario& whatif) {
  std::vector<std::string> out;
  auto codes = [](const auto& items) {
    std::vector<std::string> v;
    for (const auto& x : items) {
      if constexpr (requires { x.code; })
        v.push_back(x.code);
      else
        v.push_back(x.name);
    }
    return v;
  };
  auto compare_lists = [&](const char* what, const std::vector<std::string>& a,
                           const std::vector<std::string>& b) {
    if (a != b)
      out.push_back(std::string("the ") + what + " differ: base [" + join_words(a) +
                    "], what-if [" + join_words(b) + "]");
  };
  compare_lists("actors", codes(base.actors), codes(whatif.actors));
  compare_lists("channels", codes(base.channels), codes(whatif.channels));
  compare_lists("poles", codes(base.poles), codes(whatif.poles));
  if (base.turns != whatif.turns)
    out.push_back("the numbers of turns differ: base " + std::to_string(base.turns) + ", what-if " +
                  std::to_string(whatif.turns));
  if (base.start.str() != whatif.start.str() || base.months_per_turn != whatif.months_per_turn)
    out.push_back("the calendars differ: base starts " + base.start.str() + " with " +
                  std::to_string(base.months_per_turn) + " month(s) per turn, what-if " +
                  whatif.start.str() + " with " + std::to_string(whatif.months_per_turn));
  return out;
}

struct EnsembleWriter::Impl {
  bool comparison = false;
  std::string path, tmp;
  std::vector<const Scenario*> scenarios;  ///< 1 (replicates) or 1 + what-ifs; not owned
  std::vector<std::string> labels;         ///< of `scenario` (comparison)
  std::vector<std::uint64_t> run_ids;
  int turns = 0;
  std::array<hsize_t, kDimNames.size()> size{};
  std::vector<int> next_turn;  ///< per run (scenario * R + replicate)
  std::vector<char> ended;
  bool finished = false;

  h5::Handle file;
  std::array<h5::Handle, kDimNames.size()> scales;
  h5::Handle scenario_scale, whatif_scale, replicate_scale, quantile_scale;
  std::vector<h5::Handle> vars;  ///< parallel to run_variables()
  /// Per variable, parallel to `vars`: the chunk shape over (turn, ...) of the per-run
  /// variable and of `_diff`, and the turns held back until they fill a chunk.
  std::vector<std::vector<hsize_t>> run_chunk;
  std::vector<h5::HeldTurns> held;
  std::unique_ptr<h5::ChunkWriter> chunks;
  int threads = 1;

  /// The events table, appended run by run as each ends (nothing of it is held in memory):
  /// the `event` scale, event_scenario (comparison), event_replicate, then event_columns().
  h5::Handle event_scale, event_scenario, event_replicate;
  std::vector<h5::Handle> event_cols;  ///< parallel to event_columns()
  ColumnBuffer run_events;             ///< one run's rows, reused

  std::size_t n_scenarios() const { return scenarios.size(); }
  /// Several what-ifs (format version 2): the differences have a leading `whatif` axis.
  bool study() const { return comparison && n_scenarios() > 2; }
  /// The leading axes of the paired differences: (whatif,) replicate.
  std::vector<hsize_t> diff_lead() const {
    if (study()) return {n_scenarios() - 1, n_replicates()};
    return {n_replicates()};
  }
  std::size_t n_replicates() const { return run_ids.size(); }
  /// The leading axes before `turn`: (scenario,) replicate.
  std::vector<hsize_t> lead_shape() const {
    if (comparison) return {n_scenarios(), n_replicates()};
    return {n_replicates()};
  }
  std::vector<hid_t> lead_scales() const {
    if (comparison) return {scenario_scale.get(), replicate_scale.get()};
    return {replicate_scale.get()};
  }
  std::vector<hsize_t> shape_of(const std::vector<Dim>& dims) const {
    std::vector<hsize_t> s;
    for (Dim d : dims) s.push_back(size[static_cast<std::size_t>(d)]);
    return s;
  }
  std::vector<hid_t> scales_of(const std::vector<Dim>& dims) const {
    std::vector<hid_t> s;
    for (Dim d : dims) s.push_back(scales[static_cast<std::size_t>(d)].get());
    return s;
  }
  static std::vector<hsize_t> cat(std::vector<hsize_t> a, const std::vector<hsize_t>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }
  static std::vector<hid_t> cat(std::vector<hid_t> a, const std::vector<hid_t>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }

  template <class T>
  h5::Handle add_scale(std::string_view name, const std::vector<T>& values,
                       std::string_view long_name, std::string_view units) {
    h5::Handle ds;
    if constexpr (std::is_same_v<T, std::string>)
      ds = h5::write_strings(file.get(), name, values);
    else if constexpr (std::is_same_v<T, std::int64_t>)
      ds = h5::write_vector(file.get(), name, values, true);
    else
      ds = h5::write_vector(file.get(), name, values, true);
    h5::make_scale(ds.get(), name);
    h5::write_attr(ds.get(), "long_name", long_name);
    if (!units.empty()) h5::write_attr(ds.get(), "units", units);
    return ds;
  }
  void add_labels(std::string_view name, hid_t scale, const std::vector<std::string>& values,
                  std::string_view long_name) {
    h5::Handle ds = h5::write_strings(file.get(), name, values);
    h5::attach_scales(ds.get(), {scale});
    h5::write_attr(ds.get(), "long_name", long_name);
  }
  /// `chunk`: the chunk shape (default: choose_chunk's).
  h5::Handle add_variable(std::string_view name, const std::vector<hsize_t>& shape,
                          const std::vector<hid_t>& dim_scales, std::string_view units,
                          const std::string& long_name, std::vector<hsize_t> chunk = {}) {
    if (chunk.empty()) chunk = h5::choose_chunk(shape, sizeof(double));
    h5::Handle ds = h5::create_chunked(file.get(), name, H5T_IEEE_F64LE, shape, chunk);
    h5::attach_scales(ds.get(), dim_scales);
    h5::write_attr(ds.get(), "units", units);
    h5::write_attr(ds.get(), "long_name", long_name);
    return ds;
  }

  void create();
  void write_scenario_attrs(const Scenario& sc, const std::string& prefix);
  void write_coordinates(const Scenario& sc);
  void create_events();
  hsize_t group_of(std::size_t i) const;
  void summarise_replicates(std::size_t i);
  void summarise_comparison(std::size_t i);
  void close();
  void discard() noexcept;
};

void EnsembleWriter::Impl::write_scenario_attrs(const Scenario& sc, const std::string& prefix) {
  const hid_t root = file.get();
  h5::write_attr(root, prefix + "scenario_name", sc.name);
  h5::write_attr(root, prefix + "scenario_description", sc.description);
  h5::write_attr(root, prefix + "scenario_hash", fnv1a_hex(sc.resolved_yaml));
  h5::write_attr(root, prefix + "scenario_yaml", sc.resolved_yaml);
  h5::write_attr(root, prefix + "seed", static_cast<std::int64_t>(sc.seed));
}

// The coordinates of a run file (run_writer.cpp writes the same ones for one run).
void EnsembleWriter::Impl::write_coordinates(const Scenario& sc) {
  std::vector<std::int32_t> turn_values(static_cast<std::size_t>(turns));
  std::vector<std::string> dates(turn_values.size());
  for (int t = 0; t < turns; ++t) {
    turn_values[static_cast<std::size_t>(t)] = t;
    dates[static_cast<std::size_t>(t)] = sc.date_of_turn(t).str();
  }
  std::vector<std::string> codes, names, roles, pole_codes, pole_names, channels, units;
  for (const auto& a : sc.actors) {
    codes.push_back(a.code);
    names.push_back(a.name);
    roles.emplace_back(kRoleNames.at(static_cast<std::size_t>(a.role)));
  }
  for (const auto& p : sc.poles) {
    pole_codes.push_back(p.code);
    pole_names.push_back(p.name);
  }
  for (const auto& c : sc.channels) {
    channels.push_back(c.name);
    units.push_back(c.unit);
  }
  const std::vector<std::string> instruments(kInstrumentNames.begin(), kInstrumentNames.end());
  auto set = [&](Dim d, h5::Handle h) { scales[static_cast<std::size_t>(d)] = std::move(h); };
  set(Dim::turn, add_scale("turn", turn_values, "turn index (0 = the first simulated turn)", "1"));
  set(Dim::actor, add_scale("actor", codes, "actor code (subject of dyadic variables)", ""));
  set(Dim::target, add_scale("target", codes, "actor code (object of dyadic variables)", ""));
  set(Dim::channel, add_scale("channel", channels, "channel name", ""));
  set(Dim::pole, add_scale("pole", pole_codes, "pole code", ""));
  set(Dim::instrument, add_scale("instrument", instruments, "budget instrument", ""));
  auto scale = [&](Dim d) { return scales[static_cast<std::size_t>(d)].get(); };
  add_labels("date", scale(Dim::turn), dates, "date of the turn (ISO 8601)");
  add_labels("actor_name", scale(Dim::actor), names, "actor's full name");
  add_labels("actor_role", scale(Dim::actor), roles,
             "actor's role: patron, client, other or rest_of_world");
  add_labels("channel_unit", scale(Dim::channel), units, "unit of the channel's flow values");
  add_labels("pole_name", scale(Dim::pole), pole_names, "pole's full name");
}

void EnsembleWriter::Impl::create() {
  const Scenario& sc = *scenarios.front();
  file = h5::create_file(tmp);

  const hid_t root = file.get();
  h5::write_attr(root, "format", comparison ? kComparisonFormat : kReplicatesFormat);
  h5::write_attr(root, "format_version",
                 std::int32_t{study()      ? kStudyFormatVersion
                              : comparison ? kComparisonFormatVersion
                                           : kReplicatesFormatVersion});
  h5::write_attr(root, "geosim_version", version());
  h5::write_attr(root, "git_commit", git_commit());
  h5::write_attr(root, "hdf5_version", h5::library_version());
  h5::write_attr(root, "eigen_version",
                 std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) +
                     "." + std::to_string(EIGEN_MINOR_VERSION));
  if (comparison) {
    write_scenario_attrs(*scenarios[0], "base_");
    if (!study()) write_scenario_attrs(*scenarios[1], "whatif_");
  } else {
    write_scenario_attrs(sc, "");
  }
  h5::write_attr(root, "start_date", sc.date_of_turn(0).str());
  h5::write_attr(root, "months_per_turn", std::int32_t{sc.months_per_turn});
  h5::write_attr(root, "replicates", static_cast<std::int32_t>(n_replicates()));
  if (comparison) {
    h5::write_attr(root, "ci_level", stats::kCiLevel);
    const double t = n_replicates() >= 2
                         ? stats::student_t_quantile(0.5 * (1.0 + stats::kCiLevel),
                                                     static_cast<double>(n_replicates() - 1))
                         : std::numeric_limits<double>::quiet_NaN();
    h5::write_attr(root, "t_quantile", t);
  }
  h5::write_attr(root, "convention_note", kConventionNote);

  if (comparison) {
    scenario_scale = add_scale("scenario", labels, "scenario: base or what-if", "");
    std::vector<std::string> names, descriptions, hashes, yamls;
    std::vector<std::int64_t> seeds;
    for (const Scenario* s : scenarios) {
      names.push_back(s->name);
      descriptions.push_back(s->description);
      hashes.push_back(fnv1a_hex(s->resolved_yaml));
      yamls.push_back(s->resolved_yaml);
      seeds.push_back(static_cast<std::int64_t>(s->seed));
    }
    add_labels("scenario_name", scenario_scale.get(), names, "the scenario's name");
    if (study()) {
      // Version 2: each scenario's metadata along `scenario` (version 1 has root attributes).
      add_labels("scenario_description", scenario_scale.get(), descriptions,
                 "the scenario's description");
      add_labels("scenario_hash", scenario_scale.get(), hashes,
                 "FNV-1a hash of the scenario's resolved YAML");
      add_labels("scenario_yaml", scenario_scale.get(), yamls,
                 "the scenario's resolved YAML (overlays and --set applied)");
      h5::Handle ds = h5::write_vector(file.get(), "seed", seeds, false);
      h5::attach_scales(ds.get(), {scenario_scale.get()});
      h5::write_attr(ds.get(), "units", std::string_view("1"));
      h5::write_attr(ds.get(), "long_name", std::string_view("the scenario's root seed"));
      const std::vector<std::string> whatifs(labels.begin() + 1, labels.end());
      whatif_scale = add_scale("whatif", whatifs, "what-if: its scenario name", "");
    }
  }
  std::vector<std::int64_t> ids;
  for (auto id : run_ids) ids.push_back(static_cast<std::int64_t>(id));
  replicate_scale = add_scale("replicate", ids,
                              "replicate: its run id, the second key of the random numbers", "1");
  if (!comparison) {
    const std::vector<double> qs(std::begin(stats::kQuantiles), std::end(stats::kQuantiles));
    quantile_scale = add_scale(
        "quantile", qs, "quantile over replicates (linear interpolation, numpy's default)", "1");
  }
  write_coordinates(sc);

  const hid_t turn_scale = scales[static_cast<std::size_t>(Dim::turn)].get();
  const hsize_t n_turns = static_cast<hsize_t>(turns);
  for (const auto& v : run_variables()) {
    const std::vector<hsize_t> inner = shape_of(v.dims);
    const std::vector<hid_t> inner_scales = scales_of(v.dims);
    const std::vector<hsize_t> per_turn = cat({n_turns}, inner);
    const std::vector<hid_t> per_turn_scales = cat({turn_scale}, inner_scales);
    const std::string name(v.name), long_name(v.long_name);
    // One run's turns per chunk, as many as let the summaries hold one turn-group of every
    // run within kSummaryBytes.
    const hsize_t runs = n_scenarios() * n_replicates();
    const hsize_t budget =
        std::clamp<hsize_t>(kSummaryBytes / runs, kMinChunkBytes, h5::kChunkBytes);
    run_chunk.push_back(h5::choose_chunk(per_turn, sizeof(double), budget));
    const std::vector<hsize_t> lead = lead_shape();
    std::vector<hsize_t> chunk;
    if (!run_chunk.back().empty())
      chunk = cat(std::vector<hsize_t>(lead.size(), 1), run_chunk.back());
    const std::vector<hsize_t> full = cat(lead, per_turn);
    vars.push_back(
        add_variable(name, full, cat(lead_scales(), per_turn_scales), v.units, long_name, chunk));
    held.emplace_back(vars.back().get(), full, lead.size(), chunk);
    if (!comparison) {
      add_variable(name + "_mean", per_turn, per_turn_scales, v.units,
                   "mean over replicates of: " + long_name);
      add_variable(name + "_quantile", cat({kNumQuantiles}, per_turn),
                   cat({quantile_scale.get()}, per_turn_scales), v.units,
                   "quantile over replicates of: " + long_name);
    } else {
      add_variable(name + "_mean", cat({n_scenarios()}, per_turn),
                   cat({scenario_scale.get()}, per_turn_scales), v.units,
                   "mean over replicates of: " + long_name);
      const std::vector<hsize_t> dlead = diff_lead();
      const std::vector<hsize_t> wlead =
          study() ? std::vector<hsize_t>{dlead[0]} : std::vector<hsize_t>{};
      const std::vector<hid_t> wscales =
          study() ? std::vector<hid_t>{whatif_scale.get()} : std::vector<hid_t>{};
      add_variable(name + "_diff", cat(dlead, per_turn),
                   cat(cat(wscales, {replicate_scale.get()}), per_turn_scales), v.units,
                   "paired difference whatif - base of: " + long_name,
                   run_chunk.back().empty()
                       ? std::vector<hsize_t>{}
                       : cat(std::vector<hsize_t>(dlead.size(), 1), run_chunk.back()));
      add_variable(name + "_diff_mean", cat(wlead, per_turn), cat(wscales, per_turn_scales),
                   v.units,
                   "mean over replicates of the paired difference whatif - base of: " + long_name);
      add_variable(name + "_diff_ci_lower", cat(wlead, per_turn), cat(wscales, per_turn_scales),
                   v.units,
                   "lower end of the 95% confidence interval of the mean paired difference of: " +
                       long_name);
      add_variable(name + "_diff_ci_upper", cat(wlead, per_turn), cat(wscales, per_turn_scales),
                   v.units,
                   "upper end of the 95% confidence interval of the mean paired difference of: " +
                       long_name);
    }
  }
  create_events();
}

void EnsembleWriter::Impl::create_events() {
  constexpr hsize_t kRows = 4096;  // rows per chunk of the events table
  const hid_t root = file.get();
  event_scale = h5::create_rows(root, "event", H5T_STD_I32LE, kRows);
  h5::make_scale(event_scale.get(), "event");
  h5::write_attr(event_scale.get(), "long_name", std::string_view("event index"));
  h5::write_attr(event_scale.get(), "units", std::string_view("1"));
  auto column = [&](std::string_view name, hid_t type, std::string_view units,
                    std::string_view long_name) {
    h5::Handle ds = h5::create_rows(root, name, type, kRows);
    h5::attach_scales(ds.get(), {event_scale.get()});
    if (!units.empty()) h5::write_attr(ds.get(), "units", units);
    h5::write_attr(ds.get(), "long_name", long_name);
    return ds;
  };
  const h5::Handle text = h5::utf8_string_type();
  if (comparison)
    event_scenario =
        column("event_scenario", text.get(), "", "the run's scenario (a label of scenario)");
  event_replicate = column("event_replicate", H5T_STD_I64LE, "1", "the run's replicate (run id)");
  for (const EventColumn& col : event_columns())
    event_cols.push_back(column(col.name,
                                col.as_int != nullptr      ? H5T_STD_I32LE
                                : col.as_double != nullptr ? H5T_IEEE_F64LE
                                                           : text.get(),
                                col.units, col.long_name));
}

/// Turn groups: the turns one chunk of variable i's runs spans, so that each group's read takes
/// whole chunks (each decompressed once) and holds at most about kSummaryBytes.
hsize_t EnsembleWriter::Impl::group_of(std::size_t i) const {
  const auto& c = run_chunk[i];
  return c.empty() ? std::max<hsize_t>(1, static_cast<hsize_t>(turns)) : c.front();
}

void EnsembleWriter::Impl::summarise_replicates(std::size_t i) {
  const RunVariable& v = run_variables()[i];
  const std::string name(v.name);
  const std::vector<hsize_t> inner = shape_of(v.dims);
  const hsize_t e_count = product(inner);
  const hsize_t r_count = n_replicates();
  const h5::Handle values =
      h5::check(H5Dopen2(file.get(), name.c_str(), H5P_DEFAULT), "opening '" + name + "'");
  h5::Handle mean_ds = open_for_slabs(file.get(), name + "_mean", 0);
  h5::Handle q_ds = open_for_slabs(file.get(), name + "_quantile", 1);
  const hsize_t group = group_of(i);
  std::vector<double> x(r_count);
  std::array<double, kNumQuantiles> qv{};
  for (hsize_t t0 = 0; t0 < static_cast<hsize_t>(turns); t0 += group) {
    const hsize_t g = std::min(group, static_cast<hsize_t>(turns) - t0);
    std::vector<hsize_t> start(inner.size() + 2, 0);
    start[1] = t0;
    // [r][turn][e] over the group's turns.
    const std::vector<double> block = h5::read_block(values.get(), start, cat({r_count, g}, inner));
    std::vector<double> mean(g * e_count), q(kNumQuantiles * g * e_count);
    for (hsize_t u = 0; u < g; ++u)
      for (hsize_t e = 0; e < e_count; ++e) {
        for (hsize_t r = 0; r < r_count; ++r) x[r] = block[(r * g + u) * e_count + e];
        mean[u * e_count + e] = stats::mean(x);
        stats::quantiles(x, stats::kQuantiles, qv);
        for (std::size_t k = 0; k < kNumQuantiles; ++k) q[(k * g + u) * e_count + e] = qv[k];
      }
    std::vector<hsize_t> mstart(inner.size() + 1, 0);
    mstart[0] = t0;
    h5::write_block(mean_ds.get(), mstart, cat({g}, inner), mean);
    h5::write_block(q_ds.get(), start, cat({kNumQuantiles, g}, inner), q);
  }
}

void EnsembleWriter::Impl::summarise_comparison(std::size_t i) {
  const RunVariable& v = run_variables()[i];
  const std::string name(v.name);
  const std::vector<hsize_t> inner = shape_of(v.dims);
  const hsize_t e_count = product(inner);
  const hsize_t r_count = n_replicates();
  const hsize_t s_count = n_scenarios();
  const hsize_t n_turns = static_cast<hsize_t>(turns);
  // The what-if axis of the differences (version 2 only) comes before the per-turn axes.
  const std::size_t w_axes = study() ? 1 : 0;
  const h5::Handle values =
      h5::check(H5Dopen2(file.get(), name.c_str(), H5P_DEFAULT), "opening '" + name + "'");
  const h5::Handle diff_ds = h5::check(H5Dopen2(file.get(), (name + "_diff").c_str(), H5P_DEFAULT),
                                       "opening '" + name + "_diff'");
  h5::Handle mean_ds = open_for_slabs(file.get(), name + "_mean", 1);
  h5::Handle dmean_ds = open_for_slabs(file.get(), name + "_diff_mean", w_axes);
  h5::Handle lo_ds = open_for_slabs(file.get(), name + "_diff_ci_lower", w_axes);
  h5::Handle hi_ds = open_for_slabs(file.get(), name + "_diff_ci_upper", w_axes);
  const double t_quantile = r_count >= 2
                                ? stats::student_t_quantile(0.5 * (1.0 + stats::kCiLevel),
                                                            static_cast<double>(r_count - 1))
                                : std::numeric_limits<double>::quiet_NaN();
  const hsize_t group = group_of(i);
  const std::vector<hsize_t> diff_full = cat(diff_lead(), cat({n_turns}, inner));
  const std::vector<hsize_t> diff_chunk =
      run_chunk[i].empty() ? std::vector<hsize_t>{}
                           : cat(std::vector<hsize_t>(w_axes + 1, 1), run_chunk[i]);
  std::vector<double> b(r_count), w(r_count), d(r_count);
  for (hsize_t t0 = 0; t0 < n_turns; t0 += group) {
    const hsize_t g = std::min(group, n_turns - t0);
    std::vector<hsize_t> start(inner.size() + 3, 0);
    start[2] = t0;
    // [s][r][turn][e] over the group's turns.
    const std::vector<double> block =
        h5::read_block(values.get(), start, cat({s_count, r_count, g}, inner));
    const auto at = [&](hsize_t sc, hsize_t r, hsize_t u, hsize_t e) {
      return block[((sc * r_count + r) * g + u) * e_count + e];
    };
    std::vector<double> mean(s_count * g * e_count);
    for (hsize_t sc = 0; sc < s_count; ++sc)
      for (hsize_t u = 0; u < g; ++u)
        for (hsize_t e = 0; e < e_count; ++e) {
          for (hsize_t r = 0; r < r_count; ++r) b[r] = at(sc, r, u, e);
          mean[(sc * g + u) * e_count + e] = stats::mean(b);
        }
    std::vector<hsize_t> s2(inner.size() + 2, 0);
    s2[1] = t0;
    h5::write_block(mean_ds.get(), s2, cat({s_count, g}, inner), mean);
    std::vector<double> diff(r_count * g * e_count), dmean(g * e_count), lo(g * e_count),
        hi(g * e_count);
    for (hsize_t k = 0; k + 1 < s_count; ++k) {
      for (hsize_t u = 0; u < g; ++u)
        for (hsize_t e = 0; e < e_count; ++e) {
          for (hsize_t r = 0; r < r_count; ++r) {
            b[r] = at(0, r, u, e);
            w[r] = at(k + 1, r, u, e);
            d[r] = w[r] - b[r];
            diff[(r * g + u) * e_count + e] = d[r];
          }
          const stats::MeanInterval ci = stats::mean_interval_with_t(d, t_quantile);
          dmean[u * e_count + e] = ci.mean;
          lo[u * e_count + e] = ci.lower;
          hi[u * e_count + e] = ci.upper;
        }
      // Where this what-if's differences go: (k,) replicate 0, turn t0.
      std::vector<hsize_t> dstart(w_axes + inner.size() + 2, 0),
          sstart(w_axes + inner.size() + 1, 0);
      if (study()) dstart[0] = sstart[0] = k;
      dstart[w_axes + 1] = t0;
      sstart[w_axes] = t0;
      const std::vector<hsize_t> wone(w_axes, 1);
      const std::vector<hsize_t> dcount = cat(cat(wone, {r_count, g}), inner);
      // The differences fill whole chunks of every replicate: deflated on the writer's threads.
      if (diff_chunk.empty() ||
          !h5::submit_chunks(*chunks, diff_ds.get(), diff_full, diff_chunk, dstart, dcount, diff)) {
        chunks->flush();
        h5::write_block(diff_ds.get(), dstart, dcount, diff);
      }
      const std::vector<hsize_t> scount = cat(cat(wone, {g}), inner);
      h5::write_block(dmean_ds.get(), sstart, scount, dmean);
      h5::write_block(lo_ds.get(), sstart, scount, lo);
      h5::write_block(hi_ds.get(), sstart, scount, hi);
      // submit_chunks copies what it queues: `diff` may be refilled for the next what-if.
    }
  }
  chunks->flush();  // before diff_ds closes
}

void EnsembleWriter::Impl::close() {
  if (chunks) chunks->flush();
  held.clear();
  vars.clear();
  event_cols.clear();
  event_scenario.reset();
  event_replicate.reset();
  event_scale.reset();
  for (auto& s : scales) s.reset();
  scenario_scale.reset();
  whatif_scale.reset();
  replicate_scale.reset();
  quantile_scale.reset();
  if (file.valid()) h5::close_file(file, "closing '" + tmp + "'");
}

void EnsembleWriter::Impl::discard() noexcept {
  chunks.reset();  // drops what was not written
  held.clear();
  vars.clear();
  event_cols.clear();
  event_scenario.reset();
  event_replicate.reset();
  event_scale.reset();
  for (auto& s : scales) s.reset();
  scenario_scale.reset();
  whatif_scale.reset();
  replicate_scale.reset();
  quantile_scale.reset();
  file.reset();
  std::error_code ec;
  std::filesystem::remove(tmp, ec);
}

namespace {

std::unique_ptr<EnsembleWriter::Impl> make_impl(std::string path,
                                                std::vector<const Scenario*> scenarios,
                                                std::vector<std::uint64_t> run_ids, bool comparison,
                                                int threads) {
  auto m = std::make_unique<EnsembleWriter::Impl>();
  m->threads = threads;
  const Scenario& sc = *scenarios.front();
  if (run_ids.empty()) throw std::invalid_argument("EnsembleWriter: no replicates");
  if (sc.turns < 0) throw std::logic_error("EnsembleWriter: negative number of turns");
  if (comparison) {
    const std::vector<const Scenario*> whatifs(scenarios.begin() + 1, scenarios.end());
    if (whatifs.empty()) throw std::invalid_argument("EnsembleWriter: no what-if");
    std::vector<std::string> problems = whatif_label_clashes(whatifs);
    for (const Scenario* w : whatifs)
      for (auto& p : comparison_mismatches(*scenarios[0], *w)) problems.push_back(std::move(p));
    if (!problems.empty())
      throw std::invalid_argument("EnsembleWriter: the scenarios cannot be compared: " +
                                  join_words(problems, "; "));
    m->labels = scenario_labels(whatifs);
  }
  m->comparison = comparison;
  m->path = std::move(path);
  m->tmp = temp_name(m->path);
  m->scenarios = std::move(scenarios);
  m->run_ids = std::move(run_ids);
  m->turns = sc.turns;
  auto size = [&](Dim d) -> hsize_t& { return m->size[static_cast<std::size_t>(d)]; };
  size(Dim::turn) = static_cast<hsize_t>(sc.turns);
  size(Dim::actor) = size(Dim::target) = static_cast<hsize_t>(sc.n_actors());
  size(Dim::channel) = static_cast<hsize_t>(sc.n_channels());
  size(Dim::pole) = static_cast<hsize_t>(sc.n_poles());
  size(Dim::instrument) = kInstrumentCount;
  const std::size_t runs = m->n_scenarios() * m->n_replicates();
  m->next_turn.assign(runs, 0);
  m->ended.assign(runs, 0);
  h5::QuietErrors quiet;
  try {
    m->chunks = std::make_unique<h5::ChunkWriter>(threads, h5::kDeflateLevel);
    m->create();
  } catch (...) {
    if (m->file.valid()) m->discard();  // a temp file we created, not someone else's
    throw;
  }
  return m;
}

}  // namespace

EnsembleWriter::EnsembleWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

EnsembleWriter EnsembleWriter::replicates(std::string path, const Scenario& sc,
                                          std::vector<std::uint64_t> run_ids, int threads) {
  return EnsembleWriter(make_impl(std::move(path), {&sc}, std::move(run_ids), false, threads));
}

EnsembleWriter EnsembleWriter::comparison(std::string path, const Scenario& base,
                                          std::vector<const Scenario*> whatifs,
                                          std::vector<std::uint64_t> run_ids, int threads) {
  whatifs.insert(whatifs.begin(), &base);
  return EnsembleWriter(
      make_impl(std::move(path), std::move(whatifs), std::move(run_ids), true, threads));
}

EnsembleWriter::~EnsembleWriter() {
  if (!impl_ || impl_->finished) return;
  h5::QuietErrors quiet;
  impl_->discard();
}

EnsembleWriter::EnsembleWriter(EnsembleWriter&&) noexcept = default;

void EnsembleWriter::record(int scenario, std::size_t replicate, const World& w) {
  Impl& m = *impl_;
  if (m.finished) throw std::logic_error("EnsembleWriter::record after finish");
  if (scenario < 0 || static_cast<std::size_t>(scenario) >= m.n_scenarios() ||
      replicate >= m.n_replicates())
    throw std::logic_error("EnsembleWriter::record: no run (" + std::to_string(scenario) + ", " +
                           std::to_string(replicate) + ")");
  const std::size_t run = static_cast<std::size_t>(scenario) * m.n_replicates() + replicate;
  if (m.ended[run] != 0 || w.turn != m.next_turn[run] || w.turn >= m.turns)
    throw std::logic_error("EnsembleWriter::record: expected turn " +
                           std::to_string(m.next_turn[run]) + " of " + std::to_string(m.turns) +
                           ", got " + std::to_string(w.turn));
  h5::QuietErrors quiet;
  const auto& vars = run_variables();
  std::vector<hsize_t> lead{replicate};
  if (m.comparison) lead.insert(lead.begin(), static_cast<hsize_t>(scenario));
  const bool last = w.turn + 1 == m.turns;
  for (std::size_t i = 0; i < vars.size(); ++i) {
    const RunVariable& v = vars[i];
    const std::span<double> slab = m.held[i].slot(*m.chunks, lead, static_cast<hsize_t>(w.turn));
    copy_turn(v, w, static_cast<int>(m.size[static_cast<std::size_t>(Dim::channel)]), slab,
              "EnsembleWriter::record");
    m.held[i].filled(*m.chunks, last);
  }
  ++m.next_turn[run];
}

/// The most a checkpoint's turns take in memory while copy_turns reads them.
constexpr hsize_t kCopyGroupBytes = hsize_t{16} << 20;

void EnsembleWriter::copy_turns(int scenario, std::size_t replicate, const std::string& checkpoint,
                                int turns) {
  Impl& m = *impl_;
  if (scenario < 0 || static_cast<std::size_t>(scenario) >= m.n_scenarios() ||
      replicate >= m.n_replicates())
    throw std::logic_error("EnsembleWriter::copy_turns: no such run");
  const std::size_t run = static_cast<std::size_t>(scenario) * m.n_replicates() + replicate;
  if (m.next_turn[run] != 0 || turns < 0 || turns >= m.turns)
    throw std::logic_error("EnsembleWriter::copy_turns: only before the run's first turn");
  h5::QuietErrors quiet;
  constexpr std::string_view kKind = "geosim checkpoint";
  const h5::Handle src =
      h5::read_file(checkpoint, kKind, [&] { return h5::open_file(checkpoint, kKind); });
  std::vector<hsize_t> lead{replicate};
  if (m.comparison) lead.insert(lead.begin(), static_cast<hsize_t>(scenario));
  const auto& vars = run_variables();
  for (std::size_t i = 0; i < vars.size(); ++i) {
    const std::string name(vars[i].name);
    const std::vector<hsize_t> inner = m.shape_of(vars[i].dims);
    const h5::Handle ds = h5::read_file(checkpoint, kKind, [&] {
      h5::Handle d = h5::check(H5Dopen2(src.get(), name.c_str(), H5P_DEFAULT), name);
      const std::vector<hsize_t> shape = h5::shape(d.get());
      if (shape.size() != inner.size() + 1 || shape[0] < static_cast<hsize_t>(turns) ||
          !std::equal(inner.begin(), inner.end(), shape.begin() + 1))
        throw std::runtime_error("'" + name + "' does not have this run's shape");
      return d;
    });
    // A group of turns per read (a read per turn made a fork's replicates a fifth slower at
    // N = 13), at most kCopyGroupBytes; in a chunked source, whole chunks of turns, so each
    // chunk is inflated once. Then one turn at a time through the variable's held turns, as
    // record() writes them.
    const hsize_t per_turn = product(inner);
    hsize_t group = std::max<hsize_t>(1, kCopyGroupBytes / (sizeof(double) * per_turn));
    const h5::Handle dcpl =
        h5::check(H5Dget_create_plist(ds.get()), "reading a creation property list");
    if (H5Pget_layout(dcpl.get()) == H5D_CHUNKED) {
      std::vector<hsize_t> chunk(inner.size() + 1);
      if (H5Pget_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()) >= 0)
        group = std::max<hsize_t>(1, group / chunk[0]) * chunk[0];
    }
    std::vector<hsize_t> start(inner.size() + 1, 0), count = Impl::cat({1}, inner);
    for (int t0 = 0; t0 < turns; t0 += static_cast<int>(group)) {
      start[0] = static_cast<hsize_t>(t0);
      count[0] = std::min<hsize_t>(group, static_cast<hsize_t>(turns - t0));
      const std::vector<double> values =
          h5::read_file(checkpoint, kKind, [&] { return h5::read_block(ds.get(), start, count); });
      for (hsize_t k = 0; k < count[0]; ++k) {
        const std::span<double> slab =
            m.held[i].slot(*m.chunks, lead, static_cast<hsize_t>(t0) + k);
        std::copy_n(values.begin() + static_cast<std::ptrdiff_t>(k * per_turn), per_turn,
                    slab.begin());
        m.held[i].filled(*m.chunks, false);
      }
    }
  }
  m.next_turn[run] = turns;
}

void EnsembleWriter::end_run(int scenario, std::size_t replicate, const World& w) {
  Impl& m = *impl_;
  if (scenario < 0 || static_cast<std::size_t>(scenario) >= m.n_scenarios() ||
      replicate >= m.n_replicates())
    throw std::logic_error("EnsembleWriter::end_run: no such run");
  const std::size_t run = static_cast<std::size_t>(scenario) * m.n_replicates() + replicate;
  if (m.ended[run] != 0) throw std::logic_error("EnsembleWriter::end_run: run ended twice");
  if (m.next_turn[run] != m.turns)
    throw std::logic_error("EnsembleWriter::end_run: " + std::to_string(m.next_turn[run]) + " of " +
                           std::to_string(m.turns) + " turns recorded");
  const Scenario& sc = *m.scenarios[static_cast<std::size_t>(scenario)];
  std::vector<std::string> actor_codes, bloc_codes;
  for (const auto& a : sc.actors) actor_codes.push_back(a.code);
  for (const auto& b : sc.blocs) bloc_codes.push_back(b.code);
  const EventContext ctx{actor_codes, bloc_codes, sc.policy_ids, sc.date_of_turn(0),
                         sc.months_per_turn};
  const auto& cols = event_columns();
  h5::QuietErrors quiet;
  const std::size_t n = w.log.size();
  const auto first = static_cast<std::int32_t>(h5::shape(m.event_scale.get()).at(0));
  ColumnBuffer& buf = m.run_events;
  buf.ints.resize(n);
  for (std::size_t i = 0; i < n; ++i) buf.ints[i] = first + static_cast<std::int32_t>(i);
  h5::append_rows<std::int32_t>(m.event_scale.get(), buf.ints);
  if (m.comparison)
    h5::append_string_rows(
        m.event_scenario.get(),
        std::vector<std::string>(n, m.labels[static_cast<std::size_t>(scenario)]));
  h5::append_rows<std::int64_t>(
      m.event_replicate.get(),
      std::vector<std::int64_t>(n, static_cast<std::int64_t>(m.run_ids[replicate])));
  for (std::size_t c = 0; c < cols.size(); ++c) {
    buf.ints.clear();
    buf.reals.clear();
    buf.strings.clear();
    for (const auto& e : w.log) {
      if (cols[c].as_int != nullptr)
        buf.ints.push_back(cols[c].as_int(e, ctx));
      else if (cols[c].as_double != nullptr)
        buf.reals.push_back(cols[c].as_double(e, ctx));
      else
        buf.strings.push_back(cols[c].as_string(e, ctx));
    }
    const hid_t ds = m.event_cols[c].get();
    if (cols[c].as_int != nullptr)
      h5::append_rows<std::int32_t>(ds, buf.ints);
    else if (cols[c].as_double != nullptr)
      h5::append_rows<double>(ds, buf.reals);
    else
      h5::append_string_rows(ds, buf.strings);
  }
  m.ended[run] = 1;
}

void EnsembleWriter::finish(const ComparisonProvenance& prov) {
  Impl& m = *impl_;
  if (m.finished) throw std::logic_error("EnsembleWriter::finish called twice");
  const auto missing = std::count(m.ended.begin(), m.ended.end(), 0);
  if (missing != 0)
    throw std::logic_error("EnsembleWriter::finish: " + std::to_string(missing) +
                           " run(s) not ended");
  h5::QuietErrors quiet;
  m.size[static_cast<std::size_t>(Dim::event)] = h5::shape(m.event_scale.get()).at(0);
  // Summaries read the values back: write every chunk and close the write handles first.
  m.chunks->flush();
  m.held.clear();
  m.vars.clear();
  for (std::size_t i = 0; i < run_variables().size(); ++i) {
    if (m.comparison)
      m.summarise_comparison(i);
    else
      m.summarise_replicates(i);
  }
  const hid_t root = m.file.get();
  if (m.comparison) {
    h5::write_attr(root, "base_scenario_file", prov.base.scenario_file);
    if (prov.whatif_files.size() + 1 != m.n_scenarios())
      throw std::logic_error("EnsembleWriter::finish: one scenario file per what-if expected");
    if (m.study()) {
      std::vector<std::string> files{prov.base.scenario_file};
      files.insert(files.end(), prov.whatif_files.begin(), prov.whatif_files.end());
      m.add_labels("scenario_file", m.scenario_scale.get(), files,
                   "the scenario's file, as given on the command line");
    } else {
      h5::write_attr(root, "whatif_scenario_file", prov.whatif_files.front());
    }
  } else {
    h5::write_attr(root, "scenario_file", prov.base.scenario_file);
  }
  h5::write_attr(root, "start_time", prov.base.start_time);
  h5::write_attr(root, "wall_seconds", prov.base.wall_seconds);
  h5::write_attr(root, "host", prov.base.host);
  h5::write_attr(root, "command_line", prov.base.command_line);
  if (!prov.base.forked_from.empty()) {
    h5::write_attr(root, "forked_from", prov.base.forked_from);
    h5::write_attr(root, "forked_from_hash", prov.base.forked_from_hash);
    h5::write_attr(root, "forked_at_turn", std::int32_t{prov.base.forked_at});
  }
  if (!prov.base.posterior_file.empty()) {
    h5::write_attr(root, "posterior_file", prov.base.posterior_file);
    h5::Handle ds =
        h5::write_vector(root, "posterior_particle", prov.base.posterior_particle, false);
    h5::attach_scales(ds.get(), {m.replicate_scale.get()});
    h5::write_attr(ds.get(), "units", std::string_view("1"));
    h5::write_attr(ds.get(), "long_name",
                   std::string_view("the calibration particle (last generation) whose parameter "
                                    "values the replicate ran with"));
  }
  m.close();
  h5::publish(m.tmp, m.path);
  m.finished = true;
}

const std::string& EnsembleWriter::path() const {
  return impl_->path;
}
std::string EnsembleWriter::temp_path() const {
  return impl_->tmp;
}

}  // namespace geosim
