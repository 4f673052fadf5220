# A one-node Slurm for tests (sourced): munge, slurmctld and slurmd from Debian's packages,
# configured in a folder of the test's own (SLURM_CONF points there; /etc/slurm is not
# touched) on ports of their own. slurm_up installs the packages when missing, starts what is
# not running and waits until the node is idle; slurm_down stops exactly the processes
# slurm_up started. Call `trap slurm_down EXIT` right after sourcing, so they are stopped
# when the test fails too. Recipe: shared/design/slurm-local.md.
#   slurm_up DIR    start (DIR: configuration, state, spool and logs)
#   slurm_down      stop what slurm_up started
slurm_pids=()

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
  mkdir -p "$dir/state" "$dir/spool" "$dir/log" || return 1
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
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
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
}
