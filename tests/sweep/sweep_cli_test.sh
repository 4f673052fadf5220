#!/usr/bin/env bash
# End-to-end tests of `geosim sweep`: the same sweep run serially, with 2 threads, as 3 shards
# (by --shard and by the Slurm array variables), under mpirun -n 2, and killed with SIGTERM then
# resumed gives identical datasets; failed runs are data; Sobol' indices of the Ishigami
# function and Morris screening of an inert parameter through the sweep's own path; misuse is
# refused and nothing a user has is overwritten.
# Usage: sweep_cli_test.sh GEOSIM_BINARY SOURCE_DIR WORKDIR WITH_MPI(ON|OFF)
set -u
geosim=$1
src=$2
work=$3
with_mpi=$4
source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_lib.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
py() { /usr/bin/python3 - "$@"; }

# A small sweep of the baseline: 8 LHS points x 2 replicates = 16 runs in chunks of 3 (the last
# chunk is short), with trajectories.
cat > small.sweep.yaml <<YAML
geosim_sweep: 1
name: small
scenario: $src/scenarios/central_asia_2022.yaml
seed: 7
replicates: 2
chunk: 3
design: {kind: lhs, n: 8}
parameters:
  - {name: inertia, path: parameters.influence_inertia, uniform: [0.05, 0.3]}
  - {name: tjk_gdp, path: "actors[TJK].gdp", loguniform: [5, 20]}
  - {name: tjk_threshold, path: "policies[tjk_hedging].threshold", uniform: [0.3, 0.7]}
outputs:
  - {name: us_share_tjk, variable: influence_share, actor: USA, target: TJK}
  - {name: rus_trade_tjk, variable: flow, channel: trade, actor: RUS, target: TJK, reduce: max}
  - {name: tjk_reexports, variable: reexports, actor: TJK, reduce: sum, from: 2023-01}
trajectories: {every: 6, variables: [influence_share, gdp]}
YAML

expect 0 "plan with an estimate" -- "$geosim" sweep plan small.sweep.yaml -d estimated --estimate --sample 4 --jobs 2 --tasks 3
contains out.txt "estimate, from 4 runs timed here" "the estimate says how many runs it timed"
grep -qE "time per run: [0-9.e+]+ ms on average, [0-9.e+]+ ms at most" out.txt && pass || fail "time per run"
contains out.txt "all 16 runs: about " "the sweep's time"
grep -qE "packs about [0-9.e+]+ MB, the merged file at most [0-9.e+]+ MB" out.txt && pass || fail "disk"
grep -qE "memory: about [1-9][0-9]* MB per process" out.txt && pass || fail "memory"
contains out.txt "--array=0-2 (3 tasks of about 2 chunks each), --cpus-per-task=2" "the Slurm array"
grep -qE -- "--time=[0-9]{2}:[0-9]{2}:00" out.txt && pass || fail "a time limit per task"
expect 2 "--sample 0" -- "$geosim" sweep plan small.sweep.yaml -d estimated --estimate --sample 0
contains err.txt "error at '--sample'" "--sample 0 refused"
expect 2 "--tasks 0" -- "$geosim" sweep plan small.sweep.yaml -d estimated --estimate --tasks 0
contains err.txt "error at '--tasks'" "--tasks 0 refused"
expect 0 "plan" -- "$geosim" sweep plan small.sweep.yaml -d serial --show 4
contains out.txt "8 points x 2 replicates = 16 runs in 6 chunks of 3" "plan summary"
contains out.txt "run  point  replicate  inertia  tjk_gdp  tjk_threshold" "run table header"
expect 0 "serial" -- env GEOSIM_PROGRESS_SECONDS=0 "$geosim" sweep run small.sweep.yaml -d serial -o serial.h5
contains err.txt "6 chunks run (16 runs, 0 failed)" "serial report"
# Off a terminal (here: a file), a progress line per interval (0 s: at the start and after every
# chunk) with the rate.
n=$(grep -cE '^geosim: [0-9]+/16 runs \([0-9.]+%\), [0-9.e+]+ runs/s, ' err.txt)
[ "$n" -eq 7 ] && pass || fail "a progress line at the start and per chunk off a terminal: $n"
contains err.txt "16/16 runs (100.0%)" "the last progress line"
[ -f serial.h5 ] && [ ! -e serial.h5.tmp ] && pass || fail "merged file written, no temp file"
packs() { find "$1/chunks" -name '*.gspack' | wc -l; }
[ "$(packs serial)" -eq 1 ] && [ "$(find serial/chunks -type f | wc -l)" -eq 1 ] && pass ||
  fail "one process commits its 6 chunks to one pack file: $(ls serial/chunks)"
