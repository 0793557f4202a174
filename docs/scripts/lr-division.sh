#!/usr/bin/env bash
# The learning-rate division check of docs/training.md: per seed, config A at width 1/8 on the shipped Fashion-MNIST
# sample, once with the plateau schedule (patience 2) and once without divisions (patience 1000). The two runs are
# identical up to the first division, so the epoch after it compares the divided rate with the undivided one from the
# same weights, data order and dropout masks. Usage: docs/scripts/lr-division.sh OUT_DIR [SEED...] (default 1-8;
# about a minute per seed on one idle core). VERYDEEP=path/to/verydeep runs another build (e.g. an older commit).
set -euo pipefail
R="${1:?usage: $0 OUT_DIR [SEED...]}"
shift
SEEDS=("$@")
[ ${#SEEDS[@]} -gt 0 ] || SEEDS=(1 2 3 4 5 6 7 8)
V="${VERYDEEP:-$(cd "$(dirname "$0")/../.." && pwd)/verydeep}"
mkdir -p "$R"
for s in "${SEEDS[@]}"; do
  for p in 2 1000; do
    out="$R/p$p-s$s"
    [ -e "$out/weights.vdw" ] && continue
    echo "+ verydeep train ... --patience $p --seed $s --out $out"
    "$V" train --config A --width 0.125 --crop 32 --scale 37 --data fashion-mnist-sample --epochs 20 --patience "$p" \
      --max-lr-decreases 3 --threads 1 --seed "$s" --no-progress --force --out "$out" > "$out.txt"
  done
done
printf 'seed\tdivided after epoch\tloss then\tnext epoch, divided\tnext epoch, not divided\tdifference\n'
for s in "${SEEDS[@]}"; do
  jq -rs --arg seed "$s" --slurpfile c "$R/p1000-s$s/log.jsonl" '. as $d
    | [range(0; length - 1) | select($d[. + 1].learningRate < $d[.].learningRate)] | first // empty | . as $i
    | [$seed, $d[$i].epoch, $d[$i].trainLoss, $d[$i + 1].trainLoss, $c[$i + 1].trainLoss, $d[$i + 1].trainLoss - $c[$i + 1].trainLoss]
    | @tsv' "$R/p2-s$s/log.jsonl"
done | awk -F'\t' '{ printf "%s\t%s\t%.4f\t%.4f\t%.4f\t%+.4f\n", $1, $2, $3, $4, $5, $6; sum += $6; n++; up += ($6 > 0) }
  END { if (n) printf "mean difference %+.4f; divided run higher in %d of %d seeds\n", sum / n, up, n }'
