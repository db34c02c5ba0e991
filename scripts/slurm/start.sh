#!/usr/bin/env bash
# Start a one-node Slurm cluster on this host for tests: its own munged, slurmctld and slurmd, with
# every config, key, socket, state, log and pid file under STATE_DIR, so it neither reads nor changes
# a system Slurm or munge (/etc/slurm/slurm.conf and /etc/munge/munge.key are never touched).
# Usage: scripts/slurm/start.sh [STATE_DIR]   (default: ${TMPDIR:-/tmp}/seqgraph-slurm)
# Prints `export SLURM_CONF=STATE_DIR/slurm.conf` on stdout (also written to STATE_DIR/env);
# everything else goes to stderr. Running it again while the cluster is up only says so.
set -euo pipefail
state=${1:-${TMPDIR:-/tmp}/seqgraph-slurm}
mkdir -p "$state"
state=$(cd "$state" && pwd)
conf=$state/slurm.conf
# Ports away from a system Slurm's 6817/6818, so both can run at once.
ctld_port=${SEQGRAPH_SLURMCTLD_PORT:-16817}
slurmd_port=${SEQGRAPH_SLURMD_PORT:-16818}
wait_s=${SEQGRAPH_SLURM_WAIT:-60}
# How long a finished job stays visible to scontrol/squeue (there is no sacct without accounting).
min_job_age=${SEQGRAPH_SLURM_MIN_JOB_AGE:-300}
log() { echo "slurm: $*" >&2; }

# Debian's packages when missing. Any system munged or slurmd they start is left alone: ours use
# their own socket and ports, and we only ever talk to the daemons started below.
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  log "installing slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

# alive NAME PIDFILE: the pid file names a live process called NAME (so a stale pid file, or a
# recycled pid now used by something else, is not taken for our daemon).
alive() {
  local pid
  [ -s "$2" ] || return 1
  pid=$(cat "$2")
  [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$1" ] &&
    [ "$(awk '{ print $3 }' "/proc/$pid/stat")" != Z ]   # an unreaped zombie is not running
}

host=$(hostname -s)
cpus=$(nproc)
# RealMemory a little below the machine's (MiB), so slurmd does not drain the node for having less.
mem=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)

running=0
for d in munged slurmctld slurmd; do alive "$d" "$state/$d.pid" && running=$((running + 1)); done
if [ "$running" -eq 0 ]; then
  # Another cluster (a system Slurm, or this script with another STATE_DIR) on our ports would make
  # slurmctld fail to bind; say so plainly instead of through its log.
  for port in "$ctld_port" "$slurmd_port"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      log "port $port is in use; set SEQGRAPH_SLURMCTLD_PORT / SEQGRAPH_SLURMD_PORT to free ones"
      exit 1
    fi
  done
  mkdir -p "$state"/{munge,ctld,spool,log}
  # munged refuses a socket whose directories are not all searchable by everyone (a mktemp -d is 0700).
  chmod go+x "$state"
  # munged wants its socket directory searchable by all (it refuses 0700); the key itself is 0400.
  chmod 0755 "$state/munge"
  # Our own munge key (the system's is never read): 1 KiB of random bytes, readable by root only.
  if [ ! -s "$state/munge/munge.key" ]; then
    dd if=/dev/urandom of="$state/munge/munge.key" bs=1024 count=1 status=none
  fi
  chmod 0400 "$state/munge/munge.key"
  # Written afresh at each cold start so a changed machine (CPUs, memory, host name) is picked up.
  cat >"$conf" <<CONF
# One-node test cluster written by scripts/slurm/start.sh; not for production.
ClusterName=seqgraph
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
# Our munged, through its own socket (client commands read this file too, via SLURM_CONF).
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$state/munge/munge.socket
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No cgroups: plain process tracking works in containers and without systemd.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
# No mail server here; without this slurmctld logs an error at start.
MailProg=/bin/true
# No accounting database (so no sacct): finished jobs stay visible in scontrol for MinJobAge s.
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MinJobAge=$min_job_age
# CPUs as the consumable resource, so each 1-CPU array task takes one CPU and tasks run side by side.
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
# Schedule often: tests want jobs (and jobs whose dependency just cleared) to start within a second.
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1,bf_interval=1,sched_min_interval=0
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
elif [ "$running" -eq 3 ]; then
  log "already running with $state"
fi

if ! alive munged "$state/munged.pid"; then
  munged --socket="$state/munge/munge.socket" --key-file="$state/munge/munge.key" \
    --pid-file="$state/munged.pid" --log-file="$state/log/munged.log" \
    --seed-file="$state/munge/munged.seed"
fi
export SLURM_CONF=$conf
if ! alive slurmctld "$state/slurmctld.pid"; then slurmctld -f "$conf"; fi
if ! alive slurmd "$state/slurmd.pid"; then slurmd -f "$conf"; fi

# Up when the node is idle (or already running jobs). Bounded, with the logs on failure.
deadline=$((SECONDS + wait_s))
until [[ "$(sinfo -h -n "$host" -o %t 2>/dev/null)" =~ ^(idle|mix|alloc)$ ]]; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "node $host not idle after ${wait_s}s: $(sinfo -h -n "$host" -o '%t %E' 2>&1 || true)"
    for f in "$state"/log/*.log; do echo "==> $f <==" >&2; tail -n 40 "$f" >&2 || true; done
    exit 1
  fi
  sleep 0.5
done
[ "$running" -eq 3 ] || log "up: node $host, $cpus CPUs, ${mem} MiB, state in $state"
echo "export SLURM_CONF=$conf" | tee "$state/env"
