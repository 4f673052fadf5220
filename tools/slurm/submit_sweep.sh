#!/bin/bash
# Plans a geosim sweep, submits it as a Slurm job array and the merge as a job that starts when
# every task has ended with exit 0; prints the job ids (docs/sweeps.md, "Clusters").
# Run from the folder the jobs should run in (the repository root):
#
#   tools/slurm/submit_sweep.sh SWEEP.yaml [DIR] [TASKS]
#
# DIR: the sweep folder (default out/NAME.sweep for NAME.sweep.yaml). TASKS: array tasks
# (default 8, at most the sweep's number of chunks). Environment: GEOSIM (the binary),
# THROTTLE (tasks running at once, default 4), SBATCH_ARGS (more sbatch options for both jobs,
# e.g. "--account=abc --time=08:00:00"), DRY_RUN=1 (print the sbatch commands, submit
# nothing). Paths must not contain commas (sbatch --export splits on them).
set -euo pipefail

if [ $# -lt 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
  [ $# -ge 1 ]
  exit
fi
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${GEOSIM:-}" ]; then
  GEOSIM=geosim
  [ -x build/release/bin/geosim ] && GEOSIM=build/release/bin/geosim
fi
SWEEP=$1
TASKS=${3:-8}
THROTTLE=${THROTTLE:-4}
read -r -a extra <<<"${SBATCH_ARGS:-}"

base=$(basename "$SWEEP")
base=${base%.yaml}
base=${base%.yml}
DIR=${2:-out/${base%.sweep}.sweep}

# The plan: checks the sweep file, writes DIR/plan.h5, and says how many chunks there are.
plan=$("$GEOSIM" sweep plan "$SWEEP" -d "$DIR")
printf '%s\n' "$plan" | sed -n '1p;$p'
chunks=$(printf '%s\n' "$plan" | sed -n '1s/.* runs\{0,1\} in \([0-9]*\) chunks\{0,1\} of .*/\1/p')
[ -n "$chunks" ] || { echo "submit_sweep.sh: cannot read the number of chunks from the plan" >&2; exit 1; }
[ "$TASKS" -le "$chunks" ] || TASKS=$chunks
vars="ALL,GEOSIM=$GEOSIM,SWEEP=$SWEEP,DIR=$DIR"

submit() {
  if [ -n "${DRY_RUN:-}" ]; then
    echo "sbatch $*" >&2
    echo "DRY_RUN_$RANDOM"
  else
    sbatch --parsable "$@" | cut -d';' -f1
  fi
}
array=$(submit ${extra[@]+"${extra[@]}"} --array="0-$((TASKS - 1))%$THROTTLE" --export="$vars" "$here/sweep_array.sbatch")
merge=$(submit ${extra[@]+"${extra[@]}"} --dependency="afterok:$array" --export="$vars" "$here/sweep_merge.sbatch")
echo "array job $array: $TASKS tasks, $chunks chunks (task I runs chunks c with c % $TASKS == I), $THROTTLE tasks at a time"
echo "merge job $merge: starts when every task has ended with exit 0"
echo "watch: squeue -j $array,$merge; $GEOSIM sweep status $DIR"
