#!/usr/bin/env bash
# End-to-end tests of `geosim calibrate` (docs/calibration.md):
#  - the same calibration run serially, with --jobs 2, killed with SIGTERM and resumed, and under
#    mpirun -n 2 (where built) gives identical datasets;
#  - bad calibration files: exit 2, located errors (file:line:column, key path), nothing written;
#    an existing output without --force: exit 3;
#  - a tolerance never reached: the budget runs out, exit 0, converged = 0;
#  - recovery of known parameters of scenarios/small_test_v2.yaml from targets made by a run at
#    those values (90% credible intervals contain the truth), with the derived quantities
#    (turnover_share, import_share, inflow_gdp) checked against the truth run read by h5py;
#  - export: the overlay validates and runs to the same flows and influence as --set with the
#    posterior medians (and --best);
#  - nelder-mead on the gaussian test model.
# Usage: calibrate_cli_test.sh GEOSIM_BINARY SOURCE_DIR WORKDIR WITH_MPI(ON|OFF)
set -u
geosim=$1
src=$2
work=$3
with_mpi=${4:-OFF}
source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_lib.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
py() { /usr/bin/python3 - "$@"; }
scen=$src/scenarios/small_test_v2.yaml
t_start=$SECONDS
section() { echo "== $1 (at ${SECONDS}s)"; }

# same_calib A B: every dataset equal bit for bit (NaN included), and every root attribute but
# the provenance of the run (start_time, wall_seconds, command_line, host).
same_calib() {
  py "$1" "$2" <<'PY'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
def datasets(f):
    out = {}
    f.visititems(lambda n, o: out.__setitem__(n, o[()]) if isinstance(o, h5py.Dataset) else None)
    return out
da, db = datasets(a), datasets(b)
assert sorted(da) == sorted(db), (sorted(da), sorted(db))
for k in ("particles", "weight", "distance", "tolerance", "ess", "acceptance", "proposals", "predicted"):
    assert k in da, k
for k in da:
    x, y = da[k], db[k]
    assert x.shape == y.shape, k
    if x.dtype.kind == "f":
        assert np.array_equal(x.view(np.uint64) if x.dtype == np.float64 else x,
                              y.view(np.uint64) if y.dtype == np.float64 else y), k  # same bits
    else:
        assert np.array_equal(x, y), k
skip = {"start_time", "wall_seconds", "command_line", "host"}
ka, kb = set(a.attrs) - skip, set(b.attrs) - skip
assert ka == kb, ka ^ kb
for k in ka:
    x, y = a.attrs[k], b.attrs[k]
    assert np.array_equal(np.asarray(x), np.asarray(y)), (k, x, y)
PY
}

# ---------------------------------------------------------------------------------------------
section "same bits: serial, --jobs 2, killed and resumed, mpirun -n 2"
# A scenario calibration with every prior kind, 2 replicates, a derived target and a holdout;
# 6 generations, not converged (the tolerance is out of reach): a few seconds.
sed "s|^scenario: .*|scenario: $scen|" "$src/tests/support/fixtures/bits.calib.yaml" > bits.calib.yaml
# GEOSIM_PROGRESS_SECONDS=0: a progress line after every chunk of a batch but its last (off a
# terminal, as in a Slurm log), labelled with the generation and batch.
expect 0 "serial" -- env GEOSIM_PROGRESS_SECONDS=0 "$geosim" calibrate bits.calib.yaml -d serial \
  -o serial.h5
contains err.txt "generation 5:" "six generations run"
grep -qE "^geosim: generation 0, batch 0: 32/[0-9]+ runs \([0-9.]+%\), [0-9.e+]+ runs/s" err.txt &&
  pass || fail "progress lines within a batch: $(head -5 err.txt)"
