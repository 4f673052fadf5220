#!/usr/bin/env bash
# Runs the libFuzzer harnesses of tests/fuzz (tests/README.md, "Fuzzing"): configures and
# builds the `fuzz` preset (clang 16, ASan + UBSan) if needed, makes the seed corpora, runs each
# harness for SECONDS with a persistent corpus under build/fuzz/corpus/HARNESS, and prints per
# harness the executions, exec/s, corpus size and findings. A finding (crash-*, leak-*,
# timeout-*, oom-*) is copied into tests/fuzz/regressions/HARNESS/, where the replay tests
# (fuzz.replay.HARNESS) keep checking it. Exit status 1 if anything was found.
#
# Usage: tools/fuzz.sh [HARNESS|all] [SECONDS]          (default: all, 60 s each)
# Environment:
#   FUZZ_RUNS=N         stop each harness after N executions instead (-runs=N; SECONDS still
#                       bounds the time)
#   FUZZ_SEED=N         libFuzzer's -seed (the CI smoke uses 1, so it is repeatable)
#   FUZZ_KEEP_GOING=1   go on after a finding (libFuzzer's -fork=1 -ignore_crashes=1 ...), to
#                       count executions and collect every finding of a long run
#   FUZZ_NICE=N         niceness of the fuzzers (default 10: the machine is shared)
#   FUZZ_SUPPRESS_HDF5_LEAKS=1  ignore leaks allocated inside libhdf5 (tests/lsan_hdf5.supp;
#                       the CI smoke sets it: they are a known, intermittent finding)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
which_harness=${1:-all}
seconds=${2:-60}
build=$root/build/fuzz
harnesses=(scenario sweep_file calib_file run_info checkpoint sweep_plan sweep_pack
  sweep_results population calibration_result)

# Inputs larger than the seeds cost time and find nothing new: each harness's limit is a bit
# above its largest seed (the Central Asia scenario with an overlay, the HDF5 files of
# small_test_v2).
max_len() {
  case $1 in
    scenario) echo 65536 ;;
    sweep_file | calib_file) echo 8192 ;;
    sweep_pack | population | sweep_plan) echo 65536 ;;
    *) echo 262144 ;;
  esac
}

if [ "$which_harness" != all ]; then
  printf '%s\n' "${harnesses[@]}" | grep -qx "$which_harness" || {
    echo "fuzz.sh: no harness '$which_harness' (one of: ${harnesses[*]}, all)" >&2
    exit 2
  }
  harnesses=("$which_harness")
fi
command -v clang++-16 >/dev/null || {
  echo "fuzz.sh: needs clang++-16 with libFuzzer (apt-get install clang-16 libclang-rt-16-dev)" >&2
  exit 2
}

[ -f "$build/build.ninja" ] || cmake --preset fuzz >/dev/null
cmake --build --preset fuzz >/dev/null
seeds=$build/seeds
if [ ! -d "$seeds" ] || [ "$build/bin/geosim" -nt "$seeds" ] ||
  [ "$root/tests/fuzz/make_seeds.sh" -nt "$seeds" ]; then
  bash tests/fuzz/make_seeds.sh "$build/bin/geosim" "$root" "$seeds"
fi

export GEOSIM_FUZZ_SEEDS=$seeds
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Reports name functions and lines only with a symbolizer that ASan can find (clang-16 comes
# without one; llvm-14's reads its debug information). A leak's stack stops at libhdf5, which has
# no frame pointers: ASAN_OPTIONS=fast_unwind_on_malloc=0 shows all of it (slowly).
for s in llvm-symbolizer-16 llvm-symbolizer llvm-symbolizer-14; do
  if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && command -v "$s" >/dev/null; then
    ASAN_SYMBOLIZER_PATH=$(command -v "$s")
    export ASAN_SYMBOLIZER_PATH
  fi
done
if [ "${FUZZ_SUPPRESS_HDF5_LEAKS:-0}" = 1 ]; then
  export LSAN_OPTIONS=suppressions=$root/tests/lsan_hdf5.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}
fi
keep_going=()
[ "${FUZZ_KEEP_GOING:-0}" = 1 ] &&
  keep_going=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
runs=()
[ -n "${FUZZ_RUNS:-}" ] && runs=(-runs="$FUZZ_RUNS")
# A fixed seed makes a short run take the same mutations each time (the CI smoke sets it: a
# check that lands or not must not depend on luck); long runs leave it random.
[ -n "${FUZZ_SEED:-}" ] && runs+=(-seed="$FUZZ_SEED")
found=0
printf '%-19s %12s %9s %8s %8s %s\n' harness executions exec/s seconds corpus findings
for h in "${harnesses[@]}"; do
  corpus=$build/corpus/$h
  artifacts=$build/artifacts/$h
  log=$build/logs/$h.log
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  touch "$artifacts/.start"
  start=$(date +%s)
  # libFuzzer's exit status is non-zero on a finding; the artifacts say what was found.
  nice -n "${FUZZ_NICE:-10}" "$build/bin/fuzz_$h" -max_total_time="$seconds" \
    -max_len="$(max_len "$h")" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "${runs[@]}" "${keep_going[@]}" "$corpus" "$seeds/$h" \
    >"$log" 2>&1 || true
  elapsed=$(($(date +%s) - start))
  # The executions: the final stats, else (fork mode, a crash) the last status line "#N ...".
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  [ -n "$execs" ] || execs=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')
  execs=${execs:-0}
  rate=$((execs / (elapsed > 0 ? elapsed : 1)))
  size=$(find "$corpus" -type f | wc -l)
  mapfile -t hits < <(find "$artifacts" -type f -newer "$artifacts/.start" \( -name 'crash-*' \
    -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
  if [ ${#hits[@]} -gt 0 ]; then
    found=1
    mkdir -p "tests/fuzz/regressions/$h"
    cp "${hits[@]}" "tests/fuzz/regressions/$h/"
  fi
  printf '%-19s %12s %9s %8s %8s %s\n' "$h" "$execs" "$rate" "$elapsed" "$size" "${#hits[@]}"
  for f in "${hits[@]}"; do echo "    $(basename "$f") -> tests/fuzz/regressions/$h/"; done
  [ ${#hits[@]} -eq 0 ] || grep -m 3 -E 'broke the contract|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' \
    "$log" | sed 's/^/    /' || true
done
exit $found
