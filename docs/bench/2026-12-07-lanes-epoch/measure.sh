#!/usr/bin/env bash
# Whole-epoch throughput of the trainer at the family's shape: D (w3/8, FC 512, batch 128, S=37) on 12,800 images,
# at 2 threads alone and at 1 thread alone, with the training lanes paused (SIGSTOP) meanwhile.
set -u
pids=$(pgrep -f "verydeep-cli.jar train --resume /work/ref3")
kill -STOP $pids; echo "paused $pids $(date +%T)"
trap 'kill -CONT $pids; echo "resumed $(date +%T)"' EXIT
for t in 2 1; do
  ./verydeep train --config D --width 0.375 --fc-width 512 --crop 32 --scale 37 --data fashion-mnist --limit 12800 --batch 128 \
    --epochs 1 --seed 1 --threads $t --no-progress --out /tmp/lanebench-D-t$t --force > /tmp/lanebench-D-t$t.out 2>&1
  tail -1 /tmp/lanebench-D-t$t/log.jsonl
done
