// Reading a merged sweep file for its analysis, and writing the indices back into it.
#include <filesystem>

#include <hdf5_hl.h>
#include "core/error.hpp"

#include "output/h5_helpers.hpp"
#include "output/sweep_store.hpp"
#include "output/temp_file.hpp"

namespace geosim {

namespace {

namespace fs = std::filesystem;

std::vector<double> read_all(hid_t loc, const std::string& name) {
  h5::Handle ds = h5::check(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), name);
  const auto s = h5::shape(ds.get());
  return h5::read_block(ds.get(), std::vector<hsize_t>(s.size(), 0), s);
}

}  // namespace

SweepResults read_sweep_results(const std::string& path) {
  constexpr std::string_view kKind = "merged geosim sweep file";
  return h5::read_file(path, kKind, [&] {
    const auto bad = [&](const std::string& why) { return FileError(path, why); };
    const h5::Handle f = h5::open_file(path, kKind);
    const hid_t r = f.get();
    if (h5::format_of(r) != "geosim-sweep")
      throw bad("not a merged geosim sweep file (`geosim sweep merge` writes one)");
    h5::check_version(r, path, 1);
    SweepResults s;
    s.path = path;
    s.name = h5::read_string_attr(r, "name");
    s.design = h5::read_string_attr(r, "design");
    s.plan_hash = h5::read_string_attr(r, "plan_hash");
    s.design_n = static_cast<std::uint64_t>(h5::read_int_attr(r, "design_n"));
    s.replicates = static_cast<int>(h5::read_int_attr(r, "replicates"));
    s.morris_levels = static_cast<int>(h5::read_int_attr(r, "morris_levels"));
    s.seed = static_cast<std::uint64_t>(h5::read_int_attr(r, "seed"));
    s.parameters = h5::read_strings(r, "parameter");
    s.metrics = h5::read_strings(r, "metric");
    if (s.replicates < 1) throw bad("replicates " + std::to_string(s.replicates) + " < 1");
    // Shapes before values: every per-run variable has one value per run, the design one row per
    // point; nothing of another size is read.
    const auto shape_of = [&](const std::string& name) {
      if (!h5::has_dataset(r, name)) throw bad("the dataset '" + name + "' is missing");
      h5::Handle ds = h5::check(H5Dopen2(r, name.c_str(), H5P_DEFAULT), name);
      return h5::shape(ds.get());
    };
    const auto design = shape_of("design_values");
    if (design.size() != 2 || design[1] != s.parameters.size())
      throw bad("design_values is not a (design_point, parameter) table");
    const auto runs = shape_of("status");
    if (runs.size() != 1 || runs[0] != design[0] * static_cast<hsize_t>(s.replicates))
      throw bad("status does not have one value per run (points x replicates)");
    for (const auto& m : s.metrics)
      if (shape_of(m) != runs) throw bad("the metric '" + m + "' does not have one value per run");
    s.point_values = read_all(r, "design_values");
    s.n_points = design[0];
    for (double x : read_all(r, "status")) {
      if (x != 0 && x != 1 && x != 2) throw bad("a run status is not 0, 1 or 2");
      s.status.push_back(static_cast<std::int32_t>(x));
    }
    for (const auto& m : s.metrics) s.values.push_back(read_all(r, m));
    return s;
  });
}

void write_sweep_analysis(const std::string& path, const std::vector<IndexTable>& tables,
                          const std::vector<std::pair<std::string, AttributeValue>>& attributes) {
  h5::QuietErrors quiet;
  const std::string tmp = temp_name(path);
  std::error_code ec;
  (void)remove_stale_temps(path);
  try {
    if (!fs::copy_file(path, tmp, fs::copy_options::overwrite_existing, ec) || ec)
      throw WriteError(tmp, ec.message());
    // The copy is of the file read before: what fails in it but a write means the file is
    // damaged where the reading did not look (a FileError naming it, not an internal error).
    h5::read_file(path, "merged geosim sweep file", [&] {
      h5::Handle f = h5::check(H5Fopen(tmp.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), "opening " + tmp);
      const hid_t r = f.get();
      h5::Handle metric = h5::check(H5Dopen2(r, "metric", H5P_DEFAULT), "metric");
      h5::Handle parameter = h5::check(H5Dopen2(r, "parameter", H5P_DEFAULT), "parameter");
      const hsize_t nm = h5::shape(metric.get())[0], np = h5::shape(parameter.get())[0];
      for (const auto& t : tables) {
        if (H5Lexists(r, t.name.c_str(), H5P_DEFAULT) > 0) {
          // Detach the scales first, so the scales' back references stay consistent.
          h5::Handle old = h5::check(H5Dopen2(r, t.name.c_str(), H5P_DEFAULT), t.name);
          const std::size_t rank = h5::shape(old.get()).size();
          H5DSdetach_scale(old.get(), metric.get(), 0);
          if (rank > 1) H5DSdetach_scale(old.get(), parameter.get(), 1);
          old.reset();
          h5::check_status(H5Ldelete(r, t.name.c_str(), H5P_DEFAULT), "replacing " + t.name);
        }
        h5::Handle ds;
        if (t.per_metric) {
          ds = h5::create_dataset(r, t.name, H5T_IEEE_F64LE, {nm}, false);
          h5::write_block(ds.get(), {0}, {nm}, t.values);
          h5::attach_scales(ds.get(), {metric.get()});
        } else {
          ds = h5::create_dataset(r, t.name, H5T_IEEE_F64LE, {nm, np}, false);
          h5::write_block(ds.get(), {0, 0}, {nm, np}, t.values);
          h5::attach_scales(ds.get(), {metric.get(), parameter.get()});
        }
        h5::write_attr(ds.get(), "units", "1");
        h5::write_attr(ds.get(), "long_name", t.long_name);
      }
      for (const auto& [k, v] : attributes) {
        if (h5::has_attr(r, k)) H5Adelete(r, k.c_str());
        std::visit([&, &k = k](const auto& x) { h5::write_attr(r, k, x); }, v);
      }
      metric.reset();
      parameter.reset();
      h5::close_file(f, "closing " + tmp);
    });
    h5::publish(tmp, path);
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
}

}  // namespace geosim
