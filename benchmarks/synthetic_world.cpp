#include "synthetic_world.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "model/channel_defaults.hpp"

namespace geosim {

namespace {

/// Numbers from std::mt19937_64 bits, converted by hand so that the stream is the same with
/// any standard library (std::uniform_real_distribution and friends are not portable).
class Rand {
 public:
  explicit Rand(std::uint64_t seed) : g_(seed) {}
  double uniform() { return static_cast<double>(g_() >> 11) * 0x1.0p-53; }  ///< [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  double log_uniform(double lo, double hi) { return lo * std::exp(std::log(hi / lo) * uniform()); }
  int below(int n) { return std::min(n - 1, static_cast<int>(uniform() * n)); }  ///< [0, n)
  int between(int lo, int hi) { return lo + below(hi - lo + 1); }                ///< [lo, hi]
  bool chance(double p) { return uniform() < p; }

 private:
  std::mt19937_64 g_;
};

constexpr int kPoles = 3;
constexpr int kMaxTradePartners = 10;  ///< other clients each client picks as trade partners

std::string padded(int i, int width) {
  std::string s = std::to_string(i);
  return std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(s.size()))),
                     '0') +
         s;
}

class Builder {
 public:
  Builder(int n, int turns, std::uint64_t seed) : n_(n), s_(n - kPoles), rng_(seed) {
    sc_.name = "synthetic_" + std::to_string(n);
    sc_.description = "Synthetic benchmark world: " + std::to_string(n) +
                      " actors (3 patrons), seed " + std::to_string(seed) + ". Not data.";
    sc_.start = Date{2022, 1, 1};
    sc_.months_per_turn = 1;
    sc_.turns = turns;
    sc_.seed = seed;
    sc_.channels = default_channels(sc_.version);
    linked_.assign(static_cast<std::size_t>(n) * n, 0);
  }

  Scenario build() {
    poles_and_blocs();
    actors();
    flows();
    timeline();
    return std::move(sc_);
  }

 private:
  int ch(const char* name) const { return sc_.channel_index(name); }
  bool is_client(int i) const { return i >= kPoles; }
  int random_client() { return kPoles + rng_.below(s_); }
  int random_patron() { return rng_.below(kPoles); }

  void flow(const char* channel, int from, int to, double value, bool decaying = false) {
    FlowEntry f;
    f.channel = ch(channel);
    f.from = from;
    f.to = to;
    f.value = value;
    f.decaying = decaying;
    f.source = "synthetic";
    sc_.flows.push_back(f);
  }

  /// Turnover between two actors, split unevenly between the two directions; once per pair.
  void trade(int a, int b, double turnover) {
    const std::size_t ab = static_cast<std::size_t>(a) * n_ + b;
    const std::size_t ba = static_cast<std::size_t>(b) * n_ + a;
    if (a == b || linked_[ab]) return;
    linked_[ab] = linked_[ba] = 1;
    const double share = rng_.uniform(0.35, 0.65);
    flow("trade", a, b, turnover * share);
    flow("trade", b, a, turnover * (1.0 - share));
    traded_with_c_[a] += b == 2 ? turnover : 0.0;
    traded_with_c_[b] += a == 2 ? turnover : 0.0;
  }

  /// Gravity-like turnover in USD m/yr: about 3% of the geometric mean of the two gdps.
  double gravity(int a, int b, double factor) {
    return factor * 1000.0 * std::sqrt(sc_.actors[a].gdp * sc_.actors[b].gdp);
  }

  void poles_and_blocs() {
    const std::array<const char*, kPoles> codes = {"pole_a", "pole_b", "pole_c"};
    for (int q = 0; q < kPoles; ++q)
      sc_.poles.push_back(PoleSpec{codes[q], std::string("Pole of patron ") + "ABC" [q], { q }});
    // One bloc led by each patron, then one regional bloc of clients per 50 actors.
    for (int q = 0; q < kPoles; ++q)
      sc_.blocs.push_back(
          BlocSpec{std::string("B") + "ABC"[q], std::string("Bloc of patron ") + "ABC"[q], 1.0});
    regions_ = std::max(1, n_ / 50);
    for (int r = 0; r < regions_; ++r)
      sc_.blocs.push_back(
          BlocSpec{"R" + padded(r + 1, 2), "Regional bloc " + std::to_string(r + 1), 1.0});
  }