contains err.txt "NOT converged" "the tolerance is out of reach"
[ -f serial.h5 ] && [ ! -e serial.h5.tmp ] && pass || fail "serial.h5 written, no temp file"
[ -f serial/gen_000/population.h5 ] && pass || fail "a population file per generation (gen_000)"
expect 0 "--jobs 2" -- "$geosim" calibrate bits.calib.yaml -d threads -o threads.h5 --jobs 2 -q
same_calib serial.h5 threads.h5 && pass || fail "--jobs 2 = serial"

# Killed with SIGTERM once generation 0 is committed, then resumed: the same bits.
"$geosim" calibrate bits.calib.yaml -d killed -o killed.h5 >run1.txt 2>&1 &
pid=$!
for _ in $(seq 1 3000); do [ -f killed/gen_000/population.h5 ] && break; sleep 0.01; done
kill -TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 4 ] && pass || { fail "SIGTERM: exit $rc, expected 4"; sed 's/^/  | /' run1.txt | tail -3; }
contains run1.txt "interrupted; committed chunks and generations are kept in killed" "says how to resume"
[ ! -e killed.h5 ] && [ ! -e killed.h5.tmp ] && pass || fail "no output file after an interruption"
ls killed/gen_*/batch_*/chunks/*.tmp* >/dev/null 2>&1 && fail "a temp chunk was left" || pass
expect 0 "resume" -- "$geosim" calibrate bits.calib.yaml -d killed -o killed.h5
contains err.txt "generation 0 (resumed)" "generation 0 is read back, not run again"
same_calib serial.h5 killed.h5 && pass || fail "killed and resumed = serial"
# Another calibration in the same folder is refused, nothing written.
sed 's/seed: 11/seed: 12/' bits.calib.yaml > other.calib.yaml
expect 2 "another calibration's folder" -- "$geosim" calibrate other.calib.yaml -d serial -o other.h5
contains err.txt "another calibration" "explains the folder is another calibration's"
[ ! -e other.h5 ] && pass || fail "no output for a refused folder"

if [ "$with_mpi" = ON ] && command -v mpirun >/dev/null; then
  expect 0 "mpirun -n 2" -- mpirun --allow-run-as-root --oversubscribe -n 2 \
    "$geosim" calibrate bits.calib.yaml -d mpi -o mpi.h5 --mpi
  same_calib serial.h5 mpi.h5 && pass || fail "mpirun -n 2 = serial"
else
  echo "note: MPI not built (or mpirun missing, or a sanitizer build); the MPI check is skipped"
fi

# ---------------------------------------------------------------------------------------------
section "--estimate: what it will cost, nothing run or written"
# bits.calib.yaml: 150 particles x 2 replicates, budget 40000: generation 0 is one batch of
# ceil(1.2 x 150) = 180 proposals, 360 runs.
expect 0 "--estimate" -- "$geosim" calibrate bits.calib.yaml --estimate --sample 4 --jobs 2 -d est \
  -o est.h5
contains out.txt "estimate, from 4 runs timed here at parameter values drawn from the prior" \
  "the sample"
grep -qE "time per run: [0-9.e+]+ ms on average, [0-9.e+]+ ms at most" out.txt && pass ||
  fail "time per run"
contains out.txt "generation 0: 360 runs (one batch of about 1.2 x 150 particles, 2 replicates each)" \
  "generation 0"
contains out.txt "the budget bounds them all: 40000 runs, about" "the budget's bound"
grep -qE "the work folder's packs at most [0-9.e+]+ MB \(the budget's runs\), the output file at most" \
  out.txt && pass || fail "disk"
grep -qE -- "--cpus-per-task=2; the whole budget would take about .*: ask for --time=[0-9]{2}:[0-9]{2}:00" \
  out.txt && pass || fail "Slurm"
[ ! -e est ] && [ ! -e est.h5 ] && pass || fail "--estimate writes no work folder and no output"
# A budget under generation 0's runs is said; a fixed method.batch sizes generation 0.
expect 0 "--estimate, a budget too small" -- "$geosim" calibrate bits.calib.yaml --estimate \
  --sample 2 --budget 300
contains out.txt "WARNING: the budget, 300 runs, does not cover generation 0" "budget < generation 0"
sed 's/chunk: 32,/chunk: 32, batch: 40,/' bits.calib.yaml >batch.calib.yaml
expect 0 "--estimate, method.batch" -- "$geosim" calibrate batch.calib.yaml --estimate --sample 2
contains out.txt "generation 0: 320 runs (batches of method.batch 40 proposals" \
  "4 batches of 40 proposals x 2 replicates"
expect 2 "--estimate --mpi" -- "$geosim" calibrate bits.calib.yaml --estimate --mpi
contains err.txt "error at '--estimate'" "--estimate under MPI refused"
expect 2 "--sample 0" -- "$geosim" calibrate bits.calib.yaml --estimate --sample 0
contains err.txt "error at '--sample'" "--sample 0 refused"

section "bad input: located errors, exit 2, nothing written"
# bad NAME PARAMETERS TARGETS [METHOD_EXTRA]: a calibration file; the parameter is on line 7
# and the (first) target on line 9.
P='  - {name: g, path: "actors[C1].growth", uniform: [0.0, 0.15]}'
T='  - {name: t, variable: gdp, actor: C1, month: 2021-12, observed: 22, sd: 0.2, source: "s"}'
bad() {
  cat > "$1.calib.yaml" <<YAML
geosim_calibration: 1
name: $1
scenario: $scen
seed: 5
method: {kind: abc-smc, particles: 20, replicates: 1, tolerance: 1.0, budget: 1000${4:-}}
parameters:
$2
targets:
$3
YAML
}
# refused NAME LINE KEY_PATH MESSAGE: exit 2, the located message, no output and no work folder.
refused() {
  expect 2 "$1" -- "$geosim" calibrate "$1.calib.yaml" -d "$1.work" -o "$1.h5"
  contains err.txt "$1.calib.yaml:$2:" "$1: located at line $2"
  contains err.txt "error at '$3'" "$1: key path $3"
  contains err.txt "$4" "$1: message"
  [ ! -e "$1.h5" ] && [ ! -e "$1.h5.tmp" ] && [ ! -e "$1.work" ] && pass || fail "$1: something was written"
}
bad unknown_variable "$P" '  - {name: t, variable: gdpp, actor: C1, month: 2021-12, observed: 22, sd: 0.2, source: "s"}'
refused unknown_variable 9 "targets[t].variable" "unknown run variable or derived quantity 'gdpp' (did you mean 'gdp'?)"
bad unknown_actor "$P" '  - {name: t, variable: gdp, actor: XX, month: 2021-12, observed: 22, sd: 0.2, source: "s"}'
refused unknown_actor 9 "targets[t].actor" "unknown actor 'XX'"
bad unknown_partner "$P" '  - {name: t, variable: turnover_share, actor: C1, target: ZZ, year: 2021, observed: 0.2, sd: 0.2, source: "s"}'
refused unknown_partner 9 "targets[t].target" "unknown target 'ZZ'"
bad month_outside "$P" '  - {name: t, variable: gdp, actor: C1, month: 2022-01, observed: 22, sd: 0.2, source: "s"}'
refused month_outside 9 "targets[t].month" "the month 2022-01 is outside the run (2020-01 to 2021-12)"
# one problem, one message (the month is both ends of the window)
[ "$(grep -c "error at" err.txt)" -eq 1 ] && pass || fail "month_outside: one error reported $(grep -c "error at" err.txt) times"
bad year_outside "$P" '  - {name: t, variable: gdp, actor: C1, year: 2019, observed: 22, sd: 0.2, source: "s"}'
refused year_outside 9 "targets[t].year" "the year 2019 is not wholly inside the run (2020-01 to 2021-12)"
bad month_malformed "$P" '  - {name: t, variable: gdp, actor: C1, month: 2021/12, observed: 22, sd: 0.2, source: "s"}'
refused month_malformed 9 "targets[t].month" "expected a month YYYY-MM, got '2021/12'"
bad month_13 "$P" '  - {name: t, variable: gdp, actor: C1, month: 2021-13, observed: 22, sd: 0.2, source: "s"}'
refused month_13 9 "targets[t].month" "expected a month YYYY-MM, got '2021-13'"
bad sd_zero "$P" '  - {name: t, variable: gdp, actor: C1, month: 2021-12, observed: 22, sd: 0, source: "s"}'
refused sd_zero 9 "targets[t].sd" "expected a positive standard error"
bad sd_negative "$P" '  - {name: t, variable: gdp, actor: C1, month: 2021-12, observed: 22, sd: -1, source: "s"}'
refused sd_negative 9 "targets[t].sd" "-1"
bad interval_reversed "$P" '  - {name: t, variable: gdp, actor: C1, month: 2021-12, observed: 22, interval: [23, 21], source: "s"}'
refused interval_reversed 9 "targets[t].interval" "expected lo < hi, got [23, 21]"
bad interval_empty "$P" '  - {name: t, variable: gdp, actor: C1, month: 2021-12, observed: 22, interval: [21, 21], source: "s"}'
refused interval_empty 9 "targets[t].interval" "expected lo < hi"
bad prior_outside '  - {name: d, path: parameters.sanction_drag, uniform: [-1, 1]}' "$T"
refused prior_outside 7 "parameters[d].uniform" "reaches outside the values 'parameters.sanction_drag' takes"
bad prior_normal_outside '  - {name: d, path: parameters.sanction_drag, normal: [-1, 1]}' "$T"
refused prior_normal_outside 7 "parameters[d].normal" "outside the values 'parameters.sanction_drag' takes"
bad prior_discrete '  - {name: d, path: parameters.sanction_drag, discrete: [0.1, 0.5]}' "$T"
refused prior_discrete 7 "parameters[d].discrete" "a discrete prior is not supported by calibration"
bad method_key "$P" "$T" ", partcles: 5"
refused method_key 5 "method.partcles" "unknown key 'partcles' (did you mean 'particles'?)"
bad no_fit "$P" '  - {name: t, variable: gdp, actor: C1, month: 2021-12, observed: 22, sd: 0.2, source: "s", use: holdout}'
refused no_fit 9 "targets" "no target has use: fit"
bad budget_short "$P" "$T" ", generations: 3"
sed -i 's/budget: 1000/budget: 19/' budget_short.calib.yaml
refused budget_short 5 "method.budget" "does not cover the first generation"
cat > targets_file.calib.yaml <<YAML
geosim_calibration: 1
name: targets_file
scenario: $scen
seed: 5
method: {kind: abc-smc, particles: 20, budget: 1000}
parameters:
$P
targets_files: [nowhere.targets.yaml]
YAML
refused targets_file 8 "targets_files[0]" "targets file 'nowhere.targets.yaml' does not exist"
# Several problems of the file at once: all reported.
bad several '  - {name: d, path: parameters.sanction_drag, discrete: [0.1, 0.5]}' \
  '  - {name: t, variable: gdp, actor: C1, month: 2021-12, observed: 22, sd: 0, source: "s"}' ", partcles: 5"
expect 2 "several errors" -- "$geosim" calibrate several.calib.yaml -d several.work -o several.h5
contains err.txt "method.partcles" "several: the method key"
contains err.txt "parameters[d].discrete" "several: the prior"
contains err.txt "targets[t].sd" "several: the sd"
contains err.txt "geosim: 3 errors" "several: all three counted"
# The output exists: exit 3 without --force, untouched.
echo "mine" > taken.h5
expect 3 "output exists" -- "$geosim" calibrate bits.calib.yaml -d taken.work -o taken.h5
[ "$(cat taken.h5)" = mine ] && pass || fail "an existing output was touched"
[ ! -e taken.work ] && pass || fail "nothing run when the output exists"

# ---------------------------------------------------------------------------------------------
section "a tolerance never reached: the budget runs out"
cat > tiny.calib.yaml <<YAML
geosim_calibration: 1
name: tiny
model: gaussian
seed: 3
method: {kind: abc-smc, particles: 20, replicates: 1, tolerance: 0, generations: 10, budget: 25}
parameters:
  - {name: mu, path: mu, uniform: [-2, 2]}
targets:
  - {name: y, variable: y, observed: 1.0, sd: 1.0, source: "test"}
YAML
expect 0 "budget runs out" -- "$geosim" calibrate tiny.calib.yaml -d tiny.work -o tiny.h5
contains err.txt "NOT converged" "stderr says NOT converged"
contains err.txt "budget" "stderr names the budget"
py tiny.h5 <<'PY' && pass || fail "budget: converged 0, stop_reason names the budget, 1 generation"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
assert int(f.attrs["converged"]) == 0, f.attrs["converged"]
reason = f.attrs["stop_reason"]
reason = reason.decode() if isinstance(reason, bytes) else str(reason)
assert "budget" in reason, reason
assert f["particles"].shape == (1, 20, 1), f["particles"].shape
assert int(f.attrs["runs"]) <= 25, f.attrs["runs"]
assert np.isclose(f["weight"][0].sum(), 1.0)
PY

# ---------------------------------------------------------------------------------------------
section "recovery of known parameters of small_test_v2"
# The truth: C1's growth 0.07 and sanction_drag 0.8. Targets: C1's gdp in 2021-06, PB's mean
# gdp in 2021 (fitted); C1's gdp in 2021-12 and three derived quantities (holdout), all read from
# a run at the truth with h5py (the derived ones computed here by their definitions).
expect 0 "truth run" -- "$geosim" run "$scen" --set "actors[C1].growth=0.07" \
  --set parameters.sanction_drag=0.8 -o truth.h5 -q
py truth.h5 > truth.txt <<'PY' && pass || fail "targets read from the truth run"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
dates = [x.decode() for x in f["date"][()]]
actors = [x.decode() for x in f["actor"][()]]
channels = [x.decode() for x in f["channel"][()]]
A = actors.index
F, gdp = f["flow"][()], f["gdp"][()]
yr = [i for i, d in enumerate(dates) if d.startswith("2021")]
tr, rem = F[:, channels.index("trade")], F[:, channels.index("remittances")]
c1, pb, c2 = A("C1"), A("PB"), A("C2")
def turnover_share(t, a, b):  # (F(a,b) + F(b,a)) / sum over j != a of (F(a,j) + F(j,a))
    return (tr[t, a, b] + tr[t, b, a]) / sum(tr[t, a, j] + tr[t, j, a] for j in range(len(actors)) if j != a)
v = {
    "c1_mid": gdp[dates.index("2021-06-01"), c1],
    "pb_2021": gdp[yr, pb].mean(),
    "c1_end": gdp[dates.index("2021-12-01"), c1],
    "ts": np.mean([turnover_share(t, c1, pb) for t in yr]),
    "imp": np.mean([tr[t, pb, c2] / tr[t, :, c2].sum() for t in yr]),
    "inf": np.mean([rem[t, :, c2].sum() / (1000.0 * gdp[t, c2]) for t in yr]),
}
for k, x in v.items():
    print(f"{k}={float(x)!r}")
PY
source truth.txt
cat > recover.calib.yaml <<YAML
geosim_calibration: 1
name: recover
scenario: $scen
seed: 5
method: {kind: abc-smc, particles: 200, replicates: 1, chunk: 64, tolerance: 0.5, generations: 12, budget: 30000}
parameters:
  - {name: c1_growth, path: "actors[C1].growth", uniform: [0.0, 0.15]}
  - {name: drag, path: parameters.sanction_drag, uniform: [0.0, 2.0]}
targets:
  - {name: c1_mid, variable: gdp, actor: C1, month: 2021-06, observed: $c1_mid, sd: 0.2, source: "truth run"}
  - {name: pb_2021, variable: gdp, actor: PB, year: 2021, observed: $pb_2021, sd: 3.0, source: "truth run"}
  - {name: c1_end, variable: gdp, actor: C1, month: 2021-12, observed: $c1_end, sd: 0.2, source: "truth run", use: holdout}
  - {name: ts, variable: turnover_share, actor: C1, target: PB, year: 2021, observed: $ts, sd: 0.05, source: "truth run", use: holdout}
  - {name: imp, variable: import_share, actor: C2, target: PB, channel: trade, year: 2021, observed: $imp, sd: 0.05, source: "truth run", use: holdout}
  - {name: inf, variable: inflow_gdp, actor: C2, channel: remittances, year: 2021, observed: $inf, sd: 0.05, source: "truth run", use: holdout}
YAML
expect 0 "recovery calibration" -- "$geosim" calibrate recover.calib.yaml -d recover.work -o recover.h5 --jobs 2
contains err.txt "converged: the tolerance reached 0.5" "recovery converged"
py recover.h5 <<'PY' && pass || fail "recovery: 90% credible intervals contain the truth; holdouts predicted"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
def wq(x, w, q):  # the weighted quantile of core/weighted_stats.hpp (mid-step, hazen)
    o = np.argsort(x, kind="stable"); x, w = x[o], w[o] / w[o].sum()
    return float(np.interp(q, np.cumsum(w) - w / 2, x))
names = [x.decode() for x in f["parameter"][()]]
theta, w = f["particles"][-1], f["weight"][-1]
truth = {"c1_growth": 0.07, "drag": 0.8}
for k, name in enumerate(names):
    lo, med, hi = wq(theta[:, k], w, 0.05), wq(theta[:, k], w, 0.5), wq(theta[:, k], w, 0.95)
    print(f"  {name}: 90% interval [{lo:.4f}, {hi:.4f}], median {med:.4f}, truth {truth[name]}")
    assert lo <= truth[name] <= hi, name
    assert np.isclose(f["posterior_median"][k], med, rtol=0, atol=1e-12), name
    # identified: the interval is much narrower than the prior
    assert hi - lo < 0.25 * (f["prior_b"][k] - f["prior_a"][k]), name
# Holdouts: the predicted values (replicate means per particle) around the truth run's values,
# which this script computed from the run's flows and gdp by the documented definitions.
targets = [x.decode() for x in f["target"][()]]
obs, pred = f["target_observed"][()], f["predicted"][()]
use = [x.decode() for x in f["target_use"][()]]
assert use == ["fit", "fit", "holdout", "holdout", "holdout", "holdout"], use
for j, t in enumerate(targets):
    m = float(np.average(pred[:, j], weights=w))
    print(f"  {t}: observed {obs[j]:.6g}, weighted mean predicted {m:.6g}")
    assert abs(m - obs[j]) <= 0.005 * abs(obs[j]), t
# Persistence: the holdout c1_end's naive forecast is the fitted c1_mid (same quantity, earlier).
pers = f["persistence"][()]
assert pers[targets.index("c1_end")] == obs[targets.index("c1_mid")], pers
assert all(np.isnan(pers[j]) for j, t in enumerate(targets) if t != "c1_end"), pers
PY

# ---------------------------------------------------------------------------------------------
section "export: the posterior median (and --best) as an overlay"
expect 0 "export" -- "$geosim" calibrate export recover.h5 -o overlay.yaml
[ -f overlay.yaml ] && [ ! -e overlay.yaml.tmp ] && pass || fail "overlay written"
expect 0 "validate the overlay" -- "$geosim" validate overlay.yaml
expect 3 "export over an existing overlay" -- "$geosim" calibrate export recover.h5 -o overlay.yaml
expect 0 "export --best" -- "$geosim" calibrate export recover.h5 --best -o best.yaml
expect 0 "validate the --best overlay" -- "$geosim" validate best.yaml
expect 2 "export a test-model calibration" -- "$geosim" calibrate export tiny.h5 -o tiny_overlay.yaml
[ ! -e tiny_overlay.yaml ] && pass || fail "no overlay for a test-model calibration"
for which in posterior_median best; do
  overlay=$([ $which = best ] && echo best.yaml || echo overlay.yaml)
  # the values, printed to round-trip (repr), as --set changes
  mapfile -t sets < <(py recover.h5 $which <<'PY'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
for p, v in zip(f["parameter_path"][()], f[sys.argv[2]][()]):
    print(f"{p.decode()}={float(v)!r}")
PY
)
  [ "${#sets[@]}" -eq 2 ] && pass || fail "$which: two parameters read"
  args=()
  for s in "${sets[@]}"; do args+=(--set "$s"); done
  expect 0 "run the $which overlay" -- "$geosim" run "$overlay" -o "ov_$which.h5" -q
  expect 0 "run with --set $which" -- "$geosim" run "$scen" "${args[@]}" -o "set_$which.h5" -q
  for d in flow influence influence_share gdp; do
    h5diff "ov_$which.h5" "set_$which.h5" "/$d" "/$d" >/dev/null 2>&1 && pass ||
      fail "$which: overlay and --set differ in /$d"
  done
done
# The two exports differ (median vs best particle) and neither is the prior-free baseline.
cmp -s overlay.yaml best.yaml && fail "--best wrote the same overlay as the median" || pass

# ---------------------------------------------------------------------------------------------
section "nelder-mead on the gaussian model"
cat > nm.calib.yaml <<YAML
geosim_calibration: 1
name: nm
model: gaussian
seed: 3
method: {kind: nelder-mead, replicates: 1000, iterations: 200}
parameters:
  - {name: mu, path: mu, normal: [0, 1]}
targets:
  - {name: y, variable: y, observed: 1.0, sd: 1.0, source: "test"}
YAML
# --estimate: P = 1 parameter, 200 iterations, 1000 replicates per evaluation: the first
# simplex (2 x 1000 runs), about (2 + 2 x 200) x 1000 runs, at most (2 + 200 x 3) x 1000;
# sequential, no work folder.
expect 0 "nelder-mead --estimate" -- "$geosim" calibrate nm.calib.yaml --estimate --sample 4
contains out.txt "nelder-mead: 2000 runs for the first simplex; then about 402000 runs in all" \
  "nelder-mead's runs"
contains out.txt "at most 602000 runs (method.iterations 200" "nelder-mead's worst case"
contains out.txt "one evaluation at a time (--jobs does not apply)" "nelder-mead is sequential"
contains out.txt "no work folder" "nelder-mead keeps no packs"
expect 0 "nelder-mead" -- "$geosim" calibrate nm.calib.yaml -o nm.h5
contains err.txt "converged" "nelder-mead converges"
[ ! -e nm.calib ] && pass || fail "nelder-mead keeps no work folder"
py nm.h5 <<'PY' && pass || fail "nelder-mead: one generation, best within 0.1 of the observed value"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
method = f.attrs["method"]
assert (method.decode() if isinstance(method, bytes) else str(method)) == "nelder-mead", method
assert f["generation"].shape == (1,), f["generation"].shape
assert f["particles"].shape[0] == 1
best = float(f["best"][0])
print(f"  best mu {best:.4f}, best distance {f['distance'][0].min():.3g}")
assert abs(best - 1.0) <= 0.1, best
# the simplex collapsed on the observation: the best particle's simulated mean is y
i = int(np.argmin(f["distance"][0]))
assert f["particles"][0, i, 0] == best
assert abs(f["predicted"][i, 0] - 1.0) < 1e-3, f["predicted"][i, 0]
assert np.isclose(f["weight"][0].sum(), 1.0)
PY
expect 2 "nelder-mead refuses --mpi" -- "$geosim" calibrate nm.calib.yaml -o nm_mpi.h5 --mpi

echo "calibrate_cli_test: $passed passed, $failed failed in $((SECONDS - t_start)) s"
[ "$failed" -eq 0 ]
