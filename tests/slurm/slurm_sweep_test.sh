#!/usr/bin/env bash
# The cluster path on a real one-node Slurm (issue: prove the shipped scripts): the job-array
# script of tools/slurm/, unchanged, runs a sweep of the baseline as 3 array tasks; one task is
# signalled as a time limit signals it (SIGUSR1 to its batch shell), stops cleanly, requeues
# itself and resumes; the dependent merge job writes the sweep file, which equals the serial
# sweep in every dataset. Then the MPI script under `sbatch -n 2` gives the same file too.
# Usage: slurm_sweep_test.sh GEOSIM_BINARY SOURCE_DIR WORKDIR
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

# Seconds of work per task, so that the signal reaches a task that is running.
cat > cluster.sweep.yaml <<YAML
geosim_sweep: 1
name: cluster
scenario: $src/scenarios/central_asia_2022.yaml
seed: 42
chunk: 40
design: {kind: mc, n: 6000}
parameters:
  - {name: inertia, path: parameters.influence_inertia, uniform: [0.05, 0.3]}
  - {name: us_secaid_budget, path: "actors[USA].budgets.security_aid", uniform: [10, 80]}
outputs:
  - {name: us_share_tjk, variable: influence_share, actor: USA, target: TJK}
  - {name: tjk_hedging, variable: hedging_index, actor: TJK, reduce: mean}
YAML
env_for() {  # the --export list the docs give: GEOSIM, SWEEP, DIR (and OUT)
  echo "ALL,GEOSIM=$geosim,SWEEP=$work/cluster.sweep.yaml,DIR=$work/$1.sweep,OUT=$work/$1.h5"
}

# The reference: the same sweep, serially, without Slurm.
expect 0 "serial reference" -- "$geosim" sweep run cluster.sweep.yaml -d serial.sweep -o serial.h5 -q

# The documented submission: the array, then the merge as a dependent job.
expect 0 "sbatch the array" -- sbatch --parsable --array=0-2 --cpus-per-task=1 \
  --export="$(env_for array)" "$src/tools/slurm/sweep_array.sbatch"
jid=$(cut -d';' -f1 out.txt)
expect 0 "sbatch the merge" -- sbatch --parsable --dependency=afterok:"$jid" \
  --export="$(env_for array)" "$src/tools/slurm/sweep_merge.sbatch"
mid=$(cut -d';' -f1 out.txt)
[ -n "$jid" ] && [ -n "$mid" ] && pass || fail "job ids"

# Preemption: once task 1 has committed its first chunk (chunk 1: shard 1 of 3), signal it as
# a time limit does (--signal=B:USR1: the batch shell), while it still runs.
# Task 1's pack (named after geosim's pid, which the script logs) grows past its 64-byte header.
log1="geosim-sweep_${jid}_1.out"
task1_committed() {
  local pid
  pid=$(sed -n 's/.*geosim started (pid \([0-9]*\)).*/\1/p' "$log1" 2>/dev/null | head -1)
  [ -n "$pid" ] && [ -n "$(find array.sweep/chunks -name "pack_*_${pid}_*.gspack" -size +64c 2>/dev/null)" ]
}
for _ in $(seq 1 600); do task1_committed && break; sleep 0.1; done
task1_committed && pass || fail "task 1 committed a chunk"
expect 0 "signal task 1" -- scancel --batch --signal=USR1 "${jid}_1"
for _ in $(seq 1 600); do grep -q "requeued ${jid}_1" "$log1" 2>/dev/null && break; sleep 0.1; done
grep -q "SIGUSR1 (the time limit is near)" "$log1" && pass || fail "task 1 saw the signal"
grep -q "geosim exited 4" "$log1" && pass || fail "geosim stopped cleanly (exit 4)"
grep -q "requeued ${jid}_1" "$log1" && pass || fail "task 1 requeued itself"
# Slurm holds a requeued job back for a while (BeginTime); let it start now.
for _ in $(seq 1 100); do
  scontrol update JobId="${jid}_1" StartTime=now >/dev/null 2>&1 && break
  sleep 0.2
done
slurm_wait_jobs 600 "$jid" "$mid" && pass || fail "array and merge finished"
grep -q "restart 1, array task 1 of 3" "$log1" && pass || fail "task 1 ran again (restart 1)"
grep -q "already done" "$log1" && pass || fail "the restart skipped committed chunks"
for t in 0 2; do grep -q "geosim exited 0" "geosim-sweep_${jid}_$t.out" && pass || fail "task $t exited 0"; done
[ -f array.h5 ] && pass || fail "the merge job wrote the sweep file"
same_data serial.h5 array.h5 && pass || fail "array with preemption and requeue = serial"

# MPI inside an allocation: sbatch -n 2 with the MPI script.
expect 0 "sbatch the MPI job" -- sbatch --parsable -n 2 --export="$(env_for mpi)" \
  "$src/tools/slurm/sweep_mpi.sbatch"
pid=$(cut -d';' -f1 out.txt)
slurm_wait_jobs 600 "$pid" && pass || fail "MPI job finished"
[ -f mpi.h5 ] && pass || { fail "the MPI job wrote the sweep file"; cat geosim-sweep-mpi_"$pid".out; }
same_data serial.h5 mpi.h5 && pass || fail "MPI under Slurm = serial"

echo "slurm: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