  void actors() {
    // Patrons: a large western-like economy (A), a large lender (B), a smaller energy
    // exporter that hosts migrant workers and supplies arms (C).
    struct Profile {
      const char* code;
      double gdp, growth, military;
      std::array<double, kInstrumentCount> budgets;  // per client, USD m/yr
      std::vector<int> blocs;
    };
    const std::array<Profile, kPoles> patrons = {{
        {"PA", 24000, 0.04, 850, {15, 4, 1, 0.2, 0}, {0}},
        {"PB", 18000, 0.05, 290, {8, 2, 1, 0.5, 100}, {1}},
        {"PC", 2300, 0.03, 86, {5, 6, 3, 0.5, 10}, {1, 2}},
    }};
    for (int q = 0; q < kPoles; ++q) {
      const Profile& p = patrons[q];
      ActorSpec a;
      a.code = p.code;
      a.name = std::string("Patron ") + "ABC"[q];
      a.role = Role::patron;
      a.gdp = p.gdp * rng_.uniform(0.9, 1.1);
      a.growth = p.growth;
      a.military = p.military * rng_.uniform(0.9, 1.1);
      a.budget = sc_.params.budget_share_of_gdp * a.gdp;
      for (int k = 0; k < kInstrumentCount; ++k) a.budgets[k] = p.budgets[k] * s_;
      a.anchor = Vector::Zero(kPoles);
      a.anchor(q) = 1.0;
      a.alignment = a.anchor;
      a.susceptibility = 0.0;
      a.blocs = p.blocs;
      sc_.actors.push_back(std::move(a));
    }
    lean_.assign(n_, 0);
    traded_with_c_.assign(n_, 0.0);
    for (int i = kPoles; i < n_; ++i) {
      ActorSpec a;
      a.code = "C" + padded(i, 4);
      a.name = "Client " + std::to_string(i);
      a.role = i % 10 == 9 ? Role::other : Role::client;
      a.gdp = rng_.log_uniform(2.0, 2000.0);
      a.growth = rng_.uniform(0.0, 0.12);
      a.military = a.gdp * rng_.uniform(0.005, 0.03);
      a.budget = sc_.params.budget_share_of_gdp * a.gdp;
      const int lean = rng_.below(kPoles);
      lean_[i] = lean;
      a.anchor = Vector::Zero(kPoles);
      for (int q = 0; q < kPoles; ++q)
        a.anchor(q) = rng_.uniform(0.05, 0.5) + (q == lean ? rng_.uniform(0.3, 1.0) : 0.0);
      a.anchor /= a.anchor.sum();
      Vector noise(kPoles);
      for (int q = 0; q < kPoles; ++q) noise(q) = rng_.uniform(0.0, 1.0);
      a.alignment = 0.9 * a.anchor + 0.1 * noise / noise.sum();
      a.alignment /= a.alignment.sum();
      a.susceptibility = rng_.uniform(0.2, 0.7);
      a.stability = rng_.uniform(0.5, 1.0);
      if (rng_.chance(0.5)) a.blocs.push_back(lean);
      if (rng_.chance(0.7)) a.blocs.push_back(kPoles + region(i));
      sc_.actors.push_back(std::move(a));
    }
  }

  int region(int i) const { return (i - kPoles) * regions_ / s_; }

