#!/usr/bin/env bash
# Reproduces every measurement of the "Sweeps" section of benchmarks/README.md and prints a
# summary. Builds nothing.
#
#   benchmarks/run_sweep_bench.sh GEOSIM BENCH_SWEEP [WORK_DIR]
#
#   GEOSIM       the geosim binary (built with GEOSIM_WITH_MPI for the MPI part)
#   BENCH_SWEEP  the geosim_bench_sweep binary
#   WORK_DIR     where sweep folders and merged files go (default: a new folder in /tmp; it is
#                removed at the end unless KEEP=1)
#
# Environment (defaults in brackets):
#   REPS [3]            repetitions of every timing (medians are reported)
#   BENCH_REPS [10]     repetitions of geosim_bench_sweep (randomly interleaved)
#   PAR_SWEEP [baseline_2e4]  sweep file (in benchmarks/sweep_files) of the parallel-efficiency
#                       part: 1 vs 2 MPI ranks, 1 vs 2 threads, 2 concurrent --shard processes
#   MEM_SWEEPS [ishigami_1e3 ishigami_1e5 baseline_1e3 baseline_2e4 baseline_1e5]
#                       sweeps whose peak memory (max RSS) is measured: `sweep plan` alone,
#                       `sweep run` (with its merge), `sweep merge` alone, `sweep run
#                       --no-merge` (add ishigami_1e6 and ishigami_4e6 for the slope beyond
#                       10^6 runs; each sweep is run twice: baseline_1e5 takes about 2 x 2
#                       minutes, ishigami_4e6 about 2 x 1 minute and its packs of chunks)
#   MEM_JOBS [1]        --jobs of the memory runs
#   PARTS [bench e2e par split mem]   which parts to run (split: how 2 MPI ranks share the
#                       chunks, counted with strace)
#   MPIRUN [mpirun]     the MPI launcher; --allow-run-as-root is added when run as root
#
# Timings are wall-clock medians; the machine's load average is printed before each part
# (other jobs on a shared machine slow wall times down, CPU times much less).
set -euo pipefail

