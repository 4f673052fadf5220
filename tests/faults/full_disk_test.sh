#!/usr/bin/env bash
# A full disk for every writer (issue 14, points 4 and 7): run, run --replicates, compare,
# --checkpoint-at, sweep run (plan and chunks), sweep merge, sweep analyze, calibrate (work
# folder and output), calibrate export, and the analysis package's plot and report.
# Two ways, each writer both ways where it can:
#  - a real full disk: a 64 kB tmpfs mounted on the output folder (root only; or under
#    `unshare -rm` as a user when that is allowed; else this part is skipped with a message);
#  - an injected failure: tests/faults/enospc_shim.c preloaded, writes to files whose path
#    holds the output folder's name fail with ENOSPC after N bytes (N = 0, a few kB, more):
#    deterministic, and it works without root.
# Each time: geosim exits 5 with one error line ("geosim: error: cannot write FILE: ...")
# naming a file in the full folder (the analysis package: exit 2, one line "analysis: cannot
# write ..."); nothing under the final name; no `.tmp` left; a file that was under the final
# name before (the command given --force) is unchanged.
# Usage: full_disk_test.sh GEOSIM_BINARY SOURCE_DIR WORKDIR SHIM.so
set -u
geosim=$1
src=$2
work=$3
shim=$4
source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_lib.sh"
# The test may run inside a previous run's leftover mounts: unmount them first.
if [ -d "$work" ]; then
  grep -F " $work/" /proc/mounts | awk '{print $2}' | sort -r | while read -r m; do umount "$m" 2>/dev/null; done
fi
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
scen=$src/scenarios/small_test_v2.yaml
t_start=$SECONDS
section() { echo "== $1 (at ${SECONDS}s)"; }
py=/usr/bin/python3
export PYTHONPATH=$src

# Fixtures on the real disk: inputs of merge, analyze, export and the analysis package.
cat > whatif.yaml <<YAML
geosim: 2
extends: $scen
metadata: {name: whatif_more_aid}
timeline:
  - {id: t_econ, amount: 24 USD m}
YAML
cat > small.sweep.yaml <<YAML
geosim_sweep: 1
name: small
scenario: $scen
seed: 5
replicates: 1
chunk: 4
design: {kind: sobol, n: 16}
parameters:
  - {name: inertia, path: parameters.influence_inertia, uniform: [0.05, 0.3]}
  - {name: c1_growth, path: "actors[C1].growth", uniform: [0.0, 0.1]}
outputs:
  - {name: pa_share_c1, variable: influence_share, actor: PA, target: C1}
trajectories: {every: 2, variables: [gdp, influence_share]}   # a merged file over 64 kB
YAML
cat > tiny.calib.yaml <<YAML
geosim_calibration: 1
name: tiny
scenario: $scen
seed: 11
method: {kind: abc-smc, particles: 30, replicates: 1, chunk: 16, alpha: 0.6, tolerance: 0.01, generations: 2, budget: 4000}
parameters:
  - {name: c1_growth, path: "actors[C1].growth", uniform: [0.0, 0.15]}
  - {name: drag, path: parameters.sanction_drag, loguniform: [0.05, 2.0]}
targets:
  - {name: c1_gdp, variable: gdp, actor: C1, month: 2021-12, observed: 21.487, sd: 0.2, source: "a run"}
YAML
expect 0 "fixture run" -- "$geosim" run "$scen" -o run.h5 -q
expect 0 "fixture sweep" -- "$geosim" sweep run small.sweep.yaml -d sweep_dir -o sweep.h5 -q
sed -e 's/^name: small$/name: small_nt/' -e '/^trajectories:/d' small.sweep.yaml > small_nt.sweep.yaml
expect 0 "fixture sweep without trajectories" -- "$geosim" sweep run small_nt.sweep.yaml -d sweep_nt_dir -o sweep_nt.h5 -q
expect 0 "fixture calibration" -- "$geosim" calibrate tiny.calib.yaml -d calib_dir -o calib.h5 -q

