#!/usr/bin/env bash
# Builds two commits of geosim (Release, with benchmarks) and measures them side by side in one
# invocation, alternating OLD, NEW, OLD, NEW, ... so that a change of the machine's load hits
# both alike. Prints one table: every measure's median for OLD and NEW and their ratio
# (OLD/NEW for times: > 1 means NEW is faster; NEW/OLD for memory and files).
#
#   benchmarks/compare_commits.sh OLD NEW
#
#   OLD, NEW   commits (anything `git rev-parse` takes), or "." for this checkout's working tree
#              as it is (uncommitted changes included)
#
# Environment (defaults in brackets):
#   ROUNDS [3]      alternations of every measure; medians are reported
#   PARTS [bench sweep compare]   bench: the Google Benchmark cases of geosim_bench_step named
#                   by FILTER; sweep: `geosim sweep run` of benchmarks/sweep_files/SWEEP with
#                   --jobs 1 (runs per second per core); compare: `geosim compare` of the
#                   baseline and a what-if with REPLICATES replicates (wall time, peak memory);
#                   files: `geosim sweep run --no-merge` of FILES_SWEEP, the files it leaves in
#                   the sweep folder, the same command again (a resume with nothing to run),
#                   and `geosim sweep merge` (wall times)
#   FILTER [^(memory|step|run|simulate_h5|load_yaml)/]   the Google Benchmark cases
#   MIN_TIME [0.5]  --benchmark_min_time of each case, in seconds
#   SWEEP [baseline_2e3]    the sweep file of the sweep part
#   FILES_SWEEP [ishigami_1e6]   the sweep file of the files part (10^6 runs in chunks of 32)
#   REPLICATES [300]        replicates of the compare part
#   WHATIF [us_doubles_security_aid]   the what-if (scenarios/whatif/WHATIF.yaml) of that part
#   WORK [build/compare]    where each commit's sources and build are kept; a commit built
#                   once is not built again (the working tree is rebuilt each time)
#   KEEP_OUTPUTS [0]        1 keeps the sweep folders and HDF5 files the measures write
#
# Each commit is measured with its own benchmark sources, sweep files and scenarios; a case that
# only one of them has is listed without a ratio.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-3}
PARTS=${PARTS:-bench sweep compare}
FILTER=${FILTER:-'^(memory|step|run|simulate_h5|load_yaml)/'}
MIN_TIME=${MIN_TIME:-0.5}
SWEEP=${SWEEP:-baseline_2e3}
FILES_SWEEP=${FILES_SWEEP:-ishigami_1e6}
REPLICATES=${REPLICATES:-300}
WHATIF=${WHATIF:-us_doubles_security_aid}
WORK=${WORK:-$ROOT/build/compare}
PY=${PYTHON:-/usr/bin/python3}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

die() {
  echo "compare_commits.sh: $*" >&2
  exit 2
}
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a whole number >= 1, not '$ROUNDS'"
for p in $PARTS; do
  case $p in bench | sweep | compare | files) ;; *) die "no part '$p' (bench, sweep, compare, files)" ;; esac
done
[[ -x /usr/bin/time ]] || die "needs GNU time (/usr/bin/time; apt-get install time)"

# label REV: the name of a commit's tree under WORK ("worktree" for ".").
label() {
  if [[ $1 == . ]]; then
    echo worktree
  else
    local sha
    sha=$(git -C "$ROOT" rev-parse --verify --quiet "$1^{commit}") || return 1
    echo "${sha:0:12}"
  fi
}

# prepare REV LABEL: sources under WORK/LABEL/src (git archive of the commit, or an rsync of the
# working tree), then a Release build of geosim and the benchmarks under WORK/LABEL/build.
prepare() {
  local rev=$1 lab=$2 dir=$WORK/$2
  if [[ $lab == worktree ]]; then
    # Tracked and untracked-but-not-ignored files, as they are now (tar keeps their times, so
    # the build stays incremental).
    rm -rf "$dir/src" && mkdir -p "$dir/src"
    (cd "$ROOT" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) |
      tar -x -C "$dir/src"
  elif [[ ! -f "$dir/src/CMakeLists.txt" ]]; then
    rm -rf "$dir/src" && mkdir -p "$dir/src"
    git -C "$ROOT" archive "$rev" | tar -x -C "$dir/src"
  fi
  if [[ ! -f "$dir/build/build.ninja" ]]; then
    cmake -S "$dir/src" -B "$dir/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DGEOSIM_BUILD_BENCHMARKS=ON -DGEOSIM_BUILD_TESTS=OFF >"$dir/configure.log" 2>&1 ||
      die "configuring $rev failed: $dir/configure.log"
  fi
  echo "building $rev ($dir/build)" >&2
  ninja -C "$dir/build" -j"${JOBS:-2}" geosim geosim_bench_step >"$dir/build.log" 2>&1 ||
    die "building $rev failed: $dir/build.log"
}

