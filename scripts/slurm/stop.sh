#!/usr/bin/env bash
# Stop the test cluster scripts/slurm/start.sh started with the same STATE_DIR: cancel its jobs, then
# stop slurmd, slurmctld and munged by the pids in STATE_DIR's pid files, and wait until they are gone.
# Never signals a process it did not find there; succeeds when nothing is running.
# Usage: scripts/slurm/stop.sh [STATE_DIR]   (default: ${TMPDIR:-/tmp}/seqgraph-slurm)
set -euo pipefail
state=${1:-${TMPDIR:-/tmp}/seqgraph-slurm}
wait_s=${SEQGRAPH_SLURM_WAIT:-30}
log() { echo "slurm: $*" >&2; }
if [ ! -d "$state" ]; then log "nothing running ($state does not exist)"; exit 0; fi
state=$(cd "$state" && pwd)

# pid_of NAME: the pid from STATE_DIR/NAME.pid when that process is alive and called NAME; a stale
# pid file, or a pid since reused by another program, gives nothing.
pid_of() {
  local f=$state/$1.pid pid
  [ -s "$f" ] || return 1
  pid=$(cat "$f")
  [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$1" ] &&
    [ "$(awk '{ print $3 }' "/proc/$pid/stat")" != Z ] && echo "$pid"
}

# Jobs first, while slurmctld and slurmd can still end their steps cleanly (no orphaned job scripts).
if pid_of slurmctld >/dev/null; then
  export SLURM_CONF=$state/slurm.conf
  jobs=$(squeue -h -o %A 2>/dev/null || true)
  if [ -n "$jobs" ]; then
    log "cancelling jobs: $(echo $jobs)"
    scancel --full $jobs 2>/dev/null || true
    deadline=$((SECONDS + wait_s))
    while [ -n "$(squeue -h -t PD,R,CG,S -o %A 2>/dev/null || true)" ] && [ "$SECONDS" -lt "$deadline" ]; do
      sleep 0.5
    done
  fi
fi

# slurmd before slurmctld before munged: each still has what it authenticates against while it stops.
stopped=0
for d in slurmd slurmctld munged; do
  pid=$(pid_of "$d") || continue
  stopped=$((stopped + 1))
  kill -TERM "$pid"
  deadline=$((SECONDS + wait_s))
  while [ -e "/proc/$pid" ] && [ "$(cat "/proc/$pid/stat" 2>/dev/null | awk '{ print $3 }')" != Z ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$d ($pid) still running after ${wait_s}s of SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.2
  done
  rm -f "$state/$d.pid"
  log "stopped $d ($pid)"
done
if [ "$stopped" -eq 0 ]; then log "nothing was running ($state)"; else log "stopped ($state)"; fi
