#include "output/info_reader.hpp"

#include <algorithm>
#include <cstdio>

#include "core/error.hpp"
#include "core/text.hpp"

namespace geosim::summary {

namespace {

constexpr std::size_t kTopPatrons = 3;

std::string versions_text(std::initializer_list<int> versions) {
  std::vector<std::string> v;
  for (int x : versions) v.push_back(std::to_string(x));
  if (v.size() == 1) return "version " + v.front();
  const std::string last = v.back();
  v.pop_back();
  return "versions " + join_words(v) + " and " + last;
}

}  // namespace

void Reader::fail(std::string key, std::string message) const {
  throw InputError(Location{path_, 0, 0}, std::move(key), std::move(message));
}

int Reader::version(std::initializer_list<int> versions) const {
  if (!has_attr("format_version"))
    fail("format_version", "the root attribute 'format_version' is missing");
  {
    const h5::Handle a = h5::check(H5Aopen(root(), "format_version", H5P_DEFAULT),
                                   "opening attribute 'format_version'");
    const h5::Handle t = h5::check(H5Aget_type(a.get()), "format_version's type");
    if (H5Tget_class(t.get()) != H5T_INTEGER)
      fail("format_version", "the root attribute 'format_version' is not a whole number");
  }
  const std::int64_t v = h5::read_int_attr(root(), "format_version");
  if (std::find(versions.begin(), versions.end(), v) == versions.end())
    fail("format_version", "unsupported format_version " + std::to_string(v) +
                               " (this geosim reads " + versions_text(versions) + ")");
  return static_cast<int>(v);
}

std::string Reader::text(std::string_view name) const {
  return has_attr(name) ? h5::read_string_attr(root(), name) : std::string();
}
std::int64_t Reader::integer(std::string_view name) const {
  return has_attr(name) ? h5::read_int_attr(root(), name) : 0;
}
double Reader::real(std::string_view name) const {
  return has_attr(name) ? h5::read_double_attr(root(), name) : 0.0;
}
std::string Reader::required_text(std::string_view name) const {
  const std::string n(name);
  if (!has_attr(name)) fail(n, "the root attribute '" + n + "' is missing");
  return h5::read_string_attr(root(), name);
}
std::int64_t Reader::required_integer(std::string_view name) const {
  const std::string n(name);
  if (!has_attr(name)) fail(n, "the root attribute '" + n + "' is missing");
  return h5::read_int_attr(root(), name);
}

std::vector<std::string> Reader::labels(std::string_view name, bool required) const {
  if (!has_dataset(name)) {
    if (required) fail(std::string(name), "missing dataset '" + std::string(name) + "'");
    return {};
  }
  return h5::read_strings(root(), name);
}

std::vector<std::string> Reader::labels_of(std::string_view name, std::size_t n) const {
  const std::string s(name);
  if (shape(name) != std::vector<hsize_t>{n})
    fail(s, "dataset '" + s + "' does not have " + std::to_string(n) +
                " entries (one per label of its dimension)");
  return h5::read_strings(root(), name);
}

std::vector<std::int64_t> Reader::integers(std::string_view name, std::size_t n) const {
  const std::string s(name);
  h5::Handle ds = dataset(name, {n}, "(" + std::to_string(n) + ",)");
  std::vector<std::int64_t> out(n);
  if (n > 0)
    h5::check_status(H5Dread(ds.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()),
                     "reading '" + s + "'");
  return out;
}

std::int64_t Reader::integer_at(std::string_view name, std::size_t n, std::size_t i) const {
  const std::string s(name);
  h5::Handle ds = dataset(name, {n}, "(" + std::to_string(n) + ",)");
  const h5::Handle space = h5::check(H5Dget_space(ds.get()), "the shape of '" + s + "'");
  const hsize_t start = i, count = 1;
  h5::check_status(
      H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr),
      "selecting in '" + s + "'");
  const h5::Handle mem = h5::check(H5Screate_simple(1, &count, nullptr), "a memory space");
  std::int64_t v = 0;
  h5::check_status(H5Dread(ds.get(), H5T_NATIVE_INT64, mem.get(), space.get(), H5P_DEFAULT, &v),
                   "reading '" + s + "'");
  return v;
}

std::vector<hsize_t> Reader::shape(std::string_view name) const {
  const std::string n(name);
  if (!has_dataset(name)) fail(n, "missing dataset '" + n + "'");
  const h5::Handle ds = h5::check(H5Dopen2(root(), n.c_str(), H5P_DEFAULT), "opening '" + n + "'");
  return h5::shape(ds.get());
}