expect 0 "threads" -- "$geosim" sweep run small.sweep.yaml -d threads -o threads.h5 --jobs 2 -q
same_data serial.h5 threads.h5 && pass || fail "--jobs 2 = serial"
for i in 0 1 2; do
  expect 0 "shard $i/3" -- "$geosim" sweep run small.sweep.yaml -d sharded --shard $i/3
  contains err.txt "shard $i/3: 2 chunks" "shard $i takes chunks $i and $((i + 3))"
done
[ ! -e small_sweep.h5 ] && pass || fail "a shard does not merge"
[ "$(packs sharded)" -eq 3 ] && pass || fail "3 shards, 3 packs: $(ls sharded/chunks)"
expect 0 "merge shards" -- "$geosim" sweep merge sharded -o sharded.h5 -q
same_data serial.h5 sharded.h5 && pass || fail "3 shards merged = serial"
# Slurm job array variables: tasks 1..3 of an array (SLURM_ARRAY_TASK_MIN = 1).
for i in 3 1 2; do
  expect 0 "array task $i" -- env SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=3 \
    "$geosim" sweep run small.sweep.yaml -d array -q
done
expect 0 "merge array" -- "$geosim" sweep merge array -o array.h5 -q
same_data serial.h5 array.h5 && pass || fail "array tasks merged = serial"
expect 2 "array task outside the array" -- env SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=3 \
  "$geosim" sweep run small.sweep.yaml -d array -q
contains err.txt "SLURM_ARRAY_TASK_ID" "names the variable"
if [ "$with_mpi" = ON ] && command -v mpirun >/dev/null; then
  expect 0 "mpirun -n 2" -- mpirun --allow-run-as-root --oversubscribe -n 2 \
    "$geosim" sweep run small.sweep.yaml -d mpi -o mpi.h5 --mpi
  same_data serial.h5 mpi.h5 && pass || fail "mpirun -n 2 = serial"
  contains err.txt "merged 16 runs" "rank 0 merges"
else
  echo "note: MPI not built or mpirun missing; the MPI check is skipped"
fi

# Killed with SIGTERM after the first committed chunk, then resumed: the same bits. Enough runs
# (3,000, a few seconds) that the signal lands while the sweep runs on any machine: with 60, a
# faster build finished before the signal (the sweep got faster, the test did not).
slow_points=1000
slow_runs=$((slow_points * 3))
cat > slow.sweep.yaml <<YAML
geosim_sweep: 1
name: slow
scenario: $src/scenarios/central_asia_2022.yaml
seed: 3
replicates: 3
chunk: 2
design: {kind: mc, n: $slow_points}
parameters:
  - {name: inertia, path: parameters.influence_inertia, uniform: [0.05, 0.3]}
outputs:
  - {name: us_share_tjk, variable: influence_share, actor: USA, target: TJK}
YAML
"$geosim" sweep run slow.sweep.yaml -d killed -o killed.h5 >run1.txt 2>&1 &
pid=$!
# The first commit: the pack grows past its 64-byte header.
for _ in $(seq 1 600); do
  [ -n "$(find killed/chunks -name '*.gspack' -size +64c 2>/dev/null)" ] && break
  sleep 0.05
