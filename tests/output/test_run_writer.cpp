#include <doctest/doctest.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include <filesystem>
#include <stdexcept>

#include "core/text.hpp"
#include "core/version.hpp"
#include "fixture.hpp"
#include "output/h5_helpers.hpp"
#include "output/run_schema.hpp"
#include "output/run_writer.hpp"

namespace fs = std::filesystem;
using namespace geosim;
using geosim::h5::Handle;

namespace {

const std::vector<int> kParticipants = {3, 1, 1};  // KAZ (the host again), CHN twice
const std::vector<int> kTransit = {3, 1};          // KAZ, CHN

void add_events(World& w) {
  w.log.push_back({0, ActionType::economic_aid, Cause::scripted, 0, 3, nullptr, 100.0});
  w.log.push_back({2, ActionType::exercise, Cause::policy, 2, 3, &kParticipants, 500.0});
  w.log.push_back({3, ActionType::sanction, Cause::reaction, 0, 2, &kTransit, 0.5});
  w.log.push_back({3, ActionType::detection, Cause::shock, 3, -1, nullptr, 0.0});
}

/// Writes a complete run of `sc` with the fixture's values; returns the final world.
/// `threads`: RunWriter's compression threads.
World write_run(const std::string& path, const Scenario& sc, bool with_events, int threads = 1) {
  World w = test::sized_world(sc);
  RunWriter writer(path, sc, w, -1, threads);
  for (int t = 0; t < sc.turns; ++t) {
    w.turn = t;
    test::fill_turn(w);
    writer.record(w);
  }
  if (with_events) add_events(w);
  writer.finish(w, test::sample_provenance());
  return w;
}

Handle open_file(const std::string& path) {
  return h5::check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open " + path);
}

Handle open_dataset(hid_t file, const std::string& name) {
  return h5::check(H5Dopen2(file, name.c_str(), H5P_DEFAULT), "open " + name);
}

/// The names of the dimension scales attached to each axis of a dataset.
std::vector<std::string> dimension_names(hid_t dset) {
  std::vector<std::string> names;
  const int rank = static_cast<int>(h5::shape(dset).size());
  for (int axis = 0; axis < rank; ++axis) {
    CHECK(H5DSget_num_scales(dset, static_cast<unsigned>(axis)) == 1);
    std::string name;
    H5DSiterate_scales(
        dset, static_cast<unsigned>(axis), nullptr,
        [](hid_t, unsigned, hid_t scale, void* data) -> herr_t {
          char buf[64] = {};
          H5DSget_scale_name(scale, buf, sizeof buf);
          *static_cast<std::string*>(data) = buf;
          return 1;
        },
        &name);
    names.push_back(name);
  }
  return names;
}

/// Whether an attribute is a scalar variable-length UTF-8 string (h5py reads it as str).
bool is_scalar_vlen_utf8(hid_t obj, const char* name) {
  Handle attr = h5::check(H5Aopen(obj, name, H5P_DEFAULT), name);
  Handle type = h5::check(H5Aget_type(attr.get()), "type");
  Handle space = h5::check(H5Aget_space(attr.get()), "space");
  return H5Tget_class(type.get()) == H5T_STRING && H5Tis_variable_str(type.get()) > 0 &&
         H5Tget_cset(type.get()) == H5T_CSET_UTF8 &&
         H5Sget_simple_extent_type(space.get()) == H5S_SCALAR;
}

/// Every recorded value of every per-turn variable is in the file at its turn and cell.
void check_values(const std::string& path, const Scenario& sc) {
  Handle f = open_file(path);
  const auto k = static_cast<hsize_t>(sc.n_channels());
  for (const auto& v : run_variables()) {
    CAPTURE(v.name);
    Handle ds = open_dataset(f.get(), std::string(v.name));
    const std::vector<hsize_t> shape = h5::shape(ds.get());
    REQUIRE(shape.size() == v.dims.size() + 1);
    CHECK(shape[0] == static_cast<hsize_t>(sc.turns));
    const bool by_channel = v.dims.front() == Dim::channel;
    const std::vector<double> all =
        h5::read_block(ds.get(), std::vector<hsize_t>(shape.size(), 0), shape);
    const std::size_t per_turn = all.size() / shape[0];
    for (int t = 0; t < sc.turns; ++t) {
      const std::size_t per_block = by_channel ? per_turn / k : per_turn;
      for (std::size_t i = 0; i < per_turn; ++i) {
        const int block = by_channel ? static_cast<int>(i / per_block) : 0;
        const long cell = static_cast<long>(i % per_block);
        REQUIRE(all[static_cast<std::size_t>(t) * per_turn + i] ==
                test::cell(test::salt_of(std::string(v.name), block), t, cell));
      }
    }
  }
}

}  // namespace

