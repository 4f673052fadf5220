// The merged sweep file: one `run` dimension, the design parameters, point and replicate as
// coordinates, every metric as a (run) variable, trajectories as (run, sample, ...).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>

#include "core/error.hpp"
#include "core/version.hpp"
#include "output/h5_helpers.hpp"
#include "output/sweep_attributes.hpp"
#include "output/sweep_pack.hpp"
#include "output/sweep_store.hpp"
#include "output/temp_file.hpp"

namespace geosim {

namespace {

namespace fs = std::filesystem;

/// Values written (or read) at a time by the loops of merge_sweep that are not per chunk.
constexpr hsize_t kBlock = 8192;
/// Runs, and bytes of trajectories, that the merge holds at a time.
constexpr std::uint64_t kMergeBlockRuns = 65536, kMergeBlockBytes = std::uint64_t{64} << 20;

/// Fills a 1-D integer dataset of n values with 0, 1, ..., n - 1, a block at a time.
void write_counting(hid_t ds, hsize_t n) {
  std::vector<std::int64_t> v;
  for (hsize_t first = 0; first < n; first += kBlock) {
    v.resize(std::min<hsize_t>(kBlock, n - first));
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::int64_t>(first + i);
    h5::write_block(ds, {first}, {v.size()}, v);
  }
}

/// What the scan of the packs found wrong, if anything: the first note (naming its pack).
std::string why_missing(const SweepChunks& committed, const std::string& dir) {
  if (committed.notes().empty()) return "";
  const std::size_t more = committed.notes().size() - 1;
  return "; " + committed.notes().front() +
         (more > 0 ? " (and " + std::to_string(more) + " more: `geosim sweep status " + dir +
                         "` lists them)"
                   : "");
}

void attrs(hid_t ds, std::string_view units, std::string_view long_name) {
  if (!units.empty()) h5::write_attr(ds, "units", units);
  h5::write_attr(ds, "long_name", long_name);
}

}  // namespace

MergeCounts merge_sweep(
    const std::string& dir, const SweepLayout& l, const std::string& out, bool allow_missing,
    const std::function<void(std::uint64_t done, std::uint64_t total)>& runs_merged) {
  h5::QuietErrors quiet;
  std::error_code ec;
  const std::uint64_t chunks = l.n_chunks();
  const SweepChunks committed(dir, l);
  std::vector<std::uint64_t> missing;
  for (std::uint64_t c = 0; c < chunks; ++c)
    if (!committed.has(c)) missing.push_back(c);
  if (!missing.empty() && !allow_missing) {
    std::string list;
    for (std::size_t i = 0; i < missing.size() && i < 8; ++i)
      list += (i ? ", " : "") + std::to_string(missing[i]);
    throw InputError(Location{dir, 0, 0}, "",
                     std::to_string(missing.size()) + " of " + std::to_string(chunks) +
                         " chunks are not done (" + list + (missing.size() > 8 ? ", ..." : "") +
                         ")" + why_missing(committed, dir) +
                         ": run the sweep to the end (`geosim sweep run` resumes), or merge with "
                         "--allow-missing");
  }
  const std::string tmp = temp_name(out);
  MergeCounts counts;
  try {
    h5::Handle f = h5::create_file(tmp);
    const hid_t r = f.get();
    h5::write_attr(r, "format", "geosim-sweep");
    h5::write_attr(r, "format_version", std::int32_t{1});
    write_sweep_attributes(r, l);  // the plan's description, as plan.h5 has it

    const hsize_t n = l.n_runs, np = l.parameters.size();
    // The plan's point values, read a block at a time.
    const std::string plan_path = (fs::path(dir) / "plan.h5").string();
    constexpr std::string_view kPlanKind = "geosim sweep plan";
    const h5::Handle plan = h5::open_file(plan_path, kPlanKind);
    if (!h5::has_attr(plan.get(), "plan_hash") ||
        h5::read_string_attr(plan.get(), "plan_hash") != l.plan_hash)
      throw InputError(Location{plan_path, 0, 0}, "",
                       "not the plan being merged (hash " + l.plan_hash + ")");
    const h5::Handle plan_points = h5::read_file(plan_path, kPlanKind, [&] {
      return h5::check(H5Dopen2(plan.get(), "point_values", H5P_DEFAULT), "point_values");
    });
    if (h5::shape(plan_points.get()) != std::vector<hsize_t>{l.n_points, np})
      throw InputError(
          Location{plan_path, 0, 0}, "point_values",
          "expected " + std::to_string(l.n_points) + " x " + std::to_string(np) + " values");
    // Dimensions (written a block at a time, as everything below).
    h5::Handle run = h5::create_dataset(r, "run", H5T_STD_I64LE, {n}, true, kSweepChunkBytes);
    write_counting(run.get(), n);
    h5::make_scale(run.get(), "run");
    attrs(run.get(), "1", "run id (the second key of the run's random numbers)");
    h5::Handle parameter = h5::write_strings(r, "parameter", l.parameters);
    h5::make_scale(parameter.get(), "parameter");
    attrs(parameter.get(), "", "design parameter");
    h5::Handle metric = h5::write_strings(r, "metric", l.metrics);
    h5::make_scale(metric.get(), "metric");
    attrs(metric.get(), "", "summary metric");
    h5::Handle point =
        h5::create_dataset(r, "design_point", H5T_STD_I64LE, {l.n_points}, true, kSweepChunkBytes);
    write_counting(point.get(), l.n_points);
    h5::make_scale(point.get(), "design_point");
    attrs(point.get(), "1", "design point (row of the design)");
    {
      h5::Handle p = h5::write_strings(r, "parameter_path", l.parameter_paths);
      h5::attach_scales(p.get(), {parameter.get()});
      attrs(p.get(), "", "where the parameter is in the scenario");
      h5::Handle u = h5::write_strings(r, "parameter_unit", l.parameter_units);
      h5::attach_scales(u.get(), {parameter.get()});
      attrs(u.get(), "", "unit of the parameter's values");
      h5::Handle dv = h5::create_dataset(r, "design_values", H5T_IEEE_F64LE, {l.n_points, np}, true,
                                         kSweepChunkBytes);
      for (hsize_t first = 0; first < l.n_points; first += kBlock) {
        const hsize_t count = std::min<hsize_t>(kBlock, l.n_points - first);
        h5::write_block(dv.get(), {first, 0}, {count, np}, h5::read_file(plan_path, kPlanKind, [&] {
                          auto v = h5::read_block(plan_points.get(), {first, 0}, {count, np});
                          for (double x : v)
                            if (!std::isfinite(x))
                              throw std::runtime_error("a point value is not finite");
                          return v;
                        }));
      }
      h5::attach_scales(dv.get(), {point.get(), parameter.get()});
      attrs(dv.get(), "mixed: see parameter_unit", "parameter values of each design point");
    }

    // Per-run variables.
    std::string coordinates = "point replicate";
    for (const auto& p : l.parameters) coordinates += " " + p;
    const auto per_run = [&](const std::string& name, hid_t type, std::string_view units,
                             std::string_view long_name) {
      h5::Handle ds = h5::create_dataset(r, name, type, {n}, true, kSweepChunkBytes);
      h5::attach_scales(ds.get(), {run.get()});
      attrs(ds.get(), units, long_name);
      return ds;
    };
    h5::Handle point_of = per_run("point", H5T_STD_I64LE, "1", "design point of the run");
    h5::Handle replicate = per_run("replicate", H5T_STD_I32LE, "1", "replicate of the run");
    std::vector<h5::Handle> params;
    for (std::size_t k = 0; k < np; ++k)
      params.push_back(per_run(l.parameters[k], H5T_IEEE_F64LE, l.parameter_units[k],
                               "parameter " + l.parameter_paths[k]));
    h5::Handle status =
        per_run("status", H5T_STD_I32LE, "", "run status: 0 ok, 1 failed, 2 missing");
    h5::write_attr(status.get(), "flag_meanings", "ok failed missing");
    h5::Handle message = h5::create_strings(r, "message", n);
    h5::attach_scales(message.get(), {run.get()});
    attrs(message.get(), "", "why the run failed (empty if it did not)");
    std::vector<h5::Handle> metrics;
    for (std::size_t m = 0; m < l.metrics.size(); ++m) {
      metrics.push_back(
          per_run(l.metrics[m], H5T_IEEE_F64LE, l.metric_units[m], l.metric_long_names[m]));
      h5::write_attr(metrics.back().get(), "coordinates", coordinates);
    }

    // Trajectories.
    std::vector<h5::Handle> trajs;
    std::map<std::string, h5::Handle> label_dims;
    h5::Handle sample;
    if (!l.trajectories.empty()) {
      std::vector<std::int32_t> turns(l.trajectory_turns.begin(), l.trajectory_turns.end());
      sample = h5::write_vector(r, "sample", turns, false);
      h5::make_scale(sample.get(), "sample");
      attrs(sample.get(), "1", "turn of the trajectory sample");
      h5::Handle dates = h5::write_strings(r, "sample_date", l.trajectory_dates);
      h5::attach_scales(dates.get(), {sample.get()});
      attrs(dates.get(), "", "date of the sampled turn (ISO 8601)");
      for (const auto& t : l.trajectories) {
        std::vector<hsize_t> shape{n, l.trajectory_turns.size()};
        std::vector<hid_t> scales{run.get(), sample.get()};
        for (std::size_t j = 0; j < t.dim_names.size(); ++j) {
          auto it = label_dims.find(t.dim_names[j]);
          if (it == label_dims.end()) {
            h5::Handle d = h5::write_strings(r, t.dim_names[j], t.dim_labels[j]);
            h5::make_scale(d.get(), t.dim_names[j]);
            attrs(d.get(), "", t.dim_names[j] + " label");
            if (t.dim_names[j] == "actor" && l.actor_names.size() == t.dim_labels[j].size()) {
              // As in a run file: the full names as an auxiliary coordinate.
              h5::Handle names = h5::write_strings(r, "actor_name", l.actor_names);
              h5::attach_scales(names.get(), {d.get()});
              attrs(names.get(), "", "actor's full name");
            }
            it = label_dims.emplace(t.dim_names[j], std::move(d)).first;
          }
          shape.push_back(t.dim_labels[j].size());
          scales.push_back(it->second.get());
        }
        h5::Handle ds = h5::create_dataset(r, t.name + "_trajectory", H5T_IEEE_F64LE, shape, true,
                                           kSweepChunkBytes);
        h5::attach_scales(ds.get(), scales);
        attrs(ds.get(), t.units, t.long_name + ", every few turns");
        const bool by_actor =
            std::find(t.dim_names.begin(), t.dim_names.end(), "actor") != t.dim_names.end();
        h5::write_attr(
            ds.get(), "coordinates",
            coordinates + (by_actor && label_dims.count("actor") && h5::has_dataset(r, "actor_name")
                               ? " actor_name"
                               : ""));
        trajs.push_back(std::move(ds));
      }
    }

    // Fill a block of whole chunks at a time: one write per variable and block, whatever the
    // chunk size (a write per chunk and variable made the merge of 10^6 runs take minutes).
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::size_t m_count = metrics.size(), tr = l.trajectory_size();
    const std::uint64_t per_block = std::max<std::uint64_t>(
        1, std::min<std::uint64_t>(kMergeBlockRuns / static_cast<std::uint64_t>(l.chunk),
                                   kMergeBlockBytes / (8 * std::max<std::size_t>(tr, 1) *
                                                       static_cast<std::uint64_t>(l.chunk))));
    std::vector<std::int64_t> pts, reps, st;
    std::vector<std::string> msgs;
    std::vector<double> mv, tv, v;
    for (std::uint64_t c0 = 0; c0 < chunks; c0 += per_block) {
      const std::uint64_t c1 = std::min(chunks, c0 + per_block);
      const hsize_t first = l.chunk_first(c0),
                    count = l.chunk_first(c1 - 1) + l.chunk_count(c1 - 1) - first;
      pts.resize(count);
      reps.resize(count);
      st.assign(count, static_cast<std::int64_t>(RunStatus::missing));
      msgs.assign(count, std::string());
      mv.assign(m_count * count, nan);  // metric-major
      tv.assign(tr * count, nan);       // run-major
      for (hsize_t i = 0; i < count; ++i) {
        const std::uint64_t id = first + i;
        pts[i] = static_cast<std::int64_t>(id / static_cast<std::uint64_t>(l.replicates));
        reps[i] = static_cast<std::int64_t>(id % static_cast<std::uint64_t>(l.replicates));
      }
      for (std::uint64_t c = c0; c < c1; ++c) {
        const auto records = committed.has(c) ? committed.read(c) : std::nullopt;
        const hsize_t at = l.chunk_first(c) - first;
        if (!records) {
          if (committed.has(c) && !allow_missing)
            throw InputError(Location{dir, 0, 0}, "",
                             "chunk " + std::to_string(c) +
                                 " is damaged in every pack that holds it (" +
                                 committed.notes().back() +
                                 "): run the sweep again (`geosim sweep run` reruns it), or "
                                 "merge with --allow-missing");
          counts.missing += l.chunk_count(c);
          continue;
        }
        for (std::size_t i = 0; i < records->size(); ++i) {
          const auto& x = (*records)[i];
          st[at + i] = static_cast<std::int64_t>(x.ok ? RunStatus::ok : RunStatus::failed);
          msgs[at + i] = x.message;
          ++(x.ok ? counts.ok : counts.failed);
          for (std::size_t m = 0; m < m_count; ++m) mv[m * count + at + i] = x.metrics[m];
          std::copy(x.trajectory.begin(), x.trajectory.end(),
                    tv.begin() + static_cast<long>((at + i) * tr));
        }
      }
      h5::write_block(point_of.get(), {first}, {count}, pts);
      h5::write_block(replicate.get(), {first}, {count}, reps);
      h5::write_block(status.get(), {first}, {count}, st);
      // Empty messages stay unwritten (null strings, which every reader returns as ""): a
      // write of variable-length strings costs heap space even when they are empty.
      if (std::any_of(msgs.begin(), msgs.end(), [](const auto& m) { return !m.empty(); }))
        h5::write_string_rows(message.get(), first, msgs);
      const auto p0 = static_cast<hsize_t>(pts.front());
      const std::vector<double> point_values = h5::read_block(
          plan_points.get(), {p0, 0}, {static_cast<hsize_t>(pts.back()) - p0 + 1, np});
      v.resize(count);
      for (std::size_t k = 0; k < np; ++k) {
        for (hsize_t i = 0; i < count; ++i)
          v[i] = point_values[(static_cast<hsize_t>(pts[i]) - p0) * np + k];
        h5::write_block(params[k].get(), {first}, {count}, v);
      }
      for (std::size_t m = 0; m < m_count; ++m)
        h5::write_block(metrics[m].get(), {first}, {count},
                        std::span<const double>(mv).subspan(m * count, count));
      std::size_t offset = 0;
      for (std::size_t t = 0; t < trajs.size(); ++t) {
        const std::size_t size = l.trajectories[t].cells * l.trajectory_turns.size();
        v.resize(count * size);
        for (hsize_t i = 0; i < count; ++i)
          std::copy_n(tv.begin() + static_cast<long>(i * tr + offset), size,
                      v.begin() + static_cast<long>(i * size));
        std::vector<hsize_t> start{first, 0}, cnt{count, l.trajectory_turns.size()};
        for (const auto& labels : l.trajectories[t].dim_labels) {
          start.push_back(0);
          cnt.push_back(labels.size());
        }
        h5::write_block(trajs[t].get(), start, cnt, v);
        offset += size;
      }
      if (runs_merged) runs_merged(first + count, n);
    }
    counts.notes = committed.notes();
    h5::write_attr(r, "runs_ok", static_cast<std::int64_t>(counts.ok));
    h5::write_attr(r, "runs_failed", static_cast<std::int64_t>(counts.failed));
    h5::write_attr(r, "runs_missing", static_cast<std::int64_t>(counts.missing));
    trajs.clear();
    metrics.clear();
    params.clear();
    h5::close_file(f, "closing '" + tmp + "'");
    h5::publish(tmp, out);
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
  return counts;
}

}  // namespace geosim
