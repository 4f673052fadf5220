#!/usr/bin/env bash
# End-to-end tests of checkpoints and forks: `geosim run --checkpoint-at` then `--from` equals a
# straight run of the what-if, for the baseline with its policies and shocks, and every misuse
# is refused with exit 2 and nothing written.
# Usage: fork_test.sh GEOSIM_BINARY SOURCE_DIR WORKDIR
set -u
geosim=$1
src=$2
work=$3
source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_lib.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
base=$src/scenarios/central_asia_2022.yaml
attr() {  # attr FILE NAME: a root attribute's value
  /usr/bin/python3 -c "import h5py,sys; v=h5py.File(sys.argv[1],'r').attrs[sys.argv[2]]; print(v.decode() if isinstance(v, bytes) else v)" "$1" "$2"
}

# Two what-ifs that change only events after Dec 2022 (turn 11): one adds a US exercise and a
# programme in 2023, one a secondary sanction from Jan 2023 on a shorter run (30 turns).
cat > later_exercise.yaml <<YAML
geosim: 2
extends: $base
metadata: {name: later_exercise}
timeline:
  - {id: fork_us_ex, date: 2023-03-01, action: exercise, sponsor: USA, host: TJK, participants: [TJK, KGZ], personnel: 2000, turns: 2, source: "[U] test"}
  - {id: fork_us_aid, date: 2023-06-01, action: security_aid, donor: USA, recipient: TJK, amount: 50 USD m, turns: 6, source: "[U] test"}
YAML
cat > later_sanction.yaml <<YAML
geosim: 2
extends: $base
metadata: {name: later_sanction, turns: 30}
timeline:
  - {id: fork_sanction, date: 2023-01-01, action: secondary_sanction, sender: USA, target: RUS, transit: [KGZ, TJK], penalty: 0.9, detection: 0.5, source: "[U] test"}
YAML

cat > later_exercise2.yaml <<YAML
geosim: 2
extends: later_exercise.yaml
metadata: {name: later_exercise_twice}
timeline:
  - {id: fork_us_ex2, date: 2023-09-01, action: exercise, sponsor: USA, host: KGZ, participants: [KGZ], personnel: 1000, turns: 1, source: "[U] test"}
YAML

# The checkpoint: the baseline to the end of 2022.
expect 0 "checkpoint at 2022-12" -- "$geosim" run "$base" --checkpoint-at 2022-12 -o ck.h5
contains err.txt "to a checkpoint at turn 11" "progress names the checkpoint"
[ -f ck.h5 ] && [ ! -e ck.h5.tmp ] && pass || fail "checkpoint written, no temp file"
[ "$(attr ck.h5 checkpoint_turn)" = "11" ] && pass || fail "checkpoint_turn = 11"
expect 0 "info reads a checkpoint" -- "$geosim" info ck.h5
contains out.txt "checkpoint:   state after turn 11 (2022-12-01)" "info names the checkpoint"
contains out.txt "turns:        12 (2022-01-01 .. 2022-12-01)" "a checkpoint holds the turns so far"
expect 0 "checkpoint by turn number" -- "$geosim" run "$base" --checkpoint-at 11 -o ck_turn.h5 -q
same_data ck.h5 ck_turn.h5 && pass || fail "--checkpoint-at 11 = --checkpoint-at 2022-12"

# Forks equal straight runs, in every dataset (the events table included).
for w in later_exercise later_sanction; do
  expect 0 "$w from the checkpoint" -- "$geosim" run $w.yaml --from ck.h5 -o ${w}_fork.h5
  contains err.txt "from the checkpoint ck.h5" "$w: progress names the checkpoint"
  expect 0 "$w straight" -- "$geosim" run $w.yaml -o ${w}_straight.h5 -q
  same_data ${w}_fork.h5 ${w}_straight.h5 && pass || fail "$w: fork equals the straight run"
  [ "$(attr ${w}_fork.h5 forked_at_turn)" = "11" ] && pass || fail "$w: forked_at_turn recorded"
  [ "$(attr ${w}_fork.h5 forked_from)" = "ck.h5" ] && pass || fail "$w: forked_from recorded"
