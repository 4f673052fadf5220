#pragma once
#include <vector>

#include "model/decider.hpp"
#include "model/world.hpp"
#include "policy/policy_type.hpp"

namespace geosim {

/// The policies of a scenario's actors and its shocks, as one Decider (model/decider.hpp).
/// Order within a turn: shocks, then patrons' budgets, then rivals' reactions, then hedging
/// clients review the offers queued for them. Every policy reads the state as it was at the
/// start of step 2, so actors decide simultaneously.
class PolicySet final : public Decider {
 public:
  /// `policies` pairs a policy type (index into policy_types()) with its parameters; `changes`
  /// (format version 2) change them from a turn on, in turn order.
  PolicySet(std::vector<std::pair<int, PolicyParams>> policies, std::vector<ShockSpec> shocks,
            std::vector<PolicyChange> changes = {});

  std::size_t state_size() const override;
  void init(World& w, const Scenario& sc) const override;
  void decide(World& w, const Scenario& sc, const CounterRng& rng, int turn) const override;
  std::size_t max_actions_per_turn(const Scenario& sc) const override;

  bool empty() const { return policies_.empty() && shocks_.empty(); }
  /// The policies as given to the constructor: (index into policy_types(), parameters). A
  /// changed copy is made by constructing a new PolicySet from changed copies of these.
  const std::vector<std::pair<int, PolicyParams>>& policies() const { return policies_; }
  /// The shocks as given to the constructor.
  const std::vector<ShockSpec>& shocks() const { return shocks_; }
  /// The changes as given to the constructor.
  const std::vector<PolicyChange>& changes() const { return changes_; }
  /// Policy i's parameters in `turn`, and whether it acts then.
  const PolicyParams& params_at(std::size_t i, int turn) const;
  bool active_at(std::size_t i, int turn) const;
  /// An actor's exercise effort last turn: its rival_reaction state, or, without that policy,
  /// its largest exercise tie (personnel).
  double previous_effort(const World& w, int actor) const;

 private:
  struct Version {
    int from_turn = 0;
    PolicyParams params;
    bool active = true;
  };
  const Version& version_at(std::size_t i, int turn) const;

  std::vector<std::pair<int, PolicyParams>> policies_;
  std::vector<ShockSpec> shocks_;
  std::vector<PolicyChange> changes_;
  std::vector<std::vector<Version>> versions_;  ///< per policy, in turn order; [0] from turn 0
  std::vector<std::size_t> state_offset_;       ///< per policy, into World::policy_state
};

// The policies themselves (one file each). Each queues actions in w.pending.
void patron_budget(World& w, const Scenario& sc, const PolicyParams& p);
void rival_reaction(World& w, const Scenario& sc, const PolicyParams& p, const PolicySet& set,
                    double& effort);
void hedging_client(World& w, const Scenario& sc, const PolicyParams& p);
void draw_shocks(World& w, const Scenario& sc, const CounterRng& rng, int turn,
                 const std::vector<ShockSpec>& shocks);

}  // namespace geosim
