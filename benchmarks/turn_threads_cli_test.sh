#!/usr/bin/env bash
# `geosim run --threads N`, `run --replicates R --threads N` and `compare --jobs N` on a world
# large enough for the turn to be split over threads (>= 96 actors): the same data as one
# thread, and a bad --threads is refused.
# Usage: turn_threads_cli_test.sh GEOSIM_BINARY SYNTHETIC_YAML_BINARY SOURCE_DIR WORKDIR
set -u
geosim=$1
synth=$2
src=$3
work=$4
source "$src/tests/support/cli_lib.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
"$synth" 120 > synthetic_120.yaml || exit 1
expect 0 "run, one thread" -- "$geosim" run synthetic_120.yaml -o one.h5 -q
expect 0 "run --threads 2" -- "$geosim" run synthetic_120.yaml --threads 2 -o two.h5 -q
# 3 threads: at most the usable cores split the turn (test_turn_threads builds pools of 3 and 5
# itself); the chunk writer deflates on 3.
expect 0 "run --threads 3" -- "$geosim" run synthetic_120.yaml --threads 3 -o three.h5 -q
same_data one.h5 two.h5 && pass || fail "--threads 2 gives the data of one thread at N = 120"
same_data one.h5 three.h5 && pass || fail "--threads 3 gives the data of one thread at N = 120"
expect 0 "replicates, one thread" -- "$geosim" run synthetic_120.yaml --replicates 2 -o rep1.h5 -q
expect 0 "replicates --threads 2" -- "$geosim" run synthetic_120.yaml --replicates 2 --threads 2 -o rep2.h5 -q
same_data rep1.h5 rep2.h5 && pass || fail "run --replicates 2 --threads 2 gives the data of one thread"
# The world against itself: the turns of both sides are split.
expect 0 "compare, one thread" -- "$geosim" compare synthetic_120.yaml synthetic_120.yaml --replicates 2 -o cmp1.h5 -q
expect 0 "compare --jobs 2" -- "$geosim" compare synthetic_120.yaml synthetic_120.yaml --replicates 2 --jobs 2 -o cmp2.h5 -q
same_data cmp1.h5 cmp2.h5 && pass || fail "compare --jobs 2 gives the data of one thread"
# What --threads does is said when it is not N threads per turn.
expect 0 "run --threads 2, 13 actors" -- "$geosim" run --threads 2 -o small.h5
contains err.txt "the turns of 13 actors stay on one" "--threads below 96 actors says the turn is not split"
expect 0 "run --threads 64" -- "$geosim" run synthetic_120.yaml --threads 64 -o many.h5
if [ "$(nproc)" -lt 64 ]; then
  contains err.txt "each turn is split over $(nproc) threads" "--threads beyond the cores says how many split the turn"
fi
same_data one.h5 many.h5 && pass || fail "--threads 64 gives the data of one thread"
expect 2 "run --threads 0" -- "$geosim" run synthetic_120.yaml --threads 0 -o zero.h5
[ ! -e zero.h5 ] && pass || fail "no output for --threads 0"
echo "turn threads cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