TEST_CASE("a finished run file holds every recorded value at its turn and cell") {
  const Scenario sc = test::tiny_scenario();
  const std::string path = test::scratch_path("values.h5");
  write_run(path, sc, true);
  REQUIRE(fs::exists(path));
  CHECK_FALSE(fs::exists(path + ".tmp"));
  check_values(path, sc);
  Handle f = open_file(path);
  const auto n = static_cast<hsize_t>(sc.n_actors());
  // One spot check by hand: influence(turn 2, USA, KAZ) = I(0, 3) at turn 2.
  Handle infl = open_dataset(f.get(), "influence");
  CHECK(h5::read_block(infl.get(), {2, 0, 3}, {1, 1, 1}).at(0) == test::cell(1, 2, 0 * n + 3));
}

TEST_CASE("every variable has the netCDF dimensions, units and long_name") {
  const Scenario sc = test::tiny_scenario();
  const std::string path = test::scratch_path("dims.h5");
  write_run(path, sc, true);
  Handle f = open_file(path);

  Handle infl = open_dataset(f.get(), "influence");
  CHECK(dimension_names(infl.get()) == std::vector<std::string>{"turn", "actor", "target"});
  Handle flow = open_dataset(f.get(), "flow");
  CHECK(dimension_names(flow.get()) ==
        std::vector<std::string>{"turn", "channel", "actor", "target"});
  Handle align = open_dataset(f.get(), "alignment");
  CHECK(dimension_names(align.get()) == std::vector<std::string>{"turn", "actor", "pole"});
  Handle spent = open_dataset(f.get(), "budget_spent");
  CHECK(dimension_names(spent.get()) == std::vector<std::string>{"turn", "actor", "instrument"});
  Handle date = open_dataset(f.get(), "date");
  CHECK(dimension_names(date.get()) == std::vector<std::string>{"turn"});
  Handle ev = open_dataset(f.get(), "event_actor");
  CHECK(dimension_names(ev.get()) == std::vector<std::string>{"event"});

  for (const auto& v : run_variables()) {
    CAPTURE(v.name);
    Handle ds = open_dataset(f.get(), std::string(v.name));
    CHECK(is_scalar_vlen_utf8(ds.get(), "units"));
    CHECK(is_scalar_vlen_utf8(ds.get(), "long_name"));
    CHECK(h5::read_string_attr(ds.get(), "units") == v.units);
  }
  Handle gdp = open_dataset(f.get(), "gdp");
  CHECK(h5::read_string_attr(gdp.get(), "units") == "USD bn/yr");

  for (const auto d : kDimNames) {
    CAPTURE(d);
    Handle ds = open_dataset(f.get(), std::string(d));
    CHECK(H5DSis_scale(ds.get()) > 0);
  }
}

TEST_CASE("coordinates hold the scenario's labels and dates") {
  const Scenario sc = test::tiny_scenario();
  const std::string path = test::scratch_path("coords.h5");
  write_run(path, sc, false);
  Handle f = open_file(path);
  const std::vector<std::string> codes = {"USA", "CHN", "RUS", "KAZ"};
  CHECK(h5::read_strings(f.get(), "actor") == codes);
  CHECK(h5::read_strings(f.get(), "target") == codes);
  CHECK(h5::read_strings(f.get(), "actor_name") ==
        std::vector<std::string>{"United States", "China", "Russia", "Kazakhstan"});
  CHECK(h5::read_strings(f.get(), "actor_role") ==
        std::vector<std::string>{"patron", "patron", "patron", "client"});
  CHECK(h5::read_strings(f.get(), "pole") == std::vector<std::string>{"WEST", "EAST"});
  CHECK(h5::read_strings(f.get(), "date") ==
        std::vector<std::string>{"2022-01-01", "2022-02-01", "2022-03-01", "2022-04-01"});
  const auto channels = h5::read_strings(f.get(), "channel");
  REQUIRE(channels.size() == sc.channels.size());
  CHECK(channels.front() == "trade");
  CHECK(h5::read_strings(f.get(), "channel_unit").front() == "USD m/yr");
  CHECK(h5::read_strings(f.get(), "instrument").at(4) == "loans");
  Handle turn = open_dataset(f.get(), "turn");
  CHECK(h5::read_block(turn.get(), {0}, {4}) == std::vector<double>{0, 1, 2, 3});
}