done
# The what-if does change something: the fork is not just the baseline.
expect 0 "baseline straight" -- "$geosim" run "$base" -o base.h5 -q
same_data later_exercise_fork.h5 base.h5 && fail "the what-if should differ from the baseline" || pass
# A fork of the baseline itself is the baseline.
expect 0 "baseline from its checkpoint" -- "$geosim" run "$base" --from ck.h5 -o base_fork.h5 -q
same_data base_fork.h5 base.h5 && pass || fail "baseline fork equals the baseline"
# Another run id (replicate) forks the same way.
expect 0 "checkpoint of run id 3" -- "$geosim" run "$base" --run-id 3 --checkpoint-at 2023-02 -o ck3.h5 -q
expect 0 "fork of run id 3" -- "$geosim" run later_exercise.yaml --from ck3.h5 -o fork3.h5 -q
expect 0 "straight run id 3" -- "$geosim" run later_exercise.yaml --run-id 3 -o straight3.h5 -q
same_data fork3.h5 straight3.h5 && pass || fail "run id 3: fork equals the straight run"
# A checkpoint after an event of the what-if refuses it (the event is in its history).
expect 0 "checkpoint at 2023-06" -- "$geosim" run "$base" --checkpoint-at 2023-06 -o ck_jun.h5 -q
expect 2 "an event before the checkpoint" -- "$geosim" run later_exercise.yaml --from ck_jun.h5 -o late.h5
contains err.txt "error at 'timeline[fork_us_ex]'" "names the added event dated before the checkpoint"
# A checkpoint of a fork, then a fork of that.
expect 0 "checkpoint from a checkpoint" -- "$geosim" run later_exercise.yaml --from ck.h5 --checkpoint-at 2024-01 -o ck2.h5 -q
expect 0 "fork of the second checkpoint" -- "$geosim" run later_exercise.yaml --from ck2.h5 -o fork2.h5 -q
same_data fork2.h5 later_exercise_straight.h5 && pass || fail "two-stage fork equals the straight run"

# Refused: what would make the fork differ from a straight run, and misuse.
cat > early_change.yaml <<YAML
geosim: 2
extends: $base
metadata: {name: early_change}
timeline:
  - {id: us_tjk_security_aid, amount: 120 USD m}
policies:
  - {id: usa_budget, priorities: {TJK: 0}}
YAML
expect 2 "a change before the checkpoint" -- "$geosim" run early_change.yaml --from ck.h5 -o early.h5
contains err.txt "error at 'timeline[us_tjk_security_aid]': differs from the checkpoint's scenario" "names the early event"
contains err.txt "error at 'policies[usa_budget]'" "names the changed policy"
contains err.txt "2 errors; nothing was written" "every difference listed"
[ ! -e early.h5 ] && [ ! -e early.h5.tmp ] && pass || fail "nothing written for a refused fork"
expect 2 "a --set before the checkpoint" -- "$geosim" run "$base" --from ck.h5 --set parameters.influence_inertia=0.2 -o setp.h5
contains err.txt "'parameters.influence_inertia'" "names the parameter"
expect 2 "another seed" -- "$geosim" run "$base" --from ck.h5 --seed 5 -o seed.h5
contains err.txt "pass --seed 20220810" "says which seed"
expect 2 "another run id" -- "$geosim" run "$base" --from ck.h5 --run-id 5 -o rid.h5
contains err.txt "error at '--run-id'" "names --run-id"
expect 2 "checkpoint with --replicates" -- "$geosim" run "$base" --checkpoint-at 5 --replicates 3 -o rep.h5
contains err.txt "a checkpoint holds one run" "explains --replicates"
expect 2 "from a plain run" -- "$geosim" run "$base" --from base.h5 -o nock.h5
contains err.txt "a run file without a checkpoint" "explains a plain run file"
echo "not hdf5" > junk.h5
expect 2 "from a non-HDF5 file" -- "$geosim" run "$base" --from junk.h5 -o junk_out.h5
contains err.txt "geosim: error: junk.h5: not an HDF5 file (expected a geosim checkpoint)" "explains junk"
expect 2 "from a missing file" -- "$geosim" run "$base" --from missing.h5 -o miss_out.h5
for bad in 35 36 -1 2021-12 2025-01 soon 2022-13; do
  expect 2 "--checkpoint-at $bad" -- "$geosim" run "$base" --checkpoint-at "$bad" -o bad.h5
  contains err.txt "error at '--checkpoint-at': expected a turn from 0 to 34" "--checkpoint-at $bad explained"
