#!/usr/bin/env bash
# A one-node Slurm on this machine, for the test that submits an emitted study to a real scheduler
# (packages/cli/test/slurmCluster.test.ts; docs/cluster.md). Debian 12's packages, as root:
#   scripts/startSlurm.sh         install slurm-wlm and munge if missing, write a minimal slurm.conf,
#                                 start munged, slurmctld and slurmd, wait until the node is idle
#   scripts/startSlurm.sh stop    stop the daemons this script started (and nothing else)
# A Slurm that already answers (sinfo) is used as it is and never stopped. The daemons this script
# starts are listed in /run/grokscope-slurm/started, which `stop` reads; what stays behind after it
# (the packages, /etc/slurm/slurm.conf, /var/spool/slurm*, /var/log/slurm) starts nothing by itself.
set -euo pipefail

STATE=/run/grokscope-slurm
CONF=/etc/slurm/slurm.conf
MARK='# Written by grokscope scripts/startSlurm.sh'
say() { echo "startSlurm: $*" >&2; }

stop() {
  [ -f "$STATE/started" ] || return 0
  # Reverse order: slurmd, then slurmctld, then munged (the others authenticate through it).
  tac "$STATE/started" | while read -r name pidfile; do
    pid=$(cat "$pidfile" 2>/dev/null || true)
    if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      say "stopped $name ($pid)"
    fi
  done
  rm -f "$STATE/started"
}

if [ "${1:-start}" = stop ]; then
  stop
  exit 0
fi
[ "${1:-start}" = start ] || { say "unknown argument '$1'; use start or stop"; exit 2; }

if sinfo -h -o %T >/dev/null 2>&1 && [ ! -f "$STATE/started" ]; then
  say "a Slurm cluster already answers; using it as it is"
  exit 0
fi
[ "$(id -u)" = 0 ] || { say "must run as root (it installs packages and starts daemons)"; exit 2; }

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  command -v apt-get >/dev/null || { say "slurm-wlm and munge are missing and there is no apt-get to install them"; exit 2; }
  say "installing slurm-wlm and munge"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi
mkdir -p "$STATE"
touch "$STATE/started"

# munge: the key the package made, or one of our own; munged runs as its user.
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  chown munge:munge /etc/munge/munge.key
  chmod 400 /etc/munge/munge.key
fi
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged
  echo "munged /run/munge/munged.pid" >>"$STATE/started"
fi

# slurm.conf: this node's real CPUs and memory (slurmd -C); processes tracked without cgroups so it
# runs in a container too; the daemons meet on the loopback address, whatever the host name resolves
# to. An existing configuration that this script did not write is left alone.
HOST=$(hostname -s)
if [ -f "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
  say "$CONF exists and was not written by this script; leaving it as it is"
else
  NODE=$(slurmd -C | head -1 | sed -E 's/^NodeName=[^ ]+ //')
  cat >"$CONF" <<EOF
$MARK: a one-node cluster for tests.
ClusterName=grokscope
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=slurm
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.log
NodeName=$HOST NodeAddr=127.0.0.1 $NODE State=UNKNOWN
PartitionName=main Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
fi
mkdir -p /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
chown slurm:slurm /var/spool/slurmctld /var/log/slurm

if ! pgrep -x slurmctld >/dev/null; then
  /usr/sbin/slurmctld
  echo "slurmctld /run/slurmctld.pid" >>"$STATE/started"
fi
if ! pgrep -x slurmd >/dev/null; then
  /usr/sbin/slurmd
  echo "slurmd /run/slurmd.pid" >>"$STATE/started"
fi

for _ in $(seq 60); do
  state=$(sinfo -h -n "$HOST" -o %T 2>/dev/null || true)
  case "$state" in
    idle*) say "node $HOST idle"; exit 0 ;;
    down* | drain*) scontrol update NodeName="$HOST" State=RESUME 2>/dev/null || true ;;
  esac
  sleep 1
done
say "node $HOST not idle after 60 s (state: ${state:-no answer}); see /var/log/slurm/slurmctld.log and slurmd.log"
exit 1