h5::Handle Reader::dataset(std::string_view name, const std::vector<hsize_t>& expected_shape,
                           std::string_view what) const {
  const std::string n(name);
  if (!has_dataset(name)) fail(n, "missing dataset '" + n + "'");
  h5::Handle ds = h5::check(H5Dopen2(root(), n.c_str(), H5P_DEFAULT), "opening '" + n + "'");
  if (h5::shape(ds.get()) != expected_shape)
    fail(n, "dataset '" + n + "' does not have the shape of " + std::string(what));
  return ds;
}

Coordinates read_coordinates(const Reader& r) {
  Coordinates c;
  c.actors = r.labels("actor");
  c.actor_names = r.labels("actor_name");
  c.actor_roles = r.labels("actor_role");
  if (c.actor_names.size() != c.actors.size() || c.actor_roles.size() != c.actors.size())
    r.fail("actor_name", "actor_name and actor_role must have one entry per actor");
  c.poles = r.labels("pole", false);
  c.channels = r.labels("channel", false);
  const std::vector<std::string> dates = r.labels("date");
  c.turns = static_cast<int>(dates.size());
  if (!dates.empty()) {
    c.first_date = dates.front();
    c.last_date = dates.back();
  }
  return c;
}

std::vector<ClientSummary> summarise_clients(const Reader& r, const Coordinates& c,
                                             std::string_view share_name,
                                             std::string_view hedging_name) {
  std::vector<ClientSummary> out;
  const auto n = static_cast<hsize_t>(c.actors.size());
  const auto turns = static_cast<hsize_t>(c.turns);
  h5::Handle share = r.dataset(share_name, {turns, n, n});
  h5::Handle hedging = r.dataset(hedging_name, {turns, n});
  if (turns == 0) return out;
  const std::vector<double> s = h5::read_block(share.get(), {turns - 1, 0, 0}, {1, n, n});
  const std::vector<double> h = h5::read_block(hedging.get(), {turns - 1, 0}, {1, n});
  for (std::size_t k = 0; k < n; ++k) {
    if (c.actor_roles[k] != "client") continue;
    ClientSummary cs{c.actors[k], c.actor_names[k], {}, h[k]};
    for (std::size_t a = 0; a < n; ++a) {
      const double v = s[a * n + k];  // influence_share(actor a, target k)
      if (a != k && v > 0.0) cs.top.push_back({c.actors[a], v});
    }
    std::stable_sort(cs.top.begin(), cs.top.end(),
                     [](const PatronShare& x, const PatronShare& y) { return x.share > y.share; });
    if (cs.top.size() > kTopPatrons) cs.top.resize(kTopPatrons);
    out.push_back(std::move(cs));
  }
  return out;
}

void Lines::line(std::string_view label, const std::string& value) {
  s_ << "  " << label << ':' << std::string(label.size() < 13 ? 13 - label.size() : 1, ' ') << value
     << '\n';
}

void Lines::more(const std::string& value) {
  s_ << std::string(16, ' ') << value << '\n';
}

void coordinate_lines(Lines& out, const Coordinates& c) {
  out.line("turns", std::to_string(c.turns) +
                        (c.turns > 0 ? " (" + c.first_date + " .. " + c.last_date + ")" : ""));
  out.line("actors", std::to_string(c.actors.size()) + ": " + join_words(c.actors));
  if (!c.poles.empty()) out.line("poles", join_words(c.poles));
  out.line("channels", std::to_string(c.channels.size()) + ": " + join_words(c.channels));
}

void client_lines(Lines& out, const std::vector<ClientSummary>& clients,
                  const std::string& heading) {
  if (clients.empty()) return;
  std::ostringstream s;
  s << heading << ":\n";
  std::size_t width = 0;
  for (const auto& c : clients) width = std::max(width, c.code.size());
  for (const auto& c : clients) {
    s << "  " << c.code << std::string(width - c.code.size() + 2, ' ');
    if (c.top.empty()) s << "(no patron influence)";
    for (std::size_t i = 0; i < c.top.size(); ++i)
      s << (i ? "  " : "") << c.top[i].patron << ' ' << fixed(c.top[i].share, 3);
    s << "   hedging " << fixed(c.hedging, 3);
    if (!c.name.empty()) s << "   (" << c.name << ')';
    s << '\n';
  }
  out.raw(s.str());
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

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

std::string first_line(const std::string& text, std::size_t width) {
  const std::size_t begin = std::min(text.find_first_not_of(" \t\r\n"), text.size());
  std::string line = text.substr(begin, text.find_first_of("\r\n", begin) - begin);
  if (line.size() <= width) return line;
  std::size_t cut = line.rfind(' ', width - 4);
  if (cut == std::string::npos || cut == 0) {
    cut = width - 4;  // one long word: cut it, not inside a UTF-8 character
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xc0) == 0x80) --cut;
  }
  while (cut > 0 && (line[cut - 1] == ' ' || line[cut - 1] == ',')) --cut;
  return line.substr(0, cut) + " ...";
}

}  // namespace geosim::summary
