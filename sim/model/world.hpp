#pragma once
#include <algorithm>
#include <span>
#include <vector>

#include "core/matrix.hpp"
#include "model/action.hpp"
#include "model/scenario.hpp"

namespace geosim {

/// A disbursement that runs over several turns (aid programmes, multi-turn exercises).
struct Program {
  int channel = -1;
  int from = -1;
  int to = -1;
  double rate = 0.0;  ///< in the channel's unit (per year for money flows) while active
  int turns_left = 0;
  int instrument = -1;     ///< budget it draws on, or -1
  double spend = 0.0;      ///< USD m disbursed per turn (budget spent)
  double equipment = 0.0;  ///< USD m added to the arms stock per turn (security aid)
};

/// A scripted conflict between two actors (format version 2), from the turn its event fires.
/// While active (first..last) it cuts the pair's ties in `channels` at its intensity, drags both
/// economies and pushes their alignments apart; after `last` the cut fades with the recovery
/// half-life until it is below kConflictAftermathEnd of its intensity (model.md, Conflicts).
struct Conflict {
  int a = -1;
  int b = -1;
  double intensity = 0.0;
  int first = 0;
  int last = 0;
  const std::vector<int>* channels = nullptr;  ///< into the Scenario's timeline
};
inline constexpr double kConflictAftermathEnd = 0.01;

/// Personnel deployed by `from` on `to`'s soil for a number of turns (format version 2),
/// added to `channel` while it lasts, separate from the channel's permanent (base) part.
struct Deployment {
  int from = -1;
  int to = -1;
  int channel = -1;
  double personnel = 0.0;
  int turns_left = 0;
  double cost = 0.0;  ///< USD m per year, charged to the deployments budget
};

/// A value moving linearly from `start` to `end` over `turns` turns (format version 2): a base
/// flow (`channel` >= 0, cell (i, j)), an anchor share (`channel` == kRampAnchor, actor i,
/// pole j) or a trade-preference factor (`channel` == kRampPreference, pair (i, j)). Step
/// `done` of `turns` sets start + (end - start) done / turns.
struct Ramp {
  int channel = -1;
  int i = -1;
  int j = -1;
  double start = 0.0;
  double end = 0.0;
  int turns = 1;
  int done = 0;
};
inline constexpr int kRampAnchor = -1;
inline constexpr int kRampPreference = -2;

/// Indices of the channels the actions write to (always present: defaults cannot be removed).
struct ChannelIds {
  int trade = -1, remittances = -1, economic_aid = -1, security_aid = -1, debt = -1, energy = -1,
      arms = -1, exercises = -1, basing = -1, diplomacy = -1, institutions = -1;
};

/// A standing secondary-sanction threat on one transit state.
struct Threat {
  int sender = -1;
  int transit = -1;
  int target = -1;
  double penalty = 0.0;
  double detection = 0.0;
  int since = 0;            ///< turn it was issued: re-exports before it are not punished
  double compliance = 0.0;  ///< the transit state's compliance with this threat, this turn
};

/// One row of the events table. `others` points into the Scenario (scripted participants) so
/// that logging allocates nothing.
struct LoggedEvent {
  int turn = 0;
  ActionType action = ActionType::visit;
  Cause cause = Cause::scripted;
  int actor = -1;
  int target = -1;
  const std::vector<int>* others = nullptr;
  double amount = 0.0;
  int bloc = -1;  ///< for bloc events: which bloc (amount +1 = join, -1 = leave)
};

/// The whole mutable state of one run; a checkpoint saves every member but the scratch and the
/// per-turn queue (sim/output/world_state.cpp). Sized once by make_world(); step() then allocates
/// nothing (the events log and programme lists are reserved for the scripted timeline).
struct World {
  int n = 0;                   ///< actors
  int k = 0;                   ///< channels
  int p = 0;                   ///< poles
  int turn = -1;               ///< last completed turn; -1 before the first
  std::size_t next_event = 0;  ///< next scripted event of the timeline to fire
  ChannelIds ch;
  std::vector<char> patron;   ///< whose influence shares are reported (role patron; all if none)
  std::vector<double> decay;  ///< per channel: 2^(-months per turn / half-life)

  Vector gdp, gdp0;  ///< USD bn per year
  Vector drag;       ///< sanction drag on growth this turn, per year

  std::vector<Matrix> base;   ///< persistent flows/stocks per channel (scale with the economy)
  std::vector<Matrix> pulse;  ///< decaying part per channel (aid, exercises, visits)
  std::vector<Matrix> flow;   ///< effective F_k = after sanctions and diversion
  std::vector<Matrix> dep;    ///< dep_k(i, j): i's dependence on j through channel k
  std::vector<double> ref;    ///< bandwidth reference value per channel

  Matrix D, D_econ, D_sec, D_pol;  ///< dependence with inertia (total and sub-indices)
  Matrix B;                        ///< bandwidth, symmetric, [0, 1]
  Matrix I;                        ///< influence with inertia
  Matrix x, x0;                    ///< alignment (actor x pole), anchors
  Vector lambda;                   ///< susceptibility

