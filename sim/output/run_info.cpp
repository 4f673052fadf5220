#include "output/run_info.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "core/error.hpp"
#include "core/text.hpp"
#include "output/h5_helpers.hpp"
#include "output/run_schema.hpp"

namespace geosim {

namespace {

constexpr std::size_t kTopPatrons = 3;

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(std::string key, std::string message) const {
    throw InputError(Location{path_, 0, 0}, std::move(key), std::move(message));
  }

  void open() { file_ = h5::open_file(path_, "geosim run file"); }

  hid_t root() const { return file_.get(); }

  void check_format() const {
    if (!h5::has_attr(root(), "format"))
      fail("format", "not a geosim run file: the root attribute 'format' is missing (expected '" +
                         std::string(kRunFormat) + "')");
    const std::string format = h5::read_string_attr(root(), "format");
    if (format != kRunFormat)
      fail("format", "not a geosim run file: format is '" + format + "', expected '" +
                         std::string(kRunFormat) + "'");
    if (!h5::has_attr(root(), "format_version"))
      fail("format_version", "the root attribute 'format_version' is missing");
    const std::int64_t v = h5::read_int_attr(root(), "format_version");
    if (v != kRunFormatVersion)
      fail("format_version", "unsupported format_version " + std::to_string(v) +
                                 " (this geosim reads version " +
                                 std::to_string(kRunFormatVersion) + ")");
  }

  std::string text(std::string_view name) const {
    return h5::has_attr(root(), name) ? h5::read_string_attr(root(), name) : std::string();
  }
  std::int64_t integer(std::string_view name) const {
    return h5::has_attr(root(), name) ? h5::read_int_attr(root(), name) : 0;
  }
  double real(std::string_view name) const {
    return h5::has_attr(root(), name) ? h5::read_double_attr(root(), name) : 0.0;
  }

  std::vector<std::string> labels(std::string_view name, bool required = true) const {
    if (!h5::has_dataset(root(), name)) {
      if (required) fail(std::string(name), "missing dataset '" + std::string(name) + "'");
      return {};
    }
    return h5::read_strings(root(), name);
  }

  h5::Handle dataset(std::string_view name, const std::vector<hsize_t>& expected_shape) const {
    const std::string n(name);
    if (!h5::has_dataset(root(), name)) fail(n, "missing dataset '" + n + "'");
    h5::Handle ds = h5::check(H5Dopen2(root(), n.c_str(), H5P_DEFAULT), "opening '" + n + "'");
    if (h5::shape(ds.get()) != expected_shape)
      fail(n, "dataset '" + n + "' does not have the shape of (turn, actor, ...)");
    return ds;
  }

