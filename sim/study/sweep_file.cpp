// Reading a sweep file (docs/sweeps.md): located errors, every problem at once.
#include <algorithm>
#include <filesystem>
#include <set>

#include "core/calendar.hpp"
#include "scenario/reader.hpp"
#include "scenario/tree.hpp"
#include "study/sweep_items.hpp"
#include "study/sweep_spec.hpp"

namespace geosim {

namespace {

namespace fs = std::filesystem;

std::vector<std::string> names_of(const char* const* names, std::size_t n) {
  return std::vector<std::string>(names, names + n);
}

/// A list of numbers at `key` of `e` (at least `min_items`), or nullopt after reporting.
std::optional<std::vector<double>> numbers(Reader& r, const Node& n, const std::string& path,
                                           std::size_t min_items) {
  if (!n.is_seq()) {
    r.error(n, path, "expected a list of numbers, got " + n.kind_name());
    return std::nullopt;
  }
  if (n.seq.size() < min_items) {
    r.error(n, path, "expected at least " + std::to_string(min_items) + " numbers");
    return std::nullopt;
  }
  std::vector<double> v;
  bool ok = true;
  for (std::size_t i = 0; i < n.seq.size(); ++i) {
    const auto x = r.number(n.seq[i], path + "[" + std::to_string(i) + "]", -1e300, 1e300);
    if (x)
      v.push_back(*x);
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return v;
}

/// Names the sweep file's own variables use: a parameter or output may not take them.
bool reserved(const std::string& name) {
  static const std::set<std::string> fixed = {
      "run",           "point",          "replicate",      "status",
      "message",       "parameter",      "metric",         "design_point",
      "design_values", "parameter_path", "parameter_unit", "sample",
      "sample_date",   "actor",          "target",         "channel",
      "pole",          "instrument"};
  const auto ends = [&](std::string_view suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return fixed.count(name) > 0 || ends("_trajectory") || name.rfind("sobol_", 0) == 0 ||
         name.rfind("morris_", 0) == 0;
}

/// Checks a parameter's or output's name: an identifier, unique among both, not reserved.
std::optional<std::string> read_name(Reader& r, const Node& v, const std::string& path,
                                     std::set<std::string>& names) {
  auto id = r.identifier(v, path);
  if (!id) return id;
  if (reserved(*id))
    r.error(v, path, "'" + *id + "' is a name the sweep file uses itself; choose another");
  else if (!names.insert(*id).second)
    r.error(v, path, "duplicate name '" + *id + "' (parameters and outputs share one namespace)");
  return id;
}

}  // namespace

void read_sweep_parameter(Reader& r, const Node& e, const std::string& p,
                          std::vector<SweepParameter>& out, std::set<std::string>& names) {
  static const std::vector<std::string> keys = {
      "name", "path", "uniform", "loguniform", "normal", "discrete", "levels", "source", "note"};
  if (!r.check_map(e, p, keys)) return;
  SweepParameter q;
  q.where = e.loc;
  if (const Node* v = r.field(e, p, "name", true))
    if (auto id = read_name(r, *v, p + ".name", names)) q.name = *id;
  if (const Node* v = r.field(e, p, "path", true))
    if (auto s2 = r.string(*v, p + ".path")) q.path = *s2;
  int given = 0;
  const auto pair = [&](const char* key, auto make) {
    const Node* v = e.find(key);
    if (v == nullptr) return;
    ++given;
    const auto xs = numbers(r, *v, p + "." + key, 2);
    if (!xs) return;
    if (xs->size() != 2) {
      r.error(*v, p + "." + key, "expected two numbers [a, b], got " + std::to_string(xs->size()));
      return;
    }
    const sweep::Distribution d = make((*xs)[0], (*xs)[1]);
    if (!d.valid())
      r.error(*v, p + "." + key, d.error());
    else
      q.distribution = d;
  };
  pair("uniform", [](double a, double b) { return sweep::Distribution::uniform(a, b); });
  pair("loguniform", [](double a, double b) { return sweep::Distribution::loguniform(a, b); });
  pair("normal", [](double a, double b) { return sweep::Distribution::normal(a, b); });
  if (const Node* v = e.find("discrete")) {
    ++given;
    if (const auto xs = numbers(r, *v, p + ".discrete", 1)) {
      const auto d = sweep::Distribution::discrete(*xs);
      if (!d.valid())
        r.error(*v, p + ".discrete", d.error());
      else
        q.distribution = d;
    }
  }
  if (const Node* v = e.find("levels")) {
    if (const auto xs = numbers(r, *v, p + ".levels", 1)) q.levels = *xs;
  }
  if (given > 1)
    r.error(e, p,
            "give one distribution (uniform, loguniform, normal or discrete), not " +
                std::to_string(given));
  out.push_back(std::move(q));
}

bool read_sweep_output(Reader& r, const Node& e, const std::string& p,
                       std::vector<SweepOutput>& out, std::set<std::string>& names,
                       const std::vector<std::string>& extra_keys) {
  std::vector<std::string> keys = {"name", "variable",   "actor",  "target", "channel",
                                   "pole", "instrument", "reduce", "from",   "to",
                                   "year", "month",      "note"};
  keys.insert(keys.end(), extra_keys.begin(), extra_keys.end());
  if (!r.check_map(e, p, keys)) return false;
  SweepOutput o;
  o.where = e.loc;
  if (const Node* v = r.field(e, p, "name", true))
    if (auto id = read_name(r, *v, p + ".name", names)) o.name = *id;
  if (const Node* v = r.field(e, p, "variable", true))
    if (auto x = r.string(*v, p + ".variable")) o.variable = *x;
  for (const char* dim : {"actor", "target", "channel", "pole", "instrument"})
    if (const Node* v = e.find(dim))
      if (auto x = r.string(*v, p + "." + dim)) o.index.emplace_back(dim, *x);
  if (const Node* v = e.find("reduce"))
    if (auto c = r.choice(*v, p + ".reduce", names_of(kReduceNames, 5), "reduction"))
      o.reduce = static_cast<Reduce>(*c);
  for (const char* key : {"from", "to"})
    if (const Node* v = e.find(key)) {
      if (!v->is_scalar())
        r.error(*v, p + "." + key, "expected a turn number or a date, got " + v->kind_name());
      else
        (std::string(key) == "from" ? o.from : o.to) = v->scalar;
    }
  if (!o.from.empty() || !o.to.empty()) o.period = o.from + ".." + o.to;
  // year: YYYY is the mean over that year's turns; month: YYYY-MM the turn of that month.
  const Node* year = e.find("year");
  const Node* month = e.find("month");
  if ((year != nullptr) + (month != nullptr) + (e.find("from") || e.find("to")) > 1)
    r.error(e, p, "give one window: year, month, or from/to");
  else if (year != nullptr) {
    if (auto y = r.integer(*year, p + ".year", 1000, 9999)) {
      o.from = std::to_string(*y) + "-01";
      o.to = std::to_string(*y) + "-12";
      o.period = std::to_string(*y);
      if (e.find("reduce") == nullptr) o.reduce = Reduce::mean;
    }
  } else if (month != nullptr) {
    const std::string text = month->is_scalar() ? month->scalar : "";
    if (text.size() != 7 || !parse_date(text + "-01"))
      r.error(*month, p + ".month", "expected a month YYYY-MM, got '" + text + "'");
    else {
      o.from = o.to = o.period = text;
      if (e.find("reduce") != nullptr)
        r.error(*e.find("reduce"), p + ".reduce", "a month window is one turn: drop reduce");
    }
  }
  out.push_back(std::move(o));
  return true;
}

std::string item_name(const std::string& list, const Node& item, std::size_t index) {
  const Node* n = item.is_map() ? item.find("name") : nullptr;
  return list + "[" + (n && n->is_scalar() ? n->scalar : std::to_string(index)) + "]";
}

namespace {

bool power_of_two(std::uint64_t n) {
  return n != 0 && (n & (n - 1)) == 0;
}

void check_design(Reader& r, const Node& design, SweepSpec& s) {
  const bool needs_distribution = s.design == DesignKind::mc || s.design == DesignKind::lhs ||
                                  s.design == DesignKind::sobol || s.design == DesignKind::morris;
  for (std::size_t i = 0; i < s.parameters.size(); ++i) {
    const SweepParameter& q = s.parameters[i];
    const std::string p = "parameters[" + (q.name.empty() ? std::to_string(i) : q.name) + "]";
    const Location& at = q.where;
    if (needs_distribution && !q.distribution)
      r.error_at(at, p,
                 std::string("design ") + kDesignNames[static_cast<int>(s.design)] +
                     " needs a distribution: uniform: [lo, hi], loguniform: [lo, hi], normal: "
                     "[mean, sd] or discrete: [values]");
    if (s.design == DesignKind::grid && q.levels.empty())
      r.error_at(at, p, "design grid needs levels: [values] for every parameter");
    if (s.design != DesignKind::grid && !q.levels.empty())
      r.error_at(at, p + ".levels", "levels are for design grid only");
    if ((s.design == DesignKind::grid || s.design == DesignKind::list) && q.distribution)
      r.error_at(at, p,
                 std::string("design ") + kDesignNames[static_cast<int>(s.design)] +
                     " takes no distribution (grid: levels; list: the CSV file's values)");
  }
  const std::string kind = kDesignNames[static_cast<int>(s.design)];
  if (needs_distribution && s.n == 0)
    r.error(design, "design.n",
            "design " + kind + " needs n: " +
                (s.design == DesignKind::sobol    ? "base points, a power of two"
                 : s.design == DesignKind::morris ? "trajectories"
                                                  : "points"));
  if (s.design == DesignKind::sobol && s.n != 0 && !power_of_two(s.n))
    r.error(design, "design.n",
            "design sobol needs a power of two (Saltelli base points), got " + std::to_string(s.n));
  if ((s.design == DesignKind::sobol || s.design == DesignKind::morris) && s.parameters.size() < 2)
    r.error(design, "design.kind", "design " + kind + " needs at least 2 parameters");
  if (s.design == DesignKind::list && s.list_file.empty() && s.list_rows.empty())
    r.error(design, "design.file", "design list needs file: a CSV of parameter values");
}

SweepSpec read(const Node& root, const std::string& file, const std::string& dir) {
  Diagnostics d;
  Reader r(d);
  SweepSpec s;
  s.file = file;
  const std::vector<std::string> top = {
      "geosim_sweep", "name",  "description", "scenario",   "model",   "set",         "seed",
      "replicates",   "chunk", "design",      "parameters", "outputs", "trajectories"};
  if (!r.check_map(root, "", top)) d.throw_if_any();
  if (const Node* v = r.field(root, "", "geosim_sweep", true))
    if (auto version = r.integer(*v, "geosim_sweep", 1, 1000); version && *version != 1)
      r.error(*v, "geosim_sweep",
              "sweep format version " + std::to_string(*version) +
                  " is not supported; this geosim reads version 1");
  if (const Node* v = r.field(root, "", "name", true))
    if (auto id = r.identifier(*v, "name")) s.name = *id;
  if (const Node* v = root.find("description"))
    if (auto x = r.string(*v, "description")) s.description = *x;
  const Node* scenario = root.find("scenario");
  const Node* model = root.find("model");
  if (model != nullptr) {
    if (auto c = r.choice(*model, "model", names_of(kSweepModelNames, 3), "model"))
      s.model = static_cast<SweepModel>(*c);
  }
  if (s.model == SweepModel::scenario) {
    if (scenario == nullptr)
      r.error(root, "scenario", "missing required key 'scenario' (the scenario file to sweep)");
    else if (auto x = r.string(*scenario, "scenario")) {
      s.scenario = (fs::path(dir) / *x).lexically_normal().string();
      if (std::error_code ec; !fs::exists(s.scenario, ec))
        r.error(*scenario, "scenario", "scenario file '" + s.scenario + "' does not exist");
    }
  } else if (scenario != nullptr) {
    r.error(
        *scenario, "scenario",
        std::string("model ") + kSweepModelNames[static_cast<int>(s.model)] + " takes no scenario");
  }
  if (const Node* v = root.find("set")) {
    if (!v->is_seq())
      r.error(*v, "set", "expected a list of PATH=VALUE changes, got " + v->kind_name());
    else
      for (std::size_t i = 0; i < v->seq.size(); ++i)
        if (auto x = r.string(v->seq[i], "set[" + std::to_string(i) + "]")) s.sets.push_back(*x);
  }
  if (const Node* v = r.field(root, "", "seed", true))
    if (auto x = r.integer(*v, "seed", 0, 9223372036854775807LL))
      s.seed = static_cast<std::uint64_t>(*x);
  if (const Node* v = root.find("replicates"))
    if (auto x = r.integer(*v, "replicates", 1, 1000000)) s.replicates = static_cast<int>(*x);
  if (const Node* v = root.find("chunk"))
    if (auto x = r.integer(*v, "chunk", 1, 1000000)) s.chunk = static_cast<int>(*x);

  const Node* design = r.field(root, "", "design", true);
  if (design != nullptr && r.check_map(*design, "design", {"kind", "n", "levels", "file"})) {
    s.design_where = design->loc;
    if (const Node* v = r.field(*design, "design", "kind", true))
      if (auto c = r.choice(*v, "design.kind", names_of(kDesignNames, 6), "design"))
        s.design = static_cast<DesignKind>(*c);
    if (const Node* v = design->find("n"))
      if (auto x = r.integer(*v, "design.n", 1, 1LL << 40)) s.n = static_cast<std::uint64_t>(*x);
    if (const Node* v = design->find("levels"))
      if (auto x = r.integer(*v, "design.levels", 2, 1000)) {
        if (*x % 2 != 0) r.error(*v, "design.levels", "expected an even number of Morris levels");
        s.morris_levels = static_cast<int>(*x);
      }
    if (const Node* v = design->find("file"))
      if (auto x = r.string(*v, "design.file")) {
        s.list_file = (fs::path(dir) / *x).lexically_normal().string();
        if (std::error_code ec; !fs::exists(s.list_file, ec))
          r.error(*v, "design.file", "CSV file '" + s.list_file + "' does not exist");
      }
  }
  std::set<std::string> names;
  if (const Node* v = r.field(root, "", "parameters", true)) {
    if (!v->is_seq() || v->seq.empty())
      r.error(*v, "parameters", "expected a list of parameters, got " + v->kind_name());
    else
      for (std::size_t i = 0; i < v->seq.size(); ++i)
        read_sweep_parameter(r, v->seq[i], item_name("parameters", v->seq[i], i), s.parameters,
                             names);
  }
  if (const Node* v = r.field(root, "", "outputs", true)) {
    if (!v->is_seq() || v->seq.empty())
      r.error(*v, "outputs", "expected a list of outputs, got " + v->kind_name());
    else
      for (std::size_t i = 0; i < v->seq.size(); ++i)
        read_sweep_output(r, v->seq[i], item_name("outputs", v->seq[i], i), s.outputs, names);
  }
  if (const Node* v = root.find("trajectories")) {
    s.trajectory_where = v->loc;
    if (r.check_map(*v, "trajectories", {"every", "variables"})) {
      if (const Node* e = r.field(*v, "trajectories", "every", true))
        if (auto x = r.integer(*e, "trajectories.every", 1, 100000))
          s.trajectory_every = static_cast<int>(*x);
      if (const Node* e = r.field(*v, "trajectories", "variables", true)) {
        if (!e->is_seq() || e->seq.empty())
          r.error(*e, "trajectories.variables", "expected a list of run variables");
        else
          for (std::size_t i = 0; i < e->seq.size(); ++i)
            if (auto x = r.string(e->seq[i], "trajectories.variables[" + std::to_string(i) + "]"))
              s.trajectory_variables.push_back(*x);
      }
    }
  }
  if (design != nullptr && d.empty()) check_design(r, *design, s);
  d.throw_if_any();
  s.resolved_yaml = emit_yaml(root);
  return s;
}

}  // namespace

SweepSpec read_sweep_file(const std::string& path) {
  const Node root = load_yaml_file(path);
  return read(root, path, fs::path(path).parent_path().string());
}

SweepSpec read_sweep_text(const std::string& text, const std::string& name,
                          const std::string& dir) {
  return read(parse_yaml(text, name), name, dir);
}

}  // namespace geosim