done
kill -TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 4 ] && pass || fail "SIGTERM: exit $rc, expected 4"
grep -q "interrupted; committed chunks are kept" run1.txt && pass || fail "says how to resume"
[ ! -e killed.h5 ] && pass || fail "no merged file after an interruption"
ls killed/chunks/*.tmp* >/dev/null 2>&1 && fail "a temp chunk was left" || pass
expect 0 "status after the kill" -- "$geosim" sweep status killed
grep -qE "$slow_runs in all: [0-9]+ done, 0 failed, [1-9][0-9]* missing" out.txt && pass || fail "status shows missing runs"
contains out.txt "last commit: " "status says when the last chunk was committed"
grep -qE "rate: +[0-9.e+]+ runs/s on average since the plan was written .*; [0-9]+ runs to go: about [0-9.]+ (s|min|h) at that rate" out.txt && pass || fail "status gives the rate and the time left"
touch killed/chunks/pack_left.gspack.tmp.1
expect 0 "status with a temporary file" -- "$geosim" sweep status killed
contains out.txt "temporary files: 1 (" "status lists a temporary file left behind"
contains out.txt "killed/chunks/pack_left.gspack.tmp.1" "status names it"
rm killed/chunks/pack_left.gspack.tmp.1
# Serial chunks of 2 runs, 3 replicates per point: D runs done make D / 3 complete points and
# one partly run point if 3 does not divide D.
done_runs=$(sed -n "s/.*$slow_runs in all: \([0-9]*\) done.*/\1/p" out.txt)
contains out.txt "points: $slow_points in all: $((done_runs / 3)) complete, 0 complete with failed runs, $((done_runs % 3 ? 1 : 0)) partly run, $((slow_points - (done_runs + 2) / 3)) not yet" "status per point after the kill"
expect 2 "merge an unfinished sweep" -- "$geosim" sweep merge killed -o partial.h5
contains err.txt "chunks are not done" "explains what is missing"
[ ! -e partial.h5 ] && pass || fail "no file from a refused merge"
expect 0 "merge with --allow-missing" -- "$geosim" sweep merge killed -o partial.h5 --allow-missing
py partial.h5 <<'PY' && pass || fail "missing runs: status 2 and NaN"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
s, y = f["status"][()], f["us_share_tjk"][()]
assert (s == 2).any() and (s == 0).any()
assert np.isnan(y[s == 2]).all() and np.isfinite(y[s == 0]).all()
PY
expect 0 "resume" -- "$geosim" sweep run slow.sweep.yaml -d killed -o killed.h5
grep -qE "; [1-9][0-9]* (was|were) already done" err.txt && pass ||
  fail "resume skips committed chunks: $(grep 'already done' err.txt)"
expect 0 "straight" -- "$geosim" sweep run slow.sweep.yaml -d straight -o straight.h5 -q
same_data killed.h5 straight.h5 && pass || fail "killed and resumed = straight"

