#!/usr/bin/env bash
# Stop the daemons .ci/slurm-up.sh started (and only those): slurmd, slurmctld, munged.
set -uo pipefail
STATE=/run/confcompose-slurm
[ -d "$STATE" ] || exit 0
# Running, and not a zombie (where PID 1 does not reap, as in some containers, a stopped
# daemon stays a zombie: kill -0 still succeeds, and slurmctld would wait for it at its next start).
alive() { [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* (.*) Z' "/proc/$1/stat"; }
stop() {  # stop NAME PIDFILE: TERM the daemon, wait up to 10 s, then KILL
    local name=$1 pidfile=$2 pid
    [ -e "$STATE/started-$name" ] || return 0
    rm -f "$STATE/started-$name"
    pid=$(cat "$pidfile" 2>/dev/null) || return 0
    if [ -n "$pid" ] && alive "$pid"; then
        kill "$pid" 2>/dev/null
        for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
        alive "$pid" && kill -9 "$pid" 2>/dev/null
        echo "slurm-down: stopped $name ($pid)"
    fi
    rm -f "$pidfile"
}
stop slurmd "$STATE/slurmd.pid"
stop slurmctld "$STATE/slurmctld.pid"
stop munged /run/munge/munged.pid
exit 0
