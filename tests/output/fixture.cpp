#include "fixture.hpp"

#include <filesystem>
#include <map>

#include "model/channel_defaults.hpp"

namespace geosim::test {

Scenario tiny_scenario(int turns) {
  Scenario sc;
  sc.name = "tiny";
  sc.description = "Output test: three patrons and one client (ünïcode ✓)";
  sc.start = Date{2022, 1, 1};
  sc.months_per_turn = 1;
  sc.turns = turns;
  sc.seed = 42;
  sc.poles = {{"WEST", "The West", {0}}, {"EAST", "The East", {1, 2}}};
  auto actor = [](std::string code, std::string name, Role role, double gdp) {
    ActorSpec a;
    a.code = std::move(code);
    a.name = std::move(name);
    a.role = role;
    a.gdp = gdp;
    a.anchor = a.alignment = Vector::Constant(2, 0.5);
    return a;
  };
  sc.actors = {actor("USA", "United States", Role::patron, 25000),
               actor("CHN", "China", Role::patron, 18000),
               actor("RUS", "Russia", Role::patron, 2200),
               actor("KAZ", "Kazakhstan", Role::client, 220)};
  sc.channels = default_channels(sc.version);
  sc.resolved_yaml = "name: tiny\nturns: " + std::to_string(turns) + "\n";
  sc.source_file = "tests/tiny.yaml";
  return sc;
}

World sized_world(const Scenario& sc) {
  World w;
  w.n = sc.n_actors();
  w.k = sc.n_channels();
  w.p = sc.n_poles();
  const int n = w.n;
  const Matrix nn = Matrix::Zero(n, n);
  w.gdp = w.gdp0 = w.drag = Vector::Zero(n);
  w.base = w.pulse = w.flow = w.dep = std::vector<Matrix>(static_cast<std::size_t>(w.k), nn);
  w.D = w.D_econ = w.D_sec = w.D_pol = w.B = w.I = w.share = nn;
  w.x = w.x0 = Matrix::Zero(n, w.p);
  w.lambda = w.compliance = w.reexports = w.hedging = w.dep_hhi = Vector::Zero(n);
  w.spent = w.budget = Matrix::Zero(n, kInstrumentCount);
  w.war = nn;
  return w;
}

double cell(int salt, int turn, long index) {
  return salt * 1000.0 + turn + static_cast<double>(index) * 1e-3;
}

namespace {

const std::map<std::string, int> kSalts = {{"influence", 1},
                                           {"dependence", 2},
                                           {"dependence_economic", 3},
                                           {"dependence_security", 4},
                                           {"dependence_political", 5},
                                           {"bandwidth", 6},
                                           {"alignment", 7},
                                           {"susceptibility", 8},
                                           {"gdp", 9},
                                           {"budget_spent", 50},
                                           {"budget", 56},
                                           {"conflict_intensity", 57},
                                           {"compliance", 51},
                                           {"reexports", 52},
                                           {"influence_share", 53},
                                           {"hedging_index", 54},
                                           {"dependence_hhi", 55},
                                           {"dependence_channel", 100},
                                           {"flow", 200}};  // + channel index

template <class M>
void fill(M& m, int salt, int turn) {
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = cell(salt, turn, i);
}

}  // namespace

int salt_of(const std::string& variable, int k) {
  const auto it = kSalts.find(variable);
  if (it == kSalts.end()) return -1;
  return it->second + (it->second >= 100 ? k : 0);
}

void fill_turn(World& w) {
  const int t = w.turn;
  fill(w.I, salt_of("influence"), t);
  fill(w.D, salt_of("dependence"), t);
  fill(w.D_econ, salt_of("dependence_economic"), t);
  fill(w.D_sec, salt_of("dependence_security"), t);
  fill(w.D_pol, salt_of("dependence_political"), t);
  fill(w.B, salt_of("bandwidth"), t);
  fill(w.x, salt_of("alignment"), t);
  fill(w.lambda, salt_of("susceptibility"), t);
  fill(w.gdp, salt_of("gdp"), t);
  fill(w.spent, salt_of("budget_spent"), t);
  fill(w.budget, salt_of("budget"), t);
  fill(w.war, salt_of("conflict_intensity"), t);
  fill(w.compliance, salt_of("compliance"), t);
  fill(w.reexports, salt_of("reexports"), t);
  fill(w.share, salt_of("influence_share"), t);
  fill(w.hedging, salt_of("hedging_index"), t);
  fill(w.dep_hhi, salt_of("dependence_hhi"), t);
  for (int k = 0; k < w.k; ++k) {
    fill(w.dep[static_cast<std::size_t>(k)], salt_of("dependence_channel", k), t);
    fill(w.flow[static_cast<std::size_t>(k)], salt_of("flow", k), t);
  }
}

Provenance sample_provenance() {
  Provenance p;
  p.command_line = "geosim run tests/tiny.yaml -o out.h5";
  p.scenario_file = "tests/tiny.yaml";
  p.start_time = "2024-05-01T12:00:00Z";
  p.host = "testhost";
  p.run_id = 7;
  p.wall_seconds = 1.5;
  return p;
}

std::string scratch_path(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(GEOSIM_OUTPUT_TEST_DIR) / "scratch";
  std::filesystem::create_directories(dir);
  const std::string p = (dir / name).string();
  std::filesystem::remove(p);
  std::filesystem::remove(p + ".tmp");
  return p;
}

}  // namespace geosim::test
