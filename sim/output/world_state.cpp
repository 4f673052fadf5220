#include "output/world_state.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>

#include "core/text.hpp"
#include "model/action.hpp"
#include "output/h5_helpers.hpp"

namespace geosim {

namespace {

// A member added to World must be added to the checkpoint too (for_each_array or the records
// below); this check fails the build on the usual platform until it is (then update the size).
#if defined(__x86_64__) && defined(__GLIBCXX__) && !defined(_GLIBCXX_DEBUG)
static_assert(sizeof(World) == 1456,
              "World changed: add the new member to the checkpoint (sim/output/world_state.cpp)");
#endif

/// Every array member of the world, by name (the checkpoint's dataset names).
template <class W, class F>
void for_each_array(W& w, F&& f) {
  f("patron", w.patron);
  f("decay", w.decay);
  f("gdp", w.gdp);
  f("gdp0", w.gdp0);
  f("drag", w.drag);
  f("base", w.base);
  f("pulse", w.pulse);
  f("flow", w.flow);
  f("dep", w.dep);
  f("ref", w.ref);
  f("D", w.D);
  f("D_econ", w.D_econ);
  f("D_sec", w.D_sec);
  f("D_pol", w.D_pol);
  f("B", w.B);
  f("I", w.I);
  f("x", w.x);
  f("x0", w.x0);
  f("lambda", w.lambda);
  f("sanction", w.sanction);
  f("penalty", w.penalty);
  f("penalty_left", w.penalty_left);
  f("compliance", w.compliance);
  f("reexports", w.reexports);
  f("reexports_to", w.reexports_to);
  f("reexport_potential", w.reexport_potential);
  f("nudge", w.nudge);
  f("nudge_weight", w.nudge_weight);
  f("spent", w.spent);
  f("membership", w.membership);
  f("share", w.share);
  f("hedging", w.hedging);
  f("dep_hhi", w.dep_hhi);
  f("spent_year", w.spent_year);
  f("max_alignment_step", w.max_alignment_step);
  f("policy_state", w.policy_state);
  f("budget", w.budget);
  f("frozen", w.frozen);
  f("war", w.war);
  f("inst_dep", w.inst_dep);
  f("preference", w.preference);
}

std::vector<double> flat(const std::vector<Matrix>& ms) {
  std::vector<double> v;
  for (const auto& m : ms) v.insert(v.end(), m.data(), m.data() + m.size());
  return v;
}

struct Writer {
  hid_t g;
  void put(const char* name, const std::vector<hsize_t>& dims, std::span<const double> values) {
    h5::Handle ds = h5::create_dataset(g, name, H5T_IEEE_F64LE, dims, false);
    h5::write_block(ds.get(), std::vector<hsize_t>(dims.size(), 0), dims, values);
  }
  void operator()(const char* name, const Vector& v) {
    put(name, {static_cast<hsize_t>(v.size())}, {v.data(), static_cast<std::size_t>(v.size())});
  }
  void operator()(const char* name, const Matrix& m) {  // row-major: the file's order
    put(name, {static_cast<hsize_t>(m.rows()), static_cast<hsize_t>(m.cols())},
        {m.data(), static_cast<std::size_t>(m.size())});
  }
  void operator()(const char* name, const std::vector<Matrix>& ms) {
    const hsize_t rows = ms.empty() ? 0 : static_cast<hsize_t>(ms[0].rows());
    const hsize_t cols = ms.empty() ? 0 : static_cast<hsize_t>(ms[0].cols());
    put(name, {ms.size(), rows, cols}, flat(ms));
  }
  void operator()(const char* name, const std::vector<double>& v) { put(name, {v.size()}, v); }
  void operator()(const char* name, const std::vector<char>& v) {
    put(name, {v.size()}, std::vector<double>(v.begin(), v.end()));
  }
};

/// State members that legitimately hold non-finite values: the hedging index of an actor no
/// patron reaches is NaN, and an actor without an alignment cap has an infinite one.
bool allows_nan(std::string_view name) {
  return name == "hedging";
}
bool allows_inf(std::string_view name) {
  return name == "max_alignment_step";
}

[[noreturn]] void bad_member(std::string_view member, const std::string& why) {
  throw std::runtime_error("the checkpoint's state member '" + std::string(member) + "' " + why);
}

/// Every value of `name` finite, except where the state allows NaN or +inf.
void check_finite(std::string_view name, const std::vector<double>& d) {
  for (double x : d) {
    if (std::isnan(x) && !allows_nan(name)) bad_member(name, "holds NaN");
    if (std::isinf(x) && !(allows_inf(name) && x > 0)) bad_member(name, "holds an infinite value");
  }
}

/// The range a state member's values must lie in, where the model guarantees one: stocks, flows,
/// budgets and dependences are never negative, GDP is positive, alignments, shares and
/// memberships are fractions. (A damaged value inside them would run on as garbage.)
struct Range {
  std::string_view name;
  double lo, hi;
  bool lo_open;
};
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr Range kRanges[] = {
    {"gdp", 0, kInf, true},
    {"gdp0", 0, kInf, true},
    {"x", 0, 1, false},
    {"x0", 0, 1, false},
    {"share", 0, 1, false},
    {"membership", 0, 1, false},
    {"compliance", 0, 1, false},
    {"patron", 0, 1, false},
    {"B", 0, kInf, false},
    {"D", 0, kInf, false},
    {"D_econ", 0, kInf, false},
    {"D_pol", 0, kInf, false},
    {"D_sec", 0, kInf, false},
    {"I", 0, kInf, false},
    {"base", 0, kInf, false},
    {"flow", 0, kInf, false},
    {"budget", 0, kInf, false},
    {"spent", 0, kInf, false},
    {"spent_year", 0, kInf, false},
    {"dep", 0, kInf, false},
    {"inst_dep", 0, kInf, false},
    {"reexports", 0, kInf, false},
    {"reexports_to", 0, kInf, false},
    {"reexport_potential", 0, kInf, false},
    {"penalty_left", 0, kInf, false},
};

void check_range(std::string_view name, const std::vector<double>& d) {
  for (const Range& r : kRanges) {
    if (r.name != name) continue;
    for (double x : d)
      if (x < r.lo || x > r.hi || (r.lo_open && x == r.lo))
        bad_member(name, "holds " + format_number(x) + ", outside " + (r.lo_open ? "(" : "[") +
                             format_number(r.lo) + ", " + format_number(r.hi) +
                             (r.hi == kInf ? ")" : "]"));
    return;
  }
}

/// A table cell that must be a whole number in [lo, hi): an index, an enum, a count.
int whole(double x, int lo, int hi, std::string_view member, std::string_view field) {
  const auto v = h5::whole_in(x, lo, static_cast<std::int64_t>(hi) - 1);
  if (!v)
    bad_member(member, "has " + std::string(field) + " = " + format_number(x) +
                           ", expected a whole number in [" + std::to_string(lo) + ", " +
                           std::to_string(hi) + ")");
  return static_cast<int>(*v);
}

struct Reader {
  hid_t g;
  std::vector<double> get(const char* name, const std::vector<hsize_t>& expected) {
    if (!h5::has_dataset(g, name))
      throw std::runtime_error(std::string("the checkpoint has no state member '") + name + "'");
    h5::Handle ds = h5::check(H5Dopen2(g, name, H5P_DEFAULT), name);
    if (h5::shape(ds.get()) != expected)
      throw std::runtime_error(std::string("the checkpoint's state member '") + name +
                               "' does not have the shape this scenario needs");
    auto d = h5::read_block(ds.get(), std::vector<hsize_t>(expected.size(), 0), expected);
    check_finite(name, d);
    check_range(name, d);
    return d;
  }
  void operator()(const char* name, Vector& v) {
    const auto d = get(name, {static_cast<hsize_t>(v.size())});
    std::copy(d.begin(), d.end(), v.data());
  }
  void operator()(const char* name, Matrix& m) {
    const auto d = get(name, {static_cast<hsize_t>(m.rows()), static_cast<hsize_t>(m.cols())});
    std::copy(d.begin(), d.end(), m.data());
  }
  void operator()(const char* name, std::vector<Matrix>& ms) {
    const hsize_t rows = ms.empty() ? 0 : static_cast<hsize_t>(ms[0].rows());
    const hsize_t cols = ms.empty() ? 0 : static_cast<hsize_t>(ms[0].cols());
    const auto d = get(name, {ms.size(), rows, cols});
    auto it = d.begin();
    for (auto& m : ms) {
      std::copy(it, it + m.size(), m.data());
      it += m.size();
    }
  }
  void operator()(const char* name, std::vector<double>& v) { v = get(name, {v.size()}); }
  void operator()(const char* name, std::vector<char>& v) {
    const auto d = get(name, {v.size()});
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<char>(d[i]);
  }
  /// A table of `cols` columns and any number of rows.
  std::vector<double> table(const char* name, hsize_t cols, hsize_t& rows) {
    if (!h5::has_dataset(g, name))
      throw std::runtime_error(std::string("the checkpoint has no state member '") + name + "'");
    h5::Handle ds = h5::check(H5Dopen2(g, name, H5P_DEFAULT), name);
    const auto s = h5::shape(ds.get());
    if (s.size() != 2 || s[1] != cols)
      throw std::runtime_error(std::string("the checkpoint's state member '") + name +
                               "' is not a table of the expected width");
    rows = s[0];
    auto d = h5::read_block(ds.get(), {0, 0}, s);
    check_finite(name, d);
    return d;
  }
};

/// Pointers into the scenario's timeline events (participants / transit lists, a conflict's
/// channels) <-> indices.
std::unordered_map<const std::vector<int>*, int> timeline_index(const Scenario& sc) {
  std::unordered_map<const std::vector<int>*, int> m;
  for (std::size_t i = 0; i < sc.timeline.size(); ++i) {
    m[&sc.timeline[i].action.others] = static_cast<int>(i);
    m[&sc.timeline[i].action.channels] = static_cast<int>(i);
  }
  return m;
}

double index_of(const std::unordered_map<const std::vector<int>*, int>& m,
                const std::vector<int>* p) {
  if (p == nullptr) return -1.0;
  const auto it = m.find(p);
  if (it == m.end())
    throw std::logic_error("checkpoint: a world pointer does not point into the timeline");
  return it->second;
}

const std::vector<int>* pointer_of(const Scenario& sc, double index, const char* member,
                                   bool channels = false) {
  if (index < 0.0) return nullptr;
  // Range first: a damaged index may be any double, and casting one past size_t is undefined.
  const auto at = h5::whole_in(index, 0, static_cast<std::int64_t>(sc.timeline.size()) - 1);
  if (!at)
    throw std::runtime_error(std::string("the checkpoint's '") + member +
                             "' holds the event index " + format_number(index) +
                             ", not one of this scenario's");
  const auto i = static_cast<std::size_t>(*at);
  const bool ok = i < sc.timeline.size() && (channels ? !sc.timeline[i].action.channels.empty()
                                                      : !sc.timeline[i].action.others.empty());
  if (!ok)
    throw std::runtime_error(std::string("the checkpoint's '") + member +
                             "' names a timeline event this scenario does not have");
  return channels ? &sc.timeline[i].action.channels : &sc.timeline[i].action.others;
}

constexpr hsize_t kProgramCols = 8, kThreatCols = 7, kLogCols = 8;
constexpr hsize_t kConflictCols = 6, kDeploymentCols = 6, kRampCols = 7;

}  // namespace

void write_world_state(hid_t g, const World& w, const Scenario& sc) {
  h5::write_attr(g, "state_version", std::int32_t{kWorldStateVersion});
  h5::write_attr(g, "n", std::int32_t{w.n});
  h5::write_attr(g, "k", std::int32_t{w.k});
  h5::write_attr(g, "p", std::int32_t{w.p});
  h5::write_attr(g, "turn", std::int32_t{w.turn});
  h5::write_attr(g, "next_event", static_cast<std::int64_t>(w.next_event));
  Writer out{g};
  for_each_array(w, out);
  const auto index = timeline_index(sc);
  std::vector<double> v;
  for (const auto* p : w.sanction_transit) v.push_back(index_of(index, p));
  out("sanction_transit", v);

  v.clear();
  for (const Program& p : w.programs)
    v.insert(v.end(), {double(p.channel), double(p.from), double(p.to), p.rate,
                       double(p.turns_left), double(p.instrument), p.spend, p.equipment});
  out.put("programs", {w.programs.size(), kProgramCols}, v);
  v.clear();
  for (const Threat& t : w.threats)
    v.insert(v.end(), {double(t.sender), double(t.transit), double(t.target), t.penalty,
                       t.detection, double(t.since), t.compliance});
  out.put("threats", {w.threats.size(), kThreatCols}, v);
  v.clear();
  for (const LoggedEvent& e : w.log)
    v.insert(v.end(), {double(e.turn), double(static_cast<int>(e.action)),
                       double(static_cast<int>(e.cause)), double(e.actor), double(e.target),
                       index_of(index, e.others), e.amount, double(e.bloc)});
  out.put("log", {w.log.size(), kLogCols}, v);
  v.clear();
  for (const Conflict& c : w.conflicts)
    v.insert(v.end(), {double(c.a), double(c.b), c.intensity, double(c.first), double(c.last),
                       index_of(index, c.channels)});
  out.put("conflicts", {w.conflicts.size(), kConflictCols}, v);
  v.clear();
  for (const Deployment& d : w.deployments)
    v.insert(v.end(), {double(d.from), double(d.to), double(d.channel), d.personnel,
                       double(d.turns_left), d.cost});
  out.put("deployments", {w.deployments.size(), kDeploymentCols}, v);
  v.clear();
  for (const Ramp& r : w.ramps)
    v.insert(v.end(), {double(r.channel), double(r.i), double(r.j), r.start, r.end, double(r.turns),
                       double(r.done)});
  out.put("ramps", {w.ramps.size(), kRampCols}, v);
}

void read_world_state(hid_t g, World& w, const Scenario& sc) {
  if (h5::read_int_attr(g, "state_version") != kWorldStateVersion)
    throw std::runtime_error("the checkpoint's state layout is version " +
                             std::to_string(h5::read_int_attr(g, "state_version")) +
                             "; this geosim reads version " + std::to_string(kWorldStateVersion));
  if (h5::read_int_attr(g, "n") != w.n || h5::read_int_attr(g, "k") != w.k ||
      h5::read_int_attr(g, "p") != w.p)
    throw std::runtime_error(
        "the checkpoint's numbers of actors, channels or poles differ from the scenario's");
  w.turn = static_cast<int>(h5::read_int_attr(g, "turn"));
  w.next_event = static_cast<std::size_t>(h5::read_int_attr(g, "next_event"));
  if (w.next_event > sc.timeline.size())
    throw std::runtime_error("the checkpoint's timeline position is past this scenario's end");
  Reader in{g};
  for_each_array(w, in);
  find_senders(w);  // derived from the arrays: not saved
  const auto transit = in.get("sanction_transit", {w.sanction_transit.size()});
  for (std::size_t i = 0; i < transit.size(); ++i)
    w.sanction_transit[i] = pointer_of(sc, transit[i], "sanction_transit");

  // Every index a record holds is checked against the scenario before the turn loop uses it.
  const int n = w.n, k = w.k, turns = sc.turns;
  const int actions = static_cast<int>(kActionNames.size());
  const int causes = static_cast<int>(kCauseNames.size());
  const int blocs = static_cast<int>(sc.blocs.size());
  if (w.turn < 0 || w.turn >= turns)
    throw std::runtime_error("the checkpoint's turn " + std::to_string(w.turn) +
                             " is outside this scenario's run");
  // The record lists keep the capacity make_world reserved (the turn loop must not allocate).
  hsize_t rows = 0;
  auto d = in.table("programs", kProgramCols, rows);
  w.programs.clear();
  for (hsize_t r = 0; r < rows; ++r) {
    const double* x = &d[r * kProgramCols];
    const char* m = "programs";
    w.programs.push_back(Program{whole(x[0], 0, k, m, "channel"), whole(x[1], 0, n, m, "from"),
                                 whole(x[2], 0, n, m, "to"), x[3],
                                 whole(x[4], 0, std::numeric_limits<int>::max(), m, "turns_left"),
                                 whole(x[5], -1, kInstrumentCount, m, "instrument"), x[6], x[7]});
  }
  d = in.table("threats", kThreatCols, rows);
  w.threats.clear();
  for (hsize_t r = 0; r < rows; ++r) {
    const double* x = &d[r * kThreatCols];
    const char* m = "threats";
    w.threats.push_back(Threat{whole(x[0], 0, n, m, "sender"), whole(x[1], 0, n, m, "transit"),
                               whole(x[2], 0, n, m, "target"), x[3], x[4],
                               whole(x[5], 0, turns, m, "since"), x[6]});
  }
  d = in.table("log", kLogCols, rows);
  w.log.clear();
  for (hsize_t r = 0; r < rows; ++r) {
    const double* x = &d[r * kLogCols];
    const char* m = "log";
    w.log.push_back(LoggedEvent{whole(x[0], 0, turns, m, "turn"),
                                static_cast<ActionType>(whole(x[1], 0, actions, m, "action")),
                                static_cast<Cause>(whole(x[2], 0, causes, m, "cause")),
                                whole(x[3], -1, n, m, "actor"), whole(x[4], -1, n, m, "target"),
                                pointer_of(sc, x[5], "log"), x[6],
                                whole(x[7], -1, blocs, m, "bloc")});
  }
  d = in.table("conflicts", kConflictCols, rows);
  w.conflicts.clear();
  for (hsize_t r = 0; r < rows; ++r) {
    const double* x = &d[r * kConflictCols];
    const char* m = "conflicts";
    w.conflicts.push_back(Conflict{whole(x[0], 0, n, m, "a"), whole(x[1], 0, n, m, "b"), x[2],
                                   whole(x[3], 0, turns + 1, m, "first"),
                                   whole(x[4], 0, std::numeric_limits<int>::max(), m, "last"),
                                   pointer_of(sc, x[5], "conflicts", true)});
  }
  d = in.table("deployments", kDeploymentCols, rows);
  w.deployments.clear();
  for (hsize_t r = 0; r < rows; ++r) {
    const double* x = &d[r * kDeploymentCols];
    const char* m = "deployments";
    w.deployments.push_back(Deployment{
        whole(x[0], 0, n, m, "from"), whole(x[1], 0, n, m, "to"), whole(x[2], -1, k, m, "channel"),
        x[3], whole(x[4], 0, std::numeric_limits<int>::max(), m, "turns_left"), x[5]});
  }
  d = in.table("ramps", kRampCols, rows);
  w.ramps.clear();
  for (hsize_t r = 0; r < rows; ++r) {
    const double* x = &d[r * kRampCols];
    const char* m = "ramps";
    const int channel = whole(x[0], kRampPreference, k, m, "channel");
    // A base flow and a preference are (actor, actor) cells; an anchor is (actor, pole).
    const int cols = channel == kRampAnchor ? w.p : n;
    const int steps = whole(x[5], 1, std::numeric_limits<int>::max(), m, "turns");
    w.ramps.push_back(Ramp{channel, whole(x[1], 0, n, m, "i"), whole(x[2], 0, cols, m, "j"), x[3],
                           x[4], steps, whole(x[6], 0, steps, m, "done")});
  }
}

}  // namespace geosim