OLD=$1 NEW=$2
LOLD=$(label "$OLD") || die "'$OLD' is not a commit of $ROOT"
LNEW=$(label "$NEW") || die "'$NEW' is not a commit of $ROOT"
[[ $LOLD != "$LNEW" ]] || die "OLD and NEW are the same tree ($LOLD)"
prepare "$OLD" "$LOLD"
prepare "$NEW" "$LNEW"

RES=$WORK/results.$$.tsv # side  measure  value  unit  (better: low|high)
: >"$RES"
OUT=$WORK/out.$$
mkdir -p "$OUT"
cleanup() {
  [[ ${KEEP_OUTPUTS:-0} == 1 ]] || rm -rf "$OUT"
  rm -f "$RES"
}
trap cleanup EXIT

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for ((r = 1; r <= ROUNDS; r++)); do
  for side in old new; do
    lab=$LOLD
    [[ $side == new ]] && lab=$LNEW
    src=$WORK/$lab/src bin=$WORK/$lab/build/bin
    echo "round $r/$ROUNDS: $side ($lab)" >&2
    if [[ " $PARTS " == *" bench "* ]]; then
      # Run from the tree's own folder: the cases find the baseline scenario there.
      (cd "$src" && "$bin/geosim_bench_step" --benchmark_filter="$FILTER" \
        --benchmark_min_time="$MIN_TIME" --benchmark_format=json 2>/dev/null) >"$OUT/bench.json" ||
        die "$bin/geosim_bench_step failed"
      "$PY" - "$OUT/bench.json" "$side" >>"$RES" <<'PY'
import json, sys
scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    if b.get("run_type", "iteration") != "iteration":
        continue
    t = b["real_time"] * scale[b["time_unit"]]
    print(f"{sys.argv[2]}\t{b['name']}\t{t * 1e3:.6g}\tms\tlow")
