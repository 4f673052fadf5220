#include "study/sweep_plan.hpp"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/calendar.hpp"
#include "core/text.hpp"
#include "core/version.hpp"
#include "output/run_schema.hpp"
#include "scenario/load.hpp"

namespace geosim {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

/// A turn from "N" or a date "YYYY-MM[-DD]"; nullopt if neither or outside the run.
std::optional<int> turn_of(const std::string& text, const Scenario& sc) {
  int t = -1;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), t);
  if (ec == std::errc() && p == text.data() + text.size()) {
    // a turn number
  } else if (const auto d = parse_date(text.size() == 7 ? text + "-01" : text)) {
    const int m = months_between(sc.start, *d);
    t = m < 0 ? -1 : m / sc.months_per_turn;
  } else {
    return std::nullopt;
  }
  if (t < 0 || t >= sc.turns) return std::nullopt;
  return t;
}

std::vector<std::string> labels_of(Dim d, const Scenario& sc) {
  std::vector<std::string> v;
  switch (d) {
    case Dim::actor:
    case Dim::target:
      for (const auto& a : sc.actors) v.push_back(a.code);
      break;
    case Dim::channel:
      for (const auto& c : sc.channels) v.push_back(c.name);
      break;
    case Dim::pole:
      for (const auto& p : sc.poles) v.push_back(p.code);
      break;
    case Dim::instrument:
      for (auto n : kInstrumentNames) v.emplace_back(n);
      break;
    case Dim::turn:
    case Dim::event:
      break;
  }
  return v;
}

int find_variable(const std::string& name) {
  const auto& vars = run_variables();
  for (std::size_t i = 0; i < vars.size(); ++i)
    if (vars[i].name == name) return static_cast<int>(i);
  return -1;
}

std::vector<std::string> variable_names() {
  std::vector<std::string> v;
  for (const auto& x : run_variables()) v.emplace_back(x.name);
  return v;
}

/// The metric's window of turns, checked against the run; a year or month window is reported
/// once, as written.
void resolve_window(const SweepOutput& o, const Scenario& sc, Diagnostics& d, MetricDef& m) {
  const std::string p = "outputs[" + o.name + "]";
  const int last = sc.turns - 1;
  m.from_turn = 0;
  m.to_turn = last;
  const std::string run =
      sc.start.str().substr(0, 7) + " to " + sc.date_of_turn(last).str().substr(0, 7);
  const bool as_written = !o.period.empty() && o.period.find("..") == std::string::npos;
  if (as_written) {  // year: YYYY or month: YYYY-MM
    const auto a = turn_of(o.from, sc), b = turn_of(o.to, sc);
    if (a && b) {
      m.from_turn = *a;
      m.to_turn = *b;
    } else {
      const bool year = o.period.size() == 4;
      d.error(o.where, p + (year ? ".year" : ".month"),
              std::string(year ? "the year " : "the month ") + o.period +
                  (year ? " is not wholly inside the run (" : " is outside the run (") + run + ")");
    }
    return;
  }
  const auto window = [&](const std::string& text, const char* key, int& out) {
    if (text.empty()) return;
    if (const auto t = turn_of(text, sc))
      out = *t;
    else
      d.error(o.where, p + "." + key,
              "expected a turn from 0 to " + std::to_string(last) + " or a date from " +
                  sc.start.str() + " to " + sc.date_of_turn(last).str() + ", got '" + text +
                  "' (the run covers " + run + ")");
  };
  window(o.from, "from", m.from_turn);
  window(o.to, "to", m.to_turn);
  if (m.from_turn > m.to_turn) d.error(o.where, p + ".from", "the window ends before it starts");
}