TEST_CASE("the events table has one row per logged event") {
  const Scenario sc = test::tiny_scenario();
  const std::string path = test::scratch_path("events.h5");
  write_run(path, sc, true);
  Handle f = open_file(path);
  CHECK(h5::read_strings(f.get(), "event_actor") ==
        std::vector<std::string>{"USA", "RUS", "USA", "KAZ"});
  CHECK(h5::read_strings(f.get(), "event_action") ==
        std::vector<std::string>{"economic_aid", "exercise", "sanction", "detection"});
  CHECK(h5::read_strings(f.get(), "event_targets") ==
        std::vector<std::string>{"KAZ", "KAZ,CHN", "RUS,KAZ,CHN", ""});
  CHECK(h5::read_strings(f.get(), "event_cause") ==
        std::vector<std::string>{"scripted", "policy", "reaction", "shock"});
  CHECK(h5::read_strings(f.get(), "event_date") ==
        std::vector<std::string>{"2022-01-01", "2022-03-01", "2022-04-01", "2022-04-01"});
  Handle turn = open_dataset(f.get(), "event_turn");
  CHECK(h5::read_block(turn.get(), {0}, {4}) == std::vector<double>{0, 2, 3, 3});
  Handle amount = open_dataset(f.get(), "event_amount");
  CHECK(h5::read_block(amount.get(), {0}, {4}) == std::vector<double>{100, 500, 0.5, 0});
  Handle event = open_dataset(f.get(), "event");
  CHECK(h5::shape(event.get()) == std::vector<hsize_t>{4});
}

TEST_CASE("an empty events log gives size-0 event datasets") {
  const Scenario sc = test::tiny_scenario();
  const std::string path = test::scratch_path("no_events.h5");
  write_run(path, sc, false);
  Handle f = open_file(path);
  for (const auto& c : event_columns()) {
    CAPTURE(c.name);
    Handle ds = open_dataset(f.get(), std::string(c.name));
    CHECK(h5::shape(ds.get()) == std::vector<hsize_t>{0});
  }
  Handle event = open_dataset(f.get(), "event");
  CHECK(h5::shape(event.get()) == std::vector<hsize_t>{0});
  CHECK(H5DSis_scale(event.get()) > 0);
}

TEST_CASE("root attributes record the scenario and provenance") {
  Scenario sc = test::tiny_scenario();
  sc.seed = 0xFFFFFFFFFFFFFFFFull;  // stored as the int64 with the same bits
  const std::string path = test::scratch_path("attrs.h5");
  write_run(path, sc, false);
  Handle f = open_file(path);
  const hid_t root = f.get();
  for (const char* name :
       {"format", "geosim_version", "git_commit", "scenario_name", "scenario_description",
        "scenario_hash", "scenario_yaml", "scenario_file", "start_time", "host", "command_line",
        "hdf5_version", "convention_note", "start_date"}) {
    CAPTURE(name);
    CHECK(is_scalar_vlen_utf8(root, name));
  }
  CHECK(h5::read_string_attr(root, "format") == "geosim-run");
  CHECK(h5::read_int_attr(root, "format_version") == 1);
  CHECK(h5::read_string_attr(root, "geosim_version") == version());
  CHECK(h5::read_string_attr(root, "git_commit") == git_commit());
  CHECK(h5::read_string_attr(root, "scenario_name") == "tiny");
  CHECK(h5::read_string_attr(root, "scenario_description") == sc.description);
  CHECK(h5::read_string_attr(root, "scenario_yaml") == sc.resolved_yaml);
  CHECK(h5::read_string_attr(root, "scenario_hash") == fnv1a_hex(sc.resolved_yaml));
  CHECK(h5::read_string_attr(root, "scenario_file") == "tests/tiny.yaml");
  CHECK(static_cast<std::uint64_t>(h5::read_int_attr(root, "seed")) == sc.seed);
  CHECK(h5::read_int_attr(root, "run_id") == 7);
  CHECK(h5::read_string_attr(root, "start_time") == "2024-05-01T12:00:00Z");
  CHECK(h5::read_double_attr(root, "wall_seconds") == 1.5);
  CHECK(h5::read_string_attr(root, "host") == "testhost");
  CHECK(h5::read_string_attr(root, "command_line") == "geosim run tests/tiny.yaml -o out.h5");
  CHECK(h5::read_string_attr(root, "hdf5_version") == h5::library_version());
  CHECK(h5::read_string_attr(root, "convention_note") == kConventionNote);
  CHECK(h5::read_int_attr(root, "months_per_turn") == 1);
}

