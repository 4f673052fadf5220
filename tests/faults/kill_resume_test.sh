#!/usr/bin/env bash
# SIGKILL at seeded random moments, then the same command again WITHOUT --force (issue 14,
# points 4 and 7):
#  - `geosim run --replicates` (about 1-2 s) killed, rerun: exit 0, the same data as a run never
#    killed, no temp file left (the stale NAME.tmp of the killed process is recognised and
#    replaced);
#  - `geosim sweep run --jobs 2` killed, rerun: resumes, the merged file equals the
#    uninterrupted one, no `.tmp` anywhere in the sweep folder or next to the output;
#  - `geosim calibrate` killed, rerun: resumes, the calibration file equals the uninterrupted
#    one bit for bit, no `.tmp` in the work folder;
#  - two live processes writing the same output at once (no --force, then both with --force):
#    at least one succeeds, the other succeeds too or is refused with exit 3 (the output or
#    its temp file is there, owned by a live process), and the file is complete and equal to
#    the reference: never corrupted. No temp file is left.
# The moments are fractions of the uninterrupted command's own duration, so the test adapts
# to a slow (sanitizer) build. Seeded: GEOSIM_FAULT_SEED (default 20261203); the number of
# moments per command: GEOSIM_FAULT_KILLS (default 3); the sizes (smaller under the
# sanitizers, tests/faults/CMakeLists.txt): GEOSIM_FAULT_REPLICATES (100),
# GEOSIM_FAULT_SWEEP_N (128 Sobol' base points), GEOSIM_FAULT_PARTICLES (100).
# Usage: kill_resume_test.sh GEOSIM_BINARY SOURCE_DIR WORKDIR
set -u
geosim=$1
src=$2
work=$3
source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_lib.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
seed=${GEOSIM_FAULT_SEED:-20261203}
kills=${GEOSIM_FAULT_KILLS:-3}
scen=$src/scenarios/small_test_v2.yaml
t_start=$SECONDS
section() { echo "== $1 (at ${SECONDS}s)"; }

# moments N DURATION_MS SALT: N seeded kill delays in seconds, spread over (5%, 95%) of the
# duration (one in each of N equal slices, so early, middle and late moments are all hit).
# A command that finished before its moment is checked as finished (exit 0, the reference's
# data) and not rerun: the rerun would rightly be refused, its output being there.
moments() {
  /usr/bin/python3 - "$1" "$2" "$seed" "$3" <<'PY'
import random, sys
n, dur, seed, salt = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
r = random.Random(f"{seed}-{salt}")
lo, hi = 0.05, 0.8  # (a loaded machine may finish sooner than the reference did)
for i in range(n):
    a = lo + (hi - lo) * i / n
    b = lo + (hi - lo) * (i + 1) / n
    print(f"{r.uniform(a, b) * dur / 1000:.3f}")
PY
}
now_ms() { date +%s%3N; }
# no_tmp DIR... DESCRIPTION: no file or folder whose name holds '.tmp' under the folders.
no_tmp() {
  local what=${*: -1} left
  left=$(find "${@:1:$#-1}" -name '*.tmp*' 2>/dev/null)
  if [ -z "$left" ]; then pass; else fail "$what: temp files left: $(echo $left | head -c 300)"; fi
}
# killed_at DELAY COMMAND...: starts the command in the background, SIGKILLs it after DELAY
# seconds; prints "killed" or "finished RC" (it ended before the moment).
killed_at() {
  local delay=$1
  shift
  "$@" >killed_out.txt 2>killed_err.txt &
  local pid=$!
  sleep "$delay"
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    echo killed
  else
    wait "$pid"
    echo "finished $?"
  fi
}
# same_calib A B: every dataset equal bit for bit and every root attribute but the provenance.
same_calib() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
def datasets(f):
    out = {}
    f.visititems(lambda n, o: out.__setitem__(n, o[()]) if isinstance(o, h5py.Dataset) else None)
    return out
da, db = datasets(a), datasets(b)
assert sorted(da) == sorted(db), (sorted(da), sorted(db))
for k in da:
    x, y = da[k], db[k]
    assert x.shape == y.shape and x.dtype == y.dtype, k
    assert x.tobytes() == y.tobytes() if x.dtype.kind != "O" else np.array_equal(x, y), k
skip = {"start_time", "wall_seconds", "command_line", "host"}
ka, kb = set(a.attrs) - skip, set(b.attrs) - skip
assert ka == kb, ka ^ kb
for k in ka:
    assert np.array_equal(np.asarray(a.attrs[k]), np.asarray(b.attrs[k])), k
PY
}