/// A derived quantity (study/derived_metric.hpp): its actor, partner and channel.
MetricDef& resolve_derived(const SweepOutput& o, Derived kind, const Scenario& sc, Diagnostics& d,
                           MetricDef& m) {
  const std::string p = "outputs[" + o.name + "]";
  m.derived.kind = kind;
  m.units = "1";
  const auto label = [&](const char* dim) -> const std::string* {
    for (const auto& [k, v] : o.index)
      if (k == dim) return &v;
    return nullptr;
  };
  for (const auto& [k, v] : o.index)
    if (k != "actor" && k != "target" && k != "channel")
      d.error(o.where, p + "." + k, o.variable + " takes actor, target and channel, not " + k);
  const auto find = [&](const char* dim, Dim axis, bool required, int& out) {
    const std::string* v = label(dim);
    if (v == nullptr) {
      if (required)
        d.error(o.where, p + "." + dim,
                o.variable + " needs " + dim + ": one of " + join_words(labels_of(axis, sc)));
      return;
    }
    const auto labels = labels_of(axis, sc);
    const auto pos = std::find(labels.begin(), labels.end(), *v);
    if (pos == labels.end())
      d.error(o.where, p + "." + dim,
              "unknown " + std::string(dim) + " '" + *v + "'" + did_you_mean(*v, labels));
    else
      out = static_cast<int>(pos - labels.begin());
  };
  find("actor", Dim::actor, true, m.derived.actor);
  find("target", Dim::target, kind != Derived::inflow_gdp, m.derived.partner);
  if (kind == Derived::turnover_share && label("channel") == nullptr) {
    const auto labels = labels_of(Dim::channel, sc);
    const auto pos = std::find(labels.begin(), labels.end(), "trade");
    if (pos == labels.end())
      d.error(o.where, p + ".channel", "the scenario has no channel 'trade': name one");
    else
      m.derived.channel = static_cast<int>(pos - labels.begin());
  } else {
    m.derived.channel = -1;
    find("channel", Dim::channel, true, m.derived.channel);
    if (m.derived.channel >= 0 && kind == Derived::inflow_gdp) {
      const std::string& unit = sc.channels[static_cast<std::size_t>(m.derived.channel)].unit;
      if (unit != "USD m/yr" && unit != "USD m")
        d.error(o.where, p + ".channel",
                "inflow_gdp compares money with gdp: channel '" +
                    sc.channels[static_cast<std::size_t>(m.derived.channel)].name + "' is in " +
                    unit + ", expected USD m/yr or USD m");
    }
  }
  if (m.derived.actor >= 0 && m.derived.actor == m.derived.partner)
    d.error(o.where, p + ".target", "the partner must differ from the actor");
  if (o.reduce == Reduce::sum) m.units = "turns";
  resolve_window(o, sc, d, m);
  m.long_name = std::string(kReduceNames[static_cast<int>(o.reduce)]) + " of " + o.variable +
                " (actor " + (label("actor") ? *label("actor") : "") +
                (label("target") ? ", target " + *label("target") : "") +
                (label("channel") ? ", channel " + *label("channel") : "") + ") over turns " +
                std::to_string(m.from_turn) + ".." + std::to_string(m.to_turn);
  return m;
}

MetricDef resolve_metric(const SweepOutput& o, const Scenario* sc, Diagnostics& d) {
  const std::string p = "outputs[" + o.name + "]";
  MetricDef m;
  m.name = o.name;
  m.reduce = o.reduce;
  if (sc == nullptr) {  // a test function: ishigami or gaussian
    if (o.variable != "y") d.error(o.where, p + ".variable", "a test model has one output, 'y'");
    m.units = "1";
    m.long_name = "test function y";
    return m;
  }
  if (const auto kind = derived_kind(o.variable)) return resolve_derived(o, *kind, *sc, d, m);
  m.variable = find_variable(o.variable);
  if (m.variable < 0) {
    auto names = variable_names();
    for (int k = 1; k < 4; ++k) names.emplace_back(kDerivedNames[k]);
    d.error(o.where, p + ".variable",
            "unknown run variable or derived quantity '" + o.variable + "'" +
                did_you_mean(o.variable, names) +
                " (docs/output-format.md; derived: turnover_share, import_share, inflow_gdp)");
    return m;
  }
  const RunVariable& v = run_variables()[static_cast<std::size_t>(m.variable)];
  m.units = std::string(v.units);
  if (o.reduce == Reduce::sum)  // a sum over turns of a rate per year: rate x turns
    m.units = m.units == "1" ? "turns" : m.units + " x turns";
  std::string where_text;
  std::size_t stride = 1;
  std::vector<std::pair<std::size_t, std::size_t>> idx;  // (label index, axis length)
  for (std::size_t a = 0; a < v.dims.size(); ++a) {
    const std::string dim(kDimNames[static_cast<std::size_t>(v.dims[a])]);
    const auto it = std::find_if(o.index.begin(), o.index.end(),
                                 [&](const auto& kv) { return kv.first == dim; });
    const auto labels = labels_of(v.dims[a], *sc);
    if (it == o.index.end()) {
      d.error(o.where, p + "." + dim,
              "variable '" + o.variable + "' needs " + dim + ": one of " + join_words(labels));
      return m;
    }
    const auto pos = std::find(labels.begin(), labels.end(), it->second);
    if (pos == labels.end()) {
      d.error(o.where, p + "." + dim,
              "unknown " + dim + " '" + it->second + "'" + did_you_mean(it->second, labels));
      return m;
    }
    idx.emplace_back(static_cast<std::size_t>(pos - labels.begin()), labels.size());
    where_text += (where_text.empty() ? "" : ", ") + dim + " " + it->second;
  }
  for (const auto& [k, label] : o.index) {
    if (std::none_of(v.dims.begin(), v.dims.end(),
                     [&](Dim x) { return kDimNames[static_cast<std::size_t>(x)] == k; }))
      d.error(o.where, p + "." + k, "variable '" + o.variable + "' has no " + k + " axis");
  }
  const bool by_channel = !v.dims.empty() && v.dims.front() == Dim::channel;
  std::size_t first = 0;
  if (by_channel) {
    m.block = static_cast<int>(idx.front().first);
    first = 1;
    // One channel's cell has that channel's unit (flow: "mixed: see channel_unit" as a whole).
    if (m.units.rfind("mixed", 0) == 0 && o.reduce != Reduce::sum)
      m.units = sc->channels[idx.front().first].unit;
  }
  m.offset = 0;
  for (std::size_t a = idx.size(); a-- > first;) {
    m.offset += idx[a].first * stride;
    stride *= idx[a].second;
  }
  resolve_window(o, *sc, d, m);
  m.long_name = std::string(kReduceNames[static_cast<int>(o.reduce)]) + " of " + o.variable + " (" +
                where_text + ") over turns " + std::to_string(m.from_turn) + ".." +
                std::to_string(m.to_turn);
  return m;
}

