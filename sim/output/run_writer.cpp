#include "output/run_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <filesystem>
#include <stdexcept>
#include <type_traits>

#include "core/text.hpp"
#include "core/version.hpp"
#include "output/chunk_writer.hpp"
#include "output/h5_helpers.hpp"
#include "output/run_schema.hpp"
#include "output/temp_file.hpp"
#include "output/world_state.hpp"

namespace geosim {

namespace {

/// Compressed (chunked, deflate) only above 1 MiB, as the run variables: a chunked dataset
/// costs more to create than a small one saves (the events table and the coordinates are a
/// few KB in most runs).
template <class T>
bool worth_compressing(const std::vector<T>& v) {
  return v.size() * sizeof(T) > h5::kChunkBytes;
}

std::vector<std::string> channel_names(const Scenario& sc) {
  std::vector<std::string> v;
  for (const auto& c : sc.channels) v.push_back(c.name);
  return v;
}

}  // namespace

struct RunWriter::Impl {
  std::string path;
  std::string tmp;
  int turns = 0;
  std::array<hsize_t, kDimNames.size()> size{};  ///< length of each Dim (event set in finish)
  std::vector<std::string> actor_codes;
  std::vector<std::string> bloc_codes;
  std::vector<std::string> policy_ids;
  Date start;
  int months_per_turn = 1;
  int next_turn = 0;
  bool finished = false;

  h5::Handle file;
  std::array<h5::Handle, kDimNames.size()> scales;  ///< event created by finish()
  std::vector<h5::Handle> vars;                     ///< parallel to run_variables()
  /// Turns held back per variable, parallel to `vars`: a variable of at most kChunkBytes is
  /// contiguous and written once; a chunked one is written a chunk at a time, compressed on
  /// `chunks`' threads (one HDF5 call per chunk instead of one per turn and channel).
  std::vector<h5::HeldTurns> held;
  std::unique_ptr<h5::ChunkWriter> chunks;

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

  /// Creates dimension `d` with its coordinate values.
  template <class T>
  void add_dimension(Dim d, const std::vector<T>& values, std::string_view long_name) {
    const auto name = kDimNames[static_cast<std::size_t>(d)];
    h5::Handle ds;
    if constexpr (std::is_same_v<T, std::string>)
      ds = h5::write_strings(file.get(), name, values);
    else
      ds = h5::write_vector(file.get(), name, values, worth_compressing(values));
    h5::make_scale(ds.get(), name);
    h5::write_attr(ds.get(), "long_name", long_name);
    if constexpr (!std::is_same_v<T, std::string>) h5::write_attr(ds.get(), "units", "1");
    scales[static_cast<std::size_t>(d)] = std::move(ds);
  }

  /// A string variable over one dimension (auxiliary coordinate, e.g. actor_name(actor)).
  void add_labels(std::string_view name, Dim d, const std::vector<std::string>& values,
                  std::string_view long_name) {
    h5::Handle ds = h5::write_strings(file.get(), name, values);
    h5::attach_scales(ds.get(), scales_of({d}));
    h5::write_attr(ds.get(), "long_name", long_name);
  }

  void create(const Scenario& sc);
  void write_events(const World& w);
  void write_provenance(const Provenance& prov);
  void close();
  /// Closes without checking and deletes the temp file: the run did not finish.
  void discard() noexcept;
};

void RunWriter::Impl::create(const Scenario& sc) {
  file = h5::create_file(tmp);

  const hid_t root = file.get();
  h5::write_attr(root, "format", kRunFormat);
  h5::write_attr(root, "format_version", std::int32_t{kRunFormatVersion});
  h5::write_attr(root, "geosim_version", version());
  h5::write_attr(root, "git_commit", git_commit());
  h5::write_attr(root, "hdf5_version", h5::library_version());
  h5::write_attr(root, "eigen_version",
                 std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) +
                     "." + std::to_string(EIGEN_MINOR_VERSION));
  h5::write_attr(root, "scenario_name", sc.name);
  h5::write_attr(root, "scenario_description", sc.description);
  h5::write_attr(root, "scenario_hash", fnv1a_hex(sc.resolved_yaml));
  h5::write_attr(root, "scenario_yaml", sc.resolved_yaml);
  h5::write_attr(root, "seed", static_cast<std::int64_t>(sc.seed));
  h5::write_attr(root, "start_date", sc.date_of_turn(0).str());
  h5::write_attr(root, "months_per_turn", std::int32_t{sc.months_per_turn});
  h5::write_attr(root, "convention_note", kConventionNote);