# The writers: NAME|FINAL (relative to the full folder F)|COMMAND (F stands for the folder)
# [|BYTES: about what it writes, so that larger ENOSPC limits are skipped: they would fit].
# Each command writes into F only; its inputs are on the real disk.
writers=(
  "run|out.h5|$geosim run $scen -o F/out.h5 -q"
  "run --replicates|out.h5|$geosim run $scen --replicates 3 -o F/out.h5 -q"
  "compare|out.h5|$geosim compare $scen whatif.yaml --replicates 3 -o F/out.h5 -q"
  "--checkpoint-at|out.h5|$geosim run $scen --checkpoint-at 6 -o F/out.h5 -q"
  "sweep run|out.h5|$geosim sweep run small.sweep.yaml -d F/sweep -o F/out.h5 -q"
  "sweep merge|out.h5|$geosim sweep merge sweep_dir -o F/out.h5 -q"
  "sweep analyze|out.h5|$geosim sweep analyze F/out.h5 --bootstrap 20 -q|25000"
  "calibrate|out.h5|$geosim calibrate tiny.calib.yaml -d F/calib -o F/out.h5 -q"
  "calibrate export|out.yaml|$geosim calibrate export calib.h5 -o F/out.yaml|400"
  "analysis plot|figs/gdp.png|$py -m analysis plot run.h5 -o F/figs --only gdp influence_shares"
  "analysis report|report.html|$py -m analysis report run.h5 -o F/report.html"
)

# check NAME FINAL F RC: the verdict after a writer failed to write into F.
check() {
  local name=$1 final=$2 f=$3 rc=$4 how=$5
  local want=5 prefix="geosim: error: cannot write "
  case $name in analysis*) want=2; prefix="analysis: cannot write" ;; esac
  local lines
  lines=$(grep -v ': warning at ' err.txt | grep -v '^geosim: [0-9]* errors\?; nothing was written$' | grep -c .)
  if [ "$rc" -ne "$want" ]; then
    fail "$name ($how): exit $rc, expected $want"
    grep -v ': warning at ' err.txt | head -3 | sed 's/^/  | /'
    return
  fi
  pass
  [ "$lines" -eq 1 ] && pass || { fail "$name ($how): $lines error lines"; grep -v ': warning at ' err.txt | head -3 | sed 's/^/  | /'; }
  grep -v ': warning at ' err.txt | grep -q -- "$prefix" && pass ||
    fail "$name ($how): no '$prefix': $(grep -v ': warning at ' err.txt | head -1)"
  grep -v ': warning at ' err.txt | grep -q -- "$(basename "$f")" && pass ||
    fail "$name ($how): the line does not name a file in the full folder: $(grep -v ': warning at ' err.txt | head -1)"
  grep -q "internal error\|Traceback" err.txt && fail "$name ($how): internal error or traceback" || pass
}

# run_writer NAME FINAL CMD F HOW [ENV...]: one writer into F; with a file already under the
# final name when the writer can take --force.
run_writer() {
  local name=$1 final=$2 cmd=$3 f=$4 how=$5
  shift 5
  # Only the placeholder words " F/..." (a path such as /tmp/tmp.xxxF/build/geosim also holds
  # "F/": a clone in such a folder made every command point at a missing binary).
  local c=${cmd// F\// $f/}
  # sweep analyze rewrites its input: put a copy of the merged file in F first (it fits).
  if [ "$name" = "sweep analyze" ]; then cp sweep_nt.h5 "$f/out.h5" 2>/dev/null || { echo "note: $name ($how): the merged file does not fit in the folder; skipped"; return; }; fi
  local before=""
  [ -e "$f/$final" ] && before=$(sha256sum "$f/$final" | cut -d' ' -f1)
  # shellcheck disable=SC2086
  env "$@" $c >out.txt 2>err.txt
  local rc=$?
  check "$name" "$final" "$f" "$rc" "$how"
  if [ -n "$before" ]; then
    [ -e "$f/$final" ] && [ "$(sha256sum "$f/$final" | cut -d' ' -f1)" = "$before" ] && pass ||
      fail "$name ($how): the file that was under the final name changed"
  elif [ "$name" != "sweep analyze" ]; then
    [ ! -e "$f/$final" ] && pass || fail "$name ($how): $final exists after a failed write"
  fi
  local left
  left=$(find "$f" -name '*.tmp*' 2>/dev/null)
  [ -z "$left" ] && pass || fail "$name ($how): temp files left: $left"
}

# ---------------------------------------------------------------------------------------------
section "injected ENOSPC (LD_PRELOAD shim)"
asan_opts=verify_asan_link_order=0:${ASAN_OPTIONS:-}
for after in 0 3000 40000; do
  for w in "${writers[@]}"; do
    IFS='|' read -r name final cmd size <<<"$w"
    [ -n "$size" ] && [ "$after" -ge "$size" ] && after_w=$((size / 4)) || after_w=$after
    [ "$after_w" != "$after" ] && [ "$after" -ne 3000 ] && continue  # (one smaller limit is enough)
    f=$work/shim_${after_w}_$(echo "$name" | tr -c 'a-z0-9\n' '_')
    rm -rf "$f" && mkdir -p "$f"
    run_writer "$name" "$final" "$cmd" "$f" "ENOSPC after $after_w bytes" \
      LD_PRELOAD="$shim" GEOSIM_ENOSPC_MATCH="$f/" GEOSIM_ENOSPC_AFTER=$after_w ASAN_OPTIONS="$asan_opts"
  done
done
# A file already under the final name, the writer given --force: unchanged on failure.
section "injected ENOSPC with --force over an existing file"
for w in "${writers[@]}"; do
  IFS='|' read -r name final cmd size <<<"$w"
  case $name in "sweep analyze"|analysis*) continue ;; esac
  f=$work/shim_force_$(echo "$name" | tr -c 'a-z0-9\n' '_')
  rm -rf "$f" && mkdir -p "$f/$(dirname "$final")"
  echo "a file of the user's" > "$f/$final"
  lim=2000
  [ -n "$size" ] && [ "$size" -le 8000 ] && lim=$((size / 4))
  run_writer "$name" "$final" "$cmd --force" "$f" "ENOSPC after $lim bytes, --force over a file" \
    LD_PRELOAD="$shim" GEOSIM_ENOSPC_MATCH="$f/" GEOSIM_ENOSPC_AFTER=$lim ASAN_OPTIONS="$asan_opts"