  void flows() {
    const auto& A = sc_.actors;
    // Trade: patrons among themselves, each client with the three patrons and with about ten
    // other clients (twice as much inside its region).
    for (int a = 0; a < kPoles; ++a)
      for (int b = a + 1; b < kPoles; ++b)
        trade(a, b, gravity(a, b, 0.03) * rng_.uniform(0.5, 1.5));
    for (int i = kPoles; i < n_; ++i)
      for (int q = 0; q < kPoles; ++q)
        trade(i, q, gravity(i, q, 0.03) * rng_.uniform(0.3, 1.5) * (0.3 + A[i].anchor(q)));
    for (int i = kPoles; i < n_; ++i)
      for (int d = 0; d < std::min(kMaxTradePartners, s_ - 1); ++d) {
        const int j = random_client();
        if (j == i) continue;
        trade(i, j,
              gravity(i, j, 0.02) * rng_.uniform(0.2, 1.5) * (region(i) == region(j) ? 2.0 : 1.0));
      }
    for (int i = kPoles; i < n_; ++i) {
      const double gdp_m = 1000.0 * A[i].gdp;
      // Remittances, host -> home: small economies send migrants to patron C or to a richer
      // client; a few have a diaspora in patron A.
      if (A[i].gdp < 100.0 && rng_.chance(0.5)) {
        int host = 2;
        if (rng_.chance(0.4)) {
          const int j = random_client();
          host = j != i && A[j].gdp > 3.0 * A[i].gdp ? j : 2;
        }
        flow("remittances", host, i, gdp_m * rng_.uniform(0.03, 0.3));
      }
      if (rng_.chance(0.15)) flow("remittances", 0, i, gdp_m * rng_.uniform(0.005, 0.03));
      for (int q = 0; q < kPoles; ++q) {
        if (rng_.chance(0.25)) flow("economic_aid", q, i, rng_.uniform(5.0, 50.0));
        if (rng_.chance(0.15)) flow("security_aid", q, i, rng_.uniform(2.0, 30.0));
      }
      // Debt stocks: patron B is the main lender.
      if (rng_.chance(0.5)) flow("debt", 1, i, gdp_m * rng_.uniform(0.02, 0.15));
      if (rng_.chance(0.15)) flow("debt", 0, i, gdp_m * rng_.uniform(0.01, 0.05));
      if (rng_.chance(0.1)) flow("debt", 2, i, gdp_m * rng_.uniform(0.01, 0.05));
      // Energy: patron C supplies fuel; a few clients export to patron B.
      if (rng_.chance(0.3)) flow("energy", 2, i, gdp_m * rng_.uniform(0.005, 0.03));
      if (rng_.chance(0.05)) flow("energy", i, 1, rng_.uniform(1000.0, 10000.0));
      // Arms stocks: the main supplier is the pole the client leans to; some have a second.
      const double mil_m = 1000.0 * A[i].military;
      flow("arms", lean_[i], i, mil_m * rng_.uniform(0.5, 2.0));
      if (rng_.chance(0.4))
        flow("arms", (lean_[i] + 1 + rng_.below(2)) % kPoles, i, mil_m * rng_.uniform(0.05, 0.5));
      if (rng_.chance(0.05)) flow("basing", lean_[i], i, rng_.uniform(500.0, 7000.0));
    }
    flow("energy", 2, 0, 110000.0 * rng_.uniform(0.8, 1.2));
    flow("energy", 2, 1, 60000.0 * rng_.uniform(0.8, 1.2));
    // A withdrawal before the start: security ties of patron A with the first client fade.
    flow("security_aid", 0, kPoles, 1000.0, true);
    flow("diplomacy", 0, kPoles, 3.0, true);
  }

  void event(int turn, const std::string& id, Action a) {
    ScheduledEvent e;
    e.turn = turn;
    e.date = add_months(sc_.start, turn * sc_.months_per_turn);
    e.date.day = rng_.between(1, 28);
    e.id = id + "_" + padded(static_cast<int>(sc_.timeline.size()) + 1, 4);
    e.source = "synthetic";
    e.action = std::move(a);
    sc_.timeline.push_back(std::move(e));
  }

  int random_turn() { return rng_.below(sc_.turns); }
  int clamp_turn(int t) const { return std::clamp(t, 0, sc_.turns - 1); }

