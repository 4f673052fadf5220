#!/usr/bin/env bash
# End-to-end tests of `geosim run --replicates` and `geosim compare`: exit codes, outputs, the
# no-overwrite rules, reproducibility, and the table of effects. Leaves rep.h5, self.h5, aid.h5
# and study.h5 in WORKDIR for test_replicates.py.
# Usage: replicates_cli_test.sh GEOSIM_BINARY SOURCE_DIR WORKDIR
set -u
geosim=$1
src=$2
work=$3
source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_lib.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
lacks() {  # lacks FILE TEXT DESCRIPTION
  if grep -qF -- "$2" "$1"; then fail "$3: '$2' in $1"; grep -F -- "$2" "$1" | head -3 | sed 's/^/  | /'; else pass; fi
}
unmarked() {  # unmarked FILE DESCRIPTION: no row of the table ends with " *" (excludes 0)
  if grep -qE -- ' \*$' "$1"; then fail "$2: an interval excludes 0"; grep -E ' \*$' "$1" | head -3 | sed 's/^/  | /'; else pass; fi
}
attr() {  # attr FILE NAME: a root attribute's value
  /usr/bin/python3 -c "import h5py,sys; v=h5py.File(sys.argv[1],'r').attrs[sys.argv[2]]; print(v.decode() if isinstance(v, bytes) else v)" "$1" "$2"
}
base=$src/scenarios/central_asia_2022.yaml
aid=$src/scenarios/whatif/us_doubles_security_aid.yaml
if [ ! -f "$aid" ]; then  # the what-if files are not there yet: the same change as an overlay
  aid=$work/us_doubles_security_aid.yaml
  cat > "$aid" <<YAML
geosim: 2
extends: $base
metadata: {name: whatif_us_doubles_security_aid}
timeline:
  - {id: us_tjk_security_aid, amount: 120 USD m}
YAML
fi

# Help.
expect 0 "compare --help" -- "$geosim" compare --help
contains out.txt "Usage: geosim compare BASE WHATIF" "compare usage"
contains out.txt "--set-whatif" "compare help documents --set-whatif"
contains out.txt "cannot be estimated" "compare help says what R = 1 means"
expect 0 "run --help" -- "$geosim" run --help
contains out.txt "--replicates" "run help lists --replicates"
expect 0 "--help" -- "$geosim" --help
contains out.txt "compare BASE WHATIF" "top-level help lists compare"
expect 2 "misspelt command" -- "$geosim" compar
contains err.txt "did you mean 'compare'" "compare suggested"

# Replicates: one file, format geosim-replicates; --replicates 1 is the ordinary run file.
expect 0 "run --replicates 4" -- "$geosim" run --replicates 4 -o rep.h5
[ -f rep.h5 ] && [ ! -e rep.h5.tmp ] && pass || fail "rep.h5 written, no temp file"
contains err.txt "4 replicates" "progress names the replicates"
[ "$(attr rep.h5 format)" = "geosim-replicates" ] && pass || fail "format geosim-replicates"
[ "$(attr rep.h5 replicates)" = "4" ] && pass || fail "replicates attribute"
expect 0 "run --replicates 1" -- "$geosim" run --replicates 1 -o one.h5 -q
expect 0 "plain run" -- "$geosim" run -o plain.h5 -q
[ "$(attr one.h5 format)" = "geosim-run" ] && pass || fail "R = 1 writes a run file"
same_data one.h5 plain.h5 && pass || fail "R = 1 gives the plain run's data"
expect 0 "info reads the R = 1 file" -- "$geosim" info one.h5

# The same seed gives identical replicate files; another seed does not.
expect 0 "rerun --replicates 4" -- "$geosim" run --replicates 4 -o rep_again.h5 -q
same_data rep.h5 rep_again.h5 && pass || fail "same seed, identical replicate files"
expect 0 "other seed" -- "$geosim" run --replicates 4 --seed 7 -o rep_seed7.h5 -q
same_data rep.h5 rep_seed7.h5 && fail "another seed should change the replicates" || pass
# --run-id offsets the run ids: replicates 2..3 of a file starting at 2 are replicates 2..3.
expect 0 "--run-id 2 --replicates 2" -- "$geosim" run --run-id 2 --replicates 2 -o rep_from2.h5 -q
/usr/bin/python3 - <<'PY' && pass || fail "run ids 2..3 reproduce replicates 2..3"
import h5py, numpy as np
a, b = h5py.File("rep.h5", "r"), h5py.File("rep_from2.h5", "r")
assert list(b["replicate"][:]) == [2, 3]
assert np.array_equal(a["influence"][2:4], b["influence"][:], equal_nan=True)
assert np.array_equal(a["hedging_index"][2:4], b["hedging_index"][:], equal_nan=True)
PY
# Default output name: NAME_replicates.h5 in the working folder.
expect 0 "default replicates name" -- "$geosim" run "$src/scenarios/small_test.yaml" --replicates 2 -q
[ -f small_test_replicates.h5 ] && pass || fail "default name NAME_replicates.h5"; ls *.h5 | sed 's/^/  | /' | head -20

