# What a command writes never replaces what it reads or manages, even with --force: -o naming
# the scenario, a base of its extends chain, the what-if, the sweep or calibration file, the
# design's list, a --from checkpoint, a --posterior or exported calibration, or a path inside
# a sweep or calibration work folder is refused (exit 2, one line, the file unchanged); -d
# naming a file is refused; a test-model sweep plans and runs with its messages on.
# Usage: output_paths_test.sh GEOSIM_BINARY SOURCE_DIR WORKDIR
set -u
geosim=$1
src=$2
work=$3
source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_lib.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

cp "$src/scenarios/small_test_v2.yaml" s.yaml
printf 'geosim: 2\nextends: s.yaml\nmetadata: {name: w}\n' >w.yaml
printf 'inertia\n0.1\n0.2\n' >design.csv
cat >sw.yaml <<'YAML'
geosim_sweep: 1
name: sw
scenario: w.yaml
seed: 5
chunk: 2
design: {kind: list, file: design.csv}
parameters:
  - {name: inertia, path: parameters.influence_inertia}
outputs:
  - {name: pa_share_c1, variable: influence_share, actor: PA, target: C1}
YAML
sed 's|^scenario: .*|scenario: w.yaml|; s/generations: 6/generations: 1/; s/particles: 150/particles: 8/' \
  "$src/tests/support/fixtures/bits.calib.yaml" >c.yaml
md5sum s.yaml w.yaml sw.yaml design.csv c.yaml >inputs.md5

# refused CODE TEXT DESCRIPTION -- COMMAND...: exits CODE, says TEXT on one line, and every
# input is as it was.
refused() {
  local code=$1 text=$2 what=$3
  shift 4
  expect "$code" "$what" -- "$@"
  contains err.txt "$text" "$what"
  [ "$(grep -vc 'warning' err.txt)" -le 2 ] && pass || fail "$what: more than the error's lines"
  md5sum -c --quiet inputs.md5 && pass || fail "$what: an input changed"
}

refused 2 "-o 'w.yaml' is the scenario file itself" "run -o the scenario" -- \
  "$geosim" run w.yaml -o w.yaml --force -q
refused 2 "a base the scenario extends" "run -o the base of an overlay" -- \
  "$geosim" run w.yaml -o s.yaml --force -q
refused 2 "is the what-if file itself" "compare -o the what-if" -- \
  "$geosim" compare s.yaml w.yaml --replicates 2 -o w.yaml --force -q
expect 0 "a checkpoint" -- "$geosim" run s.yaml -o ck.h5 --checkpoint-at 3 -q
refused 2 "is the --from checkpoint itself" "run --from -o the checkpoint" -- \
  "$geosim" run s.yaml --from ck.h5 -o ck.h5 --force -q
[ -f ck.h5 ] && "$geosim" info ck.h5 >/dev/null 2>&1 && pass || fail "the checkpoint is intact"

refused 2 "is the sweep file itself" "sweep run -o the sweep file" -- \
  "$geosim" sweep run sw.yaml -d sw -o sw.yaml --force -q
refused 2 "is the design's list file" "sweep run -o the design's CSV" -- \
  "$geosim" sweep run sw.yaml -d sw -o design.csv --force -q
refused 2 "a base the scenario extends" "sweep run -o the sweep's base scenario" -- \
  "$geosim" sweep run sw.yaml -d sw -o s.yaml --force -q
refused 2 "inside the sweep folder sw" "sweep run -o a new file in the sweep folder" -- \
  "$geosim" sweep run sw.yaml -d sw -o sw/merged.h5 -q
refused 2 "'sw.yaml' is a file, not a folder" "sweep run -d the sweep file" -- \
  "$geosim" sweep run sw.yaml -d sw.yaml -q
refused 2 "'s.yaml' is a file, not a folder" "sweep plan -d a scenario" -- \
  "$geosim" sweep plan sw.yaml -d s.yaml
expect 0 "the sweep" -- "$geosim" sweep run sw.yaml -d sw -o sw.h5 -q
refused 2 "inside the sweep folder sw" "sweep merge -o the plan" -- \
  "$geosim" sweep merge sw -o sw/plan.h5 --force -q
refused 2 "inside the sweep folder sw" "sweep merge -o a chunk" -- \
  "$geosim" sweep merge sw -o sw/chunks/chunk_000000.h5 --force -q
expect 0 "the sweep folder is intact" -- "$geosim" sweep merge sw -o sw2.h5 -q
same_data sw.h5 sw2.h5 && pass || fail "a merge after the refusals gives the same data"

refused 2 "is the calibration file itself" "calibrate -o the calibration file" -- \
  "$geosim" calibrate c.yaml -d cd -o c.yaml --force -q
refused 2 "'c.yaml' is a file, not a folder" "calibrate -d the calibration file" -- \
  "$geosim" calibrate c.yaml -d c.yaml -o c.h5 -q
refused 2 "inside the work folder cd" "calibrate -o in its work folder" -- \
  "$geosim" calibrate c.yaml -d cd -o cd/c.h5 -q
refused 2 "a base the scenario extends" "calibrate -o its scenario's base" -- \
  "$geosim" calibrate c.yaml -d cd -o s.yaml --force -q
expect 0 "a calibration" -- "$geosim" calibrate c.yaml -d cd -o c.h5 -q
refused 2 "is the calibration file being exported" "export -o the calibration" -- \
  "$geosim" calibrate export c.h5 -o c.h5 --force
refused 2 "the scenario the calibration ran" "export -o the calibrated scenario" -- \
  "$geosim" calibrate export c.h5 -o w.yaml --force
refused 2 "is the --posterior calibration file" "run --posterior -o the calibration" -- \
  "$geosim" run w.yaml --replicates 2 --posterior c.h5 -o c.h5 --force -q
expect 0 "export elsewhere" -- "$geosim" calibrate export c.h5 -o fit.yaml
contains err.txt "extends w.yaml" "the overlay extends the calibrated scenario"

# A test-model sweep has no scenario: plan and run print their messages without one.
cat >ish.yaml <<'YAML'
geosim_sweep: 1
name: ish
model: ishigami
seed: 11
design: {kind: sobol, n: 8}
parameters:
  - {name: x1, path: x1, uniform: [-3.14, 3.14]}
  - {name: x2, path: x2, uniform: [-3.14, 3.14]}
  - {name: x3, path: x3, uniform: [-3.14, 3.14]}
outputs:
  - {name: y, variable: y}
YAML
expect 0 "sweep plan of a test model" -- "$geosim" sweep plan ish.yaml -d ish
contains out.txt "wrote ish/plan.h5" "the plan is written"
expect 0 "sweep run of a test model, not quiet" -- "$geosim" sweep run ish.yaml -d ish -o ish.h5
[ -f ish.h5 ] && pass || fail "the test model's sweep is merged"

echo "output paths: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