  std::vector<std::int32_t> turn_values(static_cast<std::size_t>(turns));
  std::vector<std::string> dates(turn_values.size());
  for (int t = 0; t < turns; ++t) {
    turn_values[static_cast<std::size_t>(t)] = t;
    dates[static_cast<std::size_t>(t)] = sc.date_of_turn(t).str();
  }
  std::vector<std::string> names, roles, pole_codes, pole_names, units;
  for (const auto& a : sc.actors) {
    names.push_back(a.name);
    roles.emplace_back(kRoleNames.at(static_cast<std::size_t>(a.role)));
  }
  for (const auto& p : sc.poles) {
    pole_codes.push_back(p.code);
    pole_names.push_back(p.name);
  }
  for (const auto& c : sc.channels) units.push_back(c.unit);
  const std::vector<std::string> instruments(kInstrumentNames.begin(), kInstrumentNames.end());

  add_dimension(Dim::turn, turn_values, "turn index (0 = the first simulated turn)");
  add_dimension(Dim::actor, actor_codes, "actor code (subject of dyadic variables)");
  add_dimension(Dim::target, actor_codes, "actor code (object of dyadic variables)");
  add_dimension(Dim::channel, channel_names(sc), "channel name");
  add_dimension(Dim::pole, pole_codes, "pole code");
  add_dimension(Dim::instrument, instruments, "budget instrument");
  add_labels("date", Dim::turn, dates, "date of the turn (ISO 8601)");
  add_labels("actor_name", Dim::actor, names, "actor's full name");
  add_labels("actor_role", Dim::actor, roles,
             "actor's role: patron, client, other or rest_of_world");
  add_labels("channel_unit", Dim::channel, units, "unit of the channel's flow values");
  add_labels("pole_name", Dim::pole, pole_names, "pole's full name");

  for (const auto& v : run_variables()) {
    std::vector<Dim> dims{Dim::turn};
    dims.insert(dims.end(), v.dims.begin(), v.dims.end());
    const std::vector<hsize_t> shape = shape_of(dims);
    hsize_t bytes = sizeof(double);
    for (hsize_t d : shape) bytes *= d;
    // Small variables (the whole baseline run is 1.5 MB) are stored contiguous: compressing
    // them took most of a run's time for little gain.
    const bool compress = bytes > h5::kChunkBytes;
    h5::Handle ds = h5::create_dataset(root, v.name, H5T_IEEE_F64LE, shape, compress);
    held.emplace_back(ds.get(), shape, 0,
                      compress ? h5::choose_chunk(shape, sizeof(double)) : std::vector<hsize_t>{});
    h5::attach_scales(ds.get(), scales_of(dims));
    h5::write_attr(ds.get(), "units", v.units);
    h5::write_attr(ds.get(), "long_name", v.long_name);
    vars.push_back(std::move(ds));
  }
}

void RunWriter::Impl::write_events(const World& w) {
  const EventContext ctx{actor_codes, bloc_codes, policy_ids, start, months_per_turn};
  std::vector<std::int32_t> ids(w.log.size());
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::int32_t>(i);
  size[static_cast<std::size_t>(Dim::event)] = ids.size();
  add_dimension(Dim::event, ids, "event index");
  const hid_t root = file.get();
  for (const auto& col : event_columns()) {
    h5::Handle ds;
    if (col.as_int != nullptr) {
      std::vector<std::int32_t> v;
      for (const auto& e : w.log) v.push_back(col.as_int(e, ctx));
      ds = h5::write_vector(root, col.name, v, worth_compressing(v));
    } else if (col.as_double != nullptr) {
      std::vector<double> v;
      for (const auto& e : w.log) v.push_back(col.as_double(e, ctx));
      ds = h5::write_vector(root, col.name, v, worth_compressing(v));
    } else {
      std::vector<std::string> v;
      for (const auto& e : w.log) v.push_back(col.as_string(e, ctx));
      ds = h5::write_strings(root, col.name, v);
    }
    h5::attach_scales(ds.get(), scales_of({Dim::event}));
    if (!col.units.empty()) h5::write_attr(ds.get(), "units", col.units);
    h5::write_attr(ds.get(), "long_name", col.long_name);
  }
}

