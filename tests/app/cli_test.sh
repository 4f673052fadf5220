#!/usr/bin/env bash
# End-to-end tests of the `geosim` command: exit codes, outputs, and that bad input never
# leaves a file or touches one the user had. Usage: cli_test.sh GEOSIM_BINARY SOURCE_DIR WORKDIR
set -u
geosim=$1
src=$2
work=$3
source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_lib.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

# Help and version.
expect 0 "--help" -- "$geosim" --help
contains out.txt "validate SCENARIO" "top-level help lists commands"
for cmd in run validate info params; do
  expect 0 "$cmd --help" -- "$geosim" "$cmd" --help
  contains out.txt "Usage: geosim $cmd" "$cmd --help shows its usage"
done
expect 0 "--version" -- "$geosim" --version
contains out.txt "geosim " "version printed"
expect 2 "no command" -- "$geosim"

# Bad command lines: exit 2 with a clear message.
expect 2 "unknown command" -- "$geosim" rnu
contains err.txt "did you mean 'run'" "unknown command suggests the right one"
expect 2 "unknown flag" -- "$geosim" run --sed 3
contains err.txt "unrecognised option '--sed'" "unknown flag named"
contains err.txt "(did you mean '--seed'?)" "unknown flag: the closest one suggested"
# Options are spelled out: a prefix of one is refused (Boost would take it), nothing written.
expect 2 "a prefix of an option" -- "$geosim" run --replicate 2 -o prefix.h5
contains err.txt "unrecognised option '--replicate' (did you mean '--replicates'?)" "prefix refused"
[ ! -e prefix.h5 ] && pass || fail "no output for a refused prefix"
expect 2 "sweep plan --jobs without --estimate" -- "$geosim" sweep plan x.sweep.yaml --jobs 2
contains err.txt "error at '--jobs': only with --estimate" "an option that would be ignored is refused"
expect 2 "a prefix of a sweep option" -- "$geosim" sweep plan x.sweep.yaml --estimat
contains err.txt "unrecognised option '--estimat' (did you mean '--estimate'?); see \`geosim sweep plan --help\`" \
  "sweep prefix refused, the subcommand's help named"
expect 2 "bad flag value" -- "$geosim" run --seed minus-one
expect 2 "validate without a file" -- "$geosim" validate

# The baseline runs from any folder (embedded), writes HDF5, and info reads it back.
expect 0 "run the embedded baseline" -- "$geosim" run -o base.h5
[ -f base.h5 ] && pass || fail "base.h5 written"
[ ! -e base.h5.tmp ] && pass || fail "no temp file left"
contains err.txt "wrote base.h5" "run reports what it wrote"
expect 0 "info" -- "$geosim" info base.h5
contains out.txt "central_asia_2022" "info names the scenario"
contains out.txt "TJK" "info lists clients"
contains out.txt "20220810" "info shows the seed"

# Never overwrite without --force; --force replaces.
cp base.h5 keep.h5
expect 3 "output exists" -- "$geosim" run -o keep.h5 --seed 5
cmp -s base.h5 keep.h5 && pass || fail "existing file untouched"
expect 0 "--force replaces" -- "$geosim" run -o keep.h5 --seed 5 --force
cmp -s base.h5 keep.h5 && fail "--force should have replaced keep.h5 (other seed)" || pass

# Bad scenarios: exit 2, located message, no output file, nothing existing touched.
cat > bad.yaml <<'YAML'
geosim: 1
metadata: {name: bad, start: 2022-01-01, turns: 3}
poles:
  - {code: west, owners: [USA]}
actors:
  - {code: USA, name: United States, gdp: 25744 USD bn, anchor: {west: 1}}
  - {code: TJK, name: Tajikistan, gpd: 10.7 USD bn, anchor: {west: 1}}
YAML
expect 2 "bad scenario validate" -- "$geosim" validate bad.yaml
contains err.txt "bad.yaml:7:35: error at 'actors[TJK].gpd': unknown key 'gpd' (did you mean 'gdp'?)" "located unknown key"
contains err.txt "missing required key 'gdp'" "missing key reported too"
expect 2 "bad scenario run" -- "$geosim" run bad.yaml -o bad.h5
[ ! -e bad.h5 ] && [ ! -e bad.h5.tmp ] && pass || fail "no output for a bad scenario"
cp base.h5 precious.h5
expect 2 "bad scenario over an existing file" -- "$geosim" run bad.yaml -o precious.h5 --force
cmp -s base.h5 precious.h5 && pass || fail "existing file untouched by a failed run"
expect 2 "bad --set" -- "$geosim" run --set parameters.dependence_inertia=2 -o x.h5
contains err.txt "<command line --set #1>" "--set error located on the command line"
[ ! -e x.h5 ] && pass || fail "no output for a bad --set"
expect 2 "missing scenario file" -- "$geosim" validate nowhere.yaml
contains err.txt "cannot read the file" "missing file explained"
expect 2 "info on a non-HDF5 file" -- "$geosim" info bad.yaml
expect 2 "missing output folder" -- "$geosim" run -o no/such/dir/x.h5