/// The most rows a list design's CSV file may have.
constexpr std::size_t kMaxListRows = 10'000'000;

/// Rows of a CSV file whose header names every parameter (in any order).
std::vector<double> read_list(const SweepSpec& s, std::size_t& rows) {
  std::error_code ec;
  if (std::filesystem::is_directory(s.list_file, ec))
    throw InputError(Location{s.list_file, 0, 0}, "design.file", "is a folder, not a CSV file");
  std::ifstream in(s.list_file, std::ios::binary);
  if (!in) throw InputError(Location{s.list_file, 0, 0}, "design.file", "cannot read the file");
  Diagnostics d;
  std::string line;
  int line_no = 0;
  std::vector<int> column;  // parameter k is in column column[k]
  std::vector<double> values;
  rows = 0;
  const auto split = [](const std::string& l) {
    std::vector<std::string> out;
    std::stringstream ss(l);
    std::string cell;
    while (std::getline(ss, cell, ',')) out.push_back(trim(cell));
    if (!l.empty() && l.back() == ',') out.emplace_back();
    return out;
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    const auto cells = split(line);
    if (column.empty()) {
      for (const auto& q : s.parameters) {
        const auto it = std::find(cells.begin(), cells.end(), q.name);
        if (it == cells.end())
          d.error(Location{s.list_file, line_no, 1}, "design.file",
                  "the header has no column '" + q.name + "' (one per parameter; got " +
                      join_words(cells) + ")");
        column.push_back(static_cast<int>(it - cells.begin()));
      }
      d.throw_if_any();
      continue;
    }
    for (std::size_t k = 0; k < column.size(); ++k) {
      const auto c = static_cast<std::size_t>(column[k]);
      double x = std::nan("");
      const std::string cell = c < cells.size() ? cells[c] : std::string();
      const auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), x);
      if (cell.empty() || ec != std::errc() || p != cell.data() + cell.size() || !std::isfinite(x))
        d.error(
            Location{s.list_file, line_no, static_cast<int>(c + 1)}, "design.file",
            "column '" + s.parameters[k].name + "': expected a finite number, got '" + cell + "'");
      values.push_back(x);
    }
    if (++rows > kMaxListRows)
      throw InputError(Location{s.list_file, line_no, 1}, "design.file",
                       "more than " + std::to_string(kMaxListRows) +
                           " rows (a list design may have at most that many points)");
  }
  if (column.empty())
    d.error(Location{s.list_file, 0, 0}, "design.file", "the file has no header row");
  else if (rows == 0)
    d.error(Location{s.list_file, 0, 0}, "design.file", "the file has no rows of values");
  d.throw_if_any();
  return values;
}

/// Points hashed at a time by make_plan.
constexpr std::size_t kHashBlock = 4096;

}  // namespace