void RunWriter::Impl::write_provenance(const Provenance& prov) {
  const hid_t root = file.get();
  h5::write_attr(root, "scenario_file", prov.scenario_file);
  h5::write_attr(root, "run_id", static_cast<std::int64_t>(prov.run_id));
  h5::write_attr(root, "start_time", prov.start_time);
  h5::write_attr(root, "wall_seconds", prov.wall_seconds);
  h5::write_attr(root, "host", prov.host);
  h5::write_attr(root, "command_line", prov.command_line);
  if (!prov.forked_from.empty()) {
    h5::write_attr(root, "forked_from", prov.forked_from);
    h5::write_attr(root, "forked_from_hash", prov.forked_from_hash);
    h5::write_attr(root, "forked_at_turn", std::int32_t{prov.forked_at});
  }
}

void RunWriter::Impl::close() {
  if (chunks) chunks->flush();
  held.clear();
  vars.clear();
  for (auto& s : scales) s.reset();
  // Checked, unlike the handle's destructor: closing is where HDF5 flushes to disk.
  if (file.valid()) h5::close_file(file, "closing '" + tmp + "'");
}

void RunWriter::Impl::discard() noexcept {
  chunks.reset();  // drops what was not written
  held.clear();
  vars.clear();
  for (auto& s : scales) s.reset();
  file.reset();
  std::error_code ec;
  std::filesystem::remove(tmp, ec);
}

RunWriter::RunWriter(std::string path, const Scenario& sc, const World& initial, int turns,
                     int threads)
    : impl_(std::make_unique<Impl>()) {
  h5::QuietErrors quiet;
  Impl& m = *impl_;
  if (initial.n != sc.n_actors() || initial.k != sc.n_channels() || initial.p != sc.n_poles())
    throw std::logic_error("RunWriter: the world's sizes do not match the scenario");
  if (turns < 0) turns = sc.turns;
  if (turns > sc.turns) throw std::logic_error("RunWriter: more turns than the scenario has");
  m.path = std::move(path);
  m.tmp = temp_name(m.path);
  m.turns = turns;
  m.start = sc.date_of_turn(0);
  m.months_per_turn = sc.months_per_turn;
  for (const auto& a : sc.actors) m.actor_codes.push_back(a.code);
  for (const auto& b : sc.blocs) m.bloc_codes.push_back(b.code);
  m.policy_ids = sc.policy_ids;
  auto size = [&](Dim d) -> hsize_t& { return m.size[static_cast<std::size_t>(d)]; };
  size(Dim::turn) = static_cast<hsize_t>(turns);
  size(Dim::actor) = size(Dim::target) = static_cast<hsize_t>(sc.n_actors());
  size(Dim::channel) = static_cast<hsize_t>(sc.n_channels());
  size(Dim::pole) = static_cast<hsize_t>(sc.n_poles());
  size(Dim::instrument) = kInstrumentCount;
  try {
    m.chunks = std::make_unique<h5::ChunkWriter>(threads, h5::kDeflateLevel);
    m.create(sc);
  } catch (...) {
    if (m.file.valid()) m.discard();  // a temp file we created, not someone else's
    throw;
  }
}

RunWriter::~RunWriter() {
  if (!impl_ || impl_->finished) return;
  h5::QuietErrors quiet;
  impl_->discard();
}

RunWriter::RunWriter(RunWriter&&) noexcept = default;

