#!/usr/bin/env bash
# Forks of a world whose run file is chunked over turns (120 actors): the checkpoint's turns are
# copied into each replicate's slot in groups of turns that cross the source's chunks (flow: a
# chunk per turn, groups of 13 turns; influence: chunks of 9 turns, one group of 21), and
# replicate 0 from the checkpoint equals the straight run in every per-turn variable.
# Usage: fork_large_test.sh GEOSIM_BINARY SYNTHETIC_YAML_BINARY SOURCE_DIR WORKDIR
set -u
geosim=$1
synth=$2
src=$3
work=$4
source "$src/tests/support/cli_lib.sh"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
"$synth" 120 > synthetic_120.yaml || exit 1
expect 0 "straight run" -- "$geosim" run synthetic_120.yaml -o straight.h5 -q
expect 0 "checkpoint at turn 20" -- "$geosim" run synthetic_120.yaml --checkpoint-at 20 -o ck.h5 -q
expect 0 "replicates from it" -- "$geosim" run synthetic_120.yaml --from ck.h5 --replicates 2 -o fork.h5 -q
/usr/bin/python3 - ck.h5 straight.h5 fork.h5 <<'PY' && pass || fail "replicate 0 of the fork = the straight run"
import sys, h5py, numpy as np
ck, straight, fork = (h5py.File(p, "r") for p in sys.argv[1:])
# the layout this test is about: chunked over turns, chunks that the 21 copied turns cross
assert ck["influence"].chunks[0] not in (None, 21) and 21 % ck["influence"].chunks[0] != 0, \
    ck["influence"].chunks
assert ck["flow"].chunks is not None and ck["flow"].shape[0] == 21
turns = straight["turn"].shape[0]
names = [n for n, d in straight.items()
         if isinstance(d, h5py.Dataset) and d.ndim >= 2 and d.shape[0] == turns
         and any(s.name == "/turn" for s in d.dims[0].values())]
assert {"influence", "flow", "dependence", "gdp"} <= set(names), names
for n in names:
    a, b = straight[n][()], fork[n][0]
    assert a.shape == b.shape, (n, a.shape, b.shape)
    assert np.array_equal(a.view(np.uint64), b.view(np.uint64)), n  # same bits, NaN included
    # replicate 1 shares the checkpoint's 21 turns, then goes its own way
    assert np.array_equal(fork[n][1][:21].view(np.uint64), a[:21].view(np.uint64)), n
print(f"{len(names)} per-turn variables equal")
PY
echo "fork large cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