/// The layout of a per-turn variable: (layout, chunk shape, filters, deflate level).
struct Layout {
  H5D_layout_t layout;
  std::vector<hsize_t> chunk;
  std::vector<H5Z_filter_t> filters;
  unsigned level = 0;
};
Layout layout_of(hid_t file, const std::string& name) {
  Handle ds = open_dataset(file, name);
  Handle dcpl = h5::check(H5Dget_create_plist(ds.get()), "dcpl");
  Layout l{H5Pget_layout(dcpl.get()), {}, {}};
  if (l.layout == H5D_CHUNKED) {
    l.chunk.resize(h5::shape(ds.get()).size());
    H5Pget_chunk(dcpl.get(), static_cast<int>(l.chunk.size()), l.chunk.data());
  }
  for (int i = 0; i < H5Pget_nfilters(dcpl.get()); ++i) {
    unsigned flags = 0, level = 0;
    std::size_t nelmts = 1;
    l.filters.push_back(H5Pget_filter2(dcpl.get(), static_cast<unsigned>(i), &flags, &nelmts,
                                       &level, 0, nullptr, nullptr));
    if (l.filters.back() == H5Z_FILTER_DEFLATE) l.level = level;
  }
  return l;
}

TEST_CASE(
    "variables of at most 1 MiB are contiguous, larger ones chunked along turns and deflated") {
  {
    const Scenario sc = test::tiny_scenario();  // every variable is small
    const std::string path = test::scratch_path("chunks_small.h5");
    write_run(path, sc, false);
    Handle f = open_file(path);
    for (const auto& v : run_variables()) {
      CAPTURE(v.name);
      const Layout l = layout_of(f.get(), std::string(v.name));
      CHECK(l.layout == H5D_CONTIGUOUS);
      CHECK(l.filters.empty());
    }
  }
  // 800 turns: flow and dependence_channel (4 x 4 x K per turn) pass 1 MiB; the others do not.
  const Scenario sc = test::tiny_scenario(800);
  const auto k = static_cast<hsize_t>(sc.n_channels());
  const hsize_t per_turn = k * 4 * 4 * sizeof(double);
  REQUIRE(800 * per_turn > h5::kChunkBytes);
  const std::string path = test::scratch_path("chunks_large.h5");
  write_run(path, sc, false);
  Handle f = open_file(path);
  for (const char* name : {"flow", "dependence_channel"}) {
    CAPTURE(name);
    const Layout l = layout_of(f.get(), name);
    REQUIRE(l.layout == H5D_CHUNKED);
    CHECK(l.chunk == std::vector<hsize_t>{h5::kChunkBytes / per_turn, k, 4, 4});
    CHECK(l.filters == std::vector<H5Z_filter_t>{H5Z_FILTER_DEFLATE});
    CHECK(l.level == 1);
  }
  CHECK(layout_of(f.get(), "influence").layout == H5D_CONTIGUOUS);
  // Turns are held back a chunk at a time (800 = one whole chunk and a partial one): every
  // value still lands at its turn and cell, whether chunks are compressed on the calling
  // thread or on three others.
  check_values(path, sc);
  const std::string threaded = test::scratch_path("chunks_large_threads.h5");
  write_run(threaded, sc, false, 3);
  check_values(threaded, sc);
  CHECK(fs::file_size(threaded) == fs::file_size(path));
}

TEST_CASE("a run of zero turns is still a valid file") {
  const Scenario sc = test::tiny_scenario(0);
  const std::string path = test::scratch_path("zero_turns.h5");
  write_run(path, sc, false);
  Handle f = open_file(path);
  Handle ds = open_dataset(f.get(), "influence");
  CHECK(h5::shape(ds.get()) == std::vector<hsize_t>{0, 4, 4});
}

// The sample files tests/python/test_run_file.py checks (ctest output.python).
TEST_CASE("write the sample run files for the Python reader tests") {
  const Scenario sc = test::tiny_scenario();
  const fs::path dir = GEOSIM_OUTPUT_TEST_DIR;
  for (const auto& [name, events] :
       {std::pair{"sample_run.h5", true}, std::pair{"sample_run_no_events.h5", false}}) {
    const std::string path = (dir / name).string();
    fs::remove(path);
    write_run(path, sc, events);
    CHECK(fs::exists(path));
  }
}