# ---------------------------------------------------------------------------------------------
section "geosim run --replicates, SIGKILL then rerun without --force"
reps=${GEOSIM_FAULT_REPLICATES:-100}
t0=$(now_ms)
expect 0 "reference run" -- "$geosim" run "$scen" --replicates "$reps" -o ref_run.h5 -q
dur=$(( $(now_ms) - t0 ))
echo "reference run: $dur ms"
i=0
for delay in $(moments "$kills" "$dur" run); do
  i=$((i + 1))
  mkdir -p run_$i
  state=$(killed_at "$delay" "$geosim" run "$scen" --replicates "$reps" -o run_$i/out.h5 -q)
  echo "run kill $i at ${delay}s: $state; left: $(ls run_$i | tr '\n' ' ')"
  if [ "$state" != killed ]; then
    [ "$state" = "finished 0" ] && same_data ref_run.h5 run_$i/out.h5 && pass || fail "run $i: $state"
    continue
  fi
  expect 0 "run rerun after SIGKILL $i (at ${delay}s) without --force" -- \
    "$geosim" run "$scen" --replicates "$reps" -o run_$i/out.h5 -q
  [ -f run_$i/out.h5 ] && same_data ref_run.h5 run_$i/out.h5 && pass ||
    fail "run rerun $i: not the reference's data"
  no_tmp run_$i "run rerun $i"
done

section "geosim compare, SIGKILL then rerun without --force"
cat > whatif.yaml <<YAML
geosim: 2
extends: $scen
metadata: {name: whatif_more_aid}
timeline:
  - {id: t_econ, amount: 24 USD m}
YAML
creps=$((reps / 2))
t0=$(now_ms)
expect 0 "reference compare" -- "$geosim" compare "$scen" whatif.yaml --replicates "$creps" -o ref_cmp.h5 -q
dur=$(( $(now_ms) - t0 ))
echo "reference compare: $dur ms"
delay=$(moments 1 "$dur" compare)
mkdir -p cmp_1
state=$(killed_at "$delay" "$geosim" compare "$scen" whatif.yaml --replicates "$creps" -o cmp_1/out.h5 -q)
echo "compare kill at ${delay}s: $state; left: $(ls cmp_1 | tr '\n' ' ')"
[ "$state" = killed ] && expect 0 "compare rerun after SIGKILL without --force" -- \
  "$geosim" compare "$scen" whatif.yaml --replicates "$creps" -o cmp_1/out.h5 -q
[ -f cmp_1/out.h5 ] && same_data ref_cmp.h5 cmp_1/out.h5 && pass || fail "compare rerun: not the reference's data"
no_tmp cmp_1 "compare rerun"

# ---------------------------------------------------------------------------------------------
section "geosim sweep run --jobs 2, SIGKILL then resume"
cat > kill.sweep.yaml <<YAML
geosim_sweep: 1
name: kill
scenario: $scen
seed: 13
replicates: 2
chunk: 4
design: {kind: sobol, n: ${GEOSIM_FAULT_SWEEP_N:-128}}
parameters:
  - {name: inertia, path: parameters.influence_inertia, uniform: [0.05, 0.3]}
  - {name: c1_growth, path: "actors[C1].growth", uniform: [0.0, 0.1]}
outputs:
  - {name: pa_share_c1, variable: influence_share, actor: PA, target: C1}
  - {name: c1_gdp, variable: gdp, actor: C1, reduce: mean}
trajectories: {every: 6, variables: [gdp]}
YAML
t0=$(now_ms)
expect 0 "reference sweep" -- "$geosim" sweep run kill.sweep.yaml -d ref_sweep -o ref_sweep.h5 --jobs 2 -q
dur=$(( $(now_ms) - t0 ))
echo "reference sweep: $dur ms"
i=0
for delay in $(moments "$kills" "$dur" sweep); do
  i=$((i + 1))
  state=$(killed_at "$delay" "$geosim" sweep run kill.sweep.yaml -d sweep_$i -o sweep_$i.h5 --jobs 2 -q)
  echo "sweep kill $i at ${delay}s: $state; $(ls sweep_$i/chunks 2>/dev/null | grep -c 'h5$') chunks, temp: $(find sweep_$i sweep_$i.h5* -name '*.tmp*' 2>/dev/null | wc -l)"
  if [ "$state" != killed ]; then
    [ "$state" = "finished 0" ] && same_data ref_sweep.h5 sweep_$i.h5 && pass || fail "sweep $i: $state"
    continue
  fi
  expect 0 "sweep resume after SIGKILL $i (at ${delay}s) without --force" -- \
    "$geosim" sweep run kill.sweep.yaml -d sweep_$i -o sweep_$i.h5 --jobs 2
  [ "$state" = killed ] && { grep -qE "[0-9]+ (was|were) already done" err.txt && pass ||
    fail "sweep resume $i: no 'already done' in: $(grep chunks err.txt)"; }
  [ -f sweep_$i.h5 ] && same_data ref_sweep.h5 sweep_$i.h5 && pass ||
    fail "sweep resume $i: not the uninterrupted sweep's data"
  no_tmp sweep_$i sweep_$i.h5 "sweep resume $i"
  ls sweep_$i.h5.tmp* >/dev/null 2>&1 && fail "sweep resume $i: a temp file next to the output" || pass
