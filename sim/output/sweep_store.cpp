#include "output/sweep_store.hpp"
#include "output/sweep_attributes.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <limits>

#include "core/error.hpp"
#include "core/version.hpp"
#include "output/h5_helpers.hpp"
#include "output/temp_file.hpp"

namespace geosim {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPlanFormat = "geosim-sweep-plan";
constexpr std::string_view kSweepFormat = "geosim-sweep";
constexpr std::int32_t kSweepFormatVersion = 1;
constexpr std::string_view kPlanKind = "geosim sweep plan";
/// The most runs a plan file may claim (the sweep planner refuses more than 10^9).
constexpr std::uint64_t kMaxPlanRuns = 1'000'000'000;
/// Design points written at a time.
constexpr std::uint64_t kPointBlock = 8192;

[[noreturn]] void bad_file(const std::string& path, const std::string& why) {
  throw InputError(Location{path, 0, 0}, "", why);
}

/// A plan hash as geosim writes it: 16 hexadecimal digits (a damaged one is not printed).
bool is_hash(const std::string& h) {
  return h.size() == 16 && std::all_of(h.begin(), h.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::vector<double> read_all(hid_t loc, const char* name) {
  h5::Handle ds = h5::check(H5Dopen2(loc, name, H5P_DEFAULT), name);
  const auto s = h5::shape(ds.get());
  return h5::read_block(ds.get(), std::vector<hsize_t>(s.size(), 0), s);
}

void write_strings_attr_list(hid_t loc, const std::string& name,
                             const std::vector<std::string>& v) {
  (void)h5::write_strings(loc, name, v);
}

}  // namespace

void write_sweep_attributes(hid_t f, const SweepLayout& l) {
  h5::write_attr(f, "name", l.name);
  h5::write_attr(f, "description", l.description);
  h5::write_attr(f, "plan_hash", l.plan_hash);
  h5::write_attr(f, "sweep_yaml", l.sweep_yaml);
  h5::write_attr(f, "model", l.model);
  h5::write_attr(f, "design", l.design);
  h5::write_attr(f, "design_n", static_cast<std::int64_t>(l.design_n));
  h5::write_attr(f, "morris_levels", std::int32_t{l.morris_levels});
  h5::write_attr(f, "scenario_name", l.scenario_name);
  h5::write_attr(f, "scenario_hash", l.scenario_hash);
  h5::write_attr(f, "scenario_yaml", l.scenario_yaml);
  h5::write_attr(f, "seed", static_cast<std::int64_t>(l.seed));
  h5::write_attr(f, "replicates", std::int32_t{l.replicates});
  h5::write_attr(f, "chunk", std::int32_t{l.chunk});
  h5::write_attr(f, "runs", static_cast<std::int64_t>(l.n_runs));
  h5::write_attr(f, "points", static_cast<std::int64_t>(l.n_points));
  h5::write_attr(f, "geosim_version", version());
  h5::write_attr(f, "git_commit", git_commit());
  h5::write_attr(f, "hdf5_version", h5::library_version());
  h5::write_attr(f, "rng_note",
                 "run r uses the random key (seed, r); run r is replicate r % replicates of "
                 "point r / replicates");
}

std::uint64_t SweepLayout::chunk_count(std::uint64_t c) const {
  const std::uint64_t first = chunk_first(c);
  return first >= n_runs
             ? 0
             : std::min<std::uint64_t>(static_cast<std::uint64_t>(chunk), n_runs - first);
}

std::size_t SweepLayout::trajectory_size() const {
  std::size_t n = 0;
  for (const auto& t : trajectories) n += t.cells * trajectory_turns.size();
  return n;
}

// --- plan.h5 ---------------------------------------------------------------------------------

bool write_sweep_plan(const std::string& path, const SweepLayout& l, const PointValues& points) {
  h5::QuietErrors quiet;
  std::error_code ec;
  if (fs::exists(path, ec)) {
    const SweepLayout old = read_sweep_plan(path);
    if (old.plan_hash != l.plan_hash)
      throw InputError(
          Location{path, 0, 0}, "",
          "this folder holds another sweep's plan (hash " + old.plan_hash + ", this sweep's is " +
              l.plan_hash +
              "): the sweep file, its scenario or the geosim build differ; use another folder, or "
              "remove this one to start again");
    return false;
  }
  fs::create_directories(fs::path(path).parent_path(), ec);
  // A per-process temp name: array tasks may write the same plan at the same time; the
  // rename is atomic and the contents equal.
  const std::string tmp = temp_name(path);
  try {
    h5::Handle f = h5::create_file(tmp);
    h5::write_attr(f.get(), "format", kPlanFormat);
    h5::write_attr(f.get(), "format_version", kSweepFormatVersion);
    write_sweep_attributes(f.get(), l);
    write_strings_attr_list(f.get(), "parameter", l.parameters);
    write_strings_attr_list(f.get(), "parameter_path", l.parameter_paths);
    write_strings_attr_list(f.get(), "parameter_unit", l.parameter_units);
    write_strings_attr_list(f.get(), "metric", l.metrics);
    write_strings_attr_list(f.get(), "metric_unit", l.metric_units);
    write_strings_attr_list(f.get(), "metric_long_name", l.metric_long_names);
    {
      const std::size_t np = l.parameters.size();
      h5::Handle ds = h5::create_dataset(f.get(), "point_values", H5T_IEEE_F64LE, {l.n_points, np},
                                         true, kSweepChunkBytes);
      std::vector<double> block;
      for (std::uint64_t first = 0; first < l.n_points; first += kPointBlock) {
        const auto count = static_cast<std::size_t>(std::min(kPointBlock, l.n_points - first));
        block.resize(count * np);
        points(first, count, block);
        h5::write_block(ds.get(), {first, 0}, {count, np}, block);
      }
    }
    std::vector<std::int32_t> turns(l.trajectory_turns.begin(), l.trajectory_turns.end());
    (void)h5::write_vector(f.get(), "trajectory_turn", turns, false);
    write_strings_attr_list(f.get(), "trajectory_date", l.trajectory_dates);
    write_strings_attr_list(f.get(), "actor_name", l.actor_names);
    for (std::size_t i = 0; i < l.trajectories.size(); ++i) {
      const auto& t = l.trajectories[i];
      const std::string p = "trajectory_" + std::to_string(i);
      h5::Handle g = h5::check(
          H5Gcreate2(f.get(), p.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "a group");
      h5::write_attr(g.get(), "name", t.name);
      h5::write_attr(g.get(), "units", t.units);
      h5::write_attr(g.get(), "long_name", t.long_name);
      write_strings_attr_list(g.get(), "dims", t.dim_names);
      for (std::size_t j = 0; j < t.dim_labels.size(); ++j)
        write_strings_attr_list(g.get(), "labels_" + std::to_string(j), t.dim_labels[j]);
    }
    h5::close_file(f, "closing '" + tmp + "'");
    h5::publish(tmp, path);
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
  return true;
}

namespace {

/// The plan's counts and lists agree with each other and stay within the limits a plan can have,
/// so nothing later divides by zero or indexes past a list.
void check_layout(const std::string& path, const SweepLayout& l) {
  const auto bad = [&](const std::string& why) { bad_file(path, "inconsistent plan: " + why); };
  if (!is_hash(l.plan_hash)) bad_file(path, "damaged (its plan_hash is not 16 hexadecimal digits)");
  if (l.chunk < 1) bad("chunk " + std::to_string(l.chunk) + " < 1");
  if (l.replicates < 1) bad("replicates " + std::to_string(l.replicates) + " < 1");
  if (l.n_runs > kMaxPlanRuns) bad(std::to_string(l.n_runs) + " runs");
  if (l.n_runs != l.n_points * static_cast<std::uint64_t>(l.replicates))
    bad(std::to_string(l.n_runs) + " runs for " + std::to_string(l.n_points) + " points x " +
        std::to_string(l.replicates) + " replicates");
  if (l.parameter_paths.size() != l.parameters.size() ||
      l.parameter_units.size() != l.parameters.size())
    bad("parameter, parameter_path and parameter_unit differ in length");
  if (l.metric_units.size() != l.metrics.size() || l.metric_long_names.size() != l.metrics.size())
    bad("metric, metric_unit and metric_long_name differ in length");
  if (l.trajectory_dates.size() != l.trajectory_turns.size())
    bad("trajectory_turn and trajectory_date differ in length");
  for (const auto& t : l.trajectories)
    if (t.dim_labels.size() != t.dim_names.size() || t.dim_names.size() > 2)
      bad("trajectory '" + t.name + "' has " + std::to_string(t.dim_names.size()) + " dimensions");
}

}  // namespace

SweepLayout read_sweep_plan(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec))
    bad_file(path, "no sweep plan here (run `geosim sweep plan` or `geosim sweep run` first)");
  return h5::read_file(path, kPlanKind, [&] {
    const h5::Handle f = h5::open_file(path, kPlanKind);
    if (h5::format_of(f.get()) != kPlanFormat) bad_file(path, "not a geosim sweep plan");
    h5::check_version(f.get(), path, kSweepFormatVersion);
    SweepLayout l;
    const hid_t r = f.get();
    l.name = h5::read_string_attr(r, "name");
    l.description = h5::read_string_attr(r, "description");
    l.plan_hash = h5::read_string_attr(r, "plan_hash");
    l.sweep_yaml = h5::read_string_attr(r, "sweep_yaml");
    l.model = h5::read_string_attr(r, "model");
    l.design = h5::read_string_attr(r, "design");
    l.design_n = static_cast<std::uint64_t>(h5::read_int_attr(r, "design_n"));
    l.morris_levels = static_cast<int>(h5::read_int_attr(r, "morris_levels"));
    l.scenario_name = h5::read_string_attr(r, "scenario_name");
    l.scenario_hash = h5::read_string_attr(r, "scenario_hash");
    l.scenario_yaml = h5::read_string_attr(r, "scenario_yaml");
    l.seed = static_cast<std::uint64_t>(h5::read_int_attr(r, "seed"));
    l.replicates = static_cast<int>(h5::read_int_attr(r, "replicates"));
    l.chunk = static_cast<int>(h5::read_int_attr(r, "chunk"));
    l.n_runs = static_cast<std::uint64_t>(h5::read_int_attr(r, "runs"));
    l.n_points = static_cast<std::uint64_t>(h5::read_int_attr(r, "points"));
    l.parameters = h5::read_strings(r, "parameter");
    l.parameter_paths = h5::read_strings(r, "parameter_path");
    l.parameter_units = h5::read_strings(r, "parameter_unit");
    l.metrics = h5::read_strings(r, "metric");
    l.metric_units = h5::read_strings(r, "metric_unit");
    l.metric_long_names = h5::read_strings(r, "metric_long_name");
    for (double t : read_all(r, "trajectory_turn")) {
      const auto turn = h5::whole_in(t, 0, std::numeric_limits<int>::max());
      if (!turn) bad_file(path, "a trajectory turn is not a whole, non-negative number");
      l.trajectory_turns.push_back(static_cast<int>(*turn));
    }
    l.trajectory_dates = h5::read_strings(r, "trajectory_date");
    if (h5::has_dataset(r, "actor_name")) l.actor_names = h5::read_strings(r, "actor_name");
    for (std::size_t i = 0;; ++i) {
      const std::string p = "trajectory_" + std::to_string(i);
      if (H5Lexists(r, p.c_str(), H5P_DEFAULT) <= 0) break;
      h5::Handle g = h5::check(H5Gopen2(r, p.c_str(), H5P_DEFAULT), "a group");
      SweepLayout::Trajectory t;
      t.name = h5::read_string_attr(g.get(), "name");
      t.units = h5::read_string_attr(g.get(), "units");
      t.long_name = h5::read_string_attr(g.get(), "long_name");
      t.dim_names = h5::read_strings(g.get(), "dims");
      t.cells = 1;
      for (std::size_t j = 0; j < t.dim_names.size(); ++j) {
        t.dim_labels.push_back(h5::read_strings(g.get(), "labels_" + std::to_string(j)));
        t.cells *= t.dim_labels.back().size();
      }
      l.trajectories.push_back(std::move(t));
    }
    check_layout(path, l);
    return l;
  });
}

}  // namespace geosim