# The run's rules hold: no overwrite without --force, bad counts refused, Ctrl-C leaves nothing.
cp rep.h5 keep.h5
expect 3 "replicates over an existing file" -- "$geosim" run --replicates 2 -o keep.h5 -q
cmp -s rep.h5 keep.h5 && pass || fail "existing file untouched"
expect 0 "--force replaces" -- "$geosim" run --replicates 2 -o keep.h5 -q --force
cmp -s rep.h5 keep.h5 && fail "--force should have replaced keep.h5" || pass
expect 2 "--replicates 0" -- "$geosim" run --replicates 0 -o zero.h5
contains err.txt "error at '--replicates'" "--replicates named"
expect 2 "--replicates not a number" -- "$geosim" run --replicates many -o many.h5
expect 2 "--replicates too many" -- "$geosim" run --replicates 1000001 -o many.h5
[ ! -e zero.h5 ] && [ ! -e many.h5 ] && pass || fail "no output for a bad --replicates"
"$geosim" run --replicates 50 --set metadata.turns=2000 -o long.h5 -q >out.txt 2>err.txt &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 4 ] && pass || fail "SIGINT during replicates: exit $rc, expected 4"
[ ! -e long.h5 ] && [ ! -e long.h5.tmp ] && pass || fail "SIGINT left a replicates file"

# compare: the baseline with itself gives differences of exactly 0, every interval covers 0.
expect 0 "compare the baseline with itself" -- "$geosim" compare "$base" "$base" --replicates 4 -o self.h5
[ -f self.h5 ] && [ ! -e self.h5.tmp ] && pass || fail "self.h5 written"
[ "$(attr self.h5 format)" = "geosim-comparison" ] && pass || fail "format geosim-comparison"
contains out.txt "at the horizon, turn 35 (2024-12-01)" "table names the horizon"
contains out.txt "4 paired replicates (run ids 0-3)" "table names the replicates"
contains out.txt "t(0.975, 3)" "table gives the t quantile"
for c in KAZ KGZ TJK UZB TKM; do contains out.txt "$c     influence share of USA" "row for $c"; done
contains out.txt "hedging index" "hedging rows"
contains out.txt "re-exports (USD m/yr)" "re-export rows"
awk '/influence share|hedging|re-exports/ {
       n = split($0, f, /  +/); d = f[n - 1]; ci = f[n];
       if (d !~ /^\+0( pp)?$/ || ci !~ /^\[\+0, \+0\]( pp)?$/) { print "  | " $0; bad = 1 } }
     END { exit bad }' out.txt && pass || fail "self comparison: every difference +0, every CI [+0, +0]"
unmarked out.txt "self comparison"
# A what-if that changes only the description: the same (common random numbers).
cat > described.yaml <<YAML
geosim: 2
extends: $base
metadata: {name: described, description: the baseline with another description}
YAML
expect 0 "compare with a description-only overlay" -- "$geosim" compare "$base" described.yaml --replicates 2 -o described.h5 -q
unmarked out.txt "description-only overlay: no effect"

# compare: the US doubling its security aid raises its share of TJK; the interval excludes 0.
expect 0 "compare the US aid what-if" -- "$geosim" compare "$base" "$aid" --replicates 4 -o aid.h5
us_tjk=$(grep -A3 '^TJK ' out.txt | grep 'influence share of USA')
echo "$us_tjk" | awk '{ n = split($0, f, /  +/); d = f[n - 1] + 0;
                        ci = f[n]; gsub(/[][*]/, "", ci); split(ci, b, ", ");
                        exit !(d > 0 && b[1] + 0 > 0 && b[2] + 0 > 0) }' && pass || fail "US share of TJK higher, CI above 0"
