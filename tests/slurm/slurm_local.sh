# A one-node Slurm for tests (sourced): munge, slurmctld and slurmd from Debian's packages,
# configured in a folder of the test's own (SLURM_CONF points there; /etc/slurm is not
# touched) on ports of their own. slurm_up installs the packages when missing, starts what is
# not running and waits until the node is idle; slurm_down stops exactly the processes
# slurm_up started. Call `trap slurm_down EXIT` right after sourcing, so they are stopped
# when the test fails too. Recipe: shared/design/slurm-local.md.
#   slurm_up DIR    start (DIR: configuration and logs; state and spool in a short folder of
#                   /tmp when DIR's path is long: slurmd's Unix sockets live in the spool and a
#                   socket path may not exceed 108 bytes)
#   slurm_down      stop what slurm_up started (and remove that short folder)
#   slurm_wait_jobs SECONDS JOBID...   until none of the jobs is queued; fails at once, with
#                   the reason and the end of the slurmd log, when a job is held or its launch
#                   failed (instead of waiting the whole time)
slurm_pids=()
slurm_short=""
slurm_dir=""

slurm_log() { echo "slurm_local: $*" >&2; }

slurm_install() {
  local missing=()
  for p in slurm-wlm munge; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  slurm_log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q >&2 &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

slurm_up() {
  local dir=$1
  [ "$(id -u)" -eq 0 ] || { slurm_log "needs root (munged and slurmd run as root)"; return 1; }
  slurm_install || return 1
  slurm_dir=$dir
  mkdir -p "$dir/log" || return 1
  # The spool holds slurmd's step sockets (NODE_JOBID.STEP, about 30 bytes more): keep it short
  # whatever the build folder's path.
  local run=$dir
  if [ ${#dir} -gt 60 ]; then
    slurm_short=$(mktemp -d /tmp/gsl.XXXXXX) || return 1
    run=$slurm_short
    slurm_log "state and spool in $run ($dir is too long a path for slurmd's sockets)"
  fi
  mkdir -p "$run/state" "$run/spool" || return 1
  # munge: a key if there is none; reuse a munged that works, else start one.
  if [ ! -f /etc/munge/munge.key ]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
    chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
  fi
  mkdir -p /run/munge && chown munge:munge /run/munge
  if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    munged --force 2>/dev/null || { slurm_log "munged did not start"; return 1; }
    local pid=""
    for _ in $(seq 1 50); do
      pid=$(cat /run/munge/munged.pid 2>/dev/null) && [ -n "$pid" ] && break
      sleep 0.1
    done
    [ -n "$pid" ] && slurm_pids+=("$pid")
    munge -n | unmunge >/dev/null || { slurm_log "munge does not work"; return 1; }
  fi
  local host cpus
  host=$(hostname -s)
  cpus=$(nproc)
  cat >"$dir/slurm.conf" <<CONF
ClusterName=geosimtest
SlurmctldHost=$host
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$run/state
SlurmdSpoolDir=$run/spool
SlurmctldPidFile=$run/slurmctld.pid
SlurmdPidFile=$run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobRequeue=1
KillWait=10
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -D -i -f "$SLURM_CONF" >"$dir/log/slurmctld.out" 2>&1 &
  slurm_pids+=($!)
  slurmd -D -f "$SLURM_CONF" >"$dir/log/slurmd.out" 2>&1 &
  slurm_pids+=($!)
  for _ in $(seq 1 120); do
    if sinfo -h -o %T 2>/dev/null | grep -qx idle; then
      slurm_log "node $host idle ($cpus CPUs), pids ${slurm_pids[*]}"
      return 0
    fi
    sleep 0.5
  done
  slurm_log "the node did not become idle in 60 s; logs in $dir/log"
  sinfo >&2
  tail -n 20 "$dir/log/"*.log >&2
  return 1
}

slurm_down() {
  local pid
  for pid in "${slurm_pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${slurm_pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  slurm_pids=()
  if [ -n "$slurm_short" ]; then
    rm -rf "$slurm_short"
    slurm_short=""
  fi
}

slurm_wait_jobs() {
  local limit=$1
  shift
  local ids
  ids=$(IFS=,; echo "$*")
  for _ in $(seq 1 $((limit * 2))); do
    local q
    q=$(squeue -h -j "$ids" -o "%i %T %r" 2>/dev/null)
    [ -z "$q" ] && return 0
    # Held (launch failed, admin hold) or requeued and held: it will not run by itself.
    if echo "$q" | grep -qiE "held|launch failed|JobHeldAdmin|JobHeldUser"; then
      slurm_log "a job will not run: $q"
      [ -n "$slurm_dir" ] && tail -n 30 "$slurm_dir/log/slurmd.log" >&2
      return 1
    fi
    sleep 0.5
  done
  slurm_log "jobs $* still queued after $limit s:"
  squeue >&2
  [ -n "$slurm_dir" ] && tail -n 30 "$slurm_dir/log/slurmd.log" >&2
  return 1
}
