#!/usr/bin/env bash
# A real single-node SLURM cluster on this machine, for tests/cluster/test_slurm.py.
#
# Installs slurm-wlm and munge with apt when missing, writes a slurm.conf for this host (its real
# CPU count and memory), starts munged, slurmctld and slurmd as plain daemons (no systemd) and waits
# until `sinfo` shows the node idle. Idempotent: a cluster that already answers is left alone.
#
# It never fails the caller: when the cluster cannot be brought up (not root, no apt, an install
# or a daemon fails), it says why, writes the reason to $STATE/unavailable and exits 0; the SLURM
# tests then skip with that reason. .ci/slurm-down.sh stops what this script started.
set -uo pipefail

STATE=/run/confcompose-slurm
MARK="# written by confcompose .ci/slurm-up.sh"
CONF=/etc/slurm/slurm.conf
started=$(date +%s.%N)

say() { echo "slurm-up: $*"; }
give_up() {
    say "SLURM NOT AVAILABLE: $*"
    { mkdir -p "$STATE" && echo "$*" >"$STATE/unavailable"; } 2>/dev/null
    exit 0
}
# sinfo/scontrol retry for ~10 s when no controller answers: ask only when one runs here, or
# (as a non-root user) once.
node_state() { sinfo -h -N -o '%t' 2>/dev/null | head -n1; }
ctld_running() { pgrep -x slurmctld >/dev/null; }

if [ "$(id -u)" != 0 ]; then
    # Not root: a cluster someone else runs is still fine; we just cannot start one.
    if [ -n "$(node_state)" ]; then say "using the running cluster: $(sinfo -h -N -o '%N %t')"; exit 0; fi
    give_up "not root, so slurmctld/slurmd cannot be installed or started here"
fi
mkdir -p "$STATE"
rm -f "$STATE/unavailable"

if ctld_running; then
    case "$(node_state)" in
        idle | mix | alloc) say "already up: $(sinfo -h -N -o '%N %t')"; exit 0 ;;
    esac
fi

# -- install -------------------------------------------------------------------------------------
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null \
    || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
    command -v apt-get >/dev/null || give_up "slurm-wlm/munge are not installed and there is no apt-get"
    say "installing slurm-wlm and munge with apt"
    t0=$(date +%s)
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q --no-install-recommends slurm-wlm munge >"$STATE/apt.log" 2>&1; then
        # Stale package lists are the usual cause on a fresh machine: update once, then retry.
        apt-get update -q >>"$STATE/apt.log" 2>&1
        apt-get install -y -q --no-install-recommends slurm-wlm munge >>"$STATE/apt.log" 2>&1 \
            || give_up "apt-get install slurm-wlm munge failed: $(tail -n2 "$STATE/apt.log" | tr '\n' ' ')"
    fi
    say "installed in $(($(date +%s) - t0))s"
fi

# -- munge ---------------------------------------------------------------------------------------
id munge >/dev/null 2>&1 || give_up "the munge user does not exist (broken munge package?)"
mkdir -p /etc/munge /var/lib/munge /var/log/munge /run/munge
if [ ! -s /etc/munge/munge.key ]; then
    say "creating /etc/munge/munge.key"
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
chown -R munge:munge /etc/munge /var/lib/munge /var/log/munge /run/munge
chmod 0700 /etc/munge /var/log/munge
chmod 0400 /etc/munge/munge.key
chmod 0755 /run/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    say "starting munged"
    runuser -u munge -- /usr/sbin/munged || give_up "munged did not start"
    touch "$STATE/started-munged"
    for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 || give_up "munged started but does not answer"
fi

# -- slurm.conf ----------------------------------------------------------------------------------
host=$(hostname -s)
cpus=$(nproc)
mem_mb=$(free -m | awk '/^Mem:/ {print $2}')
# slurmd checks RealMemory against what it measures itself; take the smaller of the two.
measured=$(slurmd -C 2>/dev/null | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
if [ -n "$measured" ] && [ "$measured" -lt "$mem_mb" ]; then mem_mb=$measured; fi
if [ -e "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
    give_up "$CONF exists and was not written by this script; not touching it"
fi
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat >"$CONF" <<EOF
$MARK for host $host ($cpus CPUs, $mem_mb MB)
ClusterName=confcompose
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
# No cgroups in containers: track job processes by parent pid, no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
# Fast turnaround for tests: time limits are checked and killed jobs reaped quickly.
KillWait=2
MinJobAge=300
InactiveLimit=0
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
say "wrote $CONF: $host, $cpus CPUs, $mem_mb MB, partition debug (Default)"

# -- daemons -------------------------------------------------------------------------------------
if ! ctld_running; then
    say "starting slurmctld"
    /usr/sbin/slurmctld -i >"$STATE/slurmctld.out" 2>&1 || give_up "slurmctld did not start: $(tail -n3 /var/log/slurm/slurmctld.log 2>/dev/null | tr '\n' ' ')"
    touch "$STATE/started-slurmctld"
fi
# slurmd registers once at start-up (and retries only much later): the controller must answer first.
for _ in $(seq 100); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.1; done
if ! pgrep -F "$STATE/slurmd.pid" slurmd >/dev/null 2>&1; then
    say "starting slurmd"
    /usr/sbin/slurmd >"$STATE/slurmd.out" 2>&1 || give_up "slurmd did not start: $(tail -n3 /var/log/slurm/slurmd.log 2>/dev/null | tr '\n' ' ')"
    touch "$STATE/started-slurmd"
fi

# -- wait for the node ---------------------------------------------------------------------------
state=""
for _ in $(seq 150); do  # at most ~30 s
    state=$(node_state)
    case "$state" in
        idle | mix | alloc) break ;;
        down* | drain*) scontrol update nodename="$host" state=resume >/dev/null 2>&1 ;;
    esac
    sleep 0.2
done
case "$state" in
    idle | mix | alloc) ;;
    *) give_up "the node did not become idle (state '${state:-none}'); see /var/log/slurm/slurmd.log: $(tail -n3 /var/log/slurm/slurmd.log 2>/dev/null | tr '\n' ' ')" ;;
esac
say "up in $(awk "BEGIN {printf \"%.1f\", $(date +%s.%N) - $started}")s: $(sinfo -h -N -o '%N %P %t cpus=%c mem=%m')"
