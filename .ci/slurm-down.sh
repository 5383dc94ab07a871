#!/usr/bin/env bash
# Stops the single-node Slurm of slurm-up.sh and removes its stale pid files.
set -u
scontrol shutdown >/dev/null 2>&1 || true
for i in $(seq 1 20); do pgrep -x slurmctld >/dev/null || pgrep -x slurmd >/dev/null || break; sleep 0.5; done
pkill -x slurmd 2>/dev/null; pkill -x slurmctld 2>/dev/null
[ -f /run/munge/munged.pid ] && kill "$(cat /run/munge/munged.pid)" 2>/dev/null
rm -f /run/slurmctld.pid /run/slurmd.pid
echo "slurm down"