# Bad output paths are refused before anything runs.
expect 2 "empty -o" -- "$geosim" run -o ""
mkdir -p adir
expect 2 "-o a folder" -- "$geosim" run -o adir --force
contains err.txt "is a folder" "folder named"
cp bad.yaml same.yaml
expect 2 "-o the scenario itself" -- "$geosim" run "$src/scenarios/small_test.yaml" -o "$src/scenarios/small_test.yaml" --force
# Temporary files are OUT.tmp.HOST.PID: a file of the user's called OUT.tmp is never touched, a
# temporary file of a process that no longer runs (SIGKILL) is removed, one of a live process
# (here this shell) is kept.
echo "mine" > taken.h5.tmp
sh -c 'exit 0' & dead=$!; wait $dead
host=$(hostname)
echo "stale" > "taken.h5.tmp.$host.$dead"
echo "live" > "taken.h5.tmp.$host.$$"
expect 0 "next to a temp file of the user's, a stale one and a live one" -- "$geosim" run -o taken.h5 -q
grep -q mine taken.h5.tmp && pass || fail "the user's .tmp file is untouched"
[ -f taken.h5 ] && pass || fail "the output is written"
[ ! -e "taken.h5.tmp.$host.$dead" ] && pass || fail "the stale temp file of a dead process is removed"
contains err.txt "removed 'taken.h5.tmp.$host.$dead', left by a geosim that no longer runs" "says so"
[ -e "taken.h5.tmp.$host.$$" ] && pass || fail "a live process's temp file is kept"
expect 2 "--seed out of range" -- "$geosim" run --seed 9223372036854775808 -o s.h5
contains err.txt "error at '--seed'" "--seed named"
expect 2 "--run-id negative" -- "$geosim" run --run-id -1 -o s.h5
expect 0 "default output name from the scenario name, kept in the working folder" -- "$geosim" run --set "metadata.name=../escaped" -q
[ -f escaped.h5 ] && [ ! -e ../escaped.h5 ] && pass || fail "default output stays in the working folder"

# Ctrl-C / SIGTERM stop at the end of a turn, exit 4, and leave nothing behind.
"$geosim" run --set metadata.turns=100000 -o long.h5 -q >out.txt 2>err.txt &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 4 ] && pass || fail "SIGINT: exit $rc, expected 4"
[ ! -e long.h5 ] && [ ! -e long.h5.tmp ] && pass || fail "SIGINT left a file"
contains err.txt "interrupted" "interruption reported"

# What-if overlays and --set are recorded in the output.
cat > whatif.yaml <<YAML
geosim: 2
extends: $src/scenarios/central_asia_2022.yaml
metadata: {name: whatif_double_aid}
YAML
expect 0 "overlay validates" -- "$geosim" validate whatif.yaml --set "timeline[us_tjk_security_aid].amount=120 USD m"
contains out.txt "whatif_double_aid" "overlay name"
expect 0 "overlay runs" -- "$geosim" run whatif.yaml -o whatif.h5 --set "timeline[us_tjk_security_aid].amount=120 USD m" -q
expect 0 "info on the what-if" -- "$geosim" info whatif.h5
contains out.txt "whatif_double_aid" "what-if recorded"

# Same inputs and seed give identical data; `validate` and `params` work.
expect 0 "rerun" -- "$geosim" run -o base2.h5 -q
if command -v h5diff >/dev/null; then
  h5diff -q base.h5 base2.h5 influence influence >/dev/null && h5diff -q base.h5 base2.h5 alignment alignment >/dev/null && pass || fail "same seed, same data"
fi
expect 0 "validate shipped small scenario" -- "$geosim" validate "$src/scenarios/small_test.yaml"
expect 0 "params" -- "$geosim" params
contains out.txt "dependence_inertia = 0.15" "params lists defaults"

# Every shipped scenario validates and runs (sweep, calibration and target files are not).
while IFS= read -r f; do
  expect 0 "shipped scenario $f runs" -- "$geosim" run "$f" -o shipped.h5 --force -q
  [ -f shipped.h5 ] && pass || fail "$f wrote no output"
  rm -f shipped.h5
done < <(find "$src/scenarios" -name '*.yaml' ! -name '*.sweep.yaml' ! -name '*.calib.yaml' ! -name '*.targets.yaml' | sort)

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