done
for name in "analysis plot" "analysis report"; do
  for w in "${writers[@]}"; do
    IFS='|' read -r n final cmd size <<<"$w"
    [ "$n" = "$name" ] || continue
    f=$work/shim_force_$(echo "$name" | tr -c 'a-z0-9\n' '_')
    rm -rf "$f" && mkdir -p "$f/$(dirname "$final")"
    # The analysis package replaces its own earlier outputs without --force (an earlier report
    # is recognised by its generator tag).
    if [ "$name" = "analysis report" ]; then
      printf '<meta name="generator" content="geosim analysis report">\na report of before\n' >"$f/$final"
    else
      echo "a figure of before" >"$f/$final"
    fi
    run_writer "$name" "$final" "$cmd" "$f" "ENOSPC over an existing output" \
      LD_PRELOAD="$shim" GEOSIM_ENOSPC_MATCH="$f/" GEOSIM_ENOSPC_AFTER=2000 ASAN_OPTIONS="$asan_opts"
  done
done

# The shim itself: it must make a plain write fail (else the checks above prove nothing).
mkdir -p shimcheck
LD_PRELOAD="$shim" GEOSIM_ENOSPC_MATCH="$work/shimcheck/" GEOSIM_ENOSPC_AFTER=10 \
  $py -c "f = open('$work/shimcheck/x', 'wb'); f.write(b'y' * 100); f.close()" 2>shim_err.txt &&
  fail "the shim let 100 bytes through a limit of 10" || { grep -q "No space left" shim_err.txt && pass || fail "the shim: $(cat shim_err.txt)"; }

# ---------------------------------------------------------------------------------------------
section "a real full disk (64 kB tmpfs)"
mounted=()
cleanup() { for m in "${mounted[@]}"; do umount "$m" 2>/dev/null; done; }
trap cleanup EXIT
tmpfs_ok=0
if [ "$(id -u)" -eq 0 ]; then
  mkdir -p probe && mount -t tmpfs -o size=64k tmpfs probe 2>/dev/null && { umount probe; tmpfs_ok=1; }
fi
if [ $tmpfs_ok -eq 1 ]; then
  for w in "${writers[@]}"; do
    IFS='|' read -r name final cmd size <<<"$w"
    f=$work/tmpfs_$(echo "$name" | tr -c 'a-z0-9\n' '_')
    mkdir -p "$f"
    mount -t tmpfs -o size=64k tmpfs "$f" || { fail "mount tmpfs on $f"; continue; }
    mounted+=("$f")
    # calibrate export writes a few hundred bytes, the figures of a run tens of kB, analyze
    # a copy of its input: fill the disk first but for 2 kB (after the input is copied in)
    case $name in
      "calibrate export"|analysis*) fill=1 ;;
      "sweep analyze") fill=1; cp sweep_nt.h5 "$f/out.h5" ;;
      *) fill=0 ;;
    esac
    if [ $fill -eq 1 ]; then
      avail=$(df -B1 --output=avail "$f" | tail -1)
      head -c $((avail - 2048)) /dev/zero > "$f/filler" 2>/dev/null
    fi
    run_writer "$name" "$final" "$cmd" "$f" "64 kB tmpfs"
  done
else
  echo "note: not root, or mount refused: the tmpfs part is skipped (the ENOSPC shim above covers every writer)"
fi

echo "full_disk: $passed passed, $failed failed in $((SECONDS - t_start)) s"
[ "$failed" -eq 0 ]