done
cp ck.h5 ck_keep.h5
expect 2 "-o is the checkpoint" -- "$geosim" run "$base" --from ck.h5 -o ck.h5 --force
contains err.txt "is the --from checkpoint itself" "explains -o = --from"
cmp -s ck.h5 ck_keep.h5 && pass || fail "the checkpoint is untouched"
expect 2 "checkpoint before the --from one" -- "$geosim" run "$base" --from ck.h5 --checkpoint-at 5 -o early_ck.h5
contains err.txt "expected a turn after the --from checkpoint's turn 11" "explains an early second checkpoint"
# The default output name of a checkpoint.

# Replicates, comparisons and studies from a checkpoint: every run continues it, so they share
# its history; replicate 0 (the checkpoint's run id, 3) is its run continued, i.e. the straight
# run of run id 3, and the other replicates differ only after the checkpoint's turn.
expect 0 "replicates from a checkpoint" -- "$geosim" run "$base" --from ck3.h5 --replicates 3 -o rep_fork.h5
contains err.txt "from the checkpoint ck3.h5" "replicates: progress names the checkpoint"
expect 0 "baseline straight, run id 3" -- "$geosim" run "$base" --run-id 3 -o base3.h5 -q
expect 0 "compare from a checkpoint" -- "$geosim" compare "$base" later_exercise.yaml --from ck3.h5 --replicates 3 -o cmp_fork.h5 -q
expect 0 "a study from a checkpoint" -- "$geosim" compare "$base" later_exercise.yaml later_exercise2.yaml --from ck3.h5 --replicates 2 -o study_fork.h5 -q
/usr/bin/python3 - <<'PY' && pass || fail "replicates, comparisons and studies from a checkpoint continue it"
import h5py, numpy as np
rep, cmp, study = (h5py.File(f, "r") for f in ("rep_fork.h5", "cmp_fork.h5", "study_fork.h5"))
base, whatif = h5py.File("base3.h5", "r"), h5py.File("straight3.h5", "r")
t = 13  # ck3.h5 holds turns 0 .. 13 (2023-02)
assert list(rep["replicate"][:]) == [3, 4, 5] and list(cmp["replicate"][:]) == [3, 4, 5]
for f in (rep, cmp, study):
    assert f.attrs["forked_from"] in ("ck3.h5", b"ck3.h5") and int(f.attrs["forked_at_turn"]) == t
for v in ("influence_share", "flow", "gdp", "reexports", "compliance", "alignment"):
    eq = lambda a, b: np.array_equal(a, b, equal_nan=True)
    assert eq(rep[v][0], base[v][:]) and eq(cmp[v][0, 0], base[v][:]), v
    assert eq(cmp[v][1, 0], whatif[v][:]) and eq(study[v][1, 0], whatif[v][:]), v
    for k in (1, 2):
        assert eq(rep[v][k, :t + 1], base[v][:t + 1]) and eq(cmp[v][1, k, :t + 1], base[v][:t + 1]), v
    for d in (cmp[v + "_diff"][:, :t + 1], study[v + "_diff"][:, :, :t + 1]):
        assert np.all((d == 0) | np.isnan(d)), v
assert not np.array_equal(rep["influence_share"][1, t + 1:], rep["influence_share"][0, t + 1:])
assert np.any(cmp["influence_share_diff"][:, t + 1:] != 0)
PY
expect 2 "a study with a what-if that changed the history" -- "$geosim" compare "$base" later_exercise.yaml early_change.yaml --from ck.h5 -o study_early.h5
contains err.txt "early_change.yaml: error at 'timeline[us_tjk_security_aid]'" "the what-if that cannot continue the checkpoint named"
[ ! -e study_early.h5 ] && pass || fail "nothing written for a refused study"
expect 2 "compare --from with --posterior" -- "$geosim" compare "$base" later_exercise.yaml --from ck.h5 --posterior ck.h5 -o post.h5
contains err.txt "use one of --from and --posterior" "--from with --posterior explained"

expect 0 "default checkpoint name" -- "$geosim" run "$base" --checkpoint-at 3 -q
[ -f central_asia_2022_checkpoint.h5 ] && pass || fail "default name NAME_checkpoint.h5"

echo "fork: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