  void timeline() {
    const int T = sc_.turns;
    for (int e = 0; e < std::max(2, s_ / 4); ++e) {
      Action a;
      a.type = ActionType::economic_aid;
      a.actor = random_patron();
      a.target = random_client();
      a.amount = rng_.uniform(1.0, 60.0);
      a.turns = rng_.between(1, 24);
      event(random_turn(), "ecaid", a);
    }
    for (int e = 0; e < std::max(2, s_ / 8); ++e) {
      Action a;
      a.type = ActionType::security_aid;
      a.actor = random_patron();
      a.target = random_client();
      a.amount = rng_.uniform(1.0, 60.0);
      a.turns = rng_.between(1, 24);
      event(random_turn(), "secaid", a);
    }
    for (int e = 0; e < std::max(2, s_ / 20); ++e) {
      Action a;
      a.type = ActionType::exercise;
      a.actor = random_patron();
      a.target = random_client();
      a.others.push_back(a.target);
      const int extra = std::min(rng_.between(2, 7), s_ - 1);
      while (static_cast<int>(a.others.size()) < 1 + extra) {
        const int c = random_client();
        if (std::find(a.others.begin(), a.others.end(), c) == a.others.end()) a.others.push_back(c);
      }
      a.amount = std::round(rng_.uniform(200.0, 6000.0));
      a.turns = rng_.between(1, 2);
      event(random_turn(), "exercise", a);
    }
    for (int e = 0; e < std::max(4, s_ / 2); ++e) {
      Action a;
      a.type = ActionType::visit;
      a.actor = random_patron();
      a.target = random_client();
      a.amount = rng_.between(1, 3);
      event(random_turn(), "visit", a);
    }
    for (int e = 0; e < std::max(1, s_ / 20); ++e) {
      Action a;
      a.type = ActionType::loan;
      a.actor = rng_.chance(0.7) ? 1 : random_patron();
      a.target = random_client();
      a.amount = rng_.uniform(10.0, 1000.0);
      event(random_turn(), "loan", a);
    }
    // Patron A sanctions patron C; later, a small sanction on the client trading most with C.
    // The secondary sanction threatens the clients that trade most with C.
    std::vector<int> by_trade;
    for (int i = kPoles; i < n_; ++i) by_trade.push_back(i);
    std::stable_sort(by_trade.begin(), by_trade.end(),
                     [&](int a, int b) { return traded_with_c_[a] > traded_with_c_[b]; });
    {
      Action a;
      a.type = ActionType::sanction;
      a.actor = 0;
      a.target = 2;
      a.amount = 0.6;
      event(clamp_turn(1), "sanction", a);
    }
    {
      Action a;
      a.type = ActionType::secondary_sanction;
      a.actor = 0;
      a.target = 2;
      const int m = std::min(s_, std::max(4, s_ / 10));
      a.others.assign(by_trade.begin(), by_trade.begin() + m);
      a.penalty = 0.5;
      a.detection = 0.1;
      event(clamp_turn(5), "secondary_sanction", a);
    }
    {
      Action a;
      a.type = ActionType::sanction;
      a.actor = 0;
      a.target = by_trade.front();
      a.amount = 0.02;
      event(clamp_turn(T / 2), "sanction", a);
    }
    {
      Action a;  // a client joins (or, if all are in, leaves) patron A's bloc
      a.type = ActionType::bloc;
      a.bloc = 0;
      a.actor = random_client();
      const auto& blocs = sc_.actors[a.actor].blocs;
      a.change = std::find(blocs.begin(), blocs.end(), 0) == blocs.end() ? BlocChange::join
                                                                         : BlocChange::leave;
      event(clamp_turn(T / 3), "bloc", a);
    }
    {
      Action a;
      a.type = ActionType::withdraw;
      a.actor = 0;
      a.target = kPoles;
      event(clamp_turn(2 * T / 3), "withdraw", a);
    }
    std::stable_sort(
        sc_.timeline.begin(), sc_.timeline.end(),
        [](const ScheduledEvent& a, const ScheduledEvent& b) { return a.turn < b.turn; });
  }

  int n_, s_;  ///< actors, clients
  int regions_ = 1;
  Rand rng_;
  Scenario sc_;
  std::vector<char> linked_;           ///< n x n: the pair already trades
  std::vector<int> lean_;              ///< the pole each client leans to
  std::vector<double> traded_with_c_;  ///< turnover with patron C
};