# The merged file: run ids, points, replicates, parameters as coordinates; xarray opens it.
py serial.h5 <<'PY' && pass || fail "merged layout"
import sys, numpy as np, xarray as xr
for engine in ("h5netcdf", "netcdf4"):
    ds = xr.open_dataset(sys.argv[1], engine=engine)
    assert ds.sizes["run"] == 16 and ds.sizes["sample"] == 7, dict(ds.sizes)
    assert list(ds["run"].values) == list(range(16))
    for c in ("point", "replicate", "inertia", "tjk_gdp", "tjk_threshold"):
        assert c in ds.coords, c
    assert (ds["point"].values == np.arange(16) // 2).all()
    assert (ds["replicate"].values == np.arange(16) % 2).all()
    assert ds["influence_share_trajectory"].dims == ("run", "sample", "actor", "target")
    # the actors' full names, as in a run file
    assert "actor_name" in ds["influence_share_trajectory"].coords
    assert ds["actor_name"].dims == ("actor",)
    assert str(ds["actor_name"].sel(actor="USA").values) == "United States"
    assert (ds["status"].values == 0).all()
    assert all(m == "" for m in ds["message"].values), ds["message"].values  # not written: ""
    # parameters per run = the design's values of the run's point
    dv = ds["design_values"].values
    for k, name in enumerate(("inertia", "tjk_gdp", "tjk_threshold")):
        assert np.array_equal(ds[name].values, dv[ds["point"].values, k]), name
    # a dimensionless parameter's unit is "1" (CF); a quantity keeps its own
    assert ds["inertia"].attrs["units"] == "1", ds["inertia"].attrs
    assert ds["tjk_gdp"].attrs["units"] not in ("", "1"), ds["tjk_gdp"].attrs
    assert ds.attrs["runs"] == 16 and ds.attrs["points"] == 8 and ds.attrs["chunk"] == 3
    # the last sample is the last turn; the trajectory's last sample is the metric
    last = ds["influence_share_trajectory"].sel(actor="USA", target="TJK").isel(sample=-1)
    assert np.array_equal(last.values, ds["us_share_tjk"].values)
    assert ds.attrs["format"] == "geosim-sweep"
# the design in the merged file is the plan's, copied block by block
import h5py
with h5py.File(sys.argv[1], "r") as m, h5py.File("serial/plan.h5", "r") as p:
    assert np.array_equal(m["design_values"][()], p["point_values"][()])
    assert m.attrs["plan_hash"] == p.attrs["plan_hash"]
PY
expect 0 "status" -- "$geosim" sweep status serial
contains out.txt "points: 8 in all: 8 complete, 0 complete with failed runs, 0 partly run, 0 not yet" "status per point"
# A gap: shards 0 and 1 of 3 leave chunks 2 (runs 6-8) and 5 (run 15): point 3 (runs 6, 7)
# has no run, points 4 (8, 9) and 7 (14, 15) one each.
for i in 0 1; do expect 0 "gap shard $i" -- "$geosim" sweep run small.sweep.yaml -d gap --shard $i/3 -q; done
expect 0 "status with a gap" -- "$geosim" sweep status gap
contains out.txt "16 in all: 12 done, 0 failed, 4 missing" "runs with a gap"
contains out.txt "points: 8 in all: 5 complete, 0 complete with failed runs, 2 partly run, 1 not yet" "points with a gap"
contains out.txt "chunks: 4 of 6 committed, in 2 pack files" "chunks and packs with a gap"

# A pack torn by a crash (its last record cut short), and one damaged inside (a flipped byte in
# a record's values): status says so, those chunks count as not committed, a resume runs them
# again, and the merged file has the same bits as the serial one.
cp -r serial torn
pack=$(find torn/chunks -name '*.gspack')
truncate -s -5 "$pack"
expect 0 "status of a torn pack" -- "$geosim" sweep status torn
contains out.txt "chunks: 5 of 6 committed" "the torn record is not committed"
contains out.txt "an incomplete record" "status names the torn record"
expect 0 "resume a torn pack" -- "$geosim" sweep run small.sweep.yaml -d torn -o torn.h5
contains err.txt "1 chunk run (1 run, 0 failed)" "only the torn chunk runs again"
contains err.txt "warning: " "the resume warns of the torn record"
same_data serial.h5 torn.h5 && pass || fail "torn and resumed = serial"
cp -r serial flipped
pack=$(find flipped/chunks -name '*.gspack')
size=$(stat -c %s "$pack")
# 100 bytes before the end: inside the last record's values (its 32-byte header comes before).
printf '\x7f' | dd of="$pack" bs=1 seek=$((size - 100)) conv=notrunc status=none
expect 0 "status of a damaged pack" -- "$geosim" sweep status flipped
contains out.txt "fails its checksum" "status names the damaged record"
contains out.txt "missing" "its runs are missing"
expect 2 "merge refuses a damaged chunk" -- "$geosim" sweep merge flipped -o flipped.h5
contains err.txt "damaged" "merge says why"
[ ! -e flipped.h5 ] && pass || fail "no merged file from a damaged pack"
expect 0 "merge a damaged pack with --allow-missing" -- "$geosim" sweep merge flipped -o flipped_partial.h5 --allow-missing
contains err.txt "warning: " "merge --allow-missing names the damaged record"
contains err.txt "15 ok, 0 failed, 1 missing" "its run is missing"
expect 0 "resume a damaged pack" -- "$geosim" sweep run small.sweep.yaml -d flipped -o flipped.h5
contains err.txt "fails its checksum" "the resume warns"
same_data serial.h5 flipped.h5 && pass || fail "damaged and resumed = serial"

# Failed runs are data: a susceptibility above 1 is outside its range.
cat > failing.sweep.yaml <<YAML
geosim_sweep: 1
name: failing
scenario: $src/scenarios/central_asia_2022.yaml
seed: 1
design: {kind: grid}
parameters:
  - {name: susc, path: "actors[TJK].susceptibility", levels: [0.5, 1.5, 0.8]}
outputs:
  - {name: us_share_tjk, variable: influence_share, actor: USA, target: TJK}
YAML
expect 0 "a sweep with a failing run" -- "$geosim" sweep run failing.sweep.yaml -d failing -o failing.h5
contains err.txt "(3 runs, 1 failed)" "the failure is counted"
expect 0 "status of the failing sweep" -- "$geosim" sweep status failing
contains out.txt "failed run 1:" "status lists the failed run"
contains out.txt "points: 3 in all: 2 complete, 1 complete with failed runs, 0 partly run, 0 not yet" "a point with a failed run"
py failing.h5 <<'PY' && pass || fail "failed run recorded with its message"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
assert list(f["status"][()]) == [0, 1, 0]
m = f["message"][1]
m = m.decode() if isinstance(m, bytes) else m
assert "susceptibility" in m, m
assert np.isnan(f["us_share_tjk"][1]) and np.isfinite(f["us_share_tjk"][0])
PY
expect 2 "analyze a grid" -- "$geosim" sweep analyze failing.h5
contains err.txt "has no sensitivity indices" "explains which designs have indices"

# A Sobol' sweep with failed runs: analysis refuses the incomplete blocks unless told.
cat > sobol_fail.sweep.yaml <<YAML
geosim_sweep: 1
name: sobol_fail
scenario: $src/scenarios/central_asia_2022.yaml
seed: 2
design: {kind: sobol, n: 8}
parameters:
  - {name: susc, path: "actors[TJK].susceptibility", uniform: [0.5, 1.1]}
  - {name: inertia, path: parameters.influence_inertia, uniform: [0.05, 0.3]}
outputs:
  - {name: us_share_tjk, variable: influence_share, actor: USA, target: TJK}
YAML
expect 0 "sobol sweep with failures" -- "$geosim" sweep run sobol_fail.sweep.yaml -d sobol_fail -o sobol_fail.h5
grep -qE "\(32 runs, [1-9][0-9]* failed\)" err.txt && pass || fail "some runs failed"
expect 2 "analyze refuses incomplete blocks" -- "$geosim" sweep analyze sobol_fail.h5
contains err.txt "incomplete" "says the blocks are incomplete"
contains err.txt "--drop-incomplete" "says how to go on"
expect 0 "analyze the complete blocks" -- "$geosim" sweep analyze sobol_fail.h5 --drop-incomplete
grep -qE "us_share_tjk \([0-9] blocks, [1-9] dropped[;)]" out.txt && pass || fail "reports the dropped blocks"

# Sobol' indices of the Ishigami function through the sweep's own path.
cat > ishigami.sweep.yaml <<'YAML'
geosim_sweep: 1
name: ishigami
model: ishigami
seed: 11
chunk: 2048
design: {kind: sobol, n: 8192}
parameters:
  - {name: x1, path: x1, uniform: [-3.141592653589793, 3.141592653589793]}
  - {name: x2, path: x2, uniform: [-3.141592653589793, 3.141592653589793]}
  - {name: x3, path: x3, uniform: [-3.141592653589793, 3.141592653589793]}
outputs:
  - {name: y, variable: y}
YAML
expect 0 "ishigami sweep" -- "$geosim" sweep run ishigami.sweep.yaml -d ishigami -o ishigami.h5 --jobs 2 -q
# A merge of three blocks of runs (65,536 runs each at most): off a terminal, a progress line
# per interval (0 s: after every block but the last, which the summary line reports).
sed -e 's/^name: ishigami/name: ishigami_mc/' -e 's/chunk: 2048/chunk: 4096/' \
  -e 's/{kind: sobol, n: 8192}/{kind: mc, n: 140000}/' ishigami.sweep.yaml >ishigami_mc.sweep.yaml
expect 0 "a sweep of 140,000 runs" -- "$geosim" sweep run ishigami_mc.sweep.yaml -d ishigami_mc \
  --no-merge -q
expect 0 "its merge" -- env GEOSIM_PROGRESS_SECONDS=0 "$geosim" sweep merge ishigami_mc -o mc.h5
[ "$(grep -cE '^geosim: merge: [0-9]+/140000 runs \([0-9.]+%\)' err.txt)" -eq 2 ] &&
  grep -q "^geosim: merge: 65536/140000 runs (46.8%)" err.txt &&
  grep -q "^geosim: merge: 131072/140000 runs (93.6%)" err.txt && pass ||
  fail "a progress line per merged block but the last: $(cat err.txt)"
contains err.txt "merged 140000 runs into mc.h5" "the merge's summary"
expect 0 "a quiet merge" -- "$geosim" sweep merge ishigami_mc -o mc_quiet.h5 -q
[ ! -s err.txt ] && pass || fail "-q: no progress line"
expect 2 "analyze refuses --bootstrap 0" -- "$geosim" sweep analyze ishigami.h5 --bootstrap 0
contains err.txt "expected at least 10 resamples" "--bootstrap 0 says why"
expect 0 "ishigami analyze" -- "$geosim" sweep analyze ishigami.h5 --bootstrap 300 --salib salib
py ishigami.h5 <<'PY' && pass || fail "Ishigami indices within 0.03 of the analytic values"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
s1, st = f["sobol_s1"][0], f["sobol_st"][0]
lo, hi = f["sobol_st_low"][0], f["sobol_st_high"][0]
S1 = np.array([0.3139, 0.4424, 0.0]); ST = np.array([0.5576, 0.4424, 0.2437])
print("S1", s1, "ST", st)
assert np.all(np.abs(s1 - S1) < 0.03), s1
assert np.all(np.abs(st - ST) < 0.03), st
assert np.all(lo <= st) and np.all(st <= hi)
# one replicate: the noise is unknown; x3's S1 (0 in truth) reaches 0, its ST does not
assert np.isnan(f["sobol_noise_share"][0])
assert list(f["sobol_s1_noise"][0]) == [0, 0, 1], f["sobol_s1_noise"][0]
assert list(f["sobol_st_noise"][0]) == [0, 0, 0], f["sobol_st_noise"][0]
PY
contains out.txt "y (8192 blocks; one replicate: the noise is unknown)" "no noise estimate with R = 1"
grep -qE "^  x3 +noise +\[" out.txt && pass || fail "x3's S1 printed as noise: $(grep x3 out.txt)"
ls salib/problem.txt salib/X.txt salib/Y.txt >/dev/null && pass || fail "SALib export written"
[ "$(wc -l < salib/X.txt)" -eq 40960 ] && pass || fail "SALib X has 8192 x 5 rows"

# Morris screening: x4 is an inert dummy and is ranked last with mu* = 0.
cat > morris.sweep.yaml <<'YAML'
geosim_sweep: 1
name: morris
model: ishigami
seed: 5
design: {kind: morris, n: 40, levels: 4}
parameters:
  - {name: x1, path: x1, uniform: [-3.141592653589793, 3.141592653589793]}
  - {name: x2, path: x2, uniform: [-3.141592653589793, 3.141592653589793]}
  - {name: x3, path: x3, uniform: [-10, 10]}
  - {name: x4, path: x4, uniform: [0, 1]}
outputs:
  - {name: y, variable: y}
YAML
expect 0 "morris sweep" -- "$geosim" sweep run morris.sweep.yaml -d morris -o morris.h5 -q
expect 0 "morris analyze" -- "$geosim" sweep analyze morris.h5
tail -n 2 out.txt | head -n 1 | grep -qE '^  x4 +0\.000' && pass || fail "x4 ranked last in the printed table"
# x3 on [-10, 10] gives effects in the thousands: the columns still line up.
[ "$(sed -n '2,6p' out.txt | awk '{ print length($0) }' | sort -u | wc -l)" -eq 1 ] && pass ||
  fail "the Morris table's rows have one width: $(sed -n '2,6p' out.txt)"
py morris.h5 <<'PY' && pass || fail "mu*(x4) = 0, the smallest"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
mu = f["morris_mu_star"][0]
assert mu[3] == 0.0 and np.all(mu[:3] > 0), mu
PY

# Misuse is refused and nothing is overwritten.
expect 2 "bad --shard" -- "$geosim" sweep run small.sweep.yaml -d serial --shard 3/3
contains err.txt "expected I/K with 0 <= I < K" "explains --shard"
expect 2 "--shard and --mpi" -- "$geosim" sweep run small.sweep.yaml --shard 0/2 --mpi
cp serial.h5 keep.h5
expect 3 "merged file exists" -- "$geosim" sweep run small.sweep.yaml -d serial -o keep.h5
cmp -s serial.h5 keep.h5 && pass || fail "existing file untouched"
sed 's/seed: 7/seed: 8/' small.sweep.yaml > other.sweep.yaml
expect 2 "another sweep in the same folder" -- "$geosim" sweep run other.sweep.yaml -d serial -o other.h5
contains err.txt "holds another sweep's plan" "explains the folder clash"
expect 2 "status of a non-sweep folder" -- "$geosim" sweep status nowhere
contains err.txt "no sweep plan here" "explains a missing plan"
expect 2 "unknown sweep command" -- "$geosim" sweep rnu
contains err.txt "did you mean 'run'" "suggests run"
printf 'geosim_sweep: 1\nname: t\nseed: x\n' > bad.sweep.yaml
expect 2 "bad sweep file" -- "$geosim" sweep run bad.sweep.yaml
contains err.txt "bad.sweep.yaml:3:7: error at 'seed'" "located error"

echo "sweep cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
