#!/usr/bin/env bash
# Stop the daemons .ci/slurm-up.sh started (and only those): slurmd, slurmctld, munged.
set -uo pipefail
STATE=/run/confcompose-slurm
[ -d "$STATE" ] || exit 0
stop() {  # stop NAME PIDFILE: TERM the daemon, wait up to 5 s, then KILL
    local name=$1 pidfile=$2 pid
    [ -e "$STATE/started-$name" ] || return 0
    rm -f "$STATE/started-$name"
    pid=$(cat "$pidfile" 2>/dev/null) || return 0
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    echo "slurm-down: stopped $name ($pid)"
}
stop slurmd "$STATE/slurmd.pid"
stop slurmctld "$STATE/slurmctld.pid"
stop munged /run/munge/munged.pid
exit 0
