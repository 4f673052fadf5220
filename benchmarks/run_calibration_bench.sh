#!/usr/bin/env bash
# The calibration figures of benchmarks/README.md ("Calibration"): the shipped calibration of
# the baseline end to end (wall time, runs/s, generations, accepted particles, peak memory),
# and peak memory against the number of generations on the gaussian test model. Builds nothing.
#
#   benchmarks/run_calibration_bench.sh GEOSIM [WORK_DIR]
#
# Environment: JOBS [2] (--jobs of the baseline calibration), PARTS [baseline memory].
# The baseline part takes a few minutes on 2 cores; the memory part about 1.5 minutes.
set -euo pipefail
geosim=$(realpath "$1")
src=$(cd "$(dirname "$0")/.." && pwd)
work=${2:-$(mktemp -d)}
jobs=${JOBS:-2}
parts=${PARTS:-baseline memory}
mkdir -p "$work" && cd "$work"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); commit $(git -C "$src" rev-parse --short HEAD)"

if [[ " $parts " == *" baseline "* ]]; then
  rm -rf central_asia.calib central_asia_calibration.h5
  /usr/bin/time -f "%e %M" -o time.txt "$geosim" calibrate \
    "$src/scenarios/calibration/central_asia.calib.yaml" --jobs "$jobs" 2> calib.log
  read -r wall rss < time.txt
  /usr/bin/python3 - "$wall" "$rss" <<'PY'
import sys, h5py
wall, rss = float(sys.argv[1]), int(sys.argv[2])
f = h5py.File("central_asia_calibration.h5", "r")
runs = int(f.attrs["runs"])
g = f["tolerance"].shape[0]
print(f"baseline calibration: {wall:.1f} s wall, {runs} runs ({runs / wall:.0f} runs/s), "
      f"{g} generations x {f['particles'].shape[1]} accepted particles, tolerance "
      f"{f['tolerance'][0]:.3f} -> {f['tolerance'][-1]:.3f}, converged {int(f.attrs['converged'])}, "
      f"peak RSS {rss / 1024:.0f} MB")
PY
fi

if [[ " $parts " == *" memory "* ]]; then
  cat > mem.calib.yaml <<'YAML'
geosim_calibration: 1
name: mem
model: gaussian
seed: 11
method: {kind: abc-smc, particles: 2000, replicates: 1, tolerance: 0.0, generations: 4, budget: 100000000, chunk: 512, min_acceptance: 0.0}
parameters:
  - {name: mu, path: mu, normal: [0, 1]}
  - {name: x2, path: x2, uniform: [0, 1]}
targets:
  - {name: y, variable: y, observed: 1.0, sd: 1.0, source: "test"}
YAML
  for g in 4 12; do
    rm -rf mem.calib
    /usr/bin/time -f "%e %M" -o time.txt "$geosim" calibrate mem.calib.yaml --generations "$g" \
      -o "mem$g.h5" --force -q
    read -r wall rss < time.txt
    echo "gaussian, 2000 particles, $g generations: peak RSS $((rss / 1024)) MB, $wall s"
  done
fi