echo "$us_tjk" | grep -qE ' \*$' && pass || fail "US share of TJK marked as excluding 0"
# The same what-if made on the command line: --set-whatif on the base. Eight pairs: the
# baseline's shocks make pairs differ, and two would give a t interval too wide to exclude 0.
expect 0 "compare with --set-whatif" -- "$geosim" compare "$base" "$base" --replicates 8 -q -o setwhatif.h5 \
  --set-whatif "timeline[us_tjk_security_aid].amount=240 USD m"
grep -A3 '^TJK ' out.txt | grep 'influence share of USA' | grep -qE ' \*$' && pass || fail "--set-whatif changes the what-if"
# --set changes both: the same change on both sides has no effect.
expect 0 "compare with --set on both" -- "$geosim" compare "$base" "$base" --replicates 2 -q -o setboth.h5 \
  --set "timeline[us_tjk_security_aid].amount=240 USD m"
unmarked out.txt "--set applies to both scenarios"
# --jobs and --threads deflate on several threads: the same files as one thread, and progress
# lines on stderr (not with -q).
expect 0 "compare --jobs 3" -- "$geosim" compare "$base" "$aid" --replicates 4 --jobs 3 -o aid_jobs.h5
same_data aid.h5 aid_jobs.h5 && pass || fail "compare --jobs 3 gives the file of --jobs 1"
contains err.txt "4/4 pairs (100.0%)" "compare reports its progress on stderr"
expect 0 "run --replicates 4 --threads 2" -- "$geosim" run --replicates 4 --threads 2 -o rep_threads.h5 -q
same_data rep.h5 rep_threads.h5 && pass || fail "run --replicates --threads 2 gives the file of one thread"
expect 2 "compare --jobs 0" -- "$geosim" compare "$base" "$aid" --jobs 0 -o jobs0.h5
contains err.txt "--jobs" "--jobs 0 named"
expect 2 "run --threads x" -- "$geosim" run --threads x -o threads_x.h5
[ ! -e jobs0.h5 ] && [ ! -e threads_x.h5 ] && pass || fail "no output for a bad --jobs or --threads"
# One replicate: no interval.
expect 0 "compare --replicates 1" -- "$geosim" compare "$base" "$aid" --replicates 1 -q -o one_pair.h5
contains out.txt "cannot be estimated" "R = 1 explained"
contains out.txt "n/a (R = 1)" "R = 1 in the table"
# Default output name.
expect 0 "compare default name" -- "$geosim" compare "$base" "$aid" --replicates 2 -q
[ -f central_asia_2022_vs_whatif_us_doubles_security_aid.h5 ] && pass || fail "default name BASE_vs_WHATIF.h5"

# compare refuses bad input and never overwrites.
cp self.h5 keep_cmp.h5
expect 3 "compare over an existing file" -- "$geosim" compare "$base" "$aid" --replicates 2 -o keep_cmp.h5
cmp -s self.h5 keep_cmp.h5 && pass || fail "existing comparison untouched"
expect 2 "compare with one scenario" -- "$geosim" compare "$base"
expect 2 "compare scenarios of different shapes" -- "$geosim" compare "$base" "$src/scenarios/small_test.yaml" --replicates 2 -o shapes.h5
contains err.txt "the actors differ" "mismatch explained"
[ ! -e shapes.h5 ] && [ ! -e shapes.h5.tmp ] && pass || fail "no output for a mismatch"
cat > bad.yaml <<YAML
geosim: 2
extends: $base
metadata: {nmae: typo}
YAML
expect 2 "compare with a bad what-if" -- "$geosim" compare "$base" bad.yaml -o bad.h5 --set parameters.nothing=1
contains err.txt "bad.yaml" "the what-if's error located"
contains err.txt "<command line --set #1>" "the --set error reported too"
[ ! -e bad.h5 ] && pass || fail "no output for a bad what-if"
expect 2 "compare -o the what-if itself" -- "$geosim" compare "$base" described.yaml -o described.yaml --force
cat > seeded.yaml <<YAML
geosim: 2
extends: $base
metadata: {seed: 99}
YAML
expect 0 "compare a what-if with another seed" -- "$geosim" compare "$base" seeded.yaml --replicates 2 -q -o seeded.h5
contains err.txt "warning: the seed of what-if" "seed mismatch warned"
contains out.txt "NOT common random numbers" "seed mismatch in the table"
expect 0 "--seed aligns both" -- "$geosim" compare "$base" seeded.yaml --replicates 2 -q -o seeded2.h5 --seed 99
lacks err.txt "warning" "no warning with --seed"

