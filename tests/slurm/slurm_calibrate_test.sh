#!/usr/bin/env bash
# tools/slurm/calibrate.sbatch on a real one-node Slurm: a calibration submitted as the docs say
# (docs/calibration.md, section 3) is signalled as a time limit signals it (SIGUSR1 to its batch
# shell) after its first generation, stops cleanly, requeues itself and resumes to the end; its
# file equals the calibration run serially without Slurm in every dataset.
# Usage: slurm_calibrate_test.sh GEOSIM_BINARY SOURCE_DIR WORKDIR
set -u
geosim=$1
src=$2
work=$3
source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/slurm_local.sh"
if [ "$(id -u)" -ne 0 ]; then
  echo "skipped: a one-node Slurm needs root (munged, slurmd); CI runs as root"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
trap slurm_down EXIT
slurm_up "$work/cluster" || { echo "FAIL: no Slurm"; exit 1; }

# The gaussian test model: seconds of work, several generations, so the signal lands mid-run.
cat > cluster.calib.yaml <<'YAML'
geosim_calibration: 1
name: cluster
model: gaussian
seed: 17
method: {kind: abc-smc, particles: 3000, replicates: 1, tolerance: 0.02, generations: 8, budget: 100000000, chunk: 64}
parameters:
  - {name: mu, path: mu, normal: [0, 1]}
targets:
  - {name: y, variable: y, observed: 1.0, sd: 1.0, source: "test"}
YAML

expect 0 "serial reference" -- "$geosim" calibrate cluster.calib.yaml -d serial.calib -o serial.h5 -q

expect 0 "sbatch the calibration" -- sbatch --parsable --cpus-per-task=2 \
  --export="ALL,GEOSIM=$geosim,CALIB=$work/cluster.calib.yaml,DIR=$work/slurm.calib,OUT=$work/slurm.h5" \
  "$src/tools/slurm/calibrate.sbatch"
jid=$(cut -d';' -f1 out.txt)
[ -n "$jid" ] && pass || fail "job id"
for _ in $(seq 1 600); do [ -f slurm.calib/gen_000/population.h5 ] && break; sleep 0.1; done
[ -f slurm.calib/gen_000/population.h5 ] && pass || fail "the job committed generation 0"
expect 0 "signal the job" -- scancel --batch --signal=USR1 "$jid"
log="geosim-calibrate_${jid}.out"
for _ in $(seq 1 600); do grep -q "requeued job $jid" "$log" 2>/dev/null && break; sleep 0.1; done
grep -q "SIGUSR1 (the time limit is near)" "$log" && pass || fail "the job saw the signal"
grep -q "geosim exited 4" "$log" && pass || fail "geosim stopped cleanly (exit 4)"
grep -q "requeued job $jid" "$log" && pass || { fail "the job requeued itself"; cat "$log"; }
for _ in $(seq 1 100); do
  scontrol update JobId="$jid" StartTime=now >/dev/null 2>&1 && break
  sleep 0.2
done
slurm_wait_jobs 600 "$jid" && pass || fail "the calibration finished"
grep -q "restart 1" "$log" && pass || fail "the job ran again (restart 1)"
grep -q "(resumed)" "$log" && pass || fail "the restart read the finished generations back"
[ -f slurm.h5 ] && pass || { fail "the job wrote the calibration file"; cat "$log"; }
same_data serial.h5 slurm.h5 && pass || fail "Slurm with preemption and requeue = serial"

echo "slurm calibrate: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