void SweepPlan::points(std::size_t first, std::size_t count, std::span<double> out) const {
  const std::size_t np = n_parameters();
  if (first > n_points || count > n_points - first || out.size() != count * np)
    throw std::out_of_range("SweepPlan::points: rows " + std::to_string(first) + " + " +
                            std::to_string(count) + " of " + std::to_string(n_points));
  if (count == 0 || np == 0) return;
  const auto from_unit = [&] {
    for (std::size_t i = 0; i < count; ++i)
      for (std::size_t k = 0; k < np; ++k)
        out[i * np + k] = spec.parameters[k].distribution->value(out[i * np + k]);
  };
  switch (spec.design) {
    case DesignKind::grid: {
      std::vector<std::size_t> levels, idx(count * np);
      for (const auto& q : spec.parameters) levels.push_back(q.levels.size());
      sweep::grid_rows(levels, first, count, idx);
      for (std::size_t i = 0; i < count * np; ++i) out[i] = spec.parameters[i % np].levels[idx[i]];
      return;
    }
    case DesignKind::list:
      std::copy_n(list_values.begin() + static_cast<std::ptrdiff_t>(first * np), count * np,
                  out.begin());
      return;
    case DesignKind::mc:
      sweep::monte_carlo_rows(spec.n, np, spec.seed, first, count, out);
      break;
    case DesignKind::lhs:
      sweep::latin_hypercube_rows(spec.n, np, spec.seed, first, count, out);
      break;
    case DesignKind::sobol:
      sweep::saltelli_rows(spec.n, np, spec.seed, sweep::SobolScramble::digital_shift, first, count,
                           out);
      break;
    case DesignKind::morris:
      sweep::morris_rows(spec.n, np, spec.seed, spec.morris_levels, first, count, out);
      break;
  }
  from_unit();
}

std::vector<double> SweepPlan::point(std::size_t p) const {
  std::vector<double> v(n_parameters());
  points(p, 1, v);
  return v;
}