if [[ $# -lt 2 ]]; then
  sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
GEOSIM=$(readlink -f "$1")
BENCH=$(readlink -f "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
SF="$HERE/sweep_files"
if [[ $# -ge 3 ]]; then
  WORK=$3
  mkdir -p "$WORK"
else
  WORK=$(mktemp -d /tmp/geosim_sweep_bench.XXXXXX)
fi
WORK=$(readlink -f "$WORK")
REPS=${REPS:-3}
BENCH_REPS=${BENCH_REPS:-10}
PAR_SWEEP=${PAR_SWEEP:-baseline_2e4}
MEM_SWEEPS=${MEM_SWEEPS:-"ishigami_1e3 ishigami_1e5 baseline_1e3 baseline_2e4 baseline_1e5"}
MEM_JOBS=${MEM_JOBS:-1}
PARTS=${PARTS:-"bench e2e par split mem"}
MPIRUN=${MPIRUN:-mpirun}
MPI_FLAGS=(--oversubscribe)
[[ $(id -u) -eq 0 ]] && MPI_FLAGS+=(--allow-run-as-root)
PY=${PYTHON:-/usr/bin/python3}
RES="$WORK/results.tsv"  # part  key  value
REF_before="" REF_after=""  # set by ref_run
: >"$RES"

has_part() { [[ " $PARTS " == *" $1 "* ]]; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
note() { printf '%s\n' "$*" >&2; }
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RES"; }

# runs_of SWEEP: the number of runs of a sweep file (from `geosim sweep plan`).
runs_of() {
  "$GEOSIM" sweep plan "$SF/$1.sweep.yaml" -d "$WORK/plan_$1" |
    sed -n 's/.* = \([0-9]*\) runs\{0,1\} in .*/\1/p'
}

# timed KEY CMD...: runs CMD under /usr/bin/time; records wall, user, sys (s) and max RSS (KB).
timed() {
  local key=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.txt" "$@"
  read -r wall user sys rss <"$WORK/time.txt"
  record "$key" wall "$wall"
  record "$key" cpu "$(echo "$user + $sys" | bc -l)"
  record "$key" rss_kb "$rss"
  note "  $key: ${wall} s wall, ${user} s user, ${sys} s sys, ${rss} KB max RSS (load $(load))"
}

# ref_run NAME: the in-process run time (ms, real) of run/baseline_12 now, into REF_<NAME>.
ref_run() {
  local t
  t=$("$BENCH" --benchmark_filter='^run/baseline_12$' --benchmark_min_time=1 \
    --benchmark_format=csv 2>/dev/null | awk -F, '$1 == "\"run/baseline_12\"" { print $3 }')
  printf -v "REF_$1" '%s' "$t"
  record ref run_ms "$t"
  note "  in-process run/baseline_12 ($1): $t ms"
}

note "geosim sweep benchmarks: $(date -u +%FT%TZ), $(nproc) CPUs, load $(load)"
note "  geosim: $GEOSIM ($("$GEOSIM" --version 2>/dev/null | head -1 || true))"
note "  work:   $WORK"

# --- 1 and 2a: Google Benchmark, one invocation -----------------------------------------------
if has_part bench; then
  note "[bench] $BENCH --benchmark_repetitions=$BENCH_REPS, random interleaving (load $(load))"
  "$BENCH" --benchmark_repetitions="$BENCH_REPS" --benchmark_enable_random_interleaving=true \
    --benchmark_out="$WORK/bench.json" --benchmark_out_format=json >"$WORK/bench.txt" 2>&1
  record bench load "$(load)"
fi

# --- 2b: end to end, --jobs 1 -----------------------------------------------------------------
E2E_SWEEP=baseline_2e3
if has_part e2e; then
  n=$(runs_of $E2E_SWEEP)
  record e2e runs "$n"
  note "[e2e] geosim sweep run $E2E_SWEEP ($n runs) --jobs 1, plan + chunks + merge"
  # Each repetition is framed by two in-process runs (run/baseline_12, 1 s each), so that the
  # ratio compares times taken within seconds of each other.
  for _ in $(seq "$REPS"); do
    rm -rf "$WORK/e2e" "$WORK/e2e.h5"
    ref_run before
    timed "e2e" "$GEOSIM" sweep run "$SF/$E2E_SWEEP.sweep.yaml" -d "$WORK/e2e" \
      -o "$WORK/e2e.h5" --jobs 1 -q
    ref_run after
    record e2e ratio "$(echo "$(tail -1 "$WORK/time.txt" | cut -d' ' -f1) / $n / \
      (($REF_before + $REF_after) / 2 / 1000)" | bc -l)"
  done
  # The same without the merge, and the merge alone.
  for _ in $(seq "$REPS"); do
    rm -rf "$WORK/e2e" "$WORK/e2e.h5"
    timed "e2e_nomerge" "$GEOSIM" sweep run "$SF/$E2E_SWEEP.sweep.yaml" -d "$WORK/e2e" \
      --jobs 1 -q --no-merge
    timed "e2e_merge" "$GEOSIM" sweep merge "$WORK/e2e" -o "$WORK/e2e.h5" -q --force
  done
fi

# --- 3: parallel efficiency -------------------------------------------------------------------
if has_part par; then
  n=$(runs_of "$PAR_SWEEP")
  record par runs "$n"
  note "[par] $PAR_SWEEP ($n runs): 1 vs 2 MPI ranks (--mpi), 1 vs 2 threads (--jobs), 2 shards"
  for _ in $(seq "$REPS"); do  # interleaved, so that a change of load hits all the modes alike
    for mode in mpi1 mpi2 jobs1 jobs2 shard2; do
      rm -rf "$WORK/par" "$WORK/par.h5"
      case $mode in
        shard2)  # two independent processes (--shard 0/2, 1/2) at once, then the merge
          t0=$(date +%s.%N)
          "$GEOSIM" sweep run "$SF/$PAR_SWEEP.sweep.yaml" -d "$WORK/par" --shard 0/2 -q &
          p0=$!
          "$GEOSIM" sweep run "$SF/$PAR_SWEEP.sweep.yaml" -d "$WORK/par" --shard 1/2 -q &
          p1=$!
          wait $p0
          wait $p1
          "$GEOSIM" sweep merge "$WORK/par" -o "$WORK/par.h5" -q
          w=$(echo "$(date +%s.%N) - $t0" | bc -l)
          record shard2 wall "$w"
          note "  shard2: $(printf '%.2f' "$w") s wall (load $(load))"
          ;;
        mpi1 | mpi2)
          timed "$mode" "$MPIRUN" "${MPI_FLAGS[@]}" -n "${mode#mpi}" "$GEOSIM" sweep run \
            "$SF/$PAR_SWEEP.sweep.yaml" -d "$WORK/par" -o "$WORK/par.h5" --mpi -q
          ;;
        jobs1 | jobs2)
          timed "$mode" "$GEOSIM" sweep run "$SF/$PAR_SWEEP.sweep.yaml" -d "$WORK/par" \
            -o "$WORK/par.h5" --jobs "${mode#jobs}" -q
          ;;
      esac
    done
  done
fi

# --- 3b: how 2 MPI ranks share the chunks (strace counts each rank's commits: fdatasync) -----
if has_part split && command -v strace >/dev/null; then
  note "[split] $E2E_SWEEP: chunks committed by each of 2 MPI ranks (strace -e fdatasync,rename)"
  for _ in $(seq "$REPS"); do
    rm -rf "$WORK/split" "$WORK/split.h5" "$WORK"/strace.*
    "$MPIRUN" "${MPI_FLAGS[@]}" -n 2 strace -f -ff -qq --seccomp-bpf -e trace=fdatasync,rename \
      -o "$WORK/strace" "$GEOSIM" sweep run "$SF/$E2E_SWEEP.sweep.yaml" -d "$WORK/split" \
      -o "$WORK/split.h5" --mpi -q
    r0=0 r1=0
    for f in "$WORK"/strace.*; do
      # One fdatasync per chunk committed to the rank's pack (docs/sweeps.md).
      c=$(grep -c '^fdatasync(' "$f" || true)
      [[ $c -eq 0 ]] && continue
      # Rank 0 merges: its process renames the merged file (another thread of the same
      # process may have its own strace file, but the chunk commits are on the main thread).
      if grep -q 'split\.h5\.tmp' "$f"; then r0=$c; else r1=$c; fi
    done
    record split rank0 "$r0"
    record split rank1 "$r1"
    note "  rank 0 committed $r0 chunks, rank 1 $r1 (load $(load))"
  done
  rm -rf "$WORK/split" "$WORK/split.h5" "$WORK"/strace.*
fi

# --- 4: peak memory ---------------------------------------------------------------------------
# Per sweep: `sweep plan` alone; `sweep run` as users run it (chunks, then the merge in the same
# process); `sweep merge` alone on the finished folder; `sweep run --no-merge` (the chunk loop
# without the merge) in a fresh folder.
if has_part mem; then
  note "[mem] max RSS of sweep plan, sweep run (with its merge), sweep merge alone, sweep run" \
    "--no-merge; --jobs $MEM_JOBS"
  for s in $MEM_SWEEPS; do
    n=$(runs_of "$s")
    record "mem_$s" runs "$n"
    rm -rf "$WORK/mem" "$WORK/mem.h5" "$WORK/mem2.h5" "$WORK/mem_plan"
    timed "mem_plan_$s" "$GEOSIM" sweep plan "$SF/$s.sweep.yaml" -d "$WORK/mem_plan" >/dev/null
    rm -rf "$WORK/mem_plan"
    timed "mem_run_$s" "$GEOSIM" sweep run "$SF/$s.sweep.yaml" -d "$WORK/mem" -o "$WORK/mem.h5" \
      --jobs "$MEM_JOBS" -q
    timed "mem_merge_$s" "$GEOSIM" sweep merge "$WORK/mem" -o "$WORK/mem2.h5" -q
    record "mem_$s" merged_bytes "$(stat -c %s "$WORK/mem.h5")"
    record "mem_$s" chunks_bytes "$(du -sb "$WORK/mem/chunks" | cut -f1)"
    rm -rf "$WORK/mem" "$WORK/mem.h5" "$WORK/mem2.h5"
    timed "mem_loop_$s" "$GEOSIM" sweep run "$SF/$s.sweep.yaml" -d "$WORK/mem" --no-merge \
      --jobs "$MEM_JOBS" -q
    rm -rf "$WORK/mem"
  done
fi
rm -rf "$WORK"/plan_* "$WORK/e2e" "$WORK/par"

# --- summary ----------------------------------------------------------------------------------
"$PY" - "$WORK" "$MEM_SWEEPS" <<'EOF'
import json, os, statistics, sys
work, mem_sweeps = sys.argv[1], sys.argv[2].split()
res = {}
for line in open(os.path.join(work, "results.tsv")):
    part, key, value = line.rstrip("\n").split("\t")
    res.setdefault((part, key), []).append(value)
def med(part, key):
    v = res.get((part, key))
    return statistics.median(float(x) for x in v) if v else None
def spread(part, key):
    v = [float(x) for x in res.get((part, key), [])]
    return f"{min(v):.2f}-{max(v):.2f}" if v else "-"

bench, paired = {}, {}
path = os.path.join(work, "bench.json")
if os.path.exists(path):
    entries = json.load(open(path))["benchmarks"]
    # Medians if there were repetitions, else the single runs.
    want = "median" if any(b.get("aggregate_name") == "median" for b in entries) else None
    for b in entries:
        if b.get("aggregate_name") != want:
            continue
        if b["run_name"] == "paired/baseline_12":
            paired = {k: b[k] for k in ("run_ms", "sweep_run_ms", "ratio")}
        scale = {"ms": 1e-3, "us": 1e-6, "ns": 1e-9, "s": 1.0}[b["time_unit"]]
        name = b["run_name"].replace("/iterations:2000", "")
        bench[name] = (b["real_time"] * scale, b["cpu_time"] * scale)
    order = ["run/", "run_edited/", "sweep_run/baseline", "paired/", "scenario_edit/",
             "sweep_run/ishigami", "sweep_plan/", "sweep_chunk_commit/"]
    rank = lambda k: next((i for i, p in enumerate(order) if k.startswith(p)), len(order))
    bench = dict(sorted(bench.items(), key=lambda kv: rank(kv[0])))

print("\n== geosim sweep benchmarks: summary (medians) ==")
run_t = bench.get("run/baseline_12")
if bench:
    print(f"\n[1, 2a] geosim_bench_sweep, one invocation (load {res[('bench', 'load')][0]})")
    print(f"  {'benchmark':28s} {'real':>10s} {'CPU':>10s}  real/run  CPU/run")
    for name, (real, cpu) in bench.items():
        unit, f = ("ms", 1e3) if real >= 1e-4 else ("us", 1e6)
        ratio = ""
        if run_t and name.startswith(("sweep_run/baseline", "run_edited", "scenario_edit")):
            ratio = f"  {real / run_t[0]:7.3f}  {cpu / run_t[1]:7.3f}"
        print(f"  {name:28s} {real * f:8.3f} {unit} {cpu * f:8.3f} {unit}{ratio}")
    if paired:
        print(f"  paired/baseline_12 (same iterations): run {paired['run_ms']:.3f} ms, evaluate_run "
              f"{paired['sweep_run_ms']:.3f} ms, ratio {paired['ratio']:.3f}")
    sr = bench.get("sweep_run/baseline_12")
    if sr and run_t:
        print(f"  => sweep_run / run: {sr[0] / run_t[0]:.3f} (real), {sr[1] / run_t[1]:.3f} (CPU);"
              f" {1 / sr[1]:.0f} runs/s per core (CPU time)")

if res.get(("e2e", "wall")):
    n = med("e2e", "runs")
    w, c = med("e2e", "wall"), med("e2e", "cpu")
    print(f"\n[2b] geosim sweep run baseline_2e3 --jobs 1: {n:.0f} runs, plan + chunks + merge")
    print(f"  wall {w:.2f} s ({spread('e2e', 'wall')}), CPU {c:.2f} s")
    print(f"  per run: {w / n * 1e3:.3f} ms wall, {c / n * 1e3:.3f} ms CPU; "
          f"{n / w:.0f} runs/s wall, {n / c:.0f} runs/s per core of CPU")
    if res.get(("e2e", "ratio")):
        refs = [float(x) for x in res[("ref", "run_ms")]]
        rs = [float(x) for x in res[("e2e", "ratio")]]
        print(f"  ratio of wall / N to the in-process run measured just before and after each "
              f"repetition (run/baseline_12, {min(refs):.3f}-{max(refs):.3f} ms): "
              f"{statistics.median(rs):.3f} ({min(rs):.3f}-{max(rs):.3f})")
    wn, cn = med("e2e_nomerge", "wall"), med("e2e_nomerge", "cpu")
    wm, cm = med("e2e_merge", "wall"), med("e2e_merge", "cpu")
    if wn is not None:
        print(f"  without the merge: {wn:.2f} s wall, {cn:.2f} s CPU; the merge alone: {wm:.2f} s "
              f"wall, {cm:.2f} s CPU")

if res.get(("e2e", "wall")) and res.get(("jobs1", "wall")) and med("par", "runs") > med("e2e", "runs"):
    # Two sweep sizes, both --jobs 1 with the merge: fixed cost and cost per added run.
    n1, n2 = med("e2e", "runs"), med("par", "runs")
    w1, w2 = med("e2e", "wall"), med("jobs1", "wall")
    c1, c2 = med("e2e", "cpu"), med("jobs1", "cpu")
    mw, mc = (w2 - w1) / (n2 - n1), (c2 - c1) / (n2 - n1)
    print(f"  marginal cost per run from {n1:.0f} to {n2:.0f} runs (--jobs 1): {mw * 1e3:.3f} ms "
          f"wall, {mc * 1e3:.3f} ms CPU; fixed cost {w1 - n1 * mw:.2f} s wall, "
          f"{c1 - n1 * mc:.2f} s CPU")
    if run_t:
        print(f"  marginal / run/baseline_12: {mw / run_t[0]:.3f} (wall / real), "
              f"{mc / run_t[1]:.3f} (CPU / CPU)")

if res.get(("mpi1", "wall")):
    n = med("par", "runs")
    print(f"\n[3] parallel efficiency, {n:.0f} runs (2 cores, shared)")
    for a, b, label in (("mpi1", "mpi2", "MPI ranks (mpirun -n 1 / -n 2, --mpi)"),
                        ("jobs1", "jobs2", "threads (--jobs 1 / --jobs 2)")):
        t1, t2 = med(a, "wall"), med(b, "wall")
        # Per repetition (the modes are interleaved: a repetition's times are minutes apart).
        per = [float(x) / (2 * float(y)) for x, y in zip(res[(a, "wall")], res[(b, "wall")])]
        print(f"  {label}: T1 {t1:.2f} s ({spread(a, 'wall')}), T2 {t2:.2f} s "
              f"({spread(b, 'wall')}); speed-up {t1 / t2:.2f}, efficiency T1/(2 T2) = "
              f"{t1 / (2 * t2):.2f} (per repetition: {', '.join(f'{e:.2f}' for e in per)}); "
              f"runs/s {n / t1:.0f} -> {n / t2:.0f}")
    t2 = med("shard2", "wall")
    if t2 is not None:
        t1 = med("jobs1", "wall")
        per = [float(x) / (2 * float(y))
               for x, y in zip(res[("jobs1", "wall")], res[("shard2", "wall")])]
        print(f"  reference, 2 independent processes (--shard 0/2 and 1/2 at once, then merge): "
              f"T2 {t2:.2f} s ({spread('shard2', 'wall')}); against --jobs 1: speed-up "
              f"{t1 / t2:.2f}, efficiency {t1 / (2 * t2):.2f} (per repetition: "
              f"{', '.join(f'{e:.2f}' for e in per)})")
        for a in ("mpi2", "jobs2", "shard2"):
            if res.get((a, "cpu")):
                print(f"  CPU time (user + sys) of {a}: {med(a, 'cpu'):.1f} s against "
                      f"{med('jobs1', 'cpu'):.1f} s for --jobs 1")

if res.get(("split", "rank0")):
    r0 = [int(x) for x in res[("split", "rank0")]]
    r1 = [int(x) for x in res[("split", "rank1")]]
    print(f"\n[3b] chunks committed by MPI rank 0 / rank 1 (mpirun -n 2, baseline_2e3): "
          + ", ".join(f"{a}/{b}" for a, b in zip(r0, r1))
          + f"; rank 1's share {statistics.median(b / (a + b) for a, b in zip(r0, r1)):.2f}"
          " (ideal 0.5)")

rows = [s for s in mem_sweeps if res.get((f"mem_{s}", "runs"))]
if rows:
    print("\n[4] peak memory (max RSS)")
    print(f"  {'sweep':16s} {'runs':>8s} {'plan MB':>8s} {'run MB':>8s} {'merge MB':>9s} "
          f"{'no-merge MB':>12s} {'run s':>7s} {'merge s':>8s} {'merged MB':>10s} "
          f"{'chunks MB':>10s}")
    for s in rows:
        mb = lambda what: med(f"mem_{what}_{s}", "rss_kb") / 1024
        print(f"  {s:16s} {med(f'mem_{s}', 'runs'):8.0f} {mb('plan'):8.1f} {mb('run'):8.1f} "
              f"{mb('merge'):9.1f} {mb('loop'):12.1f} {med(f'mem_run_{s}', 'wall'):7.1f} "
              f"{med(f'mem_merge_{s}', 'wall'):8.1f} {med(f'mem_{s}', 'merged_bytes') / 1e6:10.1f} "
              f"{med(f'mem_{s}', 'chunks_bytes') / 1e6:10.1f}")
    for model in ("ishigami", "baseline"):
        ms = [s for s in rows if s.startswith(model)]
        if len(ms) >= 2:
            ms.sort(key=lambda s: med(f"mem_{s}", "runs"))
            # From the smallest and from the second largest sweep to the largest: HDF5's
            # buffers (a 1 MiB chunk per per-run variable) fill up to 131,072 runs, so the
            # slope between the two largest is the one that says whether memory is flat.
            for a in dict.fromkeys((ms[0], ms[-2])):
                b = ms[-1]
                dn = med(f"mem_{b}", "runs") - med(f"mem_{a}", "runs")
                for what in ("plan", "run", "merge", "loop"):
                    d = (med(f"mem_{what}_{b}", "rss_kb") - med(f"mem_{what}_{a}", "rss_kb")) * 1024
                    print(f"  {model} {what}: {d / 1e6:+.1f} MB from {a} to {b}: "
                          f"{d / dn:.1f} bytes per run")
EOF
if [[ ${KEEP:-0} != 1 && $# -lt 3 ]]; then
  rm -rf "$WORK"
else
  note "raw results: $RES; Google Benchmark output: $WORK/bench.txt, $WORK/bench.json"
fi