// ------------------------------------------------------------------------ YAML writer

std::string num(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string code_list(const Scenario& sc, const std::vector<int>& actors) {
  std::string s = "[";
  for (std::size_t i = 0; i < actors.size(); ++i) s += (i ? ", " : "") + sc.actors[actors[i]].code;
  return s + "]";
}

std::string shares(const Scenario& sc, const Vector& x) {
  std::string s = "{";
  for (int q = 0; q < sc.n_poles(); ++q) s += (q ? ", " : "") + sc.poles[q].code + ": " + num(x(q));
  return s + "}";
}

bool same_channel(const ChannelSpec& a, const ChannelSpec& b) {
  return a.name == b.name && a.kind == b.kind && a.dimension == b.dimension && a.unit == b.unit &&
         a.half_life == b.half_life && a.bandwidth_weight == b.bandwidth_weight &&
         a.dependence_weight == b.dependence_weight && a.exposure == b.exposure &&
         a.exposure_scale == b.exposure_scale && a.gdp_elasticity == b.gdp_elasticity &&
         a.reference == b.reference && a.sanctionable == b.sanctionable;
}

std::string action_fields(const Scenario& sc, const Action& a) {
  const auto code = [&](int i) { return sc.actors[i].code; };
  switch (a.type) {
    case ActionType::economic_aid:
    case ActionType::security_aid:
      return "donor: " + code(a.actor) + ", recipient: " + code(a.target) +
             ", amount: " + num(a.amount) + ", turns: " + std::to_string(a.turns);
    case ActionType::exercise:
      return "sponsor: " + code(a.actor) + ", host: " + code(a.target) +
             ", participants: " + code_list(sc, a.others) + ", personnel: " + num(a.amount) +
             ", turns: " + std::to_string(a.turns);
    case ActionType::visit:
      return "from: " + code(a.actor) + ", to: " + code(a.target) + ", level: " + num(a.amount);
    case ActionType::sanction:
      return "sender: " + code(a.actor) + ", target: " + code(a.target) +
             ", intensity: " + num(a.amount) +
             (a.others.empty() ? std::string() : ", transit: " + code_list(sc, a.others));
    case ActionType::secondary_sanction:
      return "sender: " + code(a.actor) + ", target: " + code(a.target) +
             ", transit: " + code_list(sc, a.others) + ", penalty: " + num(a.penalty) +
             ", detection: " + num(a.detection);
    case ActionType::loan:
      return "lender: " + code(a.actor) + ", borrower: " + code(a.target) +
             ", amount: " + num(a.amount);
    case ActionType::withdraw:
      return "actor: " + code(a.actor) + ", from: " + code(a.target);
    case ActionType::bloc:
      return "actor: " + code(a.actor) + ", bloc: " + sc.blocs[a.bloc].code +
             ", change: " + (a.change == BlocChange::join ? "join" : "leave");
    case ActionType::conflict:  // version-2 actions: the synthetic world is a version-1 one
    case ActionType::deploy:
    case ActionType::policy:
    case ActionType::budget:
    case ActionType::flow:
    case ActionType::anchor:
    case ActionType::detection:  // the engine's, policies' and shocks' own actions
    case ActionType::decline:
    case ActionType::border_conflict:
    case ActionType::commodity_price:
    case ActionType::regime_instability:
      break;
  }
  throw std::invalid_argument("scenario_to_yaml: not a scriptable action");
}

}  // namespace

Scenario make_synthetic_world(int n_actors, int turns, std::uint64_t seed) {
  if (n_actors < 4) throw std::invalid_argument("make_synthetic_world: needs at least 4 actors");
  if (turns < 1) throw std::invalid_argument("make_synthetic_world: needs at least 1 turn");
  return Builder(n_actors, turns, seed).build();
}