PY
    fi
    if [[ " $PARTS " == *" sweep "* ]]; then
      f=$src/benchmarks/sweep_files/$SWEEP.sweep.yaml
      [[ -f $f ]] || die "$f: no such sweep file"
      rm -rf "$OUT/plan"
      runs=$("$bin/geosim" sweep plan "$f" -d "$OUT/plan" 2>&1 | grep -oE '= [0-9]+ runs' |
        grep -oE '[0-9]+' || true)
      rm -rf "$OUT/plan"
      [[ -n $runs ]] || die "cannot count the runs of $f"
      rm -rf "$OUT/sweep" "$OUT/sweep.h5"
      /usr/bin/time -f '%e %U %M' -o "$OUT/time.txt" \
        "$bin/geosim" sweep run "$f" -d "$OUT/sweep" -o "$OUT/sweep.h5" --jobs 1 -q >/dev/null 2>"$OUT/sweep.err" ||
        die "sweep run failed ($side): $(tail -n 3 "$OUT/sweep.err")"
      read -r wall user rss <"$OUT/time.txt"
      printf '%s\tsweep %s: runs/s/core\t%s\truns/s\thigh\n' "$side" "$SWEEP" \
        "$("$PY" -c "print(f'{$runs / $wall:.6g}')")" >>"$RES"
      printf '%s\tsweep %s: peak memory\t%s\tMB\tlow\n' "$side" "$SWEEP" $((rss / 1024)) >>"$RES"
    fi
    if [[ " $PARTS " == *" files "* ]]; then
      f=$src/benchmarks/sweep_files/$FILES_SWEEP.sweep.yaml
      [[ -f $f ]] || die "$f: no such sweep file"
      rm -rf "$OUT/files" "$OUT/files.h5"
      m="sweep $FILES_SWEEP"
      for step in run resume; do
        /usr/bin/time -f '%e %U %M' -o "$OUT/time.txt" \
          "$bin/geosim" sweep run "$f" -d "$OUT/files" --no-merge --jobs 1 -q >/dev/null 2>"$OUT/files.err" ||
          die "sweep $step failed ($side): $(tail -n 3 "$OUT/files.err")"
        read -r wall user rss <"$OUT/time.txt"
        printf '%s\t%s: %s wall\t%s\ts\tlow\n' "$side" "$m" "$step" "$wall" >>"$RES"
        if [[ $step == run ]]; then
          printf '%s\t%s: files\t%s\tfiles\tlow\n' "$side" "$m" \
            "$(find "$OUT/files" -type f | wc -l)" >>"$RES"
        fi
      done
      /usr/bin/time -f '%e %U %M' -o "$OUT/time.txt" \
        "$bin/geosim" sweep merge "$OUT/files" -o "$OUT/files.h5" -q >/dev/null 2>"$OUT/files.err" ||
        die "sweep merge failed ($side): $(tail -n 3 "$OUT/files.err")"
      read -r wall user rss <"$OUT/time.txt"
      printf '%s\t%s: merge wall\t%s\ts\tlow\n' "$side" "$m" "$wall" >>"$RES"
      printf '%s\t%s: merge peak memory\t%s\tMB\tlow\n' "$side" "$m" $((rss / 1024)) >>"$RES"
      rm -rf "$OUT/files" "$OUT/files.h5"
    fi
    if [[ " $PARTS " == *" compare "* ]]; then
      base=$src/scenarios/central_asia_2022.yaml w=$src/scenarios/whatif/$WHATIF.yaml
      rm -f "$OUT/cmp.h5"
      /usr/bin/time -f '%e %U %M' -o "$OUT/time.txt" \
        "$bin/geosim" compare "$base" "$w" --replicates "$REPLICATES" -o "$OUT/cmp.h5" \
        >/dev/null 2>"$OUT/cmp.err" || die "compare failed ($side): $(tail -n 3 "$OUT/cmp.err")"
      read -r wall user rss <"$OUT/time.txt"
      printf '%s\tcompare x%s: wall\t%s\ts\tlow\n' "$side" "$REPLICATES" "$wall" >>"$RES"
      printf '%s\tcompare x%s: peak memory\t%s\tMB\tlow\n' "$side" "$REPLICATES" \
        $((rss / 1024)) >>"$RES"
      printf '%s\tcompare x%s: file\t%s\tMB\tlow\n' "$side" "$REPLICATES" \
        $(($(stat -c %s "$OUT/cmp.h5") / 1048576)) >>"$RES"
      # Where the commit has it, also with --jobs 2 (compared with the other side's --jobs 1
      # figure above when only one side has it).
      if grep -q -- '--jobs' <<<"$("$bin/geosim" compare --help 2>/dev/null)"; then
        rm -f "$OUT/cmp.h5"
        /usr/bin/time -f '%e %U %M' -o "$OUT/time.txt" \
          "$bin/geosim" compare "$base" "$w" --replicates "$REPLICATES" --jobs 2 -q \
          -o "$OUT/cmp.h5" >/dev/null 2>"$OUT/cmp.err" ||
          die "compare --jobs 2 failed ($side): $(tail -n 3 "$OUT/cmp.err")"
        read -r wall user rss <"$OUT/time.txt"
        printf '%s\tcompare x%s --jobs 2: wall\t%s\ts\tlow\n' "$side" "$REPLICATES" "$wall" >>"$RES"
        printf '%s\tcompare x%s --jobs 2: peak memory\t%s\tMB\tlow\n' "$side" "$REPLICATES" \
          $((rss / 1024)) >>"$RES"
      fi
    fi
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

"$PY" - "$RES" "$OLD ($LOLD)" "$NEW ($LNEW)" "$ROUNDS" <<'PY'
import statistics, sys
rows = {}
order = []
for line in open(sys.argv[1]):
    side, name, value, unit, better = line.rstrip("\n").split("\t")
    if name not in rows:
        rows[name] = {"old": [], "new": [], "unit": unit, "better": better}
        order.append(name)
    rows[name][side].append(float(value))
print(f"OLD = {sys.argv[2]}, NEW = {sys.argv[3]}; medians of {sys.argv[4]} alternating rounds")
print("ratio: OLD/NEW for a time or memory (> 1: NEW is better), NEW/OLD for a rate")
print(f"{'measure':<44} {'unit':<7} {'OLD':>12} {'NEW':>12} {'ratio':>8}")
for name in order:
    r = rows[name]
    o = statistics.median(r["old"]) if r["old"] else None
    n = statistics.median(r["new"]) if r["new"] else None
    ratio = ""
    if n and not o and " --jobs 2:" in name:  # only NEW has --jobs: against OLD's serial figure
        serial = rows.get(name.replace(" --jobs 2:", ":"))
        if serial and serial["old"]:
            o = statistics.median(serial["old"])
            name += " (OLD: serial)"
    if o and n:
        ratio = f"{(o / n if r['better'] == 'low' else n / o):.2f}x"
    fmt = lambda v: "-" if v is None else f"{v:.4g}"
    print(f"{name:<44} {r['unit']:<7} {fmt(o):>12} {fmt(n):>12} {ratio:>8}")
PY