  Matrix sanction;            ///< scripted intensity (sender, target) in [0, 1]
  Matrix penalty;             ///< intensity of penalties after detection (sender, violator)
  Matrix penalty_left;        ///< turns left of each penalty
  Vector compliance;          ///< largest compliance of each actor with a threat on it, [0, 1]
  Vector reexports;           ///< USD m/yr re-exported to sanctioned states, per transit actor
  Matrix reexports_to;        ///< (transit, sanctioned state): what reached it this turn
  Matrix reexport_potential;  ///< (transit, sanctioned state): what would with no compliance
  Matrix nudge;               ///< (actor, pole): this turn's alignment nudges, applied after
  Vector nudge_weight;        ///<   the Friedkin-Johnsen update: x <- (1 - weight) x + nudge
  Matrix spent;               ///< budget spent this turn (actor x instrument), USD m
  Matrix membership;          ///< actor x bloc, 0/1
  /// Transit states allowed to divert each sanction (sender * n + target); null = all others.
  std::vector<const std::vector<int>*> sanction_transit;

  Matrix share;    ///< influence share: I(a, c) / sum over patrons q of I(q, c); 0 for non-patrons
  Vector hedging;  ///< 1 - largest influence share, per actor
  Vector dep_hhi;  ///< Herfindahl of D(i, .) normalised by its row sum

  Matrix spent_year;  ///< budget spent in the current calendar year (actor x instrument)
  Matrix budget;      ///< yearly budgets in force (actor x instrument), USD m/yr
  Matrix frozen;      ///< actor x bloc, 1: membership frozen (v2)
  Matrix war;         ///< (a, b): intensity of an active conflict between them, symmetric
  Matrix inst_dep;    ///< v2: institutional inflow of j into i's dependence, (j, i)
  /// v2: (i, j) factor on the base of sanctionable channels from bloc trade preferences that
  /// changed since the start (1 at the start: the initial data include the preferences then).
  Matrix preference;
  Vector max_alignment_step;  ///< largest L1 move of x per turn (hedging clients; inf: none)
  Vector policy_state;        ///< owned by the scenario's Decider (sim/policy/)
  struct Pending {
    Action action;
    Cause cause = Cause::policy;
  };
  std::vector<Pending> pending;  ///< actions queued by the Decider this turn

  std::vector<Program> programs;
  std::vector<Threat> threats;
  std::vector<LoggedEvent> log;
  std::vector<Conflict> conflicts;
  std::vector<Deployment> deployments;
  std::vector<Ramp> ramps;
  /// Pairs (a < b) with a sanction or penalty between them this turn (apply_sanctions), reserved
  /// for every pair.
  std::vector<std::pair<int, int>> sanctioned;
  std::vector<char> sanction_party;  ///< per actor, 1: in one of those pairs

  /// Sparse ties: per channel, the senders (rows) whose base, pulse or flow may hold a non-zero
  /// value, in increasing order; every other row of the three is exactly 0. The phases visit
  /// only these rows (and, where they read a column, only these cells of it), which gives the
  /// same bits as visiting every row: what they skip are additions of 0 and cells that stay 0.
  /// The set only grows (an ended tie keeps its row), reserved for every actor; whoever
  /// writes a cell of base, pulse or flow marks its row (mark_sender). Derived: make_world and
  /// a restored checkpoint set it from the arrays (find_senders).
  /// Channel k's senders are sender_rows[k n, k n + sender_count[k]) (see senders()): fixed
  /// sizes, so a copied world marks new senders without allocating either.
  std::vector<int> sender_rows;
  std::vector<int> sender_count;
  std::vector<char> is_sender;  ///< channel * n + actor

  // Scratch, sized once, so the turn loop does not allocate.
  Matrix tmp_nn, tmp_nn2, tmp_nn3, tmp_nn4, tmp_np;
  Matrix tmp_kn;  ///< channel x actor
  Vector tmp_n, tmp_n2;
};

/// Channel k's senders (World::sender_rows), in increasing order.
inline std::span<const int> senders(const World& w, int k) {
  const std::size_t at = static_cast<std::size_t>(k) * static_cast<std::size_t>(w.n);
  return {w.sender_rows.data() + at,
          static_cast<std::size_t>(w.sender_count[static_cast<std::size_t>(k)])};
}

/// Marks row i of channel k as a sender (see World::sender_rows); allocates nothing.
inline void mark_sender(World& w, int k, int i) {
  const std::size_t at = static_cast<std::size_t>(k) * static_cast<std::size_t>(w.n);
  char& flag = w.is_sender[at + static_cast<std::size_t>(i)];
  if (flag) return;
  flag = 1;
  int& count = w.sender_count[static_cast<std::size_t>(k)];
  int* rows = w.sender_rows.data() + at;
  int* pos = std::upper_bound(rows, rows + count, i);
  std::copy_backward(pos, rows + count, rows + count + 1);
  *pos = i;
  ++count;
}

/// Sets World::sender_rows to the rows with a non-zero value in base, pulse or flow.
void find_senders(World& w);

/// Sizes and initialises the world from the scenario: flows from the flow entries,
/// institutions from blocs, dependence, bandwidth and influence at their targets, alignment at
/// its initial values.
World make_world(const Scenario& sc);

}  // namespace geosim