std::string scenario_to_yaml(const Scenario& sc) {
  const auto& defaults = default_channels(1);
  if (sc.channels.size() != defaults.size() ||
      !std::equal(sc.channels.begin(), sc.channels.end(), defaults.begin(), same_channel))
    throw std::invalid_argument("scenario_to_yaml: only the default channels are supported");
  if (sc.months_per_turn != 1)
    throw std::invalid_argument("scenario_to_yaml: only monthly turns are supported");
  std::string y;
  y.reserve(256 * (sc.actors.size() + sc.flows.size() / 2 + sc.timeline.size()) + 4096);
  y +=
      "# Written by geosim benchmarks (scenario_to_yaml). Every number is in its canonical unit.\n";
  y += "geosim: 1\n\nmetadata:\n";
  y += "  name: " + quoted(sc.name) + "\n";
  y += "  description: " + quoted(sc.description) + "\n";
  y += "  start: " + sc.start.str() + "\n  turn: month\n";
  y += "  turns: " + std::to_string(sc.turns) + "\n";
  y += "  seed: " + std::to_string(sc.seed) + "\n\npoles:\n";
  for (const auto& p : sc.poles)
    y += "  - {code: " + p.code + ", name: " + quoted(p.name) +
         ", owners: " + code_list(sc, p.owners) + "}\n";
  if (!sc.blocs.empty()) {
    y += "\nblocs:\n";
    for (const auto& b : sc.blocs)
      y += "  - {code: " + b.code + ", name: " + quoted(b.name) + ", weight: " + num(b.weight) +
           "}\n";
  }
  y += "\nactors:\n";
  for (const auto& a : sc.actors) {
    y += "  - code: " + a.code + "\n";
    y += "    name: " + quoted(a.name) + "\n";
    y += "    role: " + std::string(kRoleNames[static_cast<int>(a.role)]) + "\n";
    y += "    gdp: " + num(a.gdp) + "\n";
    y += "    growth: " + num(a.growth) + "\n";
    y += "    military: " + num(a.military) + "\n";
    y += "    budget: " + num(a.budget) + "\n";
    y += "    budgets: {";
    for (int k = 0; k < kInstrumentCount; ++k)  // deployments (version 2) is never set here
      if (k != static_cast<int>(Instrument::deployments))
        y += (k ? ", " : "") + std::string(kInstrumentNames[k]) + ": " + num(a.budgets[k]);
    y += "}\n";
    y += "    anchor: " + shares(sc, a.anchor) + "\n";
    y += "    alignment: " + shares(sc, a.alignment) + "\n";
    y += "    susceptibility: " + num(a.susceptibility) + "\n";
    y += "    autonomy: " + num(a.autonomy) + "\n";
    y += "    stability: " + num(a.stability) + "\n";
    if (!a.blocs.empty()) {
      y += "    blocs: [";
      for (std::size_t b = 0; b < a.blocs.size(); ++b)
        y += (b ? ", " : "") + sc.blocs[a.blocs[b]].code;
      y += "]\n";
    }
  }
  y += "\nparameters:\n";
  for (const auto& p : param_specs())  // a version-1 file may not set version-2 parameters
    if (p.since <= 1) y += "  " + std::string(p.name) + ": " + num(sc.params.*(p.field)) + "\n";
  if (!sc.flows.empty()) {
    y += "\nflows:\n";
    for (const auto& f : sc.flows)
      y += "  - {channel: " + sc.channels[f.channel].name + ", from: " + sc.actors[f.from].code +
           ", to: " + sc.actors[f.to].code + ", value: " + num(f.value) +
           (f.decaying ? ", decaying: true" : "") + "}\n";
  }
  if (!sc.timeline.empty()) {
    y += "\ntimeline:\n";
    for (const auto& e : sc.timeline) {
      const Date d = e.date.year == 0 ? sc.date_of_turn(e.turn) : e.date;
      y += "  - {" + (e.id.empty() ? std::string() : "id: " + e.id + ", ") + "date: " + d.str() +
           ", action: " + std::string(kActionNames[static_cast<int>(e.action.type)]) + ", " +
           action_fields(sc, e.action) + "}\n";
    }
  }
  return y;
}

}  // namespace geosim