 private:
  std::string path_;
  h5::Handle file_;
};

std::vector<ClientSummary> summarise_clients(const Reader& r, const RunInfo& info) {
  std::vector<ClientSummary> out;
  const auto n = static_cast<hsize_t>(info.actors.size());
  const auto turns = static_cast<hsize_t>(info.turns);
  h5::Handle share = r.dataset("influence_share", {turns, n, n});
  h5::Handle hedging = r.dataset("hedging_index", {turns, n});
  if (turns == 0) return out;
  const std::vector<double> s = h5::read_block(share.get(), {turns - 1, 0, 0}, {1, n, n});
  const std::vector<double> h = h5::read_block(hedging.get(), {turns - 1, 0}, {1, n});
  for (std::size_t c = 0; c < n; ++c) {
    if (info.actor_roles[c] != "client") continue;
    ClientSummary cs{info.actors[c], info.actor_names[c], {}, h[c]};
    for (std::size_t a = 0; a < n; ++a) {
      const double v = s[a * n + c];  // influence_share(actor a, target c)
      if (a != c && v > 0.0) cs.top.push_back({info.actors[a], v});
    }
    std::stable_sort(cs.top.begin(), cs.top.end(),
                     [](const PatronShare& x, const PatronShare& y) { return x.share > y.share; });
    if (cs.top.size() > kTopPatrons) cs.top.resize(kTopPatrons);
    out.push_back(std::move(cs));
  }
  return out;
}

RunInfo read(Reader& r, const std::string& path) {
  r.open();
  r.check_format();
  RunInfo info;
  info.path = path;
  info.format_version = static_cast<int>(r.integer("format_version"));
  info.geosim_version = r.text("geosim_version");
  info.git_commit = r.text("git_commit");
  info.hdf5_version = r.text("hdf5_version");
  info.scenario_name = r.text("scenario_name");
  info.scenario_description = r.text("scenario_description");
  info.scenario_hash = r.text("scenario_hash");
  info.scenario_file = r.text("scenario_file");
  info.seed = static_cast<std::uint64_t>(r.integer("seed"));
  info.run_id = static_cast<std::uint64_t>(r.integer("run_id"));
  info.start_time = r.text("start_time");
  info.host = r.text("host");
  info.command_line = r.text("command_line");
  info.wall_seconds = r.real("wall_seconds");
  if (h5::has_attr(r.root(), "checkpoint_turn")) {
    info.checkpoint_turn = static_cast<int>(r.integer("checkpoint_turn"));
    info.checkpoint_date = r.text("checkpoint_date");
  }
  if (h5::has_attr(r.root(), "forked_from")) {
    info.forked_from = r.text("forked_from");
    info.forked_at_turn = static_cast<int>(r.integer("forked_at_turn"));
  }

  info.actors = r.labels("actor");
  info.actor_names = r.labels("actor_name");
  info.actor_roles = r.labels("actor_role");
  if (info.actor_names.size() != info.actors.size() ||
      info.actor_roles.size() != info.actors.size())
    r.fail("actor_name", "actor_name and actor_role must have one entry per actor");
  info.poles = r.labels("pole", false);
  info.channels = r.labels("channel", false);
  const std::vector<std::string> dates = r.labels("date");
  info.turns = static_cast<int>(dates.size());
  if (!dates.empty()) {
    info.first_date = dates.front();
    info.last_date = dates.back();
  }
  info.events = r.labels("event_action", false).size();
  info.clients = summarise_clients(r, info);
  return info;
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

/// Word-wraps `text` to lines of about 80 characters, continuation lines indented to the
/// value column of format_run_info.
std::string wrap(const std::string& text) {
  constexpr std::size_t kWidth = 80;
  std::istringstream words(text);
  std::string out, word;
  std::size_t col = 0;
  while (words >> word) {
    if (col > 0 && col + 1 + word.size() > kWidth) {
      out += "\n" + std::string(16, ' ');
      col = 0;
    } else if (col > 0) {
      out += ' ';
      ++col;
    }
    out += word;
    col += word.size();
  }
  return out;
}

}  // namespace

RunInfo read_run_info(const std::string& path) {
  return h5::read_file(path, "geosim run file", [&] {
    Reader r(path);
    return read(r, path);
  });
}

std::string format_run_info(const RunInfo& info) {
  std::ostringstream s;
  auto line = [&](std::string_view label, const std::string& value) {
    s << "  " << label << ':' << std::string(label.size() < 13 ? 13 - label.size() : 1, ' ')
      << value << '\n';
  };
  auto or_unknown = [](const std::string& v) { return v.empty() ? std::string("?") : v; };
  s << info.path << " (geosim run file, format version " << info.format_version << ")\n";
  line("scenario", info.scenario_name + " (hash " + info.scenario_hash + ")");
  if (!info.scenario_description.empty()) line("description", wrap(info.scenario_description));
  if (!info.scenario_file.empty()) line("file", info.scenario_file);
  line("turns", std::to_string(info.turns) +
                    (info.turns > 0 ? " (" + info.first_date + " .. " + info.last_date + ")" : ""));
  line("actors", std::to_string(info.actors.size()) + ": " + join_words(info.actors));
  if (!info.poles.empty()) line("poles", join_words(info.poles));
  line("channels", std::to_string(info.channels.size()) + ": " + join_words(info.channels));
  line("events", std::to_string(info.events));
  line("seed", std::to_string(info.seed) + ", run id " + std::to_string(info.run_id));
  line("geosim",
       info.geosim_version + " (commit " + info.git_commit + "), HDF5 " + info.hdf5_version);
  line("started", or_unknown(info.start_time) + " on " + or_unknown(info.host) + ", ran " +
                      fixed(info.wall_seconds, 2) + " s");
  if (!info.command_line.empty()) line("command", info.command_line);
  if (info.checkpoint_turn >= 0)
    line("checkpoint", "state after turn " + std::to_string(info.checkpoint_turn) + " (" +
                           info.checkpoint_date +
                           "); continue it with `geosim run SCENARIO --from " + info.path + "`");
  if (!info.forked_from.empty())
    line("forked from",
         info.forked_from + " (its state after turn " + std::to_string(info.forked_at_turn) + ")");
  if (!info.clients.empty()) {
    s << "Influence shares over clients at the final turn (" << info.last_date << "):\n";
    std::size_t width = 0;
    for (const auto& c : info.clients) width = std::max(width, c.code.size());
    for (const auto& c : info.clients) {
      s << "  " << c.code << std::string(width - c.code.size() + 2, ' ');
      if (c.top.empty()) s << "(no patron influence)";
      for (std::size_t i = 0; i < c.top.size(); ++i)
        s << (i ? "  " : "") << c.top[i].patron << ' ' << fixed(c.top[i].share, 3);
      s << "   hedging " << fixed(c.hedging, 3);
      if (!c.name.empty()) s << "   (" << c.name << ')';
      s << '\n';
    }
  }
  return s.str();
}

}  // namespace geosim