# A what-if study: several what-ifs against one base in one command and one file.
cat > halves.yaml <<YAML
geosim: 2
extends: $base
metadata: {name: whatif_us_halves_security_aid, description: "The US halves its 2022 security aid to Tajikistan."}
timeline:
  - {id: us_tjk_security_aid, amount: 30 USD m}
YAML
expect 0 "compare a study of two what-ifs" -- "$geosim" compare "$base" "$aid" halves.yaml --replicates 3 -o study.h5
contains out.txt "What-if 'whatif_us_doubles_security_aid' minus base" "the study's first what-if in the table"
contains out.txt "What-if 'whatif_us_halves_security_aid' minus base" "the study's second what-if in the table"
contains err.txt "3/3 replicate sets (100.0%)" "a study reports its progress"
[ "$(attr study.h5 format_version)" = 2 ] && pass || fail "a study is comparison format version 2"
expect 0 "the study with --jobs 2" -- "$geosim" compare "$base" "$aid" halves.yaml --replicates 3 --jobs 2 -q -o study_jobs.h5
same_data study.h5 study_jobs.h5 && pass || fail "a study with --jobs 2 gives the file of --jobs 1"
expect 0 "the study's first what-if alone" -- "$geosim" compare "$base" "$aid" --replicates 3 -q -o study_first.h5
/usr/bin/python3 - study.h5 study_first.h5 <<'PY' && pass || fail "a study's what-if has the values of its own comparison"
import sys, h5py, numpy as np
s, c = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
for v in ("influence_share", "flow", "reexports"):
    assert np.array_equal(s[v][0], c[v][0], equal_nan=True), v
    assert np.array_equal(s[v][1], c[v][1], equal_nan=True), v
    for suffix in ("_diff", "_diff_mean", "_diff_ci_lower", "_diff_ci_upper"):
        assert np.array_equal(s[v + suffix][0], c[v + suffix][...], equal_nan=True), v + suffix
PY
expect 0 "a study's estimate" -- "$geosim" compare "$base" "$aid" halves.yaml --replicates 300 --estimate -o estimate.h5
contains out.txt "runs:   900 (300 replicates x 3 scenarios), about " "the estimate counts the runs"
grep -qE "disk: +the file at most [0-9.]+ (MB|GB) before compression" out.txt && pass || fail "the estimate's disk"
grep -qE "memory: about [1-9][0-9]* MB for the runs" out.txt && pass || fail "the estimate's memory"
[ ! -e estimate.h5 ] && pass || fail "--estimate runs nothing and writes nothing"
expect 2 "an estimate of scenarios of different shapes" -- "$geosim" compare "$base" "$src/scenarios/small_test.yaml" --estimate
contains err.txt "the actors differ" "the estimate checks the shapes first"
cat > shorter.yaml <<YAML
geosim: 2
extends: $base
metadata: {name: shorter, turns: 30}
YAML
cp self.h5 keep_shape.h5
expect 2 "a misfit over an existing output is bad input, not an existing output" -- "$geosim" compare "$base" shorter.yaml -o keep_shape.h5
contains err.txt "the numbers of turns differ" "the misfit named"
cmp -s self.h5 keep_shape.h5 && pass || fail "the existing file untouched"
expect 0 "study default name" -- "$geosim" compare "$base" "$aid" halves.yaml --replicates 2 -q
[ -f central_asia_2022_vs_2_whatifs.h5 ] && pass || fail "default name BASE_vs_K_whatifs.h5"
expect 2 "a study of the same what-if twice" -- "$geosim" compare "$base" "$aid" "$aid" --replicates 2 -o twice.h5
contains err.txt "have the same name 'whatif_us_doubles_security_aid'" "a name clash explained"
contains err.txt "metadata.name" "a name clash says what to change"
[ ! -e twice.h5 ] && pass || fail "no output for a name clash"
expect 2 "a study with a what-if of another shape" -- "$geosim" compare "$base" "$aid" "$src/scenarios/small_test.yaml" --replicates 2 -o shapes2.h5
contains err.txt "small_test.yaml" "the what-if that does not fit named"
[ ! -e shapes2.h5 ] && pass || fail "no output when one what-if does not fit"

echo "replicates cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