done

# ---------------------------------------------------------------------------------------------
section "geosim calibrate, SIGKILL then resume"
cat > kill.calib.yaml <<YAML
geosim_calibration: 1
name: killcal
scenario: $scen
seed: 17
method: {kind: abc-smc, particles: ${GEOSIM_FAULT_PARTICLES:-100}, replicates: 2, chunk: 8, alpha: 0.5, tolerance: 0.01, generations: 3, budget: 20000}
parameters:
  - {name: c1_growth, path: "actors[C1].growth", uniform: [0.0, 0.15]}
  - {name: drag, path: parameters.sanction_drag, loguniform: [0.05, 2.0]}
targets:
  - {name: c1_gdp, variable: gdp, actor: C1, month: 2021-12, observed: 21.487, sd: 0.2, source: "a run"}
  - {name: pb_gdp, variable: gdp, actor: PB, year: 2021, observed: 495.8, sd: 3.0, source: "a run"}
YAML
t0=$(now_ms)
expect 0 "reference calibration" -- "$geosim" calibrate kill.calib.yaml -d ref_cal -o ref_cal.h5 --jobs 2 -q
dur=$(( $(now_ms) - t0 ))
echo "reference calibration: $dur ms"
i=0
for delay in $(moments "$kills" "$dur" calibrate); do
  i=$((i + 1))
  state=$(killed_at "$delay" "$geosim" calibrate kill.calib.yaml -d cal_$i -o cal_$i.h5 --jobs 2 -q)
  echo "calibrate kill $i at ${delay}s: $state; $(find cal_$i -name population.h5 2>/dev/null | wc -l) generations, temp: $(find cal_$i cal_$i.h5* -name '*.tmp*' 2>/dev/null | wc -l)"
  if [ "$state" != killed ]; then
    [ "$state" = "finished 0" ] && same_calib ref_cal.h5 cal_$i.h5 && pass || fail "calibrate $i: $state"
    continue
  fi
  expect 0 "calibrate resume after SIGKILL $i (at ${delay}s) without --force" -- \
    "$geosim" calibrate kill.calib.yaml -d cal_$i -o cal_$i.h5 --jobs 2 -q
  [ -f cal_$i.h5 ] && same_calib ref_cal.h5 cal_$i.h5 && pass ||
    fail "calibrate resume $i: not the uninterrupted calibration's bits"
  no_tmp cal_$i cal_$i.h5 "calibrate resume $i"
  ls cal_$i.h5.tmp* >/dev/null 2>&1 && fail "calibrate resume $i: a temp file next to the output" || pass
done

# ---------------------------------------------------------------------------------------------
section "two live processes writing the same output"
# docs/output-format.md, "Writing safely": the temp file is owned by its process; a second
# process finds the output or a live owner's temp file and is refused (exit 3), or, started
# after the first finished, is refused because the output exists (exit 3), or (with --force)
# replaces it whole. Either way the file is one process's complete output.
for round in 1 2 3; do
  for force in "" "--force"; do
    d=live_${round}${force:+_force}
    mkdir -p "$d"
    "$geosim" run "$scen" --replicates "$reps" -o "$d/same.h5" -q $force >"$d/a.out" 2>"$d/a.err" &
    pa=$!
    "$geosim" run "$scen" --replicates "$reps" -o "$d/same.h5" -q $force >"$d/b.out" 2>"$d/b.err" &
    pb=$!
    wait $pa; ra=$?
    wait $pb; rb=$?
    echo "two writers ($d): exits $ra and $rb"
    if { [ $ra -eq 0 ] || [ $rb -eq 0 ]; } && { [ $ra -eq 0 ] || [ $ra -eq 3 ]; } &&
       { [ $rb -eq 0 ] || [ $rb -eq 3 ]; }; then pass; else
      fail "two writers ($d): exits $ra and $rb, expected one 0 and the other 0 or 3"
      cat "$d/a.err" "$d/b.err" | grep -v 'warning at' | head -4 | sed 's/^/  | /'
    fi
    for e in a b; do
      n=$(grep -v 'warning at' "$d/$e.err" | grep -c .)
      [ "$n" -le 1 ] && pass || fail "two writers ($d): writer $e printed $n error lines"
      grep -q "internal error" "$d/$e.err" && fail "two writers ($d): internal error" || pass
    done
    [ -f "$d/same.h5" ] && same_data ref_run.h5 "$d/same.h5" && pass ||
      fail "two writers ($d): the file is not one complete output"
    no_tmp "$d" "two writers ($d)"
  done
done

echo "kill_resume: $passed passed, $failed failed in $((SECONDS - t_start)) s"
[ "$failed" -eq 0 ]