void RunWriter::record(const World& w) {
  Impl& m = *impl_;
  if (m.finished) throw std::logic_error("RunWriter::record after finish");
  if (w.turn != m.next_turn || w.turn >= m.turns)
    throw std::logic_error("RunWriter::record: expected turn " + std::to_string(m.next_turn) +
                           " of " + std::to_string(m.turns) + ", got " + std::to_string(w.turn));
  h5::QuietErrors quiet;
  const auto& vars = run_variables();
  const bool last = w.turn + 1 == m.turns;
  for (std::size_t i = 0; i < vars.size(); ++i) {
    const RunVariable& v = vars[i];
    const std::span<double> slab = m.held[i].slot(*m.chunks, {}, static_cast<hsize_t>(w.turn));
    copy_turn(v, w, static_cast<int>(m.size[static_cast<std::size_t>(Dim::channel)]), slab,
              "RunWriter::record");
    m.held[i].filled(*m.chunks, last);
  }
  if (last) m.chunks->flush();
  ++m.next_turn;
}

void RunWriter::copy_turns(const std::string& from, int turns) {
  Impl& m = *impl_;
  if (m.next_turn != 0 || turns > m.turns || turns < 0)
    throw std::logic_error("RunWriter::copy_turns: only before the first record, within the run");
  h5::QuietErrors quiet;
  constexpr std::string_view kKind = "geosim checkpoint";
  const h5::Handle src = h5::read_file(from, kKind, [&] { return h5::open_file(from, kKind); });
  const auto& vars = run_variables();
  for (std::size_t i = 0; i < vars.size(); ++i) {
    const std::string name(vars[i].name);
    const std::vector<hsize_t> own = h5::shape(m.vars[i].get());
    std::vector<hsize_t> count;
    // Read (a damaged checkpoint is a FileError naming it), then write.
    const std::vector<double> values = h5::read_file(from, kKind, [&] {
      const h5::Handle ds = h5::check(H5Dopen2(src.get(), name.c_str(), H5P_DEFAULT), name);
      count = h5::shape(ds.get());
      if (count.size() != own.size() || count.empty() || count[0] < static_cast<hsize_t>(turns) ||
          !std::equal(count.begin() + 1, count.end(), own.begin() + 1))
        throw std::runtime_error("'" + name + "' does not have this run's shape");
      count[0] = static_cast<hsize_t>(turns);
      return h5::read_block(ds.get(), std::vector<hsize_t>(count.size(), 0), count);
    });
    h5::write_block(m.vars[i].get(), std::vector<hsize_t>(count.size(), 0), count, values);
  }
  m.next_turn = turns;
}

void RunWriter::add_checkpoint(const World& w, const Scenario& sc, const std::string& history) {
  Impl& m = *impl_;
  if (m.finished) throw std::logic_error("RunWriter::add_checkpoint after finish");
  if (w.turn != m.next_turn - 1)
    throw std::logic_error("RunWriter::add_checkpoint: the state is not the last recorded turn");
  h5::QuietErrors quiet;
  const hid_t root = m.file.get();
  h5::write_attr(root, "checkpoint_turn", std::int32_t{w.turn});
  h5::write_attr(root, "checkpoint_date", sc.date_of_turn(w.turn).str());
  h5::write_attr(root, "checkpoint_history_yaml", history);
  // The string lives in HDF5's global heap, which has no checksum; its hash, a number in the
  // checksummed object header, lets a reader tell a damaged history from a different scenario.
  // (A number: a string attribute's text would be in the global heap too.)
  h5::write_attr(root, "checkpoint_history_hash",
                 static_cast<std::int64_t>(std::stoull(fnv1a_hex(history), nullptr, 16)));
  const h5::Handle g =
      h5::check(H5Gcreate2(root, kCheckpointGroup.data(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                "creating the checkpoint group");
  write_world_state(g.get(), w, sc);
}

void RunWriter::finish(const World& w, const Provenance& prov) {
  Impl& m = *impl_;
  if (m.finished) throw std::logic_error("RunWriter::finish called twice");
  if (m.next_turn != m.turns)
    throw std::logic_error("RunWriter::finish: " + std::to_string(m.next_turn) + " of " +
                           std::to_string(m.turns) + " turns recorded");
  h5::QuietErrors quiet;
  m.write_events(w);
  m.write_provenance(prov);
  m.close();
  h5::publish(m.tmp, m.path);
  m.finished = true;
}

const std::string& RunWriter::path() const {
  return impl_->path;
}
std::string RunWriter::temp_path() const {
  return impl_->tmp;
}

}  // namespace geosim
