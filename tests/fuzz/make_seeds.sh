#!/usr/bin/env bash
# Makes the seed corpora of the fuzz harnesses (tests/README.md, "Fuzzing") from the shipped
# files and from files a geosim makes of scenarios/small_test_v2.yaml: OUT/<harness>/ for each
# harness. Generated, never committed (the HDF5 seeds are 10-200 KB each). A few seconds.
# Usage: make_seeds.sh GEOSIM_BINARY SOURCE_DIR OUT
set -euo pipefail
geosim=$(realpath "$1")
src=$(cd "$2" && pwd)
out=$3
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$out/.work
mkdir -p "$work"
for h in scenario sweep_file calib_file run_info checkpoint sweep_plan sweep_pack \
  sweep_results population calibration_result; do
  mkdir -p "$out/$h"
done
# A sanitizer build of geosim (the fuzz preset's) must not fail a seed on a leak report.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
scen=$src/scenarios/small_test_v2.yaml

# --- scenario: "BASE [%%% OVERLAY [%%% SET-LINES]]" (fuzz_scenario.cpp). Overlays lose their
# own `extends:` line: the harness writes one naming the base.
no_extends() { grep -v '^extends:' "$1"; }
for f in "$src"/scenarios/*.yaml "$src"/tests/bad_scenarios/*.yaml \
  "$src"/tests/scenario/overlays/base.yaml; do
  cp "$f" "$out/scenario/$(basename "$(dirname "$f")")_$(basename "$f")"
done
for f in "$src"/tests/scenario/overlays/overlay*.yaml; do
  { cat "$src/tests/scenario/overlays/base.yaml"; echo "%%%"; no_extends "$f"; } \
    > "$out/scenario/overlays_$(basename "$f")"
done
for f in "$src"/scenarios/whatif/*.yaml; do
  base=$src/scenarios/central_asia_2022.yaml
  case $(basename "$f") in sahel_*) base=$src/scenarios/sahel_2020.yaml ;; esac
  { cat "$base"; echo "%%%"; no_extends "$f"; } > "$out/scenario/whatif_$(basename "$f")"
done
{ cat "$scen"; echo "%%%"; echo "metadata: {name: changed}"; echo "%%%"
  echo "parameters.influence_inertia=0.2"; echo "actors[C1].growth=0.05"
  echo "flows[trade_pa_c1].value=2"; } > "$out/scenario/sets_small_test_v2.yaml"

# --- sweep_file and calib_file: the shipped files and the tests' small ones, their paths
# rewritten to the copies the harnesses keep in their temp folder (fuzz::add_shipped_files).
rewrite() { sed -e 's|^scenario: .*central_asia_2022.yaml|scenario: central_asia_2022.yaml|'; }
rewrite < "$src/scenarios/sweeps/baseline_sobol.sweep.yaml" > "$out/sweep_file/baseline_sobol.yaml"
cat > "$out/sweep_file/small_lhs.yaml" <<'YAML'
geosim_sweep: 1
name: small
scenario: small_test_v2.yaml
seed: 7
replicates: 2
chunk: 3
design: {kind: lhs, n: 4}
parameters:
  - {name: inertia, path: parameters.influence_inertia, uniform: [0.05, 0.3]}
  - {name: c1_growth, path: "actors[C1].growth", uniform: [0.0, 0.1]}
outputs:
  - {name: pa_share_c1, variable: influence_share, actor: PA, target: C1}
  - {name: c1_gdp, variable: gdp, actor: C1, reduce: mean, from: 2020-06}
trajectories: {every: 6, variables: [influence_share, gdp]}
YAML
cat > "$out/sweep_file/grid_set.yaml" <<'YAML'
geosim_sweep: 1
name: grid
scenario: small_test_v2.yaml
set: ["parameters.sanction_drag=0.5"]
design: {kind: grid}
parameters:
  - {name: drag, path: parameters.transit_capacity, levels: [0.05, 0.1, 0.2]}
outputs:
  - {name: c1_reexports, variable: reexports, actor: C1, reduce: sum, year: 2021}
YAML
cat > "$out/sweep_file/ishigami_sobol.yaml" <<'YAML'
geosim_sweep: 1
name: ishigami
model: ishigami
seed: 11
chunk: 2048
design: {kind: sobol, n: 64}
parameters:
  - {name: x1, path: x1, uniform: [-3.141592653589793, 3.141592653589793]}
  - {name: x2, path: x2, normal: [0, 1]}
  - {name: x3, path: x3, loguniform: [0.1, 10]}
outputs:
  - {name: y, variable: y}
YAML
# A list design and its CSV, the second part of the input (fuzz_sweep_file.cpp).
cat > "$out/sweep_file/list_csv.yaml" <<'YAML'
geosim_sweep: 1
name: listed
seed: 3
scenario: small_test_v2.yaml
replicates: 2
design: {kind: list, file: design.csv}
parameters:
  - {name: inertia, path: parameters.influence_inertia}
  - {name: c1_growth, path: "actors[C1].growth"}
outputs:
  - {name: pa_share_c1, variable: influence_share, actor: PA, target: C1}
%%%
inertia,c1_growth
0.1,0.02
0.25,-0.01
0.3,0.05
YAML
cat > "$out/sweep_file/morris.yaml" <<'YAML'
geosim_sweep: 1
name: morris
model: ishigami
seed: 5
design: {kind: morris, n: 10, levels: 4}
parameters:
  - {name: x1, path: x1, uniform: [-3.141592653589793, 3.141592653589793]}
  - {name: x4, path: x4, uniform: [0, 1]}
outputs:
  - {name: y, variable: y}
YAML
rewrite < "$src/scenarios/calibration/central_asia.calib.yaml" \
  > "$out/calib_file/central_asia.calib.yaml"
sed 's|^scenario: .*|scenario: small_test_v2.yaml|' "$src/tests/support/fixtures/bits.calib.yaml" \
  > "$out/calib_file/bits.calib.yaml"
cat > "$out/calib_file/tiny.calib.yaml" <<'YAML'
geosim_calibration: 1
name: tiny
model: gaussian
seed: 3
method: {kind: abc-smc, particles: 8, replicates: 1, tolerance: 0, generations: 2, budget: 40}
parameters:
  - {name: mu, path: mu, uniform: [-2, 2]}
targets:
  - {name: y, variable: y, observed: 1.0, sd: 1.0, source: "test"}
YAML
cat > "$out/calib_file/nm.calib.yaml" <<'YAML'
geosim_calibration: 1
name: nm
model: gaussian
seed: 5
method: {kind: nelder-mead, replicates: 4, iterations: 20}
parameters:
  - {name: mu, path: mu, normal: [0, 1]}
targets:
  - {name: y, variable: y, observed: 0.5, interval: 0.3, source: "test"}
YAML

# --- HDF5 files of every kind geosim writes, from small_test_v2 (and the tiny calibration), a
# run and a checkpoint of the 3-actor tests/bad_scenarios/valid_minimal.yaml, and (with
# h5repack) each file rewritten with compact datasets: half the bytes, so faster mutations, and
# layouts geosim does not write itself but must read.
cd "$work"
g() {
  "$geosim" "$@" >/dev/null 2>"$work/err.txt" || {
    echo "make_seeds.sh: geosim $* failed:" >&2
    cat "$work/err.txt" >&2
    exit 1
  }
}
minimal=$src/tests/bad_scenarios/valid_minimal.yaml
g run "$scen" -o run.h5 -q
g run "$minimal" -o run_minimal.h5 -q
g run "$scen" -o replicates.h5 --replicates 3 -q
g compare "$scen" "$scen" -o comparison.h5 --replicates 2 \
  --set-whatif parameters.influence_inertia=0.2
g run "$scen" -o checkpoint.h5 --checkpoint-at 6 -q
g run "$scen" -o checkpoint_turn1.h5 --checkpoint-at 1 -q
g run "$minimal" -o checkpoint_minimal.h5 --checkpoint-at 1 -q
sed "s|^scenario: .*|scenario: $scen|" "$out/sweep_file/small_lhs.yaml" > small.sweep.yaml
g sweep plan small.sweep.yaml -d sweep
g sweep run small.sweep.yaml -d sweep -q
g sweep merge sweep -o sweep.h5
cp "$out/calib_file/tiny.calib.yaml" tiny.calib.yaml
g calibrate tiny.calib.yaml -d calib.work -o calibration.h5
put() {  # put HARNESS FILE [NAME]: the file and its compact rewrite
  local name=${3:-$(basename "$2")}
  cp "$2" "$out/$1/$name"
  if command -v h5repack >/dev/null; then
    # Kept only when smaller (uncompressed, a large file grows).
    if ! h5repack -L -f NONE -l COMPA "$2" "$out/$1/compact_$name" 2>/dev/null ||
      [ "$(stat -c %s "$out/$1/compact_$name")" -ge "$(stat -c %s "$2")" ]; then
      rm -f "$out/$1/compact_$name"
    fi
  fi
}
for f in run.h5 run_minimal.h5 replicates.h5 comparison.h5 checkpoint_minimal.h5 sweep/plan.h5 \
  sweep.h5 calibration.h5; do
  put run_info "$f"
done
put checkpoint checkpoint.h5
put checkpoint checkpoint_turn1.h5
put sweep_plan sweep/plan.h5
for f in sweep/chunks/*.gspack; do cp "$f" "$out/sweep_pack/$(basename "$f")"; done
put sweep_results sweep.h5
for p in calib.work/gen_*/population.h5; do
  put population "$p" "$(basename "$(dirname "$p")").h5"
done
put calibration_result calibration.h5
cd "$out" && rm -rf "$work"
echo "seeds: $(find "$out" -type f | wc -l) files in $out" >&2
