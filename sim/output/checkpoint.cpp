#include "output/checkpoint.hpp"

#include "core/error.hpp"
#include "core/text.hpp"
#include "output/h5_helpers.hpp"
#include "output/run_schema.hpp"
#include "output/world_state.hpp"

namespace geosim {

namespace {

constexpr std::string_view kKind = "geosim checkpoint";

h5::Handle open_checkpoint(const std::string& path) {
  const auto bad = [&](const std::string& why) { return FileError(path, why); };
  h5::Handle f = h5::open_file(path, kKind);
  if (h5::format_of(f.get()) != kRunFormat) throw bad("not a geosim run file");
  h5::check_version(f.get(), path, kRunFormatVersion);
  if (!h5::has_attr(f.get(), "checkpoint_turn") ||
      H5Lexists(f.get(), kCheckpointGroup.data(), H5P_DEFAULT) <= 0)
    throw bad(
        "a run file without a checkpoint; write one with `geosim run SCENARIO --checkpoint-at "
        "TURN`");
  return f;
}

}  // namespace

CheckpointInfo read_checkpoint_info(const std::string& path) {
  return h5::read_file(path, kKind, [&] {
    const h5::Handle f = open_checkpoint(path);
    CheckpointInfo c;
    c.path = path;
    c.turn = static_cast<int>(h5::read_int_attr(f.get(), "checkpoint_turn"));
    c.date = h5::read_string_attr(f.get(), "checkpoint_date");
    c.seed = static_cast<std::uint64_t>(h5::read_int_attr(f.get(), "seed"));
    c.run_id = static_cast<std::uint64_t>(h5::read_int_attr(f.get(), "run_id"));
    c.scenario_name = h5::read_string_attr(f.get(), "scenario_name");
    c.scenario_hash = h5::read_string_attr(f.get(), "scenario_hash");
    c.history_yaml = h5::read_string_attr(f.get(), "checkpoint_history_yaml");
    if (h5::has_attr(f.get(), "checkpoint_history_hash") &&
        static_cast<std::uint64_t>(h5::read_int_attr(f.get(), "checkpoint_history_hash")) !=
            std::stoull(fnv1a_hex(c.history_yaml), nullptr, 16))
      throw FileError(path, "damaged: its recorded scenario history does not match its hash");
    return c;
  });
}

World read_checkpoint_world(const std::string& path, const Scenario& sc) {
  return h5::read_file(path, kKind, [&] {
    const h5::Handle f = open_checkpoint(path);
    const h5::Handle g =
        h5::check(H5Gopen2(f.get(), kCheckpointGroup.data(), H5P_DEFAULT), "opening the state");
    World w = make_world(sc);
    read_world_state(g.get(), w, sc);
    // The events table is not needed (the state holds the log), but a fork takes over the
    // whole file: damage to it is reported, not passed over.
    for (const EventColumn& col : event_columns()) {
      const std::string name(col.name);
      if (col.as_string != nullptr) {
        (void)h5::read_strings(f.get(), name);
        continue;
      }
      const h5::Handle ds = h5::check(H5Dopen2(f.get(), name.c_str(), H5P_DEFAULT), name);
      const std::vector<hsize_t> shape = h5::shape(ds.get());
      (void)h5::read_block(ds.get(), std::vector<hsize_t>(shape.size(), 0), shape);
    }
    return w;
  });
}

}  // namespace geosim