SweepPlan make_plan(const SweepSpec& spec) {
  SweepPlan plan;
  plan.spec = spec;
  Diagnostics d;
  const std::size_t np = spec.parameters.size();
  if (spec.model == SweepModel::scenario) {
    plan.scenario = std::make_shared<const Scenario>(load_scenario(spec.scenario, spec.sets));
    for (const auto& q : spec.parameters) {
      try {
        plan.edits.push_back(ScenarioEdit::resolve(*plan.scenario, q.path, q.where));
      } catch (const InputError& e) {
        for (const auto& x : e.diagnostics())
          d.error(q.where, "parameters[" + q.name + "].path", x.key_path + ": " + x.message);
      }
    }
  } else if (spec.model == SweepModel::gaussian) {
    // mu is the model's mean; x2 .. x9 are inert dummies.
    std::set<std::string> seen;
    for (const auto& q : spec.parameters) {
      const bool ok = q.path == "mu" || (q.path.size() == 2 && q.path[0] == 'x' &&
                                         q.path[1] >= '2' && q.path[1] <= '9');
      if (!ok || !seen.insert(q.path).second)
        d.error(q.where, "parameters[" + q.name + "].path",
                "model gaussian takes mu (its mean) and x2 .. x9 (inert dummies), each once; "
                "got '" +
                    q.path + "'");
    }
    if (!seen.count("mu")) d.error(spec.design_where, "parameters", "model gaussian needs mu");
  } else {
    // x1, x2, x3 are the function's inputs; x4 .. x9 are inert dummies (for screening).
    std::set<std::string> seen;
    for (const auto& q : spec.parameters) {
      const bool ok =
          q.path.size() == 2 && q.path[0] == 'x' && q.path[1] >= '1' && q.path[1] <= '9';
      if (!ok || !seen.insert(q.path).second)
        d.error(q.where, "parameters[" + q.name + "].path",
                "model ishigami takes x1, x2, x3 (its inputs) and x4 .. x9 (inert dummies), each "
                "once; got '" +
                    q.path + "'");
    }
    if (!seen.count("x1") || !seen.count("x2") || !seen.count("x3"))
      d.error(spec.design_where, "parameters", "model ishigami needs x1, x2 and x3");
  }
  for (const auto& o : spec.outputs)
    plan.metrics.push_back(resolve_metric(o, plan.scenario.get(), d));
  if (spec.trajectory_every > 0) {
    if (!plan.scenario)
      d.error(spec.trajectory_where, "trajectories", "a test model has no trajectories");
    else {
      for (const auto& name : spec.trajectory_variables) {
        TrajectoryDef t;
        t.name = name;
        t.variable = find_variable(name);
        if (t.variable < 0) {
          d.error(spec.trajectory_where, "trajectories.variables",
                  "unknown run variable '" + name + "'" + did_you_mean(name, variable_names()));
          continue;
        }
        const RunVariable& v = run_variables()[static_cast<std::size_t>(t.variable)];
        t.cells = 1;
        for (Dim x : v.dims) {
          t.dim_names.emplace_back(kDimNames[static_cast<std::size_t>(x)]);
          t.dim_labels.push_back(labels_of(x, *plan.scenario));
          t.cells *= t.dim_labels.back().size();
        }
        t.units = std::string(v.units);
        t.long_name = std::string(v.long_name);
        plan.trajectories.push_back(std::move(t));
      }
      const int turns = plan.scenario->turns;
      for (int t = 0; t < turns; t += spec.trajectory_every) plan.trajectory_turns.push_back(t);
      if (plan.trajectory_turns.back() != turns - 1) plan.trajectory_turns.push_back(turns - 1);
    }
  }
  d.throw_if_any();

  // The design: its size now, its values when they are needed (SweepPlan::points).
  switch (spec.design) {
    case DesignKind::grid: {
      // At most 2^40 points, as `n` of the other designs (and no overflow on the way).
      constexpr std::size_t kMaxPoints = std::size_t{1} << 40;
      plan.n_points = 1;
      for (const auto& q : spec.parameters) {
        if (plan.n_points > kMaxPoints / std::max<std::size_t>(1, q.levels.size())) {
          d.error(spec.design_where, "design",
                  "the grid has more than 2^40 points (the product of the parameters' level "
                  "counts); use fewer levels or a sampling design (mc, lhs, sobol)");
          break;
        }
        plan.n_points *= q.levels.size();
      }
      d.throw_if_any();
      break;
    }
    case DesignKind::list:
      if (spec.list_file.empty()) {
        if (np == 0 || spec.list_rows.size() % np != 0)
          throw std::invalid_argument("make_plan: list rows do not fit the parameters");
        plan.list_values = spec.list_rows;
        plan.n_points = spec.list_rows.size() / np;
      } else {
        plan.list_values = read_list(spec, plan.n_points);
      }
      break;
    case DesignKind::mc:
    case DesignKind::lhs:
      plan.n_points = spec.n;
      break;
    case DesignKind::sobol:
      plan.n_points = sweep::SaltelliLayout{spec.n, np}.n_rows();
      break;
    case DesignKind::morris:
      plan.n_points = spec.n * (np + 1);
      break;
  }
  // At most kMaxSweepRuns runs, refused before anything is computed (hashing the values of
  // 10^12 points would take hours): the number in the message is the one the design makes.
  if (const long double runs = static_cast<long double>(plan.n_points) * spec.replicates;
      runs > static_cast<long double>(kMaxSweepRuns)) {
    char text[64];
    std::snprintf(text, sizeof text, "%.4Lg", runs);
    d.error(spec.design_where, "design",
            "the design makes " + std::to_string(plan.n_points) + " points x " +
                std::to_string(spec.replicates) + " replicates = " + text +
                " runs; a sweep may have at most 10^9: make it smaller or split it into several "
                "sweeps (different seeds)");
    d.throw_if_any();
  }

  // The program's version and commit too: resuming with a rebuilt geosim whose model may
  // differ would mix results; its plan is then another plan, refused in the same folder. The
  // values are hashed block by block as they are computed: the plan never holds them all,
  // and a process whose arithmetic gives other values (another libm) sees another plan.
  Fnv1a hash;
  hash.add(version()).add(" ").add(git_commit()).add("\n").add(spec.resolved_yaml);
  hash.add(plan.scenario ? std::string_view(plan.scenario->resolved_yaml)
                         : std::string_view(kSweepModelNames[static_cast<int>(spec.model)]));
  std::vector<double> block;
  for (std::size_t first = 0; first < plan.n_points; first += kHashBlock) {
    const std::size_t count = std::min(kHashBlock, plan.n_points - first);
    block.resize(count * np);
    plan.points(first, count, block);
    for (double x : block) hash.add_word(std::bit_cast<std::uint64_t>(x));
  }
  plan.hash = hash.hex();
  return plan;
}

}  // namespace geosim
