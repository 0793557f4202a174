#!/usr/bin/env bash
# A-LRN at 2 and 1 threads alone, then D and A-LRN at 1 thread each side by side (the lanes), 12,800 images each,
# with the training lanes paused.
set -u
pids=$(pgrep -f "verydeep-cli.jar train --resume /work/ref3")
kill -STOP $pids; echo "paused $pids $(date +%T)"
trap 'kill -CONT $pids; echo "resumed $(date +%T)"' EXIT
t() { ./verydeep train --config $1 --width 0.375 --fc-width 512 --crop 32 --scale 37 --data fashion-mnist --limit 12800 --batch 128 \
    --epochs 1 --seed 1 --threads $2 --no-progress --out /tmp/lanebench-$1-$3 --force > /tmp/lanebench-$1-$3.out 2>&1; }
t A-LRN 2 t2; tail -1 /tmp/lanebench-A-LRN-t2/log.jsonl
t A-LRN 1 t1; tail -1 /tmp/lanebench-A-LRN-t1/log.jsonl
t D 1 lane & t A-LRN 1 lane & wait
tail -1 /tmp/lanebench-D-lane/log.jsonl; tail -1 /tmp/lanebench-A-LRN-lane/log.jsonl
